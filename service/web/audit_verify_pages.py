"""审计校验 (/audit/verify): the verification report for auditors and administrators.

The page runs the same check as `guicheng audit verify` and highlights the first broken link with a way
to the case; administrators may seal the current heads with a checkpoint at once.
"""

from __future__ import annotations

from flask import flash, redirect, url_for

from service.operations.audit_verify import checkpoint_now, verify_audit
from service.web import bp
from service.web.common import context, me, page
from service.web.i18n import language, t

CHECKPOINT_NOTICES = {True: ("audit_verify.checkpoint_written", "success"),
                      False: ("audit_verify.checkpoint_unchanged", "info")}


@bp.get("/audit/verify")
def audit_verify():  # type: ignore[no-untyped-def]
    report = verify_audit(context(), actor=me()["username"])
    return page("audit_verify.html", report=report.as_dict(language()))


@bp.post("/audit/verify/checkpoint")
def audit_verify_checkpoint():  # type: ignore[no-untyped-def]
    label, category = CHECKPOINT_NOTICES[checkpoint_now(context(), actor=me()["username"])]
    flash(t(label), category)
    return redirect(url_for("web.audit_verify"))
