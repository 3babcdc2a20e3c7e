"""Where a dispatch order stands, from its case variables: open, past 24 h / 48 h, parts owed, visit due."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from service.domain import dispatch_order_state as state

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 9, 30, 11, 0, tzinfo=SHANGHAI)
PAST, FUTURE = (NOW - timedelta(minutes=1)).isoformat(), (NOW + timedelta(hours=1)).isoformat()


def test_an_order_is_open_until_closed_or_voided_while_its_case_runs():
    assert state.is_open("running", {"status": "assigned"})
    assert state.is_open("running", {})  # no status yet: new
    assert state.is_open("error", {"status": "on_site"})  # stuck, not finished
    assert not state.is_open("running", {"status": "closed"})
    assert not state.is_open("running", {"status": "voided"})
    assert not state.is_open("completed", {"status": "released"})


def test_the_24_hour_rule_is_missed_only_before_anybody_is_on_site():
    assert state.overdue_on_site("running", {"status": "assigned", "on_site_due": PAST}, NOW)
    assert state.overdue_on_site("running", {"status": "new", "on_site_due": PAST}, NOW)
    assert not state.overdue_on_site("running", {"status": "on_site", "on_site_due": PAST}, NOW)
    assert not state.overdue_on_site("running", {"status": "assigned", "on_site_due": FUTURE}, NOW)
    assert not state.overdue_on_site("running", {"status": "assigned"}, NOW)
    assert not state.overdue_on_site("running", {"status": "voided", "on_site_due": PAST}, NOW)
    naive = (NOW - timedelta(hours=1)).replace(tzinfo=None).isoformat()  # read in the server's zone
    assert state.overdue_on_site("running", {"status": "assigned", "on_site_due": naive}, NOW)
    assert not state.overdue_on_site("running", {"status": "assigned", "on_site_due": "tomorrow"}, NOW)


def test_the_48_hour_rule_is_for_hardware_faults_not_repaired():
    late = {"status": "on_site", "fault_kind": "hardware", "fix_due": PAST, "repaired": False}
    assert state.overdue_fix("running", late, NOW)
    assert not state.overdue_fix("running", {**late, "repaired": True}, NOW)
    assert not state.overdue_fix("running", {**late, "fault_kind": "software"}, NOW)
    assert not state.overdue_fix("running", {**late, "fix_due": FUTURE}, NOW)
    assert not state.overdue_fix("completed", late, NOW)


def test_owed_lines_are_those_not_delivered():
    data = {"owed_parts": [{"material_no": "M1", "status": "owed"}, {"material_no": "M2", "status": "delivered"},
                           {"material_no": "M3"}, "rubbish"]}
    assert [line["material_no"] for line in state.owed_lines(data)] == ["M1", "M3"]
    assert state.owed_lines({}) == [] and state.owed_lines({"owed_parts": "x"}) == []


def test_a_visit_is_due_once_signed_until_answered():
    assert state.visit_due("running", {"status": "released", "signed_by": "王经理"})
    assert state.visit_due("running", {"status": "assigned", "task_type": "return_visit"})
    assert not state.visit_due("running", {"status": "released", "signed_by": "王经理", "visit_satisfied": True})
    assert not state.visit_due("running", {"status": "released", "signed_by": "王经理", "visit_satisfied": False})
    assert not state.visit_due("running", {"status": "assigned"})
    assert not state.visit_due("completed", {"signed_by": "王经理"})
    assert not state.visit_due("running", {"status": "voided", "task_type": "return_visit"})
