"""Parse and check a process bundle (BPMN + DMN) before anything is stored.

Everything a diagram can get wrong is found here, with file, line and
element id: hostile or malformed XML, engine-level errors, lanes that are
not roles, unknown service operations or missing parameters, and
expressions the restricted evaluator refuses. The result carries the parsed
specs and the metadata the server needs (forms, roles, due dates).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser.process import VALIDATOR

from service.domain.messages import Message, Words

from . import safe_eval
from .checks import elements as checks_elements
from .checks.decisions import decision_problems
from .checks.expressions import juel_body, python_of_juel
from .checks.schema import schema_problem, schema_problems
from .checks.timers import unquoted_iso
from .parser_hooks import ProductBpmnParser
from .problems import DefinitionInvalid, Problem, words_of
from .xml_safety import XmlRejected, parse_xml

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NS = {"bpmn": BPMN, "spiffworkflow": SPIFF}


@dataclass(frozen=True)
class OperationSignature:
    required: frozenset[str]
    optional: frozenset[str] = frozenset()
    # parameter -> why a literal value is wrong (None when fine); an expression is checked when it runs
    checks: Mapping[str, Callable[[Any], str | None]] = field(default_factory=dict)


@dataclass
class ParsedBundle:
    process_id: str
    spec: Any
    subprocess_specs: dict[str, Any]
    metadata: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)


def _properties(node: etree._Element) -> dict[str, str]:
    found = node.xpath("./bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property", namespaces=NS)
    return {p.get("name"): p.get("value") for p in found}


def _element_of(node: etree._Element) -> etree._Element:
    """The BPMN element an extension belongs to (extension → extensionElements → element)."""
    holder = node.getparent()
    element = holder.getparent() if holder is not None else None
    return element if element is not None else node


def _lanes(tree: etree._ElementTree) -> dict[str, etree._Element]:
    by_node: dict[str, etree._Element] = {}
    for lane in tree.iter(f"{{{BPMN}}}lane"):
        for ref in lane.findall(f"{{{BPMN}}}flowNodeRef"):
            by_node[(ref.text or "").strip()] = lane
    return by_node


def _lane_of(node: etree._Element, lanes: dict[str, etree._Element]) -> etree._Element | None:
    """A node inside a subprocess belongs to the lane of the subprocess unless a lane lists it."""
    while node is not None:
        if node.get("id") in lanes:
            return lanes[node.get("id")]
        node = node.getparent()
    return None


# how modelers say a script is Python; anything else (groovy, javascript, juel) is another language
PYTHON_SCRIPTS = frozenset({"python", "py", "text/python", "text/x-python", "application/x-python"})
# Quartz's cron, as Camunda writes a timer cycle
_CRON = re.compile(r"([0-9*?/,LW#A-Z-]+\s+){4,6}[0-9*?/,LW#A-Z-]+", re.IGNORECASE)


class _Checker:
    def __init__(self, filename: str, operations: Mapping[str, OperationSignature],
                 resolve_role: Callable[[str | None], str | None], roles: Sequence[str] = (),
                 index: checks_elements.BundleIndex | None = None):
        self.filename = filename
        self.operations = operations
        self.resolve_role = resolve_role
        self.roles = roles
        self.index = index or checks_elements.BundleIndex({}, frozenset())
        self.problems: list[Problem] = []
        self.lanes_said: set[tuple[str, int]] = set()  # a lane's problem is said once, not once per task in it

    def problem(self, node: etree._Element, said: Message) -> None:
        self.problems.append(Problem.said(self.filename, node.sourceline, node.get("id", ""), said))

    def expression(self, node: etree._Element, source: str | None, what: Words, script: bool = False) -> None:
        if source is None or not source.strip():
            self.problem(node, Message("diagram.expression_empty", {"what": what}))
            return
        juel = juel_body(source)
        if juel is not None:  # Camunda's and Flowable's expression language
            python = python_of_juel(juel)
            try:  # offered only when it is an expression this engine accepts
                safe_eval.check_expression(python)
                said = Message("diagram.expression_juel", {"what": what, "text": source.strip()[:120],
                                                           "python": python[:120]})
            except safe_eval.UnsafeExpression:
                said = Message("diagram.expression_juel_rewrite", {"what": what, "text": source.strip()[:120]})
            self.problem(node, said)
            return
        try:
            (safe_eval.check_script if script else safe_eval.check_expression)(source)
        except safe_eval.UnsafeExpression as exc:
            self.problem(node, Message("diagram.expression_refused", {"what": what, "reason": str(exc)}))

    def process(self, process: etree._Element, tree: etree._ElementTree) -> dict[str, Any]:
        lanes = _lanes(tree)
        tasks: dict[str, dict[str, Any]] = {}
        start_form, start_role, start_roles = None, None, None
        for node in process.iter(f"{{{BPMN}}}startEvent"):
            if node.getparent() is process:
                start_form = _properties(node).get("formKey") or start_form
                lane = _lane_of(node, lanes)
                start_role = self.resolve_role(lane.get("name")) if lane is not None else start_role
                listed = _properties(node).get("startRoles")
                if listed:
                    start_roles = [r.strip() for r in listed.split(",") if r.strip()]
                    for role in start_roles:
                        if self.resolve_role(role) is None:
                            self.problem(node, Message("diagram.start_role_unknown", {"role": role}))
        for node in process.iter(f"{{{BPMN}}}userTask", f"{{{BPMN}}}manualTask"):
            tasks[node.get("id")] = self.user_task(node, lanes)
        flow_ids = {n.get("id") for n in process if n.get("id")}
        for node in process.iter(f"{{{BPMN}}}serviceTask"):
            self.service_task(node)
            operator = node.find(f"{{{BPMN}}}extensionElements/{{{SPIFF}}}serviceTaskOperator")
            if operator is not None and operator.get("id") in flow_ids:
                self.problem(node, Message("diagram.operator_id_clash", {"id": operator.get("id")}))
        for node in process.iter(f"{{{BPMN}}}scriptTask"):
            script = node.find(f"{{{BPMN}}}script")
            language = (node.get("scriptFormat") or "python").strip()
            if language.lower() not in PYTHON_SCRIPTS:
                self.problem(node, Message("diagram.script_language", {"language": language[:40]}))
                continue
            self.expression(node, script.text if script is not None else None, words_of("diagram.what_script"),
                            script=True)
        for tag, what in (("preScript", "diagram.what_pre_script"), ("postScript", "diagram.what_post_script")):
            for node in process.iter(f"{{{SPIFF}}}{tag}"):  # run when the task becomes ready / completes
                self.expression(_element_of(node), node.text, words_of(what), script=True)
        for node in process.iter(f"{{{BPMN}}}conditionExpression"):
            self.expression(node.getparent(), node.text, words_of("diagram.what_condition"))
        for tag in ("timeDate", "timeDuration", "timeCycle"):
            for node in process.iter(f"{{{BPMN}}}{tag}"):
                self.timer(node.getparent().getparent(), tag, node.text)
        self.problems.extend(checks_elements.element_problems(self.filename, process, self.index))
        for found in checks_elements.expressions(process):
            self.expression(found.node, found.source, words_of(found.what))
        return {"start_form": start_form, "start_roles": start_roles or ([start_role] if start_role else []),
                "tasks": tasks, "name": process.get("name") or process.get("id")}

    def timer(self, event: etree._Element, tag: str, text: str | None) -> None:
        """ISO text written bare (`PT5M`) is said as such; any other text is an expression."""
        if text is not None and unquoted_iso(tag, text):
            self.problem(event, Message("diagram.timer_unquoted", {"tag": tag, "text": text.strip()[:80],
                                                                   "quoted": f'"{text.strip()[:80]}"'}))
            return
        if text is not None and _CRON.fullmatch(text.strip()):
            self.problem(event, Message("diagram.timer_cron", {"tag": tag, "text": text.strip()[:80],
                                                               "example": '"R/PT5M"'}))
            return
        self.expression(event, text, words_of("diagram.what_timer", tag=tag))

    def user_task(self, node: etree._Element, lanes: dict[str, etree._Element]) -> dict[str, Any]:
        lane = _lane_of(node, lanes)
        lane_name = lane.get("name") if lane is not None else None
        role = self.resolve_role(lane_name)
        if lane is None:
            self.problem(node, Message("diagram.user_task_no_lane"))
        elif role is None and (lane.get("id", ""), lane.sourceline or 0) not in self.lanes_said:
            self.lanes_said.add((lane.get("id", ""), lane.sourceline or 0))
            if not (lane_name or "").strip():
                self.problem(lane, Message("diagram.lane_unnamed", {"roles": ", ".join(self.roles) or "-"}))
            else:
                self.problem(lane, Message("diagram.lane_not_a_role", {"lane": lane_name}))
        props = _properties(node)
        if not props.get("formKey"):
            manual = etree.QName(node).localname == "manualTask"
            self.problem(node, Message("diagram.manual_task_no_form" if manual else "diagram.user_task_no_form"))
        if "assignee" in props:  # evaluated over the case variables when the task is created
            self.expression(node, props["assignee"], words_of("diagram.what_assignee"))
        apart = [e.strip() for e in (props.get("differentFrom") or "").split(",") if e.strip()]
        known = {el.get("id") for el in node.getroottree().iter() if isinstance(el.tag, str)
                 and etree.QName(el).localname in ("userTask", "manualTask")}
        for element in apart:
            if element not in known or element == node.get("id"):
                self.problem(node, Message("diagram.different_from_unknown", {"element": element[:64]}))
        return {"name": node.get("name") or node.get("id"), "role": role, "lane": lane_name,
                "form": props.get("formKey"), "due": props.get("dueAt"), "assignee": props.get("assignee"),
                "different_from": ",".join(apart) or None}

    def service_task(self, node: etree._Element) -> None:
        operator = node.find(f"{{{BPMN}}}extensionElements/{{{SPIFF}}}serviceTaskOperator")
        if operator is None:
            self.problem(node, Message("diagram.service_task_no_operation"))
            return
        name = operator.get("id")
        signature = self.operations.get(name or "")
        if signature is None:
            listed = ", ".join(sorted(self.operations))
            known = Words(listed, listed) if listed else words_of("diagram.none")
            self.problem(node, Message("diagram.unknown_operation", {"name": name, "known": known}))
            return
        given: dict[str, str] = {}
        for param in operator.iter(f"{{{SPIFF}}}parameter"):
            given[param.get("id")] = param.get("value")
            self.expression(node, param.get("value"), words_of("diagram.what_parameter", param=param.get("id")))
        missing = signature.required - set(given)
        unknown = set(given) - signature.required - signature.optional
        if missing:
            self.problem(node, Message("diagram.operation_missing_params",
                                       {"name": name, "params": ", ".join(sorted(missing))}))
        if unknown:
            self.problem(node, Message("diagram.operation_unknown_params",
                                       {"name": name, "params": ", ".join(sorted(unknown))}))
        for param_id, check in signature.checks.items():
            literal = _literal(given.get(param_id))
            problem = check(literal) if literal is not _NOT_LITERAL else None
            if problem:
                self.problem(node, Message("diagram.operation_param_invalid",
                                           {"name": name, "param": param_id, "problem": problem}))


_NOT_LITERAL = object()


def _literal(text: str | None) -> Any:
    """The value of a parameter written as a plain literal (a list of recipients), else _NOT_LITERAL."""
    if text is None:
        return _NOT_LITERAL
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return _NOT_LITERAL


def _engine_problem(exc: SpiffWorkflowException, trees: Mapping[str, etree._ElementTree]) -> Problem:
    filename = getattr(exc, "file_name", "") or next(iter(trees), "")
    element_id = getattr(exc, "id", "") or ""
    line = getattr(exc, "line_number", None) or None
    tree = trees.get(filename)
    if not line and element_id and tree is not None:
        found = tree.xpath("//*[@id=$id]", id=element_id)
        line = found[0].sourceline if found else None
    message = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
    return Problem(filename, line, element_id, message)


def _dmn_problems(filename: str, tree: etree._ElementTree) -> list[Problem]:
    """The engine reads the first decision of a DMN file and its first decision table."""
    root = tree.getroot()
    decisions = [n for n in root if _local_name(n) == "decision"]
    if not decisions:
        return [Problem.said(filename, root.sourceline, root.get("id", ""), Message("diagram.dmn_no_decision"))]
    return [Problem.said(filename, d.sourceline, d.get("id", ""), Message("diagram.decision_no_table"))
            for d in decisions if not any(_local_name(c) == "decisionTable" for c in d)]


# The engine's parser walks a diagram recursively and slowly: ten thousand chained tasks take it a
# minute and then overflow the stack. The largest real procedure has a few hundred elements.
MAX_MODEL_ELEMENTS = 3000


def _size_problems(filename: str, tree: etree._ElementTree) -> list[Problem]:
    """A diagram too large to be a written procedure is refused before the engine spends minutes on it."""
    count = 0
    for node in tree.iter(f"{{{BPMN}}}*"):
        count += 1
        if count > MAX_MODEL_ELEMENTS:
            return [Problem.said(filename, node.sourceline, node.get("id", ""),
                                 Message("diagram.too_large", {"max": MAX_MODEL_ELEMENTS}))]
    return []


def _local_name(node: etree._Element) -> str | None:
    return etree.QName(node).localname if isinstance(node.tag, str) else None


def _index(trees: Mapping[str, etree._ElementTree]) -> checks_elements.BundleIndex:
    """The processes and decisions the bundle's files hold, which calls and rule tasks may name."""
    processes = {p.get("id", ""): p.get("isExecutable", "true") == "true"
                 for name, tree in trees.items() if not name.endswith(".dmn")
                 for p in tree.getroot().iter(f"{{{BPMN}}}process")}
    decisions = {d.get("id", "") for name, tree in trees.items() if name.endswith(".dmn")
                 for d in tree.getroot() if _local_name(d) == "decision"}
    return checks_elements.BundleIndex(processes, frozenset(decisions))


