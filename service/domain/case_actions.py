"""The 审批 actions on a whole case as rules: comments with @mentions, copies (抄送), withdrawing (撤回).

Split from `task_actions` (the rules on one task) and built on its `Scene` and `Refusal`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .access import may_see_case, refusal_to_work
from .input_limits import text_problem
from .organisation import Organisation
from .task_actions import Refusal, Scene, holds, is_read_only, running_refusal, viewer_of, worker_of

CASE_COPIERS = frozenset({"process_owner", "admin"})
MACHINE_ACTORS = frozenset({"system", "worker"})
ACT_VERBS = {"task_completed": "办理", "task_claimed": "认领", "task_released": "退回", "task_transferred": "转办",
             "task_delegated": "委派", "delegation_submitted": "提交", "comment_added": "评论", "case_copied": "抄送",
             "signer_added": "加签", "signer_signed": "签署", "task_held_for_signer": "提交", "task_sent_back": "退回"}
NOT_ACTING = frozenset({"task_urged"})  # a reminder changes nothing on the case: the starter may still withdraw
COMMENT_MAX = 2000
REASON_MAX = 500
COPY_MAX = 50
_MENTION = re.compile(r"@([^\s@]+)")


@dataclass(frozen=True)
class Act:
    """Something a person did on a case, as the audit log recorded it (for withdrawing)."""

    actor: str
    type: str
    task: str = ""  # the task's label when the act was on one


# --- 审批意见 ---------------------------------------------------------------------------------------


def comment_refusal(scene: Scene) -> Refusal | None:
    """Anyone who may see the case writes an opinion on it; auditors only read."""
    actor = scene.actor
    if not may_see_case(actor, scene.case):
        return Refusal("forbidden", f"案例 #{scene.case_id} 对 '{actor.username}' 不可见 "
                                    f"(case {scene.case_id} is not visible to '{actor.username}')")
    if is_read_only(actor):
        return Refusal("forbidden", f"审计员只能查看，不能发表意见 ('{actor.username}' is an auditor: read only)")
    return None


def text_refusal(text: object, field: str, max_length: int, what: str) -> Refusal | None:
    if not isinstance(text, str) or not text.strip():
        return Refusal("invalid", f"请填写{what} (required)", field)
    problem = text_problem(text.strip(), max_length=max_length)
    return Refusal("invalid", problem, field) if problem else None


def mentions_in(text: str, org: Organisation) -> list[str]:
    """`@username` or `@显示名` — the longest known name right after each @ (so "@工程师3，请看" works)."""
    names: dict[str, str] = {}
    for person in org.people.values():
        if person.active:
            names.setdefault(person.username, person.username)
            names.setdefault(person.display_name, person.username)
    found: list[str] = []
    for match in _MENTION.finditer(text):
        word = match.group(1)
        best = max((n for n in names if word.startswith(n)), key=len, default=None)
        if best is not None and names[best] not in found:
            found.append(names[best])
    return found


def mention_refusal(scene: Scene, mentioned: Iterable[str]) -> Refusal | None:
    """A mention notifies; it never opens the case to someone who may not read it (抄送 does that)."""
    people = [(n, scene.org.person(n)) for n in mentioned]
    blind = [n for n, p in people if p is None or not may_see_case(viewer_of(p, scene.org), scene.case)]
    if blind:
        who = "、".join(blind)
        return Refusal("invalid", f"{who} 不能查看此案例，请先抄送给他们 ({', '.join(blind)} may not see this case: "
                                  f"copy it to them first)", "text")
    return None


# --- 抄送 -------------------------------------------------------------------------------------------


def copy_refusal(scene: Scene) -> Refusal | None:
    """抄送: the task's holder (or, case-wide, any open task's holder), the starter, a process owner or admin."""
    actor = scene.actor
    if actor.roles & CASE_COPIERS or actor.username == scene.case.started_by:
        return None
    if scene.task is not None:
        if holds(scene):
            return None
    elif any(refusal_to_work(actor, scene.case, t, "") is None for t in scene.case.tasks if t.status == "open"):
        return None
    where = scene.task.label if scene.task else f"案例 #{scene.case_id}"
    return Refusal("forbidden", f"'{actor.username}' 不能抄送{where}：只有办理人、发起人、流程负责人和管理员可以 "
                                f"(only the holder, the starter, process owners and admins copy a case)")


def copy_targets_refusal(scene: Scene, to: object) -> Refusal | None:
    if not isinstance(to, list) or not to or not all(isinstance(n, str) and n.strip() for n in to):
        return Refusal("invalid", "请选择抄送对象：用户名列表 (choose the people: a list of user names)", "to")
    if len(to) > COPY_MAX:
        return Refusal("invalid", f"一次最多抄送 {COPY_MAX} 人 (at most {COPY_MAX} people at once)", "to")
    for name in (n.strip() for n in to):
        person = scene.org.person(name)
        if person is None:
            return Refusal("invalid", f"没有在职用户 '{name[:64]}' (no active user '{name[:64]}')", "to")
        if name == scene.actor.username:
            return Refusal("invalid", f"不能抄送给自己 ('{name}' is you)", "to")
        if worker_of(person).is_customer and person.company != scene.case.customer:
            return Refusal("invalid", f"'{name}' 是其他客户的联系人，不能抄送 ('{name}' is a contact of another "
                                      f"customer)", "to")
    return None


# --- 撤回 -------------------------------------------------------------------------------------------


def first_act_of_others(scene: Scene, acts: Sequence[Act]) -> Act | None:
    starter = scene.case.started_by
    return next((a for a in acts if a.actor not in MACHINE_ACTORS and a.actor != starter
                 and a.type not in NOT_ACTING), None)


def withdraw_refusal(scene: Scene, acts: Sequence[Act]) -> Refusal | None:
    """撤回: the starter, while the case runs and nobody else has acted on it yet."""
    actor, starter = scene.actor.username, scene.case.started_by
    if actor != starter:
        return Refusal("forbidden", f"只有发起人 {starter} 可以撤回案例 #{scene.case_id} "
                                    f"(only the starter '{starter}' withdraws the case)")
    found = running_refusal(scene)
    if found:
        return found
    other = first_act_of_others(scene, acts)
    if other is not None:
        verb = ACT_VERBS.get(other.type, "处理")
        on_zh, on_en = (f"{verb}了{other.task}", f" on {other.task}") if other.task else (f"{verb}了案例", "")
        return Refusal("conflict", f"{other.actor} 已{on_zh}，案例不能再撤回，请流程负责人取消 ('{other.actor}' has "
                                   f"acted ({other.type}{on_en}): the case can no longer be withdrawn; a process "
                                   f"owner may cancel it)")
    return None
