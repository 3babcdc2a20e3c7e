"""Uploaded documents and the company archive, on the filesystem.

An upload is stored once under its SHA-256 and referred to as
`upload:<sha256>/<file name>`; forms carry that reference. Archiving copies
the referenced files into a stable, browsable tree
`<year>/<customer>/<project>/<case id>/` and records their checksums.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from service.domain.documents import REFERENCE
from service.domain.errors import InputRejected

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
ALLOWED_SUFFIXES = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".txt", ".md", ".png", ".jpg",
                    ".jpeg", ".zip", ".vsdx", ".csv"}


class DocumentRejected(InputRejected):
    """A file that may not be stored or a reference that does not resolve; says which and why."""


def safe_name(name: str) -> str:
    """Keep Chinese and ordinary characters; drop path separators and control characters."""
    cleaned = re.sub(r"[\\/\x00-\x1f<>:\"|?*]", "_", name).strip(" .")
    return cleaned[:120] or "file"


@dataclass(frozen=True)
class StoredFile:
    reference: str
    name: str
    sha256: str
    size: int
    path: Path


class DocumentStore:
    def __init__(self, home: Path):
        self.uploads = home / "uploads"
        self.archive = home / "archive"

    def store_upload(self, data: bytes, filename: str) -> StoredFile:
        name = safe_name(filename)
        suffix = Path(name).suffix.lower()
        if suffix not in ALLOWED_SUFFIXES:
            raise DocumentRejected("document.type", file=filename, suffix=suffix or "—",
                                   allowed=", ".join(sorted(ALLOWED_SUFFIXES)))
        if len(data) > MAX_UPLOAD_BYTES:
            raise DocumentRejected("document.too_large", file=filename, size=len(data), max=MAX_UPLOAD_BYTES)
        digest = hashlib.sha256(data).hexdigest()
        path = self.uploads / digest / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_bytes(data)
        return StoredFile(f"upload:{digest}/{name}", name, digest, len(data), path)

    def resolve(self, reference: str, field: str = "") -> StoredFile:
        match = REFERENCE.fullmatch(str(reference or "").strip())
        if match is None:
            raise DocumentRejected("document.not_reference", field, field=field or "—", reference=str(reference)[:200])
        path = self.uploads / match["sha"] / match["name"]
        if not path.is_file():
            raise DocumentRejected("document.missing", field, field=field or "—", reference=reference)
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != match["sha"]:
            raise DocumentRejected("document.checksum", field, field=field or "—", reference=reference)
        return StoredFile(reference, match["name"], match["sha"], len(data), path)

    def problem(self, reference: str) -> str | None:
        """None when the reference names an uploaded file with its content intact, else "missing" or "damaged"."""
        match = REFERENCE.fullmatch(str(reference or "").strip())
        if match is None:
            return "missing"
        path = self.uploads / match["sha"] / match["name"]
        if not path.is_file():
            return "missing"
        return None if hashlib.sha256(path.read_bytes()).hexdigest() == match["sha"] else "damaged"

    def file_into_archive(self, stored: StoredFile, folder: tuple[str, ...], label: str) -> dict[str, object]:
        target_dir = self.archive.joinpath(*(safe_name(part) for part in folder))
        target_dir.mkdir(parents=True, exist_ok=True)
        target = target_dir / safe_name(f"{label}-{stored.name}")
        if not target.exists():
            shutil.copyfile(stored.path, target)
        return {"document": label, "name": stored.name, "sha256": stored.sha256, "size": stored.size,
                "path": str(target.relative_to(self.archive))}
