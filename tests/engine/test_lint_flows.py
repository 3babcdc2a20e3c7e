"""Lint rules on how a diagram is wired: every step reached from a start event and leading to an end event,
no loop that never waits for a person or an event, and gateway flows that say when they are taken."""

from __future__ import annotations

import re

import pytest

from tests.engine.diagrams import flow
from tests.engine.lint_diagrams import (
    END,
    GOOD,
    START,
    accepted,
    chain,
    diagram,
    gateway,
    line_of,
    linted,
    problems,
    refused,
    script,
    timer_event,
    user,
    warnings,
)


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
