"""The printable documents of a case as PDF in the API (the same download as the pages)."""

from __future__ import annotations

from flask import Response

from service.adapters.pdf_documents import FontMissing
from service.api import bp
from service.api.auth import caller, context, signed_in
from service.api.errors import problem
from service.api.language import language
from service.web.pdf_download import FONT_MISSING_STATUS, font_missing_text, pdf_download


@bp.get("/process-instances/<int:instance_id>/printables/<name>.pdf")
@signed_in
def printable(instance_id: int, name: str) -> Response:
    """`service_sheet` or `weekly_report`, when a task of the case's process offers it."""
    try:
        return pdf_download(context(), instance_id, name, caller(), language())
    except FontMissing as exc:
        title, detail = font_missing_text(exc, language())
        return problem(FONT_MISSING_STATUS, detail, title=title, package=exc.package)
