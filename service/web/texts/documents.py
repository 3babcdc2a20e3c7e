"""Page labels: documents, uploaded inside a form's file field (form-js filepicker)."""

from __future__ import annotations

ZH: dict[str, str] = {
    "documents.browse": "选择文件",
    "documents.none": "未选择文件",
    "documents.many": "已选择 {n} 个文件",
    "documents.remove": "移除",
    "documents.remove_named": "移除文件：{name}",
    "documents.download": "下载：{name}",
    "documents.uploading": "正在上传…",
    "documents.uploaded": "已上传：{name}",
    "documents.failed": "上传失败：{reason}",
    "documents.still_uploading": "文件仍在上传，请稍候再提交。",
}

EN: dict[str, str] = {
    "documents.browse": "Choose file",
    "documents.none": "No file chosen",
    "documents.many": "{n} files chosen",
    "documents.remove": "Remove",
    "documents.remove_named": "Remove the file: {name}",
    "documents.download": "Download: {name}",
    "documents.uploading": "Uploading…",
    "documents.uploaded": "Uploaded: {name}",
    "documents.failed": "Upload failed: {reason}",
    "documents.still_uploading": "A file is still uploading; submit again in a moment.",
}
