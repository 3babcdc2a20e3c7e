"""Labels of the assignment pages."""

ZH: dict[str, str] = {
}

EN: dict[str, str] = {
}
