"""The evidence bundle downloaded from the case page (the same download as the API's)."""

from __future__ import annotations

from service.api.evidence import evidence_download
from service.web import bp
from service.web.common import context, me
from service.web.i18n import language


@bp.get("/cases/<int:case_id>/evidence.zip")
def case_evidence(case_id: int):  # type: ignore[no-untyped-def]
    return evidence_download(context(), case_id, me()["username"], language())
