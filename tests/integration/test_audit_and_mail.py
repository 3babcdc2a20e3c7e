"""The audit chain catches tampering; the worker delivers the outbox over real SMTP."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from service.adapters.mailer import SmtpSender, message_ids
from service.operations import background, queries
from service.operations.timers import real_now
from service.persistence.audit import verify_chain
from service.persistence.models import Event, OutboxMail
from tests.support.cli import cli_env, run_cli
from tests.support.smtp_server import SmtpCatcher, free_port
from tests.support.walk import start_case


def test_altering_an_event_is_detected_and_named(ctx, database_url, home):
    instance_id = start_case(ctx)
    started = next(e for e in queries.history(ctx, instance_id) if e["type"] == "case_started")
    env = cli_env(database_url, home)
    assert run_cli(env, "audit", "verify").returncode == 0
    with ctx.db.transaction() as session:
        event = session.get(Event, started["id"])
        event.payload = {**event.payload, "business_key": "伪造"}
    with ctx.db.reading() as session:
        report = verify_chain(session)
    assert not report.ok and report.first_bad == f"case:{instance_id} event {started['seq']} (id {started['id']})"
    assert "altered" in report.reason
    result = run_cli(env, "audit", "verify")
    assert result.returncode == 1 and f"case:{instance_id} event {started['seq']}" in result.stderr


def test_deleting_the_last_event_is_detected(ctx):
    start_case(ctx)
    with ctx.db.transaction() as session:
        last = session.execute(select(Event).order_by(Event.id.desc()).limit(1)).scalar_one()
        session.delete(last)
    with ctx.db.reading() as session:
        report = verify_chain(session)
    assert not report.ok and "truncated" in report.reason


def test_worker_sends_the_application_mail_over_smtp(ctx, smtp_catcher):
    instance_id = start_case(ctx)
    report = background.run_once(ctx, sender=SmtpSender(smtp_catcher.url))
    assert report.mails_sent == 1
    (received,) = smtp_catcher.received
    # the technical directors, and Cc sales1's own group leader, regional and company directors and GXM
    expected = [f"{u}@demo.guicheng.local" for u in ("management1", "sales_director1", "sales_director2",
                                                      "sales_lead1", "tech_director1", "tech_director2")]
    assert sorted(received.rcpt_tos) == expected
    (message,) = smtp_catcher.messages()
    assert message["Subject"] == "技术支持申请--欧莱雅--CITRIX安装--ZGH--0930"
    assert "欧莱雅" in message.get_content()
    with ctx.db.reading() as session:
        row = session.execute(select(OutboxMail).where(OutboxMail.instance_id == instance_id)).scalar_one()
        assert row.status == "sent" and message_ids(message["Message-ID"]) == [row.message_id]
    assert [e["type"] for e in queries.history(ctx, instance_id)].count("mail_sent") == 1
    assert background.run_once(ctx, sender=SmtpSender(smtp_catcher.url)).mails_sent == 0  # sent once


def test_unreachable_smtp_keeps_the_mail_pending_for_retry(ctx, clock):
    start_case(ctx)
    report = background.run_once(ctx, sender=SmtpSender(f"smtp://127.0.0.1:{free_port()}"))
    assert report.mails_sent == 0 and report.failures == 1  # tried once, then left for later
    with ctx.db.reading() as session:
        row = session.execute(select(OutboxMail)).scalar_one()
        assert row.status == "pending" and row.attempts == 1 and "127.0.0.1" in row.last_error
    assert row.next_attempt_at > real_now() + timedelta(minutes=1)  # the first retry waits 2 minutes
    with ctx.db.transaction() as session:  # two minutes later
        session.execute(update(OutboxMail).values(next_attempt_at=real_now() - timedelta(seconds=1)))
    with SmtpCatcher() as catcher:
        assert background.run_once(ctx, sender=SmtpSender(catcher.url)).mails_sent == 1
