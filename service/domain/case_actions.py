"""The 审批 actions on a whole case as rules: comments with @mentions, copies (抄送), withdrawing (撤回).

Split from `task_actions` (the rules on one task) and built on its `Scene` and `Refusal`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .access import may_see_case, refusal_to_work
from .input_limits import text_problem
from .messages import Message, Words
from .organisation import Organisation
from .task_actions import Refusal, Scene, holds, is_read_only, running_refusal, viewer_of, worker_of

CASE_COPIERS = frozenset({"process_owner", "admin"})
MACHINE_ACTORS = frozenset({"system", "worker"})
ACT_VERBS = {"task_completed": Words("办理", "completed"), "task_claimed": Words("认领", "claimed"),
             "task_released": Words("退回", "released"), "task_transferred": Words("转办", "transferred"),
             "task_delegated": Words("委派", "delegated"), "delegation_submitted": Words("提交", "submitted"),
             "comment_added": Words("评论", "commented on"), "case_copied": Words("抄送", "copied"),
             "signer_added": Words("加签", "added a signer to"), "signer_signed": Words("签署", "signed"),
             "task_held_for_signer": Words("提交", "submitted"), "task_sent_back": Words("退回", "sent back")}
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
    task: Message | None = None  # the task's label (`task_actions.task_label`) when the act was on one


# --- 审批意见 ---------------------------------------------------------------------------------------


def comment_refusal(scene: Scene) -> Refusal | None:
    """Anyone who may see the case writes an opinion on it; auditors only read."""
    actor = scene.actor
    if not may_see_case(actor, scene.case):
        return Refusal("forbidden", Message("case.not_visible", {"case": scene.case_id, "user": actor.username}))
    if is_read_only(actor):
        return Refusal("forbidden", Message("comment.auditor", {"user": actor.username}))
    return None


def text_refusal(text: object, field: str, max_length: int, what: Message) -> Refusal | None:
    """`what` names the text asked for (a message: "opinion", "reason")."""
    if not isinstance(text, str) or not text.strip():
        return Refusal("invalid", Message("text.required", {"what": what}), field)
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
        return Refusal("invalid", Message("mention.blind", {"users": "、".join(blind), "case": scene.case_id}), "text")
    return None


# --- 抄送 -------------------------------------------------------------------------------------------


def copy_refusal(scene: Scene) -> Refusal | None:
    """抄送: the task's holder (or, case-wide, any open task's holder), the starter, a process owner or admin.
    Never a customer's contact: copying lets the people named read our case."""
    actor = scene.actor
    if actor.is_customer:
        return Refusal("forbidden", Message("copy.customer", {"user": actor.username}))
    if actor.roles & CASE_COPIERS or actor.username == scene.case.started_by:
        return None
    if scene.task is not None:
        if holds(scene):
            return None
    elif any(refusal_to_work(actor, scene.case, t, "") is None for t in scene.case.tasks if t.status == "open"):
        return None
    where = scene.task.label if scene.task else Message("case.label", {"case": scene.case_id})
    return Refusal("forbidden", Message("copy.forbidden", {"user": actor.username, "where": where}))


def copy_targets_refusal(scene: Scene, to: object) -> Refusal | None:
    if not isinstance(to, list) or not to or not all(isinstance(n, str) and n.strip() for n in to):
        return Refusal("invalid", Message("copy.targets"), "to")
    if len(to) > COPY_MAX:
        return Refusal("invalid", Message("copy.too_many", {"max": COPY_MAX}), "to")
    for name in (n.strip() for n in to):
        person = scene.org.person(name)
        if person is None:
            return Refusal("invalid", Message("user.not_active", {"user": name[:64]}), "to")
        if name == scene.actor.username:
            return Refusal("invalid", Message("copy.self", {"user": name}), "to")
        if worker_of(person).is_customer and person.company != scene.case.customer:
            return Refusal("invalid", Message("copy.other_customer", {"user": name}), "to")
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
        return Refusal("forbidden", Message("withdraw.not_starter", {"starter": starter, "case": scene.case_id,
                                                                     "user": actor}))
    found = running_refusal(scene)
    if found:
        return found
    other = first_act_of_others(scene, acts)
    if other is not None:
        verb = ACT_VERBS.get(other.type, ACT_VERBS["task_completed"])
        where = other.task or Message("case.this")
        return Refusal("conflict", Message("withdraw.acted", {"user": other.actor, "verb": verb, "where": where}))
    return None
