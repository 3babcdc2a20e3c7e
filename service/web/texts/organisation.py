"""Labels of the organisation pages."""

ZH: dict[str, str] = {
}

EN: dict[str, str] = {
}
