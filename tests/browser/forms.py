"""Fill a form-js form the way a person does: click radios, type into fields, pick from lists.

The form definition is read from the page itself, so the tests follow the
forms as their owners change them: every required field gets a plausible
value unless the test names one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from playwright.sync_api import Page


def page_form(page: Page) -> dict[str, Any]:
    return json.loads(page.locator("#page-config").text_content() or "{}")


def _components(components: list[Any]) -> Iterator[dict[str, Any]]:
    for component in components or []:
        if component.get("key") and component.get("type") not in ("group", "dynamiclist"):
            yield component
        if component.get("type") == "group" and not component.get("path"):
            yield from _components(component.get("components", []))


def _field(page: Page, component: dict[str, Any], suffix: str = ""):  # type: ignore[no-untyped-def]
    return page.locator(f'#form [id$="-{component["id"]}{suffix}"]').first


def _option_index(component: dict[str, Any], value: Any) -> int:
    values = [v.get("value") for v in component.get("values") or []]
    return values.index(value) if value in values else 0


def fill_form(page: Page, values: dict[str, Any] | None = None, *, uploads: dict[str, Path] | None = None) -> None:
    """Give each visible field named in `values` that value, and each other required field a plausible one."""
    values, uploads = values or {}, uploads or {}
    schema = page_form(page).get("schema") or {}
    # dates last: the date picker re-renders the form as it closes, and a value typed into another field in
    # that instant is lost (a person is slower than that)
    ordered = sorted(_components(schema.get("components", [])), key=lambda c: c.get("type") == "datetime")
    for _ in range(2):  # a choice may reveal more fields (form-js conditions)
        for component in ordered:
            key = component["key"]
            required = bool((component.get("validate") or {}).get("required"))
            if key in uploads:
                page.locator(f'[data-testid="upload-{key}"]').set_input_files(str(uploads[key]))
                page.locator(f'#form .doc-field[data-key="{key}"] .doc-status.ok').wait_for()
                continue
            if component["type"] == "filepicker" or component.get("readonly") or (key not in values and not required):
                continue  # a document field takes an upload, nothing typed
            _fill_one(page, component, values.get(key))


def _fill_one(page: Page, component: dict[str, Any], value: Any) -> None:
    kind = component["type"]
    if kind in ("radio", "checklist"):
        chosen = value if isinstance(value, list) else [value]
        for item in chosen:
            box = _field(page, component, f"-{_option_index(component, item)}")
            if box.count() and box.is_visible():
                box.check()
        return
    # a select's input is hidden behind its display; a date field's input is the datepicker's "-date"
    target = _field(page, component, {"select": "-display", "datetime": "-date"}.get(kind, ""))
    if not target.count() or not target.is_visible():
        return  # hidden by a condition
    if kind == "checkbox":
        target.set_checked(value is not False)
    elif kind == "select":
        target.click()
        options = page.locator("#form .fjs-dropdownlist-item")
        labels = {str(v.get("value")): v.get("label") for v in component.get("values") or []}
        label = labels.get(str(value)) if value is not None else None
        (options.filter(has_text=label).first if label else options.first).dispatch_event("mousedown")
    elif kind == "number":
        target.fill(str(1 if value is None else value))
    elif kind == "datetime":
        target.fill(str(value or "2026-10-08"))
        target.press("Enter")
    else:
        target.fill(str("测试内容" if value is None else value))


def submit_and_leave(page: Page) -> None:
    """Submit the task form and wait for the page that follows: the next task of the case, or the inbox."""
    before = page.url
    page.get_by_test_id("submit").click()
    page.wait_for_url(lambda url: url != before)
