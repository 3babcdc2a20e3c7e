"""Settings, read once from the environment (CONTRACT.md) into one object.

Everything below `service/` receives a `Settings`; nothing else reads
`os.environ`, so tests can build as many independent instances as they like.
"""

from __future__ import annotations

import os
import secrets
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from sqlalchemy.engine import make_url

_N = TypeVar("_N", int, float)
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
    # where people open the pages: links in mails point here
    base_url: str = "http://127.0.0.1:8000"
    processes_dir: Path = field(default=PROJECT_ROOT / "processes")
    forms_dir: Path = field(default=PROJECT_ROOT / "forms")
    # served over HTTPS: session cookies only travel encrypted (Secure) and browsers are told
    # to keep using HTTPS (Strict-Transport-Security)
    secure_cookies: bool = False
    # how long a browser sign-in lasts at most (the cookie itself ends when the browser closes)
    sign_in_days: int = 14
    # what diagram code may spend in one engine run, and the memory a server or worker process may
    # grow by beyond what it uses at start-up (a backstop for anything the evaluator cannot measure)
    script_seconds: float = 2.0
    script_operations: int = 5_000_000
    memory_headroom_mib: int = 4096

    @property
    def mail_dir(self) -> Path:
        return self.home / "mail"

    @property
    def archive_dir(self) -> Path:
        return self.home / "archive"

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]


PRIVATE_FOLDER, PRIVATE_FILE = 0o700, 0o600


def protect_home(home: Path, database_url: str) -> None:
    """Make the home (database, mail, documents, secret key) readable by the service's own user only.

    The umask keeps everything this process creates private — SQLite's database and its -wal and
    -shm files, mails, archived documents; the chmods tighten what an earlier version left readable.
    """
    os.umask(0o077)
    home.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    _tighten(home, PRIVATE_FOLDER)
    for path in [home / "secret_key", *_sqlite_files(database_url)]:
        _tighten(path, PRIVATE_FILE)


def _sqlite_files(database_url: str) -> list[Path]:
    if not database_url.startswith("sqlite"):
        return []
    database = make_url(database_url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return []
    return [Path(database + suffix) for suffix in ("", "-wal", "-shm", "-journal")]


def _tighten(path: Path, allowed: int) -> None:
    """Drop the group and other permissions of a path this user owns (someone else's is left alone)."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return
    mode = stat.S_IMODE(status.st_mode)
    if status.st_uid == os.getuid() and mode & ~allowed:
        path.chmod(mode & allowed)


def _secret_key(home: Path) -> str:
    """A key generated once into the home folder, so sessions survive restarts.

    Written whole under a private name and linked into place: the web workers and the
    background worker start together, and all of them must end up with the same key.
    """
    path = home / "secret_key"
    if not path.exists():
        draft = home / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_hex(32))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process was first: its key is the one
        finally:
            draft.unlink()
    return path.read_text().strip()


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if environ is None else environ)
    home = Path(env.get("GUICHENG_HOME") or "var").resolve()
    database_url = env.get("GUICHENG_DATABASE_URL") or f"sqlite:///{home / 'guicheng.db'}"
    protect_home(home, database_url)
    return Settings(
        home=home,
        database_url=database_url,
        smtp_url=env.get("GUICHENG_SMTP_URL") or None,
        base_url=(env.get("GUICHENG_BASE_URL") or Settings.base_url).rstrip("/"),
        clock=env.get("GUICHENG_CLOCK") or None,
        timezone=env.get("GUICHENG_TIMEZONE") or "Asia/Shanghai",
        secret_key=env.get("GUICHENG_SECRET_KEY") or _secret_key(home),
        secure_cookies=_flag(env.get("GUICHENG_SECURE_COOKIES")),
        sign_in_days=_days(env.get("GUICHENG_SIGN_IN_DAYS")),
        script_seconds=_positive(env.get("GUICHENG_SCRIPT_SECONDS"), 2.0, float),
        script_operations=_positive(env.get("GUICHENG_SCRIPT_OPERATIONS"), 5_000_000, int),
        memory_headroom_mib=_positive(env.get("GUICHENG_MEMORY_HEADROOM_MIB"), 4096, int),
    )


def _positive(value: str | None, default: _N, kind: type[_N]) -> _N:
    """A positive number from the environment; anything else (unset, typo, zero) keeps the default."""
    try:
        number = kind(value) if value else default
    except ValueError:
        return default
    return number if number > 0 else default


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def _days(value: str | None) -> int:
    if not value:
        return Settings.sign_in_days
    try:
        days = int(value)
    except ValueError:
        raise ValueError(f"GUICHENG_SIGN_IN_DAYS: expected a whole number of days, got {value!r}") from None
    if not 1 <= days <= 365:
        raise ValueError(f"GUICHENG_SIGN_IN_DAYS: {days} is outside 1…365 days")
    return days
