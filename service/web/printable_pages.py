"""Printable documents of a case (service sheet, weekly report) as PDF, and the task page's box of links.

The download is the same for the pages and the API (`pdf_download`): a PDF in the reader's language
as an attachment with its Chinese file name. Without the CJK font the pages answer an error page
and the API a problem naming the package to install, never a 500.
"""

from __future__ import annotations

from typing import Any

from flask import url_for

from service.adapters.pdf_documents import FontMissing
from service.operations import printables
from service.web import bp
from service.web.common import context, me, page
from service.web.i18n import language, t
from service.web.pdf_download import FONT_MISSING_STATUS, font_missing_text, pdf_download


@bp.get("/cases/<int:case_id>/printables/<name>.pdf")
def printable(case_id: int, name: str):  # type: ignore[no-untyped-def]
    try:
        return pdf_download(context(), case_id, name, me()["username"], language())
    except FontMissing as exc:
        title, detail = font_missing_text(exc, language())
        return page("error.html", FONT_MISSING_STATUS, code=FONT_MISSING_STATUS, message=title, detail=detail)


@bp.app_template_global()
def printables_for(task: dict[str, Any]) -> list[dict[str, str]]:
    """The documents an open task offers to print, sign and upload: [{"label", "url"}]."""
    if task.get("status") != "open" or not task.get("element_id"):
        return []
    names = printables.offered_on(context(), task["process_id"], task["version"], task["element_id"],
                                  actor=me()["username"])
    return [{"label": t(f"printables.{name}"), "name": name,
             "url": url_for("web.printable", case_id=task["instance_id"], name=name)} for name in names]
