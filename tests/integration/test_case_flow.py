"""A technical-support case end to end through the use cases, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest

from service.operations import background, cases, queries
from service.operations.errors import Conflict, Forbidden, ValidationFailed
from service.persistence.audit import verify_chain
from tests.conftest import SHANGHAI
from tests.processes import walk as paths
from tests.support.walk import APPLICATION, complete, only_task, start_case, walk_to_sales_confirmation

pytestmark = pytest.mark.usefixtures("every_case_replays")  # each case replays to what is stored


def test_application_sets_confirmation_due_by_noon_rule(ctx):
    instance_id = start_case(ctx)
    task = only_task(ctx, instance_id, "confirm_request")
    assert task["role"] == "tech_director"
    assert task["due_at"] == "2026-09-30T18:00:00+08:00"  # before noon: end of working day 1
    case = queries.show_case(ctx, instance_id)
    assert case["business_key"] == "欧莱雅 / CITRIX安装"
    assert case["status"] == "running"


def test_afternoon_application_is_due_after_the_national_day_holiday(ctx, clock):
    clock.set(datetime(2026, 9, 30, 14, 0, tzinfo=SHANGHAI))
    instance_id = start_case(ctx)
    assert only_task(ctx, instance_id, "confirm_request")["due_at"] == "2026-10-08T18:00:00+08:00"


def test_application_mail_is_queued_with_the_prescribed_subject(ctx):
    instance_id = start_case(ctx)
    mails = queries.show_case(ctx, instance_id)["mails"]
    assert len(mails) == 1
    assert mails[0]["subject"] == "技术支持申请--欧莱雅--CITRIX安装--ZGH--0930"
    assert mails[0]["to"] == ["tech_director1@demo.guicheng.local", "tech_director2@demo.guicheng.local"]
    assert sorted(mails[0]["cc"]) == sorted(["management1@demo.guicheng.local", "sales_director1@demo.guicheng.local",
                                             "sales_director2@demo.guicheng.local", "sales_lead1@demo.guicheng.local"])


def test_full_path_with_sales_confirming(ctx):
    instance_id = start_case(ctx)
    walk_to_sales_confirmation(ctx, instance_id)
    task = only_task(ctx, instance_id, "sales_confirmation")
    assert task["due_at"] == "2026-10-08T18:00:00+08:00"  # the next working day after the mail (09-30)
    paths.advance_to(ctx, instance_id, "weekly_report")
    paths.do(ctx, instance_id, "weekly_report")
    case = queries.show_case(ctx, instance_id)
    assert case["status"] == "completed"
    assert case["data"]["sales_confirmed"] == "yes"
    types = [e["type"] for e in queries.history(ctx, instance_id)]
    assert types[0] == "case_started" and types[-1] == "case_completed"
    assert types.count("task_completed") == 12
    with ctx.db.reading() as session:
        assert verify_chain(session).ok


def test_refused_application_ends_the_case(ctx):
    instance_id = start_case(ctx)
    complete(ctx, instance_id, "confirm_request", "tech_director1", {"accepted": "no", "comment": "缺少资料"})
    assert queries.show_case(ctx, instance_id)["status"] == "completed"
    assert queries.open_tasks(ctx, instance_id=instance_id) == []


def test_sales_silence_counts_as_confirmation_when_the_timer_fires(ctx, clock):
    instance_id = start_case(ctx)
    walk_to_sales_confirmation(ctx, instance_id)
    assert background.run_once(ctx).timers_fired == 0  # not due yet
    clock.set(datetime(2026, 10, 8, 18, 0, 1, tzinfo=SHANGHAI))  # end of the next working day after 09-30
    report = background.run_once(ctx)
    assert report.timers_fired == 1
    task = only_task(ctx, instance_id, "final_confirmation")
    assert task["role"] == "tech_director"
    assert queries.get_task(ctx, task["id"])["data"]["sales_confirmed"] == "silent"
    assert background.run_once(ctx).timers_fired == 0  # exactly once


def test_invalid_start_data_names_the_fields_and_changes_nothing(ctx):
    with pytest.raises(ValidationFailed) as err:
        start_case(ctx, customer="", support_kind="maybe")
    assert set(err.value.errors) >= {"customer", "support_kind"}
    with ctx.db.reading() as session:
        from service.persistence.models import ProcessInstance
        assert session.query(ProcessInstance).count() == 0


def test_customer_name_with_separator_is_refused(ctx):
    with pytest.raises(ValidationFailed) as err:
        start_case(ctx, customer="欧莱雅--中国")
    assert "customer" in err.value.errors


def test_task_of_another_role_is_forbidden(ctx):
    instance_id = start_case(ctx)
    task = only_task(ctx, instance_id, "confirm_request")
    with pytest.raises(Forbidden) as err:
        cases.complete_task(ctx, task_id=task["id"], actor="engineer1", data={"accepted": "yes"})
    assert err.value.code == "work.role_missing"
    assert "技术总监" in str(err.value) and "technical director" in err.value.render("en").lower()
    assert only_task(ctx, instance_id, "confirm_request")["status"] == "open"


def test_completing_twice_is_a_conflict(ctx):
    instance_id = start_case(ctx)
    task = only_task(ctx, instance_id, "confirm_request")
    cases.complete_task(ctx, task_id=task["id"], actor="tech_director1", data={"accepted": "no"})
    with pytest.raises(Conflict) as err:
        cases.complete_task(ctx, task_id=task["id"], actor="tech_director1", data={"accepted": "no"})
    assert err.value.code == "task.already_by"
    assert "已完成" in str(err.value) and "already completed" in err.value.render("en")


def test_invalid_task_data_is_rejected_per_field(ctx):
    instance_id = start_case(ctx)
    paths.advance_to(ctx, instance_id, "work")
    task = only_task(ctx, instance_id, "work")
    with pytest.raises(ValidationFailed) as err:
        cases.complete_task(ctx, task_id=task["id"], actor="engineer1", data={"person_days_spent": -1})
    assert set(err.value.errors) == {"work_summary", "person_days_spent", "work_location", "time_kind", "difficulty"}
    assert only_task(ctx, instance_id, "work")["id"] == task["id"]


def test_submission_cannot_overwrite_other_case_variables(ctx):
    instance_id = start_case(ctx)
    with pytest.raises(ValidationFailed) as err:
        complete(ctx, instance_id, "confirm_request", "tech_director1",
                 {"accepted": "yes", "engineer": "engineer1", "customer": "篡改"})
    assert set(err.value.errors) == {"customer"}
    assert queries.show_case(ctx, instance_id)["data"]["customer"] == APPLICATION["customer"]
    assert only_task(ctx, instance_id, "confirm_request")
