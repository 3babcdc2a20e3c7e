"""Page labels: documents, uploaded inside a form's file field (form-js filepicker), and the buttons of a
form's repeating rows (form-js dynamic lists), which form-js writes in English only."""

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
    "form_rows.add": "添加一行",
    "form_rows.collapse": "收起",
    "form_rows.expand": "展开全部（{n}）",
    "form_rows.remove": "删除第 {n} 行",
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
    "form_rows.add": "Add a row",
    "form_rows.collapse": "Collapse",
    "form_rows.expand": "Expand all ({n})",
    "form_rows.remove": "Remove row {n}",
}
