"""The auditors' verification over the API: GET /api/v1/audit/verify[?case=ID] (auditors and administrators)."""

from __future__ import annotations

from flask import jsonify, request

from service.api import bp
from service.api.auth import caller, context, signed_in
from service.api.language import language
from service.domain.input_limits import DATABASE_ID_MAX
from service.domain.messages import Message
from service.operations.audit_verify import verify_audit
from service.operations.errors import ValidationFailed


def asked_case() -> int | None:
    """`?case=ID`, or None for every case; anything else is refused naming the parameter."""
    value = request.args.get("case", "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= DATABASE_ID_MAX:
        raise ValidationFailed("audit_verify.case_refused",
                               {"case": Message("audit_verify.case_number", {"value": value[:40]})})
    return int(value)


@bp.get("/audit/verify")
@signed_in
def audit_verify():  # type: ignore[no-untyped-def]
    """Every hash chain, stored state, document and checkpoint checked; the first broken link named."""
    report = verify_audit(context(), actor=caller(), case_id=asked_case())
    return jsonify(report.as_dict(language()))
