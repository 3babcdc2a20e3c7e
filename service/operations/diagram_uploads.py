"""The diagrams uploaded for an import, kept between the report and the apply.

Why keep them: the apply must read the very bytes the report was made of (a fix is named by its key,
stable only for the same file), and a diagram is too large to travel back in a form field. Each lies in
the service's home (`imports/`) for one day, for the person who sent it only; applying it removes it.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from service.domain.messages import Message
from service.engine.foreign import BPMN
from service.engine.xml_safety import MAX_XML_BYTES, XmlRejected, as_utf8, parse_xml

from .context import AppContext
from .errors import NotFound, ValidationFailed

KINDS = ".bpmn, .bpmn20.xml, .xml"
KEPT_SECONDS = 24 * 3600
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


@dataclass(frozen=True)
class Upload:
    token: str
    name: str
    data: bytes


def _folder(ctx: AppContext) -> Path:
    folder = ctx.settings.home / "imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def keep_upload(ctx: AppContext, actor: str, name: str, data: bytes) -> Upload:
    """Check what was sent is a BPMN diagram this product may read, and keep it for the apply."""
    shown = Path(name.replace("\\", "/")).name[:120] or "diagram.bpmn"
    problem = _upload_problem(shown, data)
    if problem is not None:
        raise ValidationFailed("diagram_import.refused", {"file": problem})
    folder = _folder(ctx)
    now = time.time()
    for old in folder.glob("*.json"):  # what nobody applied within a day goes
        if now - old.stat().st_mtime > KEPT_SECONDS:
            old.unlink(missing_ok=True)
            old.with_suffix(".xml").unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.xml").write_bytes(data)
    (folder / f"{token}.json").write_text(json.dumps({"actor": actor, "name": shown}), encoding="utf-8")
    return Upload(token, shown, data)


def _upload_problem(name: str, data: bytes) -> Message | None:
    if not name.lower().endswith((".bpmn", ".bpmn20.xml", ".xml")):
        return Message("diagram_import.wrong_kind", {"file": name, "kinds": KINDS})
    if not data.strip():
        return Message("diagram_import.empty", {"file": name})
    if len(data) > MAX_XML_BYTES:
        return Message("diagram_import.too_large", {"file": name, "size": len(data), "max": MAX_XML_BYTES})
    try:
        root = parse_xml(data, name).getroot()
        as_utf8(data, name)
    except XmlRejected as exc:
        return Message("diagram_import.not_xml", {"file": name, "line": exc.line, "reason": exc.message})
    if root.tag != f"{{{BPMN}}}definitions":
        return Message("diagram_import.not_bpmn", {"file": name, "line": root.sourceline or 1,
                                                    "root": etree.QName(root).localname,
                                                    "expected": "bpmn:definitions"})
    if root.find(f"{{{BPMN}}}process") is None:
        return Message("diagram_import.no_process", {"file": name, "element": "bpmn:process"})
    return None


def upload_of(ctx: AppContext, actor: str, token: str) -> Upload:
    """The kept upload of `actor`; NotFound when it expired, was applied, or is someone else's."""
    folder = ctx.settings.home / "imports"
    meta = folder / f"{token}.json"
    if not TOKEN.fullmatch(token or "") or not meta.is_file():
        raise NotFound("diagram_import.gone")
    kept = json.loads(meta.read_text(encoding="utf-8"))
    if kept.get("actor") != actor or time.time() - meta.stat().st_mtime > KEPT_SECONDS:
        raise NotFound("diagram_import.gone")
    return Upload(token, str(kept.get("name") or "diagram.bpmn"), (folder / f"{token}.xml").read_bytes())


def drop_upload(ctx: AppContext, token: str) -> None:
    folder = ctx.settings.home / "imports"
    for suffix in (".json", ".xml"):
        (folder / f"{token}{suffix}").unlink(missing_ok=True)
