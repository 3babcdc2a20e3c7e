"""合同编号 / Contract numbering: each type's prefix and digits with the next number, and the register.

The process owner and the administrator change a scheme in place; everyone else on the staff reads it
(customers get the 403 page). A refused change shows the page again with the message beside its row.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for

from service.domain.contract_numbering import CONTRACT_TYPES, type_words
from service.operations import contract_numbers
from service.operations.errors import ValidationFailed
from service.web import bp
from service.web.common import context, me, page, when
from service.web.i18n import language, t


def _page(status: int = 200, **values: Any):  # type: ignore[no-untyped-def]
    actor, lang = str(me()["username"]), language()
    shown = contract_numbers.numbering(context(), actor=actor, lang=lang)
    wanted = request.args.get("type", "")
    kind = wanted if wanted in CONTRACT_TYPES else None
    issued = contract_numbers.register(context(), actor=actor, contract_type=kind, lang=lang)
    for row in issued:
        row["issued"] = when(row["issued_at"])
    values.setdefault("errors", {})
    values.setdefault("sent", {})
    return page("contract_numbering.html", status, numbering=shown, issued=issued, kind=kind,
                types=[(code, type_words(code).render(lang)) for code in CONTRACT_TYPES],
                may_edit=shown["may_edit"], **values)


@bp.get("/contracts/numbering")
def contract_numbering_page():  # type: ignore[no-untyped-def]
    return _page()


@bp.post("/contracts/numbering/<contract_type>")
def contract_numbering_save(contract_type: str):  # type: ignore[no-untyped-def]
    prefix, digits = request.form.get("prefix", ""), request.form.get("digits", "")
    try:
        saved = contract_numbers.change_scheme(context(), contract_type[:40], prefix=prefix, digits=digits,
                                               actor=str(me()["username"]))
    except ValidationFailed as exc:
        return _page(400, errors={contract_type: exc.field_errors(language())},
                     sent={contract_type: {"prefix": prefix, "digits": digits}})
    flash(t("cnum.saved", type=type_words(contract_type).render(language()), prefix=saved["prefix"]), "success")
    return redirect(url_for("web.contract_numbering_page"))
