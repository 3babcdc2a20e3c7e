"""Small diagrams written inline, for engine behaviour that the real processes do not show."""

from __future__ import annotations

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="defs" targetNamespace="http://x">
"""


def process(body: str, lanes: str = "", process_id: str = "p") -> bytes:
    return (HEAD + f'<bpmn:process id="{process_id}" isExecutable="true">{lanes}{body}</bpmn:process>'
            "</bpmn:definitions>").encode()


def user_task(task_id: str, form: str = "f") -> str:
    return (f'<bpmn:userTask id="{task_id}" name="{task_id}"><bpmn:extensionElements><spiffworkflow:properties>'
            f'<spiffworkflow:property name="formKey" value="{form}"/></spiffworkflow:properties>'
            "</bpmn:extensionElements></bpmn:userTask>")


def flow(flow_id: str, source: str, target: str, condition: str | None = None) -> str:
    cond = f"<bpmn:conditionExpression>{condition}</bpmn:conditionExpression>" if condition else ""
    return f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}">{cond}</bpmn:sequenceFlow>'


def lane(role: str, *nodes: str) -> str:
    refs = "".join(f"<bpmn:flowNodeRef>{n}</bpmn:flowNodeRef>" for n in nodes)
    return f'<bpmn:laneSet id="ls"><bpmn:lane id="lane_{role}" name="{role}">{refs}</bpmn:lane></bpmn:laneSet>'


def script_task(task_id: str, script: str) -> str:
    return f'<bpmn:scriptTask id="{task_id}"><bpmn:script>{script}</bpmn:script></bpmn:scriptTask>'


def rework_loop() -> bytes:
    """A user task looping back through a gateway while `again` is true."""
    body = ('<bpmn:startEvent id="start"/>' + user_task("work") + '<bpmn:exclusiveGateway id="gw"/>'
            '<bpmn:endEvent id="end"/>' + flow("f1", "start", "work") + flow("f2", "work", "gw")
            + flow("f3", "gw", "work", "again") + flow("f4", "gw", "end", "not again"))
    return process(body, lane("engineer", "start", "work", "gw", "end"))


def endless_automatic_loop() -> bytes:
    body = ('<bpmn:startEvent id="start"/>' + script_task("count", "n = n + 1 if n else 1")
            + '<bpmn:exclusiveGateway id="gw"/><bpmn:endEvent id="end"/>' + flow("f1", "start", "count")
            + flow("f2", "count", "gw") + flow("f3", "gw", "count", "True") + flow("f4", "gw", "end", "False"))
    return process(body)


def escaping_script(script: str) -> bytes:
    body = ('<bpmn:startEvent id="start"/>' + script_task("evil", script) + '<bpmn:endEvent id="end"/>'
            + flow("f1", "start", "evil") + flow("f2", "evil", "end"))
    return process(body)
