"""Mail really goes over SMTP: Chinese subjects, names and bodies survive, replies thread."""

from __future__ import annotations

import socket
import time
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from service.adapters.mailer import (
    Address,
    FileSender,
    MailDeliveryError,
    OutgoingMail,
    SmtpSender,
    build_message,
    make_message_id,
    message_ids,
    normalize_message_id,
    parse_message,
    reply_subject,
    sender_from_url,
    thread_subject,
)
from tests.support import fixtures
from tests.support.smtp_server import SmtpCatcher

smtp_catcher = fixtures.smtp_catcher  # also served by the top-level conftest

SUBJECT = "技术支持申请--欧莱雅--CITRIX安装--ZGH--0919"
BODY = "张工您好：\n\n客户欧莱雅申请 CITRIX 安装支持，请于 9 月 20 日前处理。\n\n——规程"
SHANGHAI = ZoneInfo("Asia/Shanghai")

SUPPORT = Address("技术支持部", "support@guicheng.local")
ENGINEER = Address("张工", "zhang@example.cn")
MANAGER = Address("李经理, 服务部", "li@example.cn")
CUSTOMER = Address("王小姐（欧莱雅）", "wang@loreal.example")


def request_mail(**changes: object) -> OutgoingMail:
    mail = OutgoingMail(
        message_id=make_message_id(),
        subject=SUBJECT,
        sender=SUPPORT,
        to=[ENGINEER, CUSTOMER],
        cc=[MANAGER],
        body=BODY,
        sent_at=datetime(2025, 9, 19, 10, 30, tzinfo=SHANGHAI),
    )
    for key, value in changes.items():
        setattr(mail, key, value)
    return mail


def text_of(message: EmailMessage) -> str:
    return message.get_content().replace("\r\n", "\n")


def test_chinese_mail_arrives_once_with_exact_subject_names_and_body(smtp_catcher: SmtpCatcher):
    mail = request_mail()
    SmtpSender(smtp_catcher.url).send(mail)

    [received] = smtp_catcher.received
    assert received.mail_from == SUPPORT.email
    assert received.rcpt_tos == [ENGINEER.email, CUSTOMER.email, MANAGER.email]
    assert received.raw.isascii()  # headers encoded, body base64: safe for any relay

    [message] = smtp_catcher.messages()
    assert message["Subject"] == SUBJECT
    assert text_of(message).rstrip("\n") == BODY
    assert normalize_message_id(message["Message-ID"]) == mail.message_id
    assert [(a.display_name, a.addr_spec) for a in message["To"].addresses] == [
        (ENGINEER.name, ENGINEER.email),
        (CUSTOMER.name, CUSTOMER.email),
    ]
    assert [(a.display_name, a.addr_spec) for a in message["Cc"].addresses] == [
        (MANAGER.name, MANAGER.email)
    ]
    assert message["From"].addresses[0].display_name == SUPPORT.name
    assert message["Date"].datetime == mail.sent_at


def test_reply_threads_on_the_original_message_id(smtp_catcher: SmtpCatcher):
    original = request_mail()
    sender = SmtpSender(smtp_catcher.url)
    sender.send(original)
    [first] = smtp_catcher.messages()
    original_id = normalize_message_id(first["Message-ID"])

    reply = OutgoingMail(
        message_id=make_message_id(),
        subject=reply_subject(first["Subject"]),
        sender=ENGINEER,
        to=[SUPPORT],
        cc=[],
        body="已安排，明天上午上门安装。",
        in_reply_to=original_id,
        references=[original_id],
    )
    sender.send(reply)

    assert len(smtp_catcher.received) == 2
    assert smtp_catcher.received[1].rcpt_tos == [SUPPORT.email]
    parsed = smtp_catcher.messages()[1]
    assert parsed["Subject"] == "回复: " + SUBJECT
    assert parsed["Cc"] is None
    assert normalize_message_id(parsed["In-Reply-To"]) == original.message_id
    assert message_ids(parsed["References"]) == [original.message_id]
    assert thread_subject(parsed["Subject"]) == SUBJECT


def test_long_reference_chain_survives_header_folding(smtp_catcher: SmtpCatcher):
    chain = [make_message_id() for _ in range(6)]
    SmtpSender(smtp_catcher.url).send(
        request_mail(subject=reply_subject(SUBJECT), in_reply_to=chain[-1], references=chain)
    )
    [message] = smtp_catcher.messages()
    assert message_ids(message["References"]) == chain
    assert normalize_message_id(message["In-Reply-To"]) == chain[-1]


