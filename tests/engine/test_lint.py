"""Diagram rules checked before any deploy: each faulty diagram is refused naming the element and its
line, and the diagram put right is accepted — through the same check `guicheng validate`, the upload
API and the editor's 校验 use."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from service.config import PROJECT_ROOT
from service.engine import lint
from service.engine.definitions import ParsedBundle, parse_bundle
from service.engine.problems import DefinitionInvalid, Problem
from service.operations import deploy
from tests.support.cli import cli_env, run_cli

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="defs" targetNamespace="http://x">"""
FLOW_NODE = re.compile(r'<bpmn:(\w*(?:Task|Event|Gateway|Process|Activity)|task) id="(\w+)"')
FORM = json.dumps({"type": "default", "components": [
    {"type": "textfield", "key": "answer", "label": "Answer"},
    {"type": "group", "label": "More", "components": [{"type": "checkbox", "key": "again", "label": "Again"}]},
    {"type": "group", "label": "Contact", "path": "contact",
     "components": [{"type": "textfield", "key": "phone", "label": "Phone"}]}]})
START = '<bpmn:startEvent id="start" name="start"/>'
END = '<bpmn:endEvent id="end" name="end"/>'


def user(task_id: str) -> str:
    return (f'<bpmn:userTask id="{task_id}" name="{task_id}"><bpmn:extensionElements><spiffworkflow:properties>'
            '<spiffworkflow:property name="formKey" value="f"/></spiffworkflow:properties>'
            "</bpmn:extensionElements></bpmn:userTask>")


def script(task_id: str, source: str) -> str:
    return f'<bpmn:scriptTask id="{task_id}" name="{task_id}"><bpmn:script>{source}</bpmn:script></bpmn:scriptTask>'


def gateway(gateway_id: str, default: str | None = None, kind: str = "exclusiveGateway") -> str:
    default_attr = f' default="{default}"' if default else ""
    return f'<bpmn:{kind} id="{gateway_id}" name="{gateway_id}?"{default_attr}/>'


def timer_event(event_id: str, tag: str, text: str, host: str | None = None) -> str:
    kind = "boundaryEvent" if host else "intermediateCatchEvent"
    attached = f' attachedToRef="{host}" cancelActivity="false"' if host else ""
    return (f'<bpmn:{kind} id="{event_id}" name="{event_id}"{attached}><bpmn:timerEventDefinition>'
            f"<bpmn:{tag}>{text}</bpmn:{tag}></bpmn:timerEventDefinition></bpmn:{kind}>")


def flow(flow_id: str, source: str, target: str, condition: str | None = None) -> str:
    cond = f"<bpmn:conditionExpression>{condition}</bpmn:conditionExpression>" if condition else ""
    return f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}">{cond}</bpmn:sequenceFlow>'


def chain(*ids: str, prefix: str = "f") -> list[str]:
    return [flow(f"{prefix}_{a}_{b}", a, b) for a, b in zip(ids, ids[1:], strict=False)]


def diagram(*elements: str, process_id: str = "p", before: str = "", after: str = "") -> str:
    """One process, one element a line (so lines name elements), every flow node in the engineers' lane."""
    body = "\n".join(elements)
    refs = "".join(f"<bpmn:flowNodeRef>{m.group(2)}</bpmn:flowNodeRef>" for m in FLOW_NODE.finditer(body))
    return "\n".join([HEAD, before, f'<bpmn:process id="{process_id}" name="{process_id}" isExecutable="true">',
                      f'<bpmn:laneSet id="lanes_{process_id}"><bpmn:lane id="lane_{process_id}" name="engineer">'
                      f"{refs}</bpmn:lane></bpmn:laneSet>", body, "</bpmn:process>", after, "</bpmn:definitions>"])


def bundle(xml: str, process_id: str = "p", files: dict[str, str] | None = None,
           forms: dict[str, str] | None = None) -> deploy.Bundle:
    texts = {f"{process_id}.bpmn": xml, **(files or {})}
    return deploy.Bundle(process_id, {name: text.encode() for name, text in texts.items()},
                         {"f": FORM, **(forms or {})}, {})


