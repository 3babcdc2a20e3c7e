"""The 审批 action rules on their own: who may transfer, delegate, urge, comment, copy and withdraw,
and what the refusal says — with a small organisation shaped like the demo one."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from service.domain import case_actions as case_rules
from service.domain import task_actions as rules
from service.domain.access import CaseFacts, TaskFacts, Viewer
from service.domain.case_actions import Act
from service.domain.messages import Message
from service.domain.organisation import Organisation, Person
from service.domain.task_actions import Scene, TaskState
from service.domain.working_calendar import CalendarDay, WorkingCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")


def said(refusal: rules.Refusal) -> str:
    """The refusal as its readers see it, in Chinese and in English."""
    return f"{refusal.message.render('zh')}\n{refusal.message.render('en')}"

PEOPLE = [
    Person("sales_lead2", "销售组长2", "l2@x", frozenset({"sales_lead"})),
    Person("sales3", "销售3", "s3@x", frozenset({"sales"}), superior="sales_lead2"),
    Person("sales4", "销售4", "s4@x", frozenset({"sales"}), superior="sales_lead2"),
    Person("sales_lead1", "销售组长1", "l1@x", frozenset({"sales_lead"})),
    Person("tech_director2", "技术总监2", "t2@x", frozenset({"tech_director"})),
    Person("engineer3", "工程师3", "e3@x", frozenset({"engineer"}), superior="tech_director1"),
    Person("engineer4", "工程师4", "e4@x", frozenset({"engineer"}), superior="tech_director1"),
    Person("engineer9", "工程师9", "e9@x", frozenset({"engineer"}), active=False),
    Person("customer1", "顾客1", "c1@x", frozenset({"customer"}), company="欧莱雅"),
    Person("customer2", "顾客2", "c2@x", frozenset({"customer"}), company="华为"),
    Person("auditor1", "审计1", "a1@x", frozenset({"auditor"})),
    Person("finance1", "财务1", "f1@x", frozenset({"finance"})),
]
ORG = Organisation(PEOPLE)
# National Day 2026: 1–7 October off, Saturday 10 October worked
CALENDAR = WorkingCalendar([CalendarDay(date(2026, 10, d), False, "国庆节") for d in range(1, 8)]
                           + [CalendarDay(date(2026, 10, 10), True, "调休")])


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def viewer(username: str) -> Viewer:
    return rules.viewer_of(ORG.people[username], ORG)


def scene(actor: str, task: TaskState | None = None, *, status: str = "running", started_by: str = "sales3",
          copied: frozenset[str] = frozenset(), done: tuple[TaskFacts, ...] = ()) -> Scene:
    tasks = ((task.facts,) if task else ()) + done
    return Scene(viewer(actor), ORG, 7, status, CaseFacts(started_by, "欧莱雅", tasks, copied), task)


ASSESSMENT = TaskState(12, "工程师评估能否支持", "engineer", "open", assignee="engineer3")
FILING = TaskState(13, "补发技术支持申请", "sales", "open", assignee="sales3")


def test_the_holder_transfers_to_another_person_of_the_role():
    assert rules.transfer_refusal(scene("engineer3", ASSESSMENT)) is None
    assert rules.target_refusal(scene("engineer3", ASSESSMENT), "engineer4") is None


@pytest.mark.parametrize("to, words", [
    ("sales4", ["sales4 没有角色「工程师」", "does not hold the role “Engineer”"]),
    ("engineer9", ["no active user engineer9"]),  # switched off
    ("nobody", ["没有在职用户 nobody"]),
    ("engineer3", ["yourself"]),
    (" ", ["choose the person"]),
    (None, ["choose the person"]),
])
def test_a_transfer_target_must_be_another_active_person_with_the_role(to, words):
    refusal = rules.target_refusal(scene("engineer3", ASSESSMENT), to)
    assert refusal is not None and refusal.kind == "invalid" and refusal.field == "to"
    assert all(w in said(refusal) for w in words), said(refusal)


def test_a_customer_task_goes_only_to_a_contact_of_the_cases_customer():
    signoff = TaskState(14, "签署技术支持服务单", "customer", "open", assignee="customer1")
    refusal = rules.target_refusal(scene("customer1", signoff), "customer2")
    assert refusal is not None and "this case's customer" in said(refusal)


def test_supervisors_are_the_holders_superior_or_the_technical_directors_for_engineers():
    assert rules.transfer_refusal(scene("sales_lead2", FILING)) is None  # sales3's superior
    assert rules.supervises(scene("tech_director2", ASSESSMENT))  # dispatches every engineer
    assert not rules.supervises(scene("tech_director2", FILING))
    refusal = rules.transfer_refusal(scene("sales_lead1", FILING))  # another group's leader
    assert refusal is not None and refusal.kind == "forbidden" and "superior" in said(refusal)
    refusal = rules.transfer_refusal(scene("engineer4", ASSESSMENT))
    assert refusal is not None and "assigned to engineer3" in said(refusal)


def test_nothing_is_handed_over_once_the_task_or_the_case_is_closed():
    done = TaskState(12, "工程师评估能否支持", "engineer", "completed", completed_by="engineer3")
    refusal = rules.transfer_refusal(scene("engineer3", done))
    assert refusal is not None and refusal.kind == "conflict" and "completed by engineer3" in said(refusal)
    refusal = rules.transfer_refusal(scene("engineer3", ASSESSMENT, status="cancelled"))
    assert refusal is not None and "not running" in said(refusal)


def test_a_delegated_task_is_filled_by_the_delegate_only():
    delegated = TaskState(12, "工程师评估能否支持", "engineer", "open", assignee="engineer4", delegated_by="engineer3")
    assert rules.submit_refusal(scene("engineer4", delegated)) is None
    refusal = rules.submit_refusal(scene("engineer3", delegated))
    assert refusal is not None and "delegated to engineer4" in said(refusal)
    for action in (rules.transfer_refusal, rules.delegate_refusal):
        refusal = action(scene("engineer4", delegated))
        assert refusal is not None and "waiting for the delegate" in said(refusal)
    assert rules.delegate_refusal(scene("tech_director2", ASSESSMENT)) is not None  # supervisors transfer only
    refusal = rules.submit_refusal(scene("engineer3", ASSESSMENT))
    assert refusal is not None and "not delegated" in said(refusal)


def test_working_time_runs_on_working_days_from_nine_to_six():
    hour = timedelta(hours=1)
    assert rules.working_time_after(CALENDAR, at("2026-09-29T11:00"), hour) == at("2026-09-29T12:00")
    assert rules.working_time_after(CALENDAR, at("2026-09-29T17:30"), hour) == at("2026-09-30T09:30")
    assert rules.working_time_after(CALENDAR, at("2026-09-29T20:00"), hour) == at("2026-09-30T10:00")
    # the evening before National Day: the holiday week and the weekend are no working time
    assert rules.working_time_after(CALENDAR, at("2026-09-30T17:45"), hour) == at("2026-10-08T09:45")
    assert rules.working_time_after(CALENDAR, at("2026-10-09T17:30"), hour) == at("2026-10-10T09:30")  # 调休


def test_an_urge_waits_a_working_hour_and_says_until_when():
    urged = TaskState(12, "工程师评估能否支持", "engineer", "open", assignee="engineer3",
                      last_urged_at=at("2026-09-30T17:30"))
    refusal = rules.urge_refusal(scene("sales3", urged), CALENDAR, at("2026-10-08T09:00"))
    assert refusal is not None and refusal.kind == "conflict"
    assert "2026-09-30 17:30" in said(refusal) and "2026-10-08 09:30" in said(refusal)
    assert rules.urge_refusal(scene("sales3", urged), CALENDAR, at("2026-10-08T09:30")) is None


def test_who_may_urge_and_whom_it_reaches():
    unclaimed = TaskState(15, "具体技术支持", "engineer", "open")
    assert rules.holders(scene("sales3", unclaimed)) == ["engineer3", "engineer4"]  # not the inactive one
    now = at("2026-09-30T11:00")
    assert rules.urge_refusal(scene("sales3", ASSESSMENT), CALENDAR, now) is None  # the starter
    assert rules.urge_refusal(scene("tech_director2", ASSESSMENT), CALENDAR, now) is None  # a supervisor
    for reader, copied in (("auditor1", frozenset()), ("finance1", frozenset({"finance1"}))):
        refusal = rules.urge_refusal(scene(reader, ASSESSMENT, copied=copied), CALENDAR, now)
        assert refusal is not None and refusal.kind == "forbidden", reader
    refusal = rules.urge_refusal(scene("engineer3", ASSESSMENT), CALENDAR, now)
    assert refusal is not None and "nobody else" in said(refusal)


def test_mentions_find_user_names_and_display_names_before_punctuation():
    text = "@工程师3，请评估；@sales4 看一下 @engineer3 @nobody 邮件 a@b.c"
    assert case_rules.mentions_in(text, ORG) == ["engineer3", "sales4"]
    assert case_rules.mentions_in("@engineer9 在吗", ORG) == []  # switched off: nobody to tell


def test_a_mention_never_opens_the_case_to_someone_who_may_not_read_it():
    refusal = case_rules.mention_refusal(scene("sales3", ASSESSMENT), ["engineer3", "customer2"])
    assert refusal is not None and refusal.field == "text" and "customer2" in said(refusal)
    assert "engineer3" not in said(refusal)
    assert case_rules.mention_refusal(scene("sales3", ASSESSMENT, copied=frozenset({"finance1"})),
                                      ["finance1"]) is None
    assert case_rules.mention_refusal(scene("engineer3", ASSESSMENT), ["sales_lead2"]) is None  # the starter's 上级
    refusal = case_rules.mention_refusal(scene("engineer3", ASSESSMENT), ["sales_lead1"])  # another group's
    assert refusal is not None and "sales_lead1" in said(refusal)


@pytest.mark.parametrize("text, words", [
    ("", "required"), ("   ", "required"), (7, "required"), ("响铃\x07", "control character U+0007"),
    ("长" * 2001, "at most 2000"),
])
def test_comment_texts_are_checked(text, words):
    refusal = case_rules.text_refusal(text, "text", case_rules.COMMENT_MAX, Message("what.opinion"))
    assert refusal is not None and refusal.field == "text" and words in said(refusal)


def test_comments_are_for_those_who_see_the_case_and_not_for_auditors():
    assert case_rules.comment_refusal(scene("sales3")) is None
    assert case_rules.text_refusal("第一行\n第二行", "text", case_rules.COMMENT_MAX, Message("what.opinion")) is None
    for person, words in (("auditor1", "auditors read"), ("customer2", "not visible")):
        refusal = case_rules.comment_refusal(scene(person))
        assert refusal is not None and refusal.kind == "forbidden" and words in said(refusal)


def test_copies_go_from_the_holder_the_starter_or_an_owner_to_known_people():
    assert case_rules.copy_refusal(scene("engineer3", ASSESSMENT)) is None
    assert case_rules.copy_refusal(scene("sales3")) is None  # the starter, case-wide
    assert case_rules.copy_refusal(scene("engineer3", done=(ASSESSMENT.facts,))) is None  # holds an open task
    refusal = case_rules.copy_refusal(scene("engineer4", ASSESSMENT))
    assert refusal is not None and refusal.kind == "forbidden"
    for to, words in ((["customer2"], "another customer"), (["ghost"], "ghost"), (["sales3"], "yourself"),
                      ("finance1", "list"), (["x"] * 51, "at most 50")):
        refusal = case_rules.copy_targets_refusal(scene("sales3"), to)
        assert refusal is not None and refusal.field == "to" and words in said(refusal), to
    assert case_rules.copy_targets_refusal(scene("sales3"), ["customer1", "finance1"]) is None


def test_the_starter_withdraws_until_someone_else_has_acted():
    quiet = [Act("system", "task_created"), Act("sales3", "comment_added"), Act("tech_director2", "task_urged")]
    assert case_rules.withdraw_refusal(scene("sales3"), quiet) is None
    refusal = case_rules.withdraw_refusal(scene("sales4"), quiet)
    assert refusal is not None and refusal.kind == "forbidden" and "only the starter sales3" in said(refusal)
    acted = [*quiet, Act("tech_director2", "task_claimed", rules.task_label(1, "技术总监确认申请"))]
    refusal = case_rules.withdraw_refusal(scene("sales3"), acted)
    assert refusal is not None and refusal.kind == "conflict"
    assert "tech_director2 已认领了任务 #1「技术总监确认申请」" in said(refusal)
    refusal = case_rules.withdraw_refusal(scene("sales3", status="completed"), quiet)
    assert refusal is not None and "not running" in said(refusal)
