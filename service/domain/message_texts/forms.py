"""Message catalogue: forms. Every code in ZH has a sentence in EN.

A field error names the field (`label`, as the form writes it) and what is wrong with its value.
"""

from __future__ import annotations

ZH: dict[str, str] = {
    "forms.the_form": "表单",
    "forms.required": "{label}: 必填",
    "forms.unknown_field": "{label}: 未知字段，表单中没有这一项",
    "forms.read_only": "{label}: 只读字段不能修改",
    "forms.wrong_type": "{label}: 应为{expected}",
    "forms.type.string": "文本", "forms.type.number": "数字", "forms.type.integer": "整数",
    "forms.type.boolean": "是/否", "forms.type.array": "列表", "forms.type.object": "对象", "forms.type.null": "空",
    "forms.pattern": "{label}: 格式不正确（应符合 {pattern}）",
    "forms.pattern_own": "{label}: {text}",
    "forms.date": "{label}: 日期格式应为 YYYY-MM-DD",
    "forms.time": "{label}: 时间格式应为 HH:MM",
    "forms.datetime": "{label}: 日期时间格式不正确，应为 YYYY-MM-DDTHH:MM",
    "forms.email": "{label}: 邮箱格式不正确",
    "forms.phone": "{label}: 电话号码格式不正确",
    "forms.not_an_option": "{label}: 不是可选的值（可选：{options}）",
    "forms.min_length": "{label}: 至少 {limit} 个字符",
    "forms.max_length": "{label}: 最多 {limit} 个字符",
    "forms.minimum": "{label}: 不能小于 {limit}",
    "forms.maximum": "{label}: 不能大于 {limit}",
    "forms.invalid": "{label}: 无效",
    "forms.control_single": "{label}: 单行字段不能包含换行或控制字符：第 {place} 个字符是 {char}",
    "forms.control_multi": "{label}: 不能包含除换行和制表符以外的控制字符：第 {place} 个字符是 {char}",
    "forms.document_reference": "{label}: 请先上传文件（应为上传文件的引用 upload:<sha256>/<文件名>）",
    "forms.document_missing": "{label}: 上传的文件「{name}」不存在，请重新上传",
    "forms.document_damaged": "{label}: 文件「{name}」的内容与校验和不符，请重新上传",
}

EN: dict[str, str] = {
    "forms.the_form": "form",
    "forms.required": "{label}: required",
    "forms.unknown_field": "{label}: unknown field: this form has no input of that name",
    "forms.read_only": "{label}: a read-only field cannot be changed",
    "forms.wrong_type": "{label}: must be {expected}",
    "forms.type.string": "text", "forms.type.number": "a number", "forms.type.integer": "a whole number",
    "forms.type.boolean": "true or false", "forms.type.array": "a list", "forms.type.object": "an object",
    "forms.type.null": "empty",
    "forms.pattern": "{label}: must match {pattern}",
    "forms.pattern_own": "{label}: {text}",
    "forms.date": "{label}: a date must look like 2026-10-08",
    "forms.time": "{label}: a time must look like 14:30",
    "forms.datetime": "{label}: date and time must look like 2026-10-08T14:30",
    "forms.email": "{label}: not an e-mail address",
    "forms.phone": "{label}: not a phone number",
    "forms.not_an_option": "{label}: must be one of: {options}",
    "forms.min_length": "{label}: at least {limit} characters",
    "forms.max_length": "{label}: at most {limit} characters",
    "forms.minimum": "{label}: must be at least {limit}",
    "forms.maximum": "{label}: must be at most {limit}",
    "forms.invalid": "{label}: invalid",
    "forms.control_single": "{label}: a single-line field takes no line breaks or control characters; "
                            "character {place} is {char}",
    "forms.control_multi": "{label}: no control characters other than line breaks and tabs; "
                           "character {place} is {char}",
    "forms.document_reference": "{label}: upload the file first (the value must be an upload reference "
                                "upload:<sha256>/<file name>)",
    "forms.document_missing": "{label}: the uploaded file “{name}” does not exist; upload it again",
    "forms.document_damaged": "{label}: the file “{name}” does not match its checksum; upload it again",
}
