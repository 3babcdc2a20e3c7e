"""Who does a user task: Camunda's and Flowable's `assignee` / `candidateGroups` / `candidateUsers`.

Here the lane a task is in is the role that does it, and the `assignee` property (an expression over
the case data) may name one person of that role. A candidate group that is a role of this
organisation puts the task in that role's lane; an assignee written as one variable
(`${initiator}`) becomes that expression. Literal people (`demo`, `kermit`) and groups that are no
role here are said, not guessed: the owner picks the role.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from . import BPMN, Finding, Fix, dialect_attribute, finding, juel
from .lanes import lane_of, lanes_by_node, put_in_lane
from .spiff import property_of, set_property

ResolveRole = Callable[[str | None], str | None]


def findings(tree: etree._ElementTree, resolve_role: ResolveRole) -> list[Finding]:
    lanes = lanes_by_node(tree)
    found: list[Finding] = []
    for node in list(tree.iter(f"{{{BPMN}}}userTask")):
        in_lane = lane_of(node, lanes) is not None
        groups = dialect_attribute(node, "candidateGroups")
        if groups is not None and not in_lane:
            found.append(_group_finding(node, *groups, resolve_role))
        elif groups is None and not in_lane:
            users = dialect_attribute(node, "candidateUsers")
            if users is not None:
                found.append(finding(node, "foreign.candidate_users", attribute=users[0], value=users[1]))
        assignee = dialect_attribute(node, "assignee")
        if assignee is not None and property_of(node, "assignee") is None:
            found.append(_assignee_finding(node, *assignee))
    return found


def _group_finding(node: etree._Element, attribute: str, value: str, resolve_role: ResolveRole) -> Finding:
    groups = [g.strip() for g in value.split(",") if g.strip()]
    roles = {resolve_role(g) for g in groups}
    if juel.is_juel(value) or len(roles) != 1 or None in roles:
        unknown = ", ".join(g for g in groups if resolve_role(g) is None) or value
        return finding(node, "foreign.candidate_group_not_role", attribute=attribute, value=value, groups=unknown)
    role = roles.pop()
    assert role is not None

    def apply() -> None:
        put_in_lane(node, role)

    return finding(node, "foreign.candidate_group", Fix(f'{attribute}="{value}"', f"lane {role}", apply),
                   attribute=attribute, role=role)


def _assignee_finding(node: etree._Element, attribute: str, value: str) -> Finding:
    python = juel.to_python(value) if juel.is_juel(value) else None
    if python is None or not python.isidentifier():
        return finding(node, "foreign.assignee_literal", attribute=attribute, value=value)

    def apply() -> None:
        set_property(node, "assignee", python)

    return finding(node, "foreign.assignee", Fix(f'{attribute}="{value}"', f"assignee {python}", apply),
                   attribute=attribute)
