"""The in-app mailbox: the mails the system sent, so people without SMTP still see them."""

from __future__ import annotations

from flask import request

from service.operations import inbox
from service.operations.inbox import MAIL_READERS
from service.web import bp
from service.web.common import context, me, page


@bp.get("/mailbox")
def mailbox():  # type: ignore[no-untyped-def]
    result = inbox.mailbox(context(), me()["username"], request.args.get("page", 1, type=int))
    return page("mailbox.html", result=result, reads_all=bool(set(me()["roles"]) & MAIL_READERS))


@bp.get("/mailbox/<int:mail_id>")
def mail(mail_id: int):  # type: ignore[no-untyped-def]
    return page("mail.html", mail=inbox.mail(context(), mail_id, me()["username"]))