def _schema_errors(exc: Exception) -> list[tuple[int | None, str]]:
    """Every error of the schema validation that failed (the engine's validator keeps them all)."""
    log = getattr(getattr(VALIDATOR, "validator", None), "error_log", None)
    found = [(e.line or None, e.message) for e in log] if log else []
    return found or [(getattr(exc, "line_number", None) or None, str(exc))]


def _engine_parser(trees: Mapping[str, etree._ElementTree]) -> ProductBpmnParser:
    parser = ProductBpmnParser(validator=VALIDATOR)
    for name, tree in trees.items():
        try:
            if name.endswith(".dmn"):
                parser.add_dmn_xml(tree.getroot(), filename=name)
            else:
                parser.add_bpmn_xml(tree, filename=name)
        except (ValidationException, SpiffWorkflowException) as exc:
            if str(exc).startswith("Element '"):  # the schema's complaint: the engine passes on only its last
                raise DefinitionInvalid(schema_problems(name, _schema_errors(exc), tree)) from exc
            raise DefinitionInvalid([_engine_problem(exc, trees)]) from exc
        except etree.DocumentInvalid as exc:
            error = exc.error_log.last_error if exc.error_log else None
            raise DefinitionInvalid([schema_problem(name, error.line if error else None, str(exc), tree)]) from exc
        except Exception as exc:  # the engine's parser trips on shapes the schema lets through
            raise DefinitionInvalid([Problem(name, None, "", "the engine cannot read this file: "
                                                             f"{type(exc).__name__}: {exc}")]) from exc
    return parser