def problems(xml: str, **kwargs) -> list[Problem]:
    """What refuses the bundle: [] when it deploys."""
    return deploy.bundle_report(bundle(xml, **kwargs))[0]


def warnings(xml: str, **kwargs) -> list[Problem]:
    parsed, forms = deploy.check_bundle(bundle(xml, **kwargs))
    return lint.bundle_warnings(parsed, forms)


def line_of(xml: str, element_id: str) -> int:
    return xml[: xml.index(f'id="{element_id}"')].count("\n") + 1


def refused(xml: str, element_id: str, says: str, **kwargs) -> Problem:
    """The deploy is refused naming `element_id` on its line, and the lint says `says` about it (the
    engine's own parser refuses some diagrams in its words before the lint runs)."""
    assert [p.line for p in problems(xml, **kwargs) if p.element_id == element_id] != [], problems(xml, **kwargs)
    assert {p.line for p in problems(xml, **kwargs) if p.element_id == element_id} == {line_of(xml, element_id)}
    found = [p for p in linted(xml, **kwargs) if p.element_id == element_id and says in p.message]
    assert len(found) == 1, linted(xml, **kwargs)
    assert found[0].file == f"{kwargs.get('process_id', 'p')}.bpmn" and found[0].line == line_of(xml, element_id)
    return found[0]


def accepted(xml: str, **kwargs) -> None:
    assert problems(xml, **kwargs) == []


def linted(xml: str, process_id: str = "p", files: dict[str, str] | None = None,
           forms: dict[str, str] | None = None) -> list[Problem]:
    """The lint's own problems, also for diagrams the engine's parser refuses before the lint runs."""
    texts = {f"{process_id}.bpmn": xml, **(files or {})}
    parsed = ParsedBundle(process_id, None, {}, {}, {name: text.encode() for name, text in texts.items()})
    return lint.bundle_problems(parsed, {k: json.loads(v) for k, v in {"f": FORM, **(forms or {})}.items()})


GOOD = [START, user("work"), END, *chain("start", "work", "end")]


def test_the_fixtures_base_diagram_deploys_without_lint_warnings():
    accepted(diagram(*GOOD))
    assert warnings(diagram(*GOOD)) == []


# -- reachability --------------------------------------------------------------------------------------------

def test_an_element_no_path_from_a_start_event_reaches_is_refused():
    island = [user("review"), gateway("again_gw", default="f_again_no"), END.replace('"end"', '"end2"'),
              flow("f_review", "review", "again_gw"), flow("f_again_yes", "again_gw", "review", "again"),
              flow("f_again_no", "again_gw", "end2")]
    faulty = diagram(*GOOD, *island)
    problem = refused(faulty, "review", "cannot be reached from a start event")
    assert "connect it" in problem.message
    assert {p.element_id for p in problems(faulty)} == {"review", "again_gw", "end2"}
    fixed = diagram(START, user("work"), *island, flow("f1", "start", "work"), flow("f2", "work", "review"))
    accepted(fixed)


def test_boundary_events_and_event_sub_processes_count_as_reached():
    body = [START, user("work"), END, *chain("start", "work", "end"),
            timer_event("remind", "timeDuration", '"PT2H"', host="work"), script("send_reminder", "reminded = True"),
            '<bpmn:endEvent id="reminded_end" name="reminded"/>', *chain("remind", "send_reminder", "reminded_end"),
            '<bpmn:subProcess id="escalation" name="escalation" triggeredByEvent="true">',
            '<bpmn:startEvent id="escalation_start" name="escalate"><bpmn:timerEventDefinition><bpmn:timeDuration>'
            '"P1D"</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>',
            script("escalate", "escalated = True"), '<bpmn:endEvent id="escalation_end"/>',
            *chain("escalation_start", "escalate", "escalation_end", prefix="e"), "</bpmn:subProcess>"]
    accepted(diagram(*body))


