"""What the properties panel offers a process owner, and the check of what they type.

Why on the server: the roles, the service operations and their parameters, the deployed processes
and the decision tables are known here, and the check of an expression must be the very one the
deploy runs (`engine.safe_eval`), or the editor would accept what deploy refuses.
"""

from __future__ import annotations

import ast
import textwrap
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from service.domain.messages import Message, known
from service.domain.roles import ROLES, role_label
from service.engine import safe_eval
from service.engine.definitions import BPMN, SPIFF
from service.engine.xml_safety import XmlRejected, parse_xml
from service.service_tasks.registry import operations

from . import queries
from .context import AppContext
from .localise import localise_processes
from .process_drafts import check_may_read, current_content
from .process_templates import DraftContent

# the operations whose result is a due time: a timer or a task's dueAt names their result variables
DEADLINE_OPERATIONS = ("working_day_end", "working_day_deadline", "next_working_day_end")
CHECK_KINDS = ("condition", "script", "timer", "assignee")
TIMER_EXAMPLES = "\"2026-10-08T18:00:00+08:00\", \"P2D\", \"R/PT24H\""


def catalogue(ctx: AppContext, process_id: str | None, *, actor: str, lang: str) -> dict[str, Any]:
    """Everything the panel offers; the forms, tables and deadlines are those of the process's draft
    (or latest version) when `process_id` is given."""
    with ctx.db.reading() as session:
        check_may_read(session, actor)
        content = current_content(session, process_id)[0] if process_id else DraftContent({}, {}, {})
    return {"roles": [{"id": role, "name": role_label(role, lang)} for role in ROLES],
            "operations": [_operation(op, lang) for op in sorted(operations().values(), key=lambda o: o.name)],
            "forms": sorted(content.forms), "processes": _processes(ctx, lang),
            "decisions": decisions(content), "deadline_variables": deadline_variables(content)}


def _operation(op: Any, lang: str) -> dict[str, Any]:
    code = f"editor.operation.{op.name}"
    description = Message(code).render(lang) if known(code) else op.description
    return {"name": op.name, "description": description, "required": sorted(op.required),
            "optional": sorted(op.optional), "result": True}


def _processes(ctx: AppContext, lang: str) -> list[dict[str, Any]]:
    latest: dict[str, dict[str, Any]] = {}
    for row in queries.definitions(ctx):  # ordered by version: the last one wins
        latest[row["process_id"]] = {"process_id": row["process_id"], "name": row["name"], "version": row["version"]}
    return localise_processes(ctx, list(latest.values()), lang)


def _trees(content: DraftContent, suffix: str) -> list[tuple[str, etree._ElementTree]]:
    found = []
    for name in sorted(n for n in content.files if n.endswith(suffix)):
        try:
            found.append((name, parse_xml(content.files[name].encode("utf-8"), name)))
        except XmlRejected:
            continue  # the check reports it with its line; the panel offers what it can read
    return found


def decisions(content: DraftContent) -> list[dict[str, Any]]:
    """The decisions of the DMN files (by local name: files use either DMN 1.3 namespace spelling)."""
    return [{"id": node.get("id"), "name": node.get("name") or node.get("id"), "file": name}
            for name, tree in _trees(content, ".dmn") for node in tree.getroot()
            if isinstance(node.tag, str) and etree.QName(node).localname == "decision" and node.get("id")]


def deadline_variables(content: DraftContent) -> list[dict[str, Any]]:
    found = []
    for _name, tree in _trees(content, ".bpmn"):
        for task in tree.iter(f"{{{BPMN}}}serviceTask"):
            operator = task.find(f"{{{BPMN}}}extensionElements/{{{SPIFF}}}serviceTaskOperator")
            if operator is not None and operator.get("id") in DEADLINE_OPERATIONS and operator.get("resultVariable"):
                found.append({"name": operator.get("resultVariable"), "operation": operator.get("id"),
                              "element_id": task.get("id")})
    return found


# -- checks as you type --------------------------------------------------------------------------------

def check(expression: str, kind: str, lang: str) -> dict[str, Any]:
    """The deploy's own check of one condition, script, timer or assignee; and the variables it reads."""
    literal = _string_literal(expression) if kind == "timer" else None
    if literal is not None:
        problem = _timer_problem(literal)
        return {"ok": problem is None, "message": problem.render(lang) if problem else None, "variables": []}
    if kind == "timer" and _timer_problem(expression.strip()) is None:  # P2D, R/PT24H, a date: not variables
        said = Message("editor.timer_unquoted", {"text": expression.strip()[:80]})
        return {"ok": False, "message": said.render(lang), "variables": []}
    try:
        (safe_eval.check_script if kind == "script" else safe_eval.check_expression)(expression)
    except safe_eval.UnsafeExpression as exc:
        said = Message("editor.expression_refused", {"reason": str(exc)})
        return {"ok": False, "message": said.render(lang), "variables": []}
    return {"ok": True, "message": None, "variables": variables_read(expression, kind == "script")}


def _string_literal(source: str) -> str | None:
    try:
        value = ast.literal_eval(source.strip())
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    return value if isinstance(value, str) else None


def _timer_problem(text: str) -> Message | None:
    """None when the engine reads `text` as an ISO 8601 date-time, duration or cycle (R/…)."""
    reader = (TimerEventDefinition.parse_iso_recurring_interval if text.upper().startswith("R")
              else TimerEventDefinition.parse_time_or_duration)
    try:
        reader(text)
    except Exception:  # noqa: BLE001 - the engine's parsers raise bare Exception, ValueError, AttributeError
        return Message("editor.timer_not_iso", {"text": text[:80], "examples": TIMER_EXAMPLES})
    return None


def variables_read(source: str, script: bool) -> list[str]:
    """Case variables the source reads (not the built-ins, not comprehension variables, and in a
    script not what it assigned before reading)."""
    tree = ast.parse(textwrap.dedent(source) if script else source.strip(), mode="exec" if script else "eval")
    local: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.comprehension):
            local |= {n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)}
    names = sorted((n for n in ast.walk(tree) if isinstance(n, ast.Name)), key=lambda n: (n.lineno, n.col_offset))
    assigned: set[str] = set()
    read: list[str] = []
    for node in names:
        if isinstance(node.ctx, ast.Store):
            assigned.add(node.id)
        elif node.id not in assigned | local | set(safe_eval.SAFE_FUNCTIONS) and node.id not in read:
            read.append(node.id)
    return read