def test_smtp_login_uses_percent_decoded_credentials():
    with SmtpCatcher(credentials=("ops@guicheng", "p:ss/w@rd")) as catcher:
        url = f"smtp://ops%40guicheng:p%3Ass%2Fw%40rd@127.0.0.1:{catcher.port}"
        sender = SmtpSender(url)
        assert "p:ss" not in repr(sender)
        sender.send(request_mail())
        assert catcher.logins == ["ops@guicheng"]
        assert len(catcher.received) == 1


def test_message_ids_are_short_and_do_not_fold():
    mid = make_message_id()
    assert mid.startswith("<") and mid.endswith("@guicheng.local>")
    assert len(mid) <= 48
    raw = build_message(request_mail(message_id=mid)).as_bytes()
    assert f"Message-ID: {mid}\r\n".encode() in raw
    assert parse_message(raw)["Message-ID"] == mid  # no leading space to strip


def test_file_sender_writes_a_parseable_eml(tmp_path: Path):
    folder = tmp_path / "var" / "mail"
    sender = FileSender(folder)
    mail = request_mail()
    sender.send(mail)
    path = sender.written[0]
    assert path.parent == folder
    short = mail.message_id.strip("<>").split("@")[0].split(".")[-1]
    assert path.name == f"20250919-103000-{short}.eml"
    parsed = parse_message(path.read_bytes())
    assert parsed["Subject"] == SUBJECT
    assert text_of(parsed).rstrip("\n") == BODY


def test_a_mail_delivered_twice_lands_in_the_folder_once(tmp_path: Path):
    """A retry after a crash between sending and recording carries the same Message-ID."""
    sender = FileSender(tmp_path)
    mail = request_mail()
    first = sender.write(mail)
    again = sender.write(request_mail(message_id=mail.message_id, body="重发"))
    assert again == first and sorted(p.name for p in tmp_path.iterdir()) == [first.name]
    assert text_of(parse_message(first.read_bytes())).rstrip("\n") == BODY
    other = sender.write(request_mail())
    assert other != first and len(list(tmp_path.glob("*.eml"))) == 2


def test_line_breaks_in_names_and_subjects_cannot_inject_headers():
    mail = request_mail(subject="技术支持申请--欧莱雅\r\nBcc: evil@example.com--CITRIX")
    mail.to = [Address("王经理\r\nBcc: evil@example.com", "wang@example.cn")]
    raw = build_message(mail).as_bytes()
    parsed = parse_message(raw)
    assert parsed["Bcc"] is None and b"\r\nBcc:" not in raw
    assert parsed["Subject"] == "技术支持申请--欧莱雅 Bcc: evil@example.com--CITRIX"


def test_sender_from_url_picks_the_right_class(tmp_path: Path):
    for empty in (None, "", "  "):
        sender = sender_from_url(empty, tmp_path)
        assert isinstance(sender, FileSender) and sender.directory == tmp_path
    plain = sender_from_url("smtp://mail.example.cn:2525", tmp_path)
    assert isinstance(plain, SmtpSender)
    assert (plain.security, plain.host, plain.port, plain.username) == (
        "plain", "mail.example.cn", 2525, None)
    secure = sender_from_url("smtps://u%40x:pw@smtp.exmail.qq.com", tmp_path)
    assert isinstance(secure, SmtpSender)
    assert (secure.security, secure.port, secure.username) == ("ssl", 465, "u@x")
    starttls = sender_from_url("smtp+starttls://smtp.example.cn", tmp_path)
    assert isinstance(starttls, SmtpSender)
    assert (starttls.security, starttls.port) == ("starttls", 587)
    with pytest.raises(ValueError):
        sender_from_url("http://example.cn", tmp_path)


def test_unreachable_smtp_server_fails_fast_with_a_clear_error():
    with socket.socket() as sock:  # bound but never listening: connections are refused
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        started = time.monotonic()
        with pytest.raises(MailDeliveryError, match=f"127.0.0.1:{port}") as caught:
            SmtpSender(f"smtp://127.0.0.1:{port}").send(request_mail())
    assert isinstance(caught.value, OSError)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("subject", "expected_reply", "thread"),
    [
        (SUBJECT, "回复: " + SUBJECT, SUBJECT),
        ("回复: " + SUBJECT, "回复: " + SUBJECT, SUBJECT),
        ("答复：" + SUBJECT, "答复：" + SUBJECT, SUBJECT),
        ("Re: 回复: " + SUBJECT, "Re: 回复: " + SUBJECT, SUBJECT),
        ("RE：" + SUBJECT, "RE：" + SUBJECT, SUBJECT),
        ("Report: 周报", "回复: Report: 周报", "Report: 周报"),
    ],
)
def test_reply_and_thread_subjects(subject: str, expected_reply: str, thread: str):
    assert reply_subject(subject) == expected_reply
    assert thread_subject(subject) == thread
