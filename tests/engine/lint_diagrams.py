"""Small diagrams written one element a line, and the checks the lint tests read them through: the same
check `guicheng validate`, the upload API and the editor's 校验 use, so a problem names its element and line."""

from __future__ import annotations

import json
import re

from service.engine import lint
from service.engine.definitions import ParsedBundle
from service.engine.problems import Problem
from service.operations import deploy
from tests.engine.diagrams import flow

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


def reads(condition: str, *setting: str, before: str = "", after: str = "", **kwargs) -> str:
    """A choice between `end` (flow f_if, taken when `condition` holds) and `end_else`, after `setting`."""
    ids = [re.search(r'id="(\w+)"', s).group(1) for s in setting]  # type: ignore[union-attr]
    return diagram(START, *setting, gateway("choice", default="f_else"), END, '<bpmn:endEvent id="end_else"/>',
                   *chain("start", *ids, "choice"), flow("f_if", "choice", "end", condition),
                   flow("f_else", "choice", "end_else"), before=before, after=after, **kwargs)
