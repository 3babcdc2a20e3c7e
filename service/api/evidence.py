"""A case's evidence bundle (zip) over the API, and the download both the API and the case page answer.

The zip is written to a spooled temporary file (memory first, disk for large cases) and streamed; its
name is Chinese in a Chinese session (`案例-12-证据包.zip`), sent as RFC 5987 `filename*` beside an
ASCII `filename` for clients that know only that.
"""

from __future__ import annotations

import tempfile
from urllib.parse import quote

from flask import Response, send_file

from service.api import bp
from service.api.auth import caller, context, signed_in
from service.api.language import language
from service.operations.context import AppContext
from service.operations.evidence_bundle import export_bundle
from service.web.i18n import translate

IN_MEMORY = 16 * 1024 * 1024  # larger bundles spill to a temporary file


def evidence_download(ctx: AppContext, instance_id: int, actor: str, lang: str) -> Response:
    """The bundle as an attachment (raises the use case's NotFound / Forbidden)."""
    spool = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115  (send_file closes it)
    try:
        export_bundle(ctx, instance_id, spool, actor=actor)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    response = send_file(spool, mimetype="application/zip", max_age=0)
    ascii_name, name = (translate(code, "evidence.file", case=instance_id) for code in ("en", lang))
    response.headers["Content-Disposition"] = (f"attachment; filename=\"{ascii_name}\"; "
                                               f"filename*=UTF-8''{quote(name, safe='')}")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/process-instances/<int:instance_id>/evidence")
@signed_in
def evidence(instance_id: int) -> Response:
    """The case's evidence bundle: for auditors, administrators and process owners."""
    return evidence_download(context(), instance_id, caller(), language())