def test_a_sub_process_is_checked_from_its_own_start():
    inner = ['<bpmn:subProcess id="round" name="round">', '<bpmn:startEvent id="round_start"/>', user("draft"),
             user("orphan"), '<bpmn:endEvent id="round_end"/>', *chain("round_start", "draft", "round_end", prefix="r"),
             flow("r_orphan", "orphan", "round_end"), "</bpmn:subProcess>"]
    faulty = diagram(START, *inner, END, *chain("start", "round", "end"))
    refused(faulty, "orphan", "has no incoming sequence flow")
    accepted(diagram(START, *[e for e in inner if "orphan" not in e], END, *chain("start", "round", "end")))


# -- start and end events, implicit start and end --------------------------------------------------------------

def test_a_process_without_an_end_event_is_refused():
    faulty = diagram(START, user("work"), flow("f1", "start", "work"))
    refused(faulty, "p", "has no end event")
    refused(faulty, "work", "has no outgoing sequence flow")
    accepted(diagram(*GOOD))


def test_a_sub_process_without_an_end_event_is_refused():
    def sub(end: str) -> str:
        return diagram(START, '<bpmn:subProcess id="round" name="round">', '<bpmn:startEvent id="round_start"/>',
                       user("draft"), end, *chain("round_start", "draft", *(["round_end"] if end else []),
                                                  prefix="r"), "</bpmn:subProcess>", END,
                       *chain("start", "round", "end"))
    refused(sub(""), "round", "has no end event: add an end event inside it")
    accepted(sub('<bpmn:endEvent id="round_end"/>'))
    assert linted(sub('<bpmn:endEvent id="round_end"/>')) == []


def test_a_process_without_a_start_event_is_refused():
    faulty = diagram(user("work"), END, flow("f1", "work", "end"))
    refused(faulty, "p", "process 'p' has no start event: add a start event where it begins")
    accepted(diagram(*GOOD))


def test_a_step_leading_nowhere_is_refused():
    def split(*more: str) -> str:
        return diagram(START, user("work"), gateway("both", kind="parallelGateway"), END, user("forgotten"),
                       *chain("start", "work", "both", "end"), flow("f_forgotten", "both", "forgotten"), *more)
    refused(split(), "forgotten", "has no outgoing sequence flow: connect it to the next step or to an end event")
    accepted(split('<bpmn:endEvent id="end2" name="end2"/>', flow("f_done", "forgotten", "end2")))


def test_a_step_nothing_leads_to_is_refused():
    faulty = diagram(*GOOD, user("stray"), flow("f_stray", "stray", "end"))
    refused(faulty, "stray", "has no incoming sequence flow, so nothing ever starts it")
    accepted(diagram(*GOOD, user("stray"), flow("f_stray", "stray", "end"), flow("f_to_stray", "start", "stray")))


def test_an_unconnected_step_is_refused_once():
    faulty = diagram(*GOOD, user("alone"))
    assert [p.message for p in problems(faulty) if p.element_id == "alone"] == [
        "user task 'alone' is not connected: draw sequence flows into and out of it, or delete it"]
    refused(faulty, "alone", "is not connected")


# -- loops that never wait -------------------------------------------------------------------------------------

def _loop(*inside: str) -> str:
    ids = [re.search(r'id="(\w+)"', e).group(1) for e in inside]  # type: ignore[union-attr]
    return diagram(START, *inside, gateway("loop_gw", default="f_out"), END,
                   *chain("start", *ids, "loop_gw"), flow("f_back", "loop_gw", ids[0], "again"),
                   flow("f_out", "loop_gw", "end"))


def test_a_loop_that_never_waits_is_refused():
    faulty = _loop(script("count", "n = 1"), script("count_more", "again = n &lt; 3"))
    problem = refused(faulty, "loop_gw", "endless loop: loop_gw → count → count_more → loop_gw never waits "
                                         "for a person or an event")
    assert "loop on a task" in problem.message


@pytest.mark.parametrize("waiting", [
    user("rework"),
    timer_event("pause", "timeDuration", '"PT1H"'),
    '<bpmn:subProcess id="round" name="round"><bpmn:startEvent id="round_start"/>' + user("inner")
    + '<bpmn:endEvent id="round_end"/>' + "".join(chain("round_start", "inner", "round_end", prefix="r"))
    + "</bpmn:subProcess>",
], ids=["user task", "timer", "sub-process with a user task"])
def test_a_loop_through_a_wait_is_accepted(waiting):
    accepted(_loop(script("count", "n = 1"), waiting))


