"""The application subject format of the technical-support procedure (rule 1)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from service.adapters.mailer import Address
from service.domain.notifications import SubjectRejected, application_subject, check_application_subject
from service.domain.working_calendar import WorkingCalendar
from service.service_tasks.context import ServiceContext


def test_subject_is_built_in_the_prescribed_format():
    subject = application_subject("欧莱雅", "CITRIX安装", "ZGH", date(2026, 9, 19))
    assert subject == "技术支持申请--欧莱雅--CITRIX安装--ZGH--0919"


@pytest.mark.parametrize("subject, reason", [
    ("技术支持--欧莱雅--CITRIX安装--ZGH--0919", "开头"),
    ("技术支持申请--欧莱雅--CITRIX安装--0919", "格式"),
    ("技术支持申请--欧莱雅--CITRIX安装--ZGH--1340", "MMDD"),
    ("技术支持申请--欧莱雅--CITRIX安装--ZGH--919", "格式"),
])
def test_subjects_off_the_format_are_rejected_with_the_reason(subject, reason):
    with pytest.raises(SubjectRejected) as err:
        check_application_subject(subject)
    assert reason in str(err.value)


def test_parts_containing_the_separator_are_rejected():
    with pytest.raises(SubjectRejected) as err:
        application_subject("欧莱雅-中国", "X", "ZGH", date(2026, 9, 19))
    assert "客户名称" in str(err.value)


def test_later_mails_reply_in_the_thread_of_the_application():
    ctx = ServiceContext(now=datetime(2026, 9, 30, tzinfo=UTC), calendar=WorkingCalendar([]),
                         instance_id=1, process_id="technical_support", business_key="k",
                         people_with_role=lambda role: [Address(role, f"{role}@x")],
                         sender=Address("规程", "g@x"), mail_domain="x")
    root = ctx.send(subject="技术支持申请--欧莱雅--CITRIX安装--ZGH--0930", to=[], cc=[], body="", starts_thread=True)
    reminder = ctx.send(subject="【提醒】", to=[], cc=[], body="")
    reply = ctx.send(subject="ignored", to=[], cc=[], body="", reply_in_thread=True)
    second = ctx.send(subject="ignored", to=[], cc=[], body="", reply_in_thread=True)
    completion = ctx.send(subject="ignored", to=[], cc=[], body="", reply_to_root=True)
    assert reminder.in_reply_to is None and reminder.subject == "【提醒】"  # stands alone
    assert reply.subject == "回复: 技术支持申请--欧莱雅--CITRIX安装--ZGH--0930"
    assert reply.in_reply_to == root.message_id and reply.references == [root.message_id]
    assert second.in_reply_to == reply.message_id and second.references == [root.message_id, reply.message_id]
    assert completion.in_reply_to == root.message_id  # rule 9: reply to all on the original application
