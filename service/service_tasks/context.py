"""What a named operation may use while a case runs: time, calendar, people, mail.

Operations never touch the database or SMTP themselves. Mails they compose
are collected here and written to the outbox in the same transaction as the
case step that produced them — the step and its mails commit together.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from service.adapters.archive_store import DocumentStore
from service.adapters.mailer import Address, OutgoingMail, make_message_id, reply_subject
from service.domain.organisation import CaseParties, Organisation
from service.domain.working_calendar import WorkingCalendar


def _no_numbering(contract_type: str, year: int) -> str:
    raise RuntimeError("contract numbers are reserved only while a case really runs (not in a simulation)")


@dataclass
class ThreadMail:
    message_id: str
    subject: str


@dataclass
class ServiceContext:
    now: datetime
    calendar: WorkingCalendar
    instance_id: int | None
    process_id: str
    business_key: str
    people_with_role: Callable[[str], list[Address]]
    sender: Address
    mail_domain: str
    thread: list[ThreadMail] = field(default_factory=list)
    outgoing: list[OutgoingMail] = field(default_factory=list)
    documents: DocumentStore | None = None
    data: Mapping[str, Any] = field(default_factory=dict)  # the calling task's variables, read only
    started_by: str = ""  # the request's starter (a linked case's is its request's)
    case_link: str = ""  # the case page, at the address people open the pages at
    copies: list[str] = field(default_factory=list)  # people a `copy_case` step copied the case to
    directory: Callable[[], Organisation] = field(default=lambda: Organisation([]))  # read on first use
    # cases this step asks to open (recurring after-sales orders); the step's write phase records them
    case_starts: list[dict[str, Any]] = field(default_factory=list)
    # after-sales: the fee table (read on first use) and the earlier orders of a serial number
    fee_items: Callable[[], list[dict[str, Any]]] = field(default=lambda: [])
    orders_of_serial: Callable[[str], list[dict[str, Any]]] = field(default=lambda serial: [])
    # contract approval: the case's contract number of a type and year (operations.contract_numbers)
    reserve_contract_no: Callable[[str, int], str] = field(default=_no_numbering)
    # the stored part of `thread`, read on first use: reminders and most steps never need it
    read_thread: Callable[[], list[ThreadMail]] | None = None

    def request_thread(self) -> list[ThreadMail]:
        """The request's mail thread, oldest first, with what this step added to it."""
        if self.read_thread is not None:
            self.thread[:0] = self.read_thread()
            self.read_thread = None
        return self.thread

    def addresses(self, roles: tuple[str, ...] | list[str]) -> list[Address]:
        seen: dict[str, Address] = {}
        for role in roles:
            for address in self.people_with_role(role):
                seen.setdefault(address.email, address)
        return list(seen.values())

    def recipients(self, specs: list[str] | tuple[str, ...]) -> tuple[list[Address], dict[str, list[str]]]:
        """The people the specs name for this case, resolved now, and who each spec named (for the event)."""
        case = CaseParties(self.started_by, _text(self.data.get("customer")), self.data)
        people, named = self.directory().resolve_all(list(specs), case)
        return [Address(p.display_name, p.email) for p in people if p.email], named

    def send(self, *, subject: str, to: list[Address], cc: list[Address], body: str,
             reply_in_thread: bool = False, reply_to_root: bool = False, starts_thread: bool = False) -> OutgoingMail:
        """Queue a mail. The request's thread holds its application mail and the replies to it;
        reminders and escalations stand alone, so nobody replies to a reminder by mistake."""
        in_reply_to, references = None, []
        thread = self.request_thread() if reply_in_thread or reply_to_root or starts_thread else []
        if (reply_in_thread or reply_to_root) and thread:
            in_reply_to = thread[0 if reply_to_root else -1].message_id
            references = [m.message_id for m in thread]
            subject = reply_subject(thread[0].subject)
        if self.case_link:  # everyone the mail goes to may open it (operations.mail_readers)
            body = f"{body}\n\n案例 (case)：{self.case_link}"
        mail = OutgoingMail(message_id=make_message_id(self.mail_domain, self.now), subject=subject, sender=self.sender,
                            to=to, cc=cc, body=body, in_reply_to=in_reply_to, references=references,
                            sent_at=None)
        self.outgoing.append(mail)
        if in_reply_to or starts_thread:
            thread.append(ThreadMail(mail.message_id, subject))
        return mail


Handler = Callable[[ServiceContext, Mapping[str, Any]], Any]


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None