def test_a_loop_through_a_call_of_a_waiting_process_is_accepted_and_of_a_busy_one_refused():
    def caller() -> str:
        return _loop('<bpmn:callActivity id="call_helper" name="call" calledElement="helper"/>')

    def helper(*steps: str) -> str:
        ids = ["helper_start", *[re.search(r'id="(\w+)"', s).group(1) for s in steps], "helper_end"]  # type: ignore
        return diagram('<bpmn:startEvent id="helper_start" name="s"/>', *steps, '<bpmn:endEvent id="helper_end"'
                       ' name="e"/>', *chain(*ids, prefix="h"), process_id="helper")
    refused(caller(), "loop_gw", "endless loop", files={"helper.bpmn": helper(script("busy", "x = 1"))})
    accepted(caller(), files={"helper.bpmn": helper(user("helper_work"))})


# -- gateway flows -------------------------------------------------------------------------------------------

def _choice(default: str | None) -> str:
    return diagram(START, user("work"), gateway("choice", default=default), END,
                   '<bpmn:endEvent id="end_no" name="no"/>', *chain("start", "work", "choice"),
                   flow("f_yes", "choice", "end", "answer == 'yes'"), flow("f_other", "choice", "end_no"))


def test_a_gateway_flow_without_condition_that_is_not_the_default_is_refused():
    problem = refused(_choice(None), "f_other", "without a condition and is not its default flow")
    assert "make it the gateway's default flow" in problem.message
    accepted(_choice("f_other"))


def test_a_gateway_with_one_way_in_and_out_is_only_a_warning():
    xml = diagram(START, user("work"), gateway("pointless"), END, *chain("start", "work", "pointless", "end"))
    accepted(xml)
    (warning,) = warnings(xml)
    assert (warning.element_id, warning.line) == ("pointless", line_of(xml, "pointless"))
    assert warning.message.startswith("warning: exclusive gateway 'pointless?' has one way in and one way out")


def test_a_task_without_a_name_is_only_a_warning():
    xml = diagram(START, user("work").replace(' name="work"', ""), END, *chain("start", "work", "end"))
    accepted(xml)
    assert [(w.element_id, w.message[:34]) for w in warnings(xml)] == [("work", "warning: user task has no name: na")]


# -- timers ------------------------------------------------------------------------------------------------------

def _timed(tag: str, text: str) -> str:
    return diagram(START, script("compute", "due_at = '2026-10-08T18:00:00+08:00'"),
                   timer_event("wait", tag, text), user("work"), END, *chain("start", "compute", "wait", "work", "end"))


@pytest.mark.parametrize(("tag", "text", "says"), [
    ("timeDuration", '"PT2X"', 'timer timeDuration "PT2X" is not valid ISO 8601'),
    ("timeDuration", '"P1000000000Y"', "longer than 100 years"),
    ("timeDate", '"2026-13-01T09:00:00+08:00"', "is not valid ISO 8601 (month must be in 1..12)"),
    ("timeDate", '"2026-10-08T18:00:00"', "no UTC offset"),
    ("timeCycle", '"R/every day"', 'timer timeCycle "R/every day" is not valid ISO 8601'),
    ("timeDuration", "7200", "is not ISO 8601 text: write it in quotes"),
    ("timeDuration", "PT2H", "reads a variable of that name, which nothing sets"),
])
def test_a_timer_literal_the_engine_cannot_read_is_refused(tag, text, says):
    refused(_timed(tag, text), "wait", says)


@pytest.mark.parametrize(("tag", "text"), [("timeDuration", '"PT2H"'), ("timeDate", '"2026-10-08T18:00:00+08:00"'),
                                           ("timeCycle", '"R3/PT24H"'), ("timeDate", "due_at")])
def test_a_timer_in_iso_8601_or_an_expression_is_accepted(tag, text):
    accepted(_timed(tag, text))


