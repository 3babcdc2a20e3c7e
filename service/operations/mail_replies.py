"""Mail replies as BPMN messages: a reply to a case's thread moves the case that waits for it.

A case's mails carry Message-IDs (the outbox keeps them); a reply names them in In-Reply-To and
References, which is how the reply finds its case — the subject is never trusted. The sender's
address must be that of an active user who may act on the case by the same rule as any message
(`message_delivery`), so a forwarded thread or a spoofed colleague reaches nothing. The case must be
waiting for a message: the one named `mail_reply` if it waits for that, else the only message it
waits for. The payload is who replied and the reply's own words; the delivery is the usual
`message_received` step. A mail that cannot go anywhere is refused, moved aside with its reason, and
recorded as a `mail_refused` event (on the case's chain when the thread named one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from service.adapters.mail_drop import InboundMailbox, MailDropFolder, ReceivedMail
from service.domain.messages import Message
from service.engine import message_events
from service.persistence.audit import append_event
from service.persistence.models import OutboxMail, ProcessInstance, User

from .access import visible_cases
from .case_store import load_workflow, lock_instance, read_snapshot
from .context import AppContext
from .errors import OperationError
from .message_delivery import acting_viewer, deliver_message

MAIL_REPLY = "mail_reply"  # the message a diagram names for "someone answered the mail"


@dataclass
class MailReport:
    delivered: list[int] = field(default_factory=list)  # the cases reached, one per accepted mail
    refused: list[Message] = field(default_factory=list)


class _Refused(Exception):
    def __init__(self, message: Message, case_id: int | None = None) -> None:
        super().__init__(message.code)
        self.message, self.case_id = message, case_id


def _case_of(ctx: AppContext, mail: ReceivedMail) -> int:
    with ctx.db.reading() as session:
        found = dict(session.execute(select(OutboxMail.message_id, OutboxMail.instance_id).where(
            OutboxMail.message_id.in_(mail.in_reply_to), OutboxMail.instance_id.is_not(None))).all())
    for message_id in mail.in_reply_to:  # the mail it answers first, then the thread from the newest back
        case_id = found.get(message_id)
        if case_id is not None:
            return int(case_id)
    raise _Refused(Message("mail_in.unknown_thread", {"file": mail.source}))


def _sender_on(ctx: AppContext, mail: ReceivedMail, case_id: int) -> str:
    refused = _Refused(Message("mail_in.refused_sender", {"file": mail.source, "sender": mail.sender or "—",
                                                         "case": case_id}), case_id)
    with ctx.db.reading() as session:
        users = session.execute(select(User.username).where(func.lower(User.email) == mail.sender,
                                                            User.active.is_(True))).scalars().all()
        for username in users:
            viewer = acting_viewer(session, username)
            if session.execute(select(ProcessInstance.id).where(ProcessInstance.id == case_id,
                                                                visible_cases(viewer))).first():
                return str(username)
    raise refused


def _message_waited(ctx: AppContext, case_id: int, mail: ReceivedMail) -> str:
    with ctx.db.reading() as session:
        snapshot = read_snapshot(session, case_id)
    names = sorted({w.message for w in message_events.message_waits(load_workflow(ctx, snapshot))}) \
        if snapshot.status == "running" else []
    if MAIL_REPLY in names:
        return MAIL_REPLY
    if len(names) == 1:
        return names[0]
    raise _Refused(Message("mail_in.no_message", {"file": mail.source, "case": case_id,
                                                  "name": " / ".join(names) or MAIL_REPLY}), case_id)


def _payload(mail: ReceivedMail, username: str) -> dict[str, Any]:
    return {"reply_by": username, "reply_from": mail.sender, "reply_subject": mail.subject[:512],
            "reply_text": mail.text, "reply_message_id": mail.message_id[:256]}


def _deliver(ctx: AppContext, mail: ReceivedMail) -> tuple[int, str]:
    if mail.problem:
        raise _Refused(Message("mail_in.unreadable", {"file": mail.source, "error": mail.problem}))
    case_id = _case_of(ctx, mail)
    username = _sender_on(ctx, mail, case_id)
    name = _message_waited(ctx, case_id, mail)
    try:
        deliver_message(ctx, actor=username, name=name, data=_payload(mail, username), only_case=case_id)
    except OperationError as exc:
        raise _Refused(Message("mail_in.no_message", {"file": mail.source, "case": case_id, "name": name}),
                       case_id) from exc
    return case_id, name


def _record_refusal(ctx: AppContext, mail: ReceivedMail, refused: _Refused) -> None:
    now = ctx.now()
    with ctx.db.transaction() as session:
        case = lock_instance(session, refused.case_id) if refused.case_id is not None else None
        append_event(session, type="mail_refused", actor="worker", at=now, case=case, payload={
            "file": mail.source, "from": mail.sender, "message_id": mail.message_id,
            "in_reply_to": mail.in_reply_to[:10], "reason": refused.message.as_json(),
            "said": refused.message.render("en")})


def read_mail_replies(ctx: AppContext, mailbox: InboundMailbox | None = None) -> MailReport:
    """Handle every waiting inbound mail once (`worker --once` and each worker round)."""
    mailbox = mailbox or MailDropFolder(ctx.settings.home)
    report = MailReport()
    for mail in list(mailbox.receive()):
        try:
            case_id, name = _deliver(ctx, mail)
        except _Refused as refused:
            _record_refusal(ctx, mail, refused)
            mailbox.settle(mail, accepted=False, reason=refused.message.render("en"))
            report.refused.append(refused.message)
            continue
        mailbox.settle(mail, accepted=True, reason=Message("mail_in.delivered", {
            "file": mail.source, "case": case_id, "name": name}).render("en"))
        report.delivered.append(case_id)
    return report
