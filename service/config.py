"""Settings, read once from the environment (CONTRACT.md) into one object.

Everything below `service/` receives a `Settings`; nothing else reads
`os.environ`, so tests can build as many independent instances as they like.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    home: Path
    database_url: str
    smtp_url: str | None = None
    clock: str | None = None
    timezone: str = "Asia/Shanghai"
    secret_key: str = ""
    mail_domain: str = "guicheng.local"
    mail_sender: str = "guicheng@guicheng.local"
    processes_dir: Path = field(default=PROJECT_ROOT / "processes")
    forms_dir: Path = field(default=PROJECT_ROOT / "forms")

    @property
    def mail_dir(self) -> Path:
        return self.home / "mail"

    @property
    def archive_dir(self) -> Path:
        return self.home / "archive"

    def with_overrides(self, **changes: object) -> "Settings":
        return replace(self, **changes)  # type: ignore[arg-type]


def _secret_key(home: Path) -> str:
    """A key generated once into the home folder, so sessions survive restarts."""
    path = home / "secret_key"
    if path.exists():
        return path.read_text().strip()
    home.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if environ is None else environ)
    home = Path(env.get("GUICHENG_HOME") or "var").resolve()
    home.mkdir(parents=True, exist_ok=True)
    database_url = env.get("GUICHENG_DATABASE_URL") or f"sqlite:///{home / 'guicheng.db'}"
    return Settings(
        home=home,
        database_url=database_url,
        smtp_url=env.get("GUICHENG_SMTP_URL") or None,
        clock=env.get("GUICHENG_CLOCK") or None,
        timezone=env.get("GUICHENG_TIMEZONE") or "Asia/Shanghai",
        secret_key=env.get("GUICHENG_SECRET_KEY") or _secret_key(home),
    )
