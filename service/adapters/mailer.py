"""Outgoing mail: build RFC 5322 messages that thread, and hand them to SMTP or to disk.

A request's mails form one thread in the customer's mail client because each
reply carries In-Reply-To/References pointing at earlier Message-IDs. With no
SMTP server configured, mails land as `.eml` files so a newcomer still sees them.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import os
import re
import secrets
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Literal, Protocol
from urllib.parse import unquote, urlsplit

DEFAULT_TIMEOUT = 10.0


@dataclass(frozen=True)
class Address:
    name: str
    email: str


@dataclass
class OutgoingMail:
    """One mail to send. Message ids are kept as they appear in headers: `<local@domain>`."""

    message_id: str
    subject: str
    sender: Address
    to: list[Address]
    cc: list[Address]
    body: str
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    sent_at: datetime | None = None

    def recipients(self) -> list[str]:
        """Envelope recipients: To plus Cc, each address once, in order."""
        return list(dict.fromkeys(a.email for a in [*self.to, *self.cc]))


class MailDeliveryError(OSError):
    """The SMTP server could not be reached; the outbox should retry later."""


# --- message ids and subjects ---------------------------------------------------

_MSGID_RE = re.compile(r"<[^<>\s]+>")
_REPLY_PREFIX_RE = re.compile(r"^\s*(?:回复|答复|re)\s*[:：]\s*", re.IGNORECASE)


def make_message_id(domain: str = "guicheng.local", now: datetime | None = None) -> str:
    """A short id such as `<20260930110000.ab12cd34@guicheng.local>`.

    Kept short on purpose: a long Message-ID gets folded onto a continuation line
    and then parses back with a leading space, which breaks thread matching.
    """
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%d%H%M%S")
    return f"<{stamp}.{secrets.token_hex(4)}@{domain}>"


def normalize_message_id(value: str) -> str:
    """Remove whitespace (including folding) so stored and parsed ids compare equal."""
    return "".join(value.split())


def message_ids(value: str | None) -> list[str]:
    """All `<...>` ids in a References/In-Reply-To header value, in order."""
    if not value:
        return []
    return _MSGID_RE.findall(value)  # folding whitespace between ids is simply skipped


def reply_subject(subject: str) -> str:
    """`回复: <subject>`, unless the subject already carries a reply prefix."""
    if _REPLY_PREFIX_RE.match(subject):
        return subject
    return "回复: " + subject


def thread_subject(subject: str) -> str:
    """The subject without any (repeated) reply prefixes, for matching a thread."""
    previous = None
    while previous != subject:
        previous = subject
        subject = _REPLY_PREFIX_RE.sub("", subject, count=1)
    return subject.strip()


# --- building and parsing -------------------------------------------------------


_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]+")


def header_text(value: str) -> str:
    """One header line: control characters (a CR/LF typed into a customer name) become a space, so
    they can neither inject headers nor make the message unsendable."""
    return _CONTROL_RE.sub(" ", value).strip()


def _address_list(addresses: list[Address]) -> str:
    return ", ".join(formataddr((header_text(a.name), header_text(a.email))) for a in addresses)


def build_message(mail: OutgoingMail) -> EmailMessage:
    """Render an OutgoingMail as an SMTP-ready message (CRLF, encoded headers).

    The body goes out base64-encoded: plain ASCII on the wire, so a relay
    without 8BITMIME cannot mangle Chinese text; the cost (~33 % size) is
    negligible for short notification mails.
    """
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["From"] = formataddr((header_text(mail.sender.name), header_text(mail.sender.email)))
    if mail.to:
        msg["To"] = _address_list(mail.to)
    if mail.cc:
        msg["Cc"] = _address_list(mail.cc)
    msg["Subject"] = header_text(mail.subject)
    msg["Date"] = format_datetime(mail.sent_at or datetime.now(UTC))
    msg["Message-ID"] = normalize_message_id(mail.message_id)
    if mail.in_reply_to:
        msg["In-Reply-To"] = normalize_message_id(mail.in_reply_to)
    if mail.references:
        msg["References"] = " ".join(normalize_message_id(r) for r in mail.references)
    msg.set_content(mail.body, charset="utf-8", cte="base64")
    return msg


def parse_message(raw: bytes) -> EmailMessage:
    """Parse received bytes with the modern policy (decoded headers, get_content)."""
    message: EmailMessage = email.message_from_bytes(raw, policy=email.policy.default)
    return message


# --- senders --------------------------------------------------------------------


class MailSender(Protocol):
    def send(self, mail: OutgoingMail) -> None: ...


Security = Literal["plain", "ssl", "starttls"]
_SCHEMES: dict[str, tuple[Security, int]] = {
    "smtp": ("plain", 25),
    "smtps": ("ssl", 465),
    "smtp+starttls": ("starttls", 587),
}


class SmtpSender:
    """Delivers through an SMTP server named by `smtp://`, `smtps://` or `smtp+starttls://` URL.

    User and password in the URL are percent-decoded, so `p%40ss` logs in as `p@ss`.
    """

    def __init__(
        self,
        url: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        if scheme not in _SCHEMES:
            raise ValueError(
                f"unsupported mail URL scheme {parts.scheme!r}; use smtp, smtps or smtp+starttls"
            )
        if not parts.hostname:
            raise ValueError("mail URL has no host")
        self.security, default_port = _SCHEMES[scheme]
        self.host: str = parts.hostname
        self.port: int = parts.port or default_port
        self.username: str | None = unquote(parts.username) if parts.username else None
        self._password: str = unquote(parts.password) if parts.password else ""
        self.timeout = timeout
        self._ssl_context = ssl_context

    def __repr__(self) -> str:  # never print the password
        user = f"{self.username}@" if self.username else ""
        return f"SmtpSender({self.security} {user}{self.host}:{self.port})"

    def _connect(self) -> smtplib.SMTP:
        try:
            if self.security == "ssl":
                context = self._ssl_context or ssl.create_default_context()
                return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
            return smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        except OSError as exc:  # includes smtplib.SMTPException
            raise MailDeliveryError(
                f"cannot reach SMTP server {self.host}:{self.port}: {exc}"
            ) from exc

    def send(self, mail: OutgoingMail) -> None:
        recipients = mail.recipients()
        if not recipients:
            raise ValueError(f"mail {mail.message_id} has no recipients")
        message = build_message(mail)
        with self._connect() as smtp:
            if self.security == "starttls":
                smtp.starttls(context=self._ssl_context or ssl.create_default_context())
            if self.username:
                smtp.login(self.username, self._password)
            smtp.send_message(message, from_addr=mail.sender.email, to_addrs=recipients)


class FileSender:
    """Writes each mail as an `.eml` file: the default when no SMTP server is configured."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.written: list[Path] = []

    def __repr__(self) -> str:
        return f"FileSender({self.directory})"

    def write(self, mail: OutgoingMail) -> Path:
        """Write the mail once, named by its Message-ID, e.g. `20260930-110000-ab12cd34.eml`.

        A second delivery of the same mail (a retry after a crash) finds the file and leaves it: the
        folder never holds a mail twice. The file appears whole or not at all (written aside, then linked).
        """
        self.directory.mkdir(parents=True, exist_ok=True)
        when = mail.sent_at or datetime.now(UTC)
        path = self.directory / f"{when:%Y%m%d-%H%M%S}-{_short_id(mail.message_id)}.eml"
        if path.exists():
            return path
        partial = self.directory / f".{path.name}.{secrets.token_hex(4)}.part"
        partial.write_bytes(build_message(mail).as_bytes())
        try:
            os.link(partial, path)
        except FileExistsError:
            pass  # delivered meanwhile by another worker
        finally:
            partial.unlink(missing_ok=True)
        self.written.append(path)
        return path

    def send(self, mail: OutgoingMail) -> None:
        self.write(mail)


def _short_id(message_id: str) -> str:
    """The random part of our own ids (`<stamp.random@domain>`); a hash for foreign ones. Safe as a
    file name, and the same every time for the same Message-ID."""
    local = normalize_message_id(message_id).strip("<>").split("@", 1)[0]
    own = re.fullmatch(r"\d{14}\.([0-9a-f]{8,16})", local)
    return own.group(1) if own else hashlib.sha256(message_id.encode()).hexdigest()[:16]


def sender_from_url(url: str | None, mail_dir: Path) -> MailSender:
    """SMTP when a URL is configured, otherwise `.eml` files in `mail_dir`."""
    if url is None or not url.strip():
        return FileSender(mail_dir)
    return SmtpSender(url)
