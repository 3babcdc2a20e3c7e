"""The processes page's import: a diagram from another modeler, its findings and the fixes the owner accepts.

Upload (process owners and administrators) → the report, one row per finding with its fix ticked →
"check again" with the ticks changed, or "apply": only the ticked fixes go into a draft of each process,
and the editor of the first one opens (process owners only; the drafts endpoint's rule). The page holds
no rules of its own: `operations.diagram_import` reads, fixes and saves."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, request, url_for

from service.domain.messages import Message
from service.engine.xml_safety import MAX_XML_BYTES
from service.operations import diagram_import, diagram_uploads
from service.operations.errors import ValidationFailed
from service.web import bp, i18n
from service.web.common import context, me, page, said
from service.web.i18n import t


def _check_importer() -> None:
    diagram_import.check_may_import(me()["username"], me()["roles"])


def _choices(source: Any) -> tuple[str | None, bool]:
    return (source.get("role") or None), source.get("forms") in ("1", "on", "true")


def _upload_page(error: str | None = None, status: int = 200):  # type: ignore[no-untyped-def]
    role, forms = _choices(request.form)
    return page("process_import.html", status, error=error, role=role, forms=forms,
                kinds=diagram_uploads.KINDS, max_mb=MAX_XML_BYTES // (1024 * 1024))


@bp.get("/processes/import")
def process_import():  # type: ignore[no-untyped-def]
    _check_importer()
    return _upload_page()


@bp.post("/processes/import")
def process_import_upload():  # type: ignore[no-untyped-def]
    """Keep the file when it is a BPMN diagram this product may read; else the form again, saying why."""
    _check_importer()
    sent = request.files.get("diagram")
    if sent is None or not sent.filename:
        return _upload_page(Message("diagram_import.no_file", {"kinds": diagram_uploads.KINDS}).render(
            i18n.language()), 400)
    data = sent.stream.read(MAX_XML_BYTES + 1)
    try:
        role, forms = _choices(request.form)
        diagram_import.checked_role(role)
        upload = diagram_uploads.keep_upload(context(), me()["username"], sent.filename, data)
    except ValidationFailed as exc:  # the page says the file was not imported: only why is added
        return _upload_page("；".join(exc.field_errors(i18n.language()).values()) or said(exc), 400)
    return redirect(url_for("web.process_import_report", token=upload.token, role=role or "",
                            forms="1" if forms else ""))


def _report_page(token: str, chosen: set[str] | None, status: int = 200,  # type: ignore[no-untyped-def]
                 error: str | None = None):
    source = request.form if request.method == "POST" else request.args
    role, forms = _choices(source)
    ctx, actor = context(), me()["username"]
    upload = diagram_uploads.upload_of(ctx, actor, token)
    try:
        report = diagram_import.read(ctx, actor, upload, role=role, forms=forms, chosen=chosen)
    except ValidationFailed as exc:
        report, error = diagram_import.read(ctx, actor, upload, role=None, forms=forms, chosen=chosen), said(exc)
    rows = [r for p in report.parts for r in p.rows]
    diagram = None
    if report.has_layout:
        diagram = {"url": url_for("web.process_import_diagram", token=token), "marked": report.marked}
    return page("process_import_report.html", status, report=report, token=token, error=error,
                findings=len(rows), fixable=sum(1 for r in rows if r.fix),
                chosen=sum(1 for r in rows if r.applied), diagram=diagram,
                may_apply="process_owner" in me()["roles"])


@bp.get("/processes/import/<token>")
def process_import_report(token: str):  # type: ignore[no-untyped-def]
    _check_importer()
    return _report_page(token, None)


@bp.post("/processes/import/<token>")
def process_import_apply(token: str):  # type: ignore[no-untyped-def]
    """`action=recheck`: the report with the ticked fixes only; otherwise save them as drafts."""
    _check_importer()
    chosen = set(request.form.getlist("fix"))
    if request.form.get("action") == "recheck":
        return _report_page(token, chosen)
    role, forms = _choices(request.form)
    ctx, actor = context(), me()["username"]
    upload = diagram_uploads.upload_of(ctx, actor, token)
    try:
        saved = diagram_import.apply(ctx, actor, upload, role=role, forms=forms, chosen=chosen)
    except ValidationFailed as exc:
        return _report_page(token, chosen, 400, said(exc))
    flash(t("process_import.saved", ids="、".join(saved) if i18n.language() == "zh" else ", ".join(saved)), "success")
    return redirect(url_for("web.process_edit", process_id=saved[0]))


@bp.get("/processes/import/<token>/diagram.bpmn")
def process_import_diagram(token: str):  # type: ignore[no-untyped-def]
    """The uploaded file for the viewer: served like a deployed diagram, never as a page of this site."""
    _check_importer()
    upload = diagram_uploads.upload_of(context(), me()["username"], token)
    return Response(upload.data, mimetype="application/xml", headers={
        "Content-Disposition": 'attachment; filename="diagram.bpmn"',
        "Content-Security-Policy": "sandbox; default-src 'none'; frame-ancestors 'none'",
        "X-Content-Type-Options": "nosniff",
    })
