"""Page labels — 证据包: one case's evidence as a zip, and its offline check."""

from __future__ import annotations

ZH: dict[str, str] = {
    "evidence.file": "案例-{case}-证据包.zip",
    "evidence.download": "证据包",
    "evidence.download_hint": "下载本案例的证据包（zip）：事件及其哈希、流程图与表单、文档及校验和、核查报告",
}

EN: dict[str, str] = {
    "evidence.file": "case-{case}-evidence.zip",
    "evidence.download": "Evidence bundle",
    "evidence.download_hint": "Download this case's evidence bundle (zip): events with their hashes, diagrams and "
                              "forms, documents with checksums, a verification report",
}
