"""Labels of the task_actions pages."""

ZH: dict[str, str] = {
}

EN: dict[str, str] = {
}
