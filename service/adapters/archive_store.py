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

from service.domain.errors import InputRejected

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
ALLOWED_SUFFIXES = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".txt", ".md", ".png", ".jpg",
                    ".jpeg", ".zip", ".vsdx", ".csv"}
_REFERENCE = re.compile(r"^upload:(?P<sha>[0-9a-f]{64})/(?P<name>[^/\\]+)$")


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
            raise DocumentRejected(f"{filename}: 文件类型 '{suffix or '无'}' 不允许 (type not allowed; allowed: "
                                   f"{', '.join(sorted(ALLOWED_SUFFIXES))})")
        if len(data) > MAX_UPLOAD_BYTES:
            raise DocumentRejected(f"{filename}: {len(data)} 字节，超过上限 {MAX_UPLOAD_BYTES} (too large)")
        digest = hashlib.sha256(data).hexdigest()
        path = self.uploads / digest / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_bytes(data)
        return StoredFile(f"upload:{digest}/{name}", name, digest, len(data), path)

    def resolve(self, reference: str, field: str = "") -> StoredFile:
        match = _REFERENCE.match(str(reference or "").strip())
        where = f"{field}: " if field else ""
        if match is None:
            raise DocumentRejected(f"{where}'{reference}' 不是上传文件的引用 (not an upload reference "
                                   "'upload:<sha256>/<name>'; upload the file first)", field)
        path = self.uploads / match["sha"] / match["name"]
        if not path.is_file():
            raise DocumentRejected(f"{where}上传的文件不存在 (no uploaded file for '{reference}')", field)
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != match["sha"]:
            raise DocumentRejected(f"{where}文件内容与校验和不符 (checksum mismatch for '{reference}')", field)
        return StoredFile(reference, match["name"], match["sha"], len(data), path)

    def file_into_archive(self, stored: StoredFile, folder: tuple[str, ...], label: str) -> dict[str, object]:
        target_dir = self.archive.joinpath(*(safe_name(part) for part in folder))
        target_dir.mkdir(parents=True, exist_ok=True)
        target = target_dir / safe_name(f"{label}-{stored.name}")
        if not target.exists():
            shutil.copyfile(stored.path, target)
        return {"document": label, "name": stored.name, "sha256": stored.sha256, "size": stored.size,
                "path": str(target.relative_to(self.archive))}
