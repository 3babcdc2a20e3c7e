"""Message catalogue: paging through open tasks (the inbox, `GET /api/v1/tasks`). Every code in ZH has a
sentence in EN."""

from __future__ import annotations

ZH: dict[str, str] = {
    "task_page.refused": "任务列表的分页参数有误：{fields}",
    "task_page.bad_cursor": "after 不是本列表给出的翻页位置（{detail}）：请从第一页重新开始",
    "task_page.bad_limit": "limit 应为 1 到 {max} 之间的整数，而不是 {value}",
    "task_page.bad_form": "是否附表单只能是 {allowed} 之一（默认附表单），而不是 {value}",
}

EN: dict[str, str] = {
    "task_page.refused": "the paging of the task list was refused: {fields}",
    "task_page.bad_cursor": "after is not a page position this list gave ({detail}): start again from the first page",
    "task_page.bad_limit": "limit must be a whole number from 1 to {max}, not {value}",
    "task_page.bad_form": "form must be one of {allowed} (the default: forms included), not {value}",
}
