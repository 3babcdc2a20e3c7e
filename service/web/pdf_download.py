"""A generated PDF as a download, shared by the page and the API route (which must not import the pages)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from flask import Response

from service.adapters.pdf_documents import FontMissing
from service.operations import printables
from service.operations.context import AppContext
from service.web.i18n import translate

FONT_MISSING_STATUS = 503


def labeller(lang: str) -> Callable[[str], str]:
    return lambda key: translate(lang, key)


def file_name(name: str, case_id: int, lang: str) -> str:
    return translate(lang, f"printables.file.{name}", case=case_id)


def pdf_download(ctx: AppContext, case_id: int, name: str, actor: str, lang: str) -> Response:
    """The PDF as an attachment (raises FontMissing, and the use case's NotFound / Forbidden)."""
    data = printables.render(ctx, case_id, name, actor=actor, lang=lang, label=labeller(lang))
    ascii_name = file_name(name, case_id, "en")
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; "
                               f"filename*=UTF-8''{quote(file_name(name, case_id, lang), safe='')}",
        "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"})


def font_missing_text(exc: FontMissing, lang: str) -> tuple[str, str]:
    """(title, what to do) in the reader's language."""
    return (translate(lang, "printables.font_missing.title"),
            translate(lang, "printables.font_missing", path=str(exc.path), package=exc.package))
