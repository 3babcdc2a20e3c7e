"""Labels of the case_lists pages."""

ZH: dict[str, str] = {
}

EN: dict[str, str] = {
}