# -- condition variables ---------------------------------------------------------------------------------------

def _reads(condition: str, *setting: str, before: str = "", after: str = "", **kwargs) -> str:
    ids = [re.search(r'id="(\w+)"', s).group(1) for s in setting]  # type: ignore[union-attr]
    return diagram(START, *setting, gateway("choice", default="f_else"), END, '<bpmn:endEvent id="end_else"/>',
                   *chain("start", *ids, "choice"), flow("f_if", "choice", "end", condition),
                   flow("f_else", "choice", "end_else"), before=before, after=after, **kwargs)


def test_a_condition_reading_a_name_nothing_sets_is_refused():
    faulty = _reads("anser == 'yes'", user("work"))
    problem = refused(faulty, "f_if", "condition reads 'anser', which no form field")
    assert "fix the name" in problem.message
    accepted(_reads("answer == 'yes'", user("work")))


DMN = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="d" namespace="n">
<decision id="level" name="level"><decisionTable id="level_table">
<input id="in"><inputExpression id="in_x" typeRef="string"><text>answer</text></inputExpression></input>
<output id="out" name="level_result" typeRef="string"/>
<rule id="r1"><inputEntry id="r1_in"><text>-</text></inputEntry><outputEntry id="r1_out"><text>"high"</text>
</outputEntry></rule></decisionTable></decision></definitions>"""
MESSAGE = '<bpmn:message id="reply_message" name="reply"/>'


@pytest.mark.parametrize(("condition", "setting", "extra"), [
    ("answer and again and contact['phone']", [user("work")], {}),
    ("total > 2", [script("add", "total = 3")], {}),
    ("before_noon", ['<bpmn:serviceTask id="noon" name="noon"><bpmn:extensionElements>'
                     '<spiffworkflow:serviceTaskOperator id="noon_rule" resultVariable="before_noon">'
                     "<spiffworkflow:parameters/></spiffworkflow:serviceTaskOperator></bpmn:extensionElements>"
                     "</bpmn:serviceTask>"], {}),
    ("level_result == 'high'", [user("work"), '<bpmn:businessRuleTask id="decide" name="decide">'
                                "<bpmn:extensionElements><spiffworkflow:calledDecisionId>level"
                                "</spiffworkflow:calledDecisionId></bpmn:extensionElements></bpmn:businessRuleTask>"],
     {"files": {"p.dmn": DMN}}),
    ("started_by and received_at and business_key", [], {}),
    ("reply", ['<bpmn:intermediateCatchEvent id="wait_reply" name="reply"><bpmn:messageEventDefinition '
               'messageRef="reply_message"><bpmn:extensionElements><spiffworkflow:messageVariable>reply'
               "</spiffworkflow:messageVariable></bpmn:extensionElements></bpmn:messageEventDefinition>"
               "</bpmn:intermediateCatchEvent>"], {"after": MESSAGE}),
    ("any(x > 1 for x in [answer]) and len(answer) > 0", [user("work")], {}),
], ids=["form fields in groups", "script", "service task result", "decision output", "set by the server",
        "message variable", "names bound in the condition"])
def test_a_condition_reading_what_the_bundle_sets_is_accepted(condition, setting, extra):
    files = extra.pop("files", None)
    accepted(_reads(condition, *setting, **extra), files=files)


def test_multi_instance_variables_count_as_set():
    looped = user("each").replace("</bpmn:userTask>", "<bpmn:multiInstanceLoopCharacteristics>"
                                  "<bpmn:loopDataInputRef>answers</bpmn:loopDataInputRef>"
                                  '<bpmn:inputDataItem id="item" name="item"/>'
                                  "<bpmn:completionCondition>item == 'stop'</bpmn:completionCondition>"
                                  "</bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>")
    accepted(_reads("answer", script("collect", "answers = [1, 2]"), looped))
    refused(_reads("answer", script("collect", "answers = [1, 2]"), looped.replace("item ==", "iten ==")),
            "each", "loop condition reads 'iten'")


def test_a_call_of_a_process_outside_the_bundle_may_set_anything():
    xml = _reads("outcome == 'ok'", '<bpmn:callActivity id="call" name="call" calledElement="elsewhere"/>')
    assert problems(xml)[0].message.startswith("The process 'elsewhere' was not found")  # the engine's word
    assert linted(xml) == []  # on its own, the lint cannot know what the called process sets: it warns
    parsed = ParsedBundle("p", None, {}, {}, {"p.bpmn": xml.encode()})
    (warning,) = [w for w in lint.bundle_warnings(parsed, {}) if w.element_id == "f_if"]
    assert "unless a called process that is not part of this bundle sets it" in warning.message


def test_what_a_called_process_in_the_bundle_sets_counts():
    called = diagram('<bpmn:startEvent id="h_start" name="s"/>', script("decide", "outcome = 'ok'"),
                     '<bpmn:endEvent id="h_end" name="e"/>', *chain("h_start", "decide", "h_end"), process_id="helper")
    xml = _reads("outcome == 'ok'", '<bpmn:callActivity id="call" name="call" calledElement="helper"/>')
    accepted(xml, files={"helper.bpmn": called})
    refused(xml.replace("outcome ==", "outcom =="), "f_if", "'outcom'", files={"helper.bpmn": called})


# -- the real processes, large diagrams, the command ------------------------------------------------------------

def test_every_diagram_in_processes_passes_every_rule():
    found = deploy.bundles_from_paths([PROJECT_ROOT / "processes"], PROJECT_ROOT / "forms")
    assert len(found) == 4
    for each in found:
        parsed, forms = deploy.check_bundle(each)
        assert lint.bundle_report(parsed, forms) == ([], []), each.process_id


def _long(n: int, back: bool) -> ParsedBundle:
    ids = ["start", *[f"s{i}" for i in range(n)], "gw", "end"]
    steps = [START, *(script(i, "x = 1") for i in ids[1:-2]), gateway("gw", default="f_out"), END,
             *chain(*ids[:-1]), flow("f_out", "gw", "end")]
    if back:
        steps.append(flow("f_back", "gw", "s0", "x"))
    return ParsedBundle("p", None, {}, {}, {"p.bpmn": diagram(*steps).encode()})


def test_a_chain_of_ten_thousand_steps_is_checked_without_running_out_of_stack():
    assert lint.bundle_problems(_long(10_000, back=False), {}) == []
    (problem,) = lint.bundle_problems(_long(10_000, back=True), {})
    assert problem.element_id == "gw" and problem.message.startswith("endless loop: gw → s0 → s1 → s2")
    assert "… → gw never waits" in problem.message


def test_a_diagram_too_large_for_a_procedure_is_refused_before_the_engine_reads_it():
    huge = _long(10_000, back=False)
    with pytest.raises(DefinitionInvalid) as refused:
        parse_bundle("p", huge.files, operations={}, resolve_role=lambda name: name)
    (problem,) = refused.value.problems
    assert problem.file == "p.bpmn" and problem.line and "more than 3000 BPMN elements" in problem.message


def test_validate_prints_file_line_element_message_for_a_lint_problem(tmp_path: Path):
    folder = tmp_path / "processes"
    folder.mkdir()
    xml = _reads("anser == 'yes'", user("work"))
    (folder / "p.bpmn").write_text(xml, encoding="utf-8")
    (tmp_path / "forms" / "p").mkdir(parents=True)
    (tmp_path / "forms" / "p" / "f.form").write_text(FORM, encoding="utf-8")
    env = cli_env(f"sqlite:///{tmp_path / 'unused.db'}", tmp_path, GUICHENG_LANG="en")
    result = run_cli(env, "validate", str(folder))
    assert result.returncode == 1, result.stdout + result.stderr
    (line,) = result.stdout.splitlines()
    file, number, element, message = (part.strip() for part in line.split(":", 3))
    assert (file, int(number), element) == ("p.bpmn", line_of(xml, "f_if"), "f_if")
    assert message.startswith("condition reads 'anser', which no form field")
    (folder / "p.bpmn").write_text(xml.replace("anser", "answer"), encoding="utf-8")
    assert run_cli(env, "validate", str(folder)).returncode == 0
