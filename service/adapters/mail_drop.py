"""Inbound mail: the replies people send to a case's thread, read from a mail-drop folder.

Why a folder: it needs no server and no credentials; a mail server's delivery agent (or a person, or a
test) drops `.eml` files into `$GUICHENG_HOME/mail-in/`, and the worker reads them. Other sources (an
IMAP mailbox) plug in by offering the same two calls as `MailDropFolder`: `receive()` the waiting
mails, `settle()` each one when it has been handled. A settled file is moved aside — to `processed/`
or `refused/`, with a `.reason.txt` beside a refused one — so a mail is handled once and nothing is
lost; a file that cannot even be parsed is refused too, never retried forever.
"""

from __future__ import annotations

import email.policy
import email.utils
import re
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Protocol

from .mailer import message_ids, normalize_message_id

MAX_MAIL_BYTES = 2 * 1024 * 1024
MAX_TEXT = 4000
_QUOTED = re.compile(r"^\s*>")
# where a reply's own words end and the quoted original begins (Outlook, Gmail, Foxmail, Chinese clients)
_QUOTE_HEAD = re.compile(
    r"^\s*(?:-{2,}\s*(?:Original Message|原始邮件)|On .+ wrote:|在 .+ 写道[:：]|发件人[:：]|From:)", re.IGNORECASE)


@dataclass(frozen=True)
class ReceivedMail:
    """What the case side needs of one inbound mail."""

    source: str  # the file name (or the mailbox's id), for the record
    sender: str  # the From address, lower case
    message_id: str
    in_reply_to: list[str]  # In-Reply-To first, then References newest first: the case's mail it answers
    subject: str
    text: str  # the reply's own words, quoted lines and the quoted original left out
    problem: str | None = None  # why the mail cannot be read at all


class InboundMailbox(Protocol):
    def receive(self) -> Iterator[ReceivedMail]: ...

    def settle(self, mail: ReceivedMail, *, accepted: bool, reason: str) -> None: ...


def _own_words(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, ValueError):
        return ""
    lines = []
    for line in str(content).splitlines():
        if _QUOTE_HEAD.match(line):
            break
        if not _QUOTED.match(line):
            lines.append(line.rstrip())
    return "\n".join(lines).strip()[:MAX_TEXT]


def read_mail(raw: bytes, source: str) -> ReceivedMail:
    """The parts of a mail a reply is judged by; a mail that cannot be read says why in `problem`."""
    if len(raw) > MAX_MAIL_BYTES:
        return ReceivedMail(source, "", "", [], "", "", f"larger than {MAX_MAIL_BYTES} bytes")
    try:
        message = BytesParser(policy=email.policy.default).parsebytes(raw)
        assert isinstance(message, EmailMessage)
        _name, sender = email.utils.parseaddr(str(message.get("From", "")))
        replied = message_ids(str(message.get("In-Reply-To", "")))
        references = message_ids(str(message.get("References", "")))
        subject = str(message.get("Subject", ""))
        text = _own_words(message)
        message_id = normalize_message_id(str(message.get("Message-ID", "")))
    except Exception as exc:  # a broken mail is refused with the reason, never a crash of the worker
        return ReceivedMail(source, "", "", [], "", "", f"{type(exc).__name__}: {exc}")
    thread = [normalize_message_id(i) for i in [*replied, *reversed(references)]]
    return ReceivedMail(source, sender.strip().lower(), message_id, list(dict.fromkeys(thread)), subject.strip(),
                        text, None if sender else "no From address")


class MailDropFolder:
    """`<home>/mail-in/*.eml`, oldest name first; handled files go to `processed/` or `refused/`."""

    def __init__(self, home: Path) -> None:
        self.folder = Path(home) / "mail-in"

    def receive(self) -> Iterator[ReceivedMail]:
        if not self.folder.is_dir():
            return
        for path in sorted(self.folder.glob("*.eml")):
            try:
                raw = path.read_bytes()
            except OSError as exc:
                yield ReceivedMail(path.name, "", "", [], "", "", str(exc))
                continue
            yield read_mail(raw, path.name)

    def settle(self, mail: ReceivedMail, *, accepted: bool, reason: str) -> None:
        source = self.folder / mail.source
        target = self.folder / ("processed" if accepted else "refused")
        target.mkdir(exist_ok=True)
        if source.exists():
            source.replace(target / mail.source)
        if not accepted:
            (target / f"{mail.source}.reason.txt").write_text(reason + "\n", encoding="utf-8")