def parse_bundle(
    process_id: str,
    files: Mapping[str, bytes],
    *,
    operations: Mapping[str, OperationSignature],
    resolve_role: Callable[[str | None], str | None],
    roles: Sequence[str] = (),
) -> ParsedBundle:
    """Parse `files` (name → bytes; .bpmn and .dmn) and check `process_id` in them (`roles`: the role
    ids a lane may name, listed where a lane names none)."""
    problems: list[Problem] = []
    trees: dict[str, etree._ElementTree] = {}
    for name, data in files.items():
        try:
            trees[name] = parse_xml(data, name)
        except XmlRejected as exc:
            problems.append(Problem(name, exc.line, "", exc.message))
            continue
        if name.endswith(".dmn"):
            problems.extend(_dmn_problems(name, trees[name]) or decision_problems(name, trees[name]))
        else:
            problems.extend(_size_problems(name, trees[name]) or checks_elements.duplicate_ids(name, trees[name])
                            + checks_elements.data_stores(name, trees[name])
                            + checks_elements.unsupported(name, trees[name]))
    if problems:
        raise DefinitionInvalid(problems)
    parser = _engine_parser(trees)
    index = _index(trees)

    metadata: dict[str, Any] | None = None
    all_tasks: dict[str, Any] = {}
    for name, tree in trees.items():
        for process in tree.getroot().iter(f"{{{BPMN}}}process"):
            if not index.processes.get(process.get("id", ""), True) and process.get("id") != process_id:
                continue  # another party's pool, or documentation: it never runs here
            checker = _Checker(name, operations, resolve_role, roles, index)
            result = checker.process(process, tree)
            problems.extend(checker.problems)
            all_tasks.update(result["tasks"])  # call activities' tasks are listed too
            if process.get("id") == process_id:
                metadata = result
    if metadata is None:
        raise DefinitionInvalid(problems + [Problem.said(next(iter(files), "?"), None, process_id,
                                                         Message("diagram.process_missing", {"process": process_id}))])
    if problems:
        raise DefinitionInvalid(problems)
    try:
        spec = parser.get_spec(process_id)
        subprocess_specs = parser.get_subprocess_specs(process_id)
    except (ValidationException, SpiffWorkflowException) as exc:
        raise DefinitionInvalid([_engine_problem(exc, trees)]) from exc
    except Exception as exc:  # e.g. a decision table the engine cannot read
        raise DefinitionInvalid([Problem(f"{process_id}.bpmn", None, process_id, "the engine cannot build "
                                         f"this process: {type(exc).__name__}: {exc}")]) from exc
    metadata["process_id"] = process_id
    metadata["tasks"] = all_tasks
    return ParsedBundle(process_id, spec, subprocess_specs, metadata, dict(files))


# -- translations: the English names of a diagram (`<process_id>.en.json` beside it) -----------------------------
