"""The 审批 actions as rules: who may transfer, delegate, urge, comment on, copy or withdraw what.

Why pure: the task page shows a button only when the same rule the API applies would allow it, and
each refusal says what is wrong in the words of the person refused. Every rule looks at one `Scene`
(who acts, on which case and task, in which organisation) and answers with a `Refusal` or None.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from .access import READ_ALL_ROLES, CaseFacts, TaskFacts, Viewer, may_see_case, refusal_to_work, role_words
from .messages import Message, Words
from .organisation import Organisation, Person
from .working_calendar import WorkingCalendar

READ_ONLY_ROLES = frozenset({"auditor"})  # they read everything and act on nothing
# beyond each holder's own superior (上级): a technical director dispatches the whole engineer pool
POOL_SUPERVISORS: dict[str, frozenset[str]] = {"tech_director": frozenset({"engineer"})}
URGE_INTERVAL = timedelta(hours=1)
WORKDAY_START = time(9, 0)  # working time runs from here to the calendar's end of day


@dataclass(frozen=True)
class Refusal:
    """Why an action is not allowed. `kind`: "forbidden" (not yours), "conflict" (not now) or
    "invalid" (bad input, then `field` names the input)."""

    kind: str
    message: Message
    field: str = ""


def task_label(task_id: int, name: str) -> Message:
    """How a refusal names a task: its number and its name."""
    return Message("task.label", {"task": task_id, "name": name})


@dataclass(frozen=True)
class TaskState:
    id: int
    name: str
    role: str
    status: str
    assignee: str | None = None
    delegated_by: str | None = None
    last_urged_at: datetime | None = None
    completed_by: str | None = None

    @property
    def label(self) -> Message:
        return task_label(self.id, self.name)

    @property
    def facts(self) -> TaskFacts:
        return TaskFacts(self.role, self.status, self.assignee, self.completed_by)


@dataclass(frozen=True)
class Scene:
    """Everything a rule looks at."""

    actor: Viewer
    org: Organisation
    case_id: int
    case_status: str
    case: CaseFacts
    task: TaskState | None = None


def worker_of(person: Person) -> Viewer:
    """A person as the rules of working a task see them (who is below them plays no part there)."""
    return Viewer(person.username, person.roles, person.company)


def viewer_of(person: Person, org: Organisation) -> Viewer:
    """A person as the access policy sees them, with everyone below them in the lines of superiors."""
    below = frozenset(p.username for p in org.people.values()
                      if any(s.username == person.username for s in org.superiors(p.username)))
    return Viewer(person.username, person.roles, person.company, below)


def is_read_only(viewer: Viewer) -> bool:
    """An auditor only reads, unless another read-all role lets them act."""
    return bool(viewer.roles & READ_ONLY_ROLES) and not viewer.roles & (READ_ALL_ROLES - READ_ONLY_ROLES)


def _task(scene: Scene) -> TaskState:
    assert scene.task is not None, "a task rule needs a task"
    return scene.task


def holds(scene: Scene, viewer: Viewer | None = None) -> bool:
    """The viewer (default: the actor) may work the task now: its assignee, or one of its role."""
    task = _task(scene)
    return refusal_to_work(viewer or scene.actor, scene.case, task.facts, task.label) is None


def supervises(scene: Scene) -> bool:
    """The actor is above the task's holder in their line of superiors (as for seeing the case), or
    dispatches the pool of its role."""
    task, actor = _task(scene), scene.actor
    holder = scene.org.person(task.assignee)
    if holder is not None and any(s.username == actor.username for s in scene.org.superiors(holder.username)):
        return True
    return any(task.role in POOL_SUPERVISORS.get(role, frozenset()) for role in actor.roles)


def _open_andrunning_refusal(scene: Scene) -> Refusal | None:
    task = _task(scene)
    if task.status != "open":
        if task.completed_by:
            return Refusal("conflict", Message("task.already_by", {"task": task.label, "status": status_words(
                task.status), "user": task.completed_by}))
        return Refusal("conflict", Message("task.already", {"task": task.label, "status": status_words(task.status)}))
    return running_refusal(scene)


def running_refusal(scene: Scene) -> Refusal | None:
    if scene.case_status != "running":
        return Refusal("conflict", Message("case.not_running", {"case": scene.case_id,
                                                                "status": status_words(scene.case_status)}))
    return None


STATUS_WORDS = {"open": Words("待办理", "open"), "completed": Words("完成", "completed"),
                "cancelled": Words("取消", "cancelled"), "error": Words("出错", "failed"),
                "running": Words("运行", "running"), "withdrawn": Words("撤回", "withdrawn"),
                "waiting": Words("等待加签", "waiting for a signer"), "starting": Words("启动中", "starting"),
                "resolved": Words("处理", "resolved"), "retried": Words("重试", "retried")}


def status_words(status: str | None) -> Words:
    """A task's, case's or incident's status as a sentence says it."""
    return STATUS_WORDS.get(status or "", Words(status or "", status or ""))


def _not_while_delegated(scene: Scene) -> Refusal | None:
    task = _task(scene)
    if task.delegated_by:
        return Refusal("conflict", Message("task.delegated_waiting", {"task": task.label, "by": task.delegated_by,
                                                                      "to": task.assignee}))
    return None


