"""Message catalogue: what the background worker says at the terminal while it works."""

from __future__ import annotations

ZH: dict[str, str] = {
    "worker.progress": "进行中：已触发 {timers} 个定时器，已发送 {mails} 封邮件，{failures} 项失败",
    "worker.round_failed": "后台任务本轮出错，稍后重试：{error}",
}

EN: dict[str, str] = {
    "worker.progress": "working: {timers} timers fired, {mails} mails sent, {failures} failed so far",
    "worker.round_failed": "worker round failed, retrying: {error}",
}