def _may_not_work(scene: Scene, code: str = "task.may_not_work") -> Refusal:
    task = _task(scene)
    reason = refusal_to_work(scene.actor, scene.case, task.facts, task.label) or ""
    return Refusal("forbidden", Message(code, {"user": scene.actor.username, "task": task.label, "reason": reason}))


def transfer_refusal(scene: Scene) -> Refusal | None:
    """转办: the holder, or a supervisor of the holder (reassigning), overdue or not."""
    found = _open_andrunning_refusal(scene) or _not_while_delegated(scene)
    if found:
        return found
    if holds(scene) or supervises(scene):
        return None
    return _may_not_work(scene, "task.may_not_transfer")


def delegate_refusal(scene: Scene) -> Refusal | None:
    """委派: only the holder; the task stays theirs and comes back to them to confirm."""
    found = _open_andrunning_refusal(scene) or _not_while_delegated(scene)
    if found:
        return found
    return None if holds(scene) else _may_not_work(scene)


def target_refusal(scene: Scene, to: object) -> Refusal | None:
    """The person a task is transferred or delegated to: active, of the task's role, not the actor."""
    task = _task(scene)
    if not isinstance(to, str) or not to.strip():
        return Refusal("invalid", Message("target.missing"), "to")
    name = to.strip()
    if name == scene.actor.username:
        return Refusal("invalid", Message("target.self", {"user": name}), "to")
    if name == task.assignee:
        return Refusal("invalid", Message("target.holds", {"user": name, "task": task.label}), "to")
    person = scene.org.person(name)
    if person is None:
        return Refusal("invalid", Message("user.not_active", {"user": name[:64]}), "to")
    if task.role not in person.roles:
        return Refusal("invalid", Message("target.role", {"user": name, "role": role_words(task.role)}), "to")
    if refusal_to_work(worker_of(person), scene.case, TaskFacts(task.role, "open"), "") is not None:
        return Refusal("invalid", Message("target.other_customer", {"user": name}), "to")
    return None


def submit_refusal(scene: Scene) -> Refusal | None:
    """The delegate hands the filled form back; only the delegate, only while delegated."""
    task = _task(scene)
    found = _open_andrunning_refusal(scene)
    if found:
        return found
    if not task.delegated_by:
        return Refusal("conflict", Message("task.not_delegated", {"task": task.label}))
    if task.assignee != scene.actor.username:
        return Refusal("forbidden", Message("task.delegated_to_other", {"task": task.label, "to": task.assignee,
                                                                        "user": scene.actor.username}))
    return None


# --- 催办 -------------------------------------------------------------------------------------------


def holders(scene: Scene) -> list[str]:
    """Who has the task now: its assignee, else everyone of its role who may work it."""
    task = _task(scene)
    if task.assignee:
        return [task.assignee]
    return [p.username for p in scene.org.with_role(task.role) if holds(scene, worker_of(p))]


def working_time_after(cal: WorkingCalendar, start: datetime, duration: timedelta) -> datetime:
    """The moment `duration` of working time (working days, WORKDAY_START to end of day) has passed."""
    moment, remaining = start.astimezone(cal.tz), duration
    for _ in range(400):
        day = moment.date()
        if cal.is_workday(day):
            begin = max(moment, datetime.combine(day, WORKDAY_START, tzinfo=cal.tz))
            end = datetime.combine(day, cal.end_of_day, tzinfo=cal.tz)
            if begin < end:
                if end - begin >= remaining:
                    return begin + remaining
                remaining -= end - begin
        moment = datetime.combine(day + timedelta(days=1), time(0), tzinfo=cal.tz)
    return moment


def next_urge_at(cal: WorkingCalendar, task: TaskState) -> datetime | None:
    return working_time_after(cal, task.last_urged_at, URGE_INTERVAL) if task.last_urged_at else None


def urge_refusal(scene: Scene, cal: WorkingCalendar, now: datetime) -> Refusal | None:
    """催办: whoever is involved in the case but only reads it by copy or audit; once per working hour."""
    task = _task(scene)
    found = _open_andrunning_refusal(scene)
    if found:
        return found
    actor = scene.actor
    uncopied = CaseFacts(scene.case.started_by, scene.case.customer, scene.case.tasks)
    if is_read_only(actor) or not may_see_case(actor, uncopied):
        return Refusal("forbidden", Message("urge.forbidden", {"user": actor.username, "task": task.label}))
    targets = [h for h in holders(scene) if h != actor.username]
    if not targets:
        return Refusal("conflict", Message("urge.nobody", {"task": task.label}))
    allowed = next_urge_at(cal, task)
    if allowed is not None and now < allowed:
        return Refusal("conflict", Message("urge.too_soon", {"task": task.label, "at": _local(cal, task.last_urged_at),
                                                             "next": _local(cal, allowed)}))
    return None


def _local(cal: WorkingCalendar, moment: datetime | None) -> str:
    return moment.astimezone(cal.tz).strftime("%Y-%m-%d %H:%M") if moment else ""
