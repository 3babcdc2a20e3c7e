"""Small diagrams written inline, for engine behaviour that the real processes do not show."""

from __future__ import annotations

from xml.sax.saxutils import escape

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


def _text(source: str) -> str:
    return escape(source, {'"': "&quot;"})


def between(*elements: str, process_id: str = "p") -> bytes:
    """start → each element in turn → end, as one process."""
    ids = ["start", *[e.split('id="', 1)[1].split('"', 1)[0] for e in elements], "end"]
    flows = "".join(flow(f"f{i}", a, b) for i, (a, b) in enumerate(zip(ids, ids[1:], strict=False)))
    body = '<bpmn:startEvent id="start"/>' + "".join(elements) + '<bpmn:endEvent id="end"/>' + flows
    return process(body, lane("engineer", *ids), process_id)


def script(task_id: str, source: str) -> str:
    return script_task(task_id, _text(source))


def extension_scripts(task_id: str, pre: str | None = None, post: str | None = None) -> str:
    """A user task with spiffworkflow:preScript / postScript."""
    parts = "".join(f"<spiffworkflow:{tag}>{_text(text)}</spiffworkflow:{tag}>"
                    for tag, text in (("preScript", pre), ("postScript", post)) if text is not None)
    return (f'<bpmn:userTask id="{task_id}" name="{task_id}"><bpmn:extensionElements><spiffworkflow:properties>'
            '<spiffworkflow:property name="formKey" value="f"/></spiffworkflow:properties>'
            f"{parts}</bpmn:extensionElements></bpmn:userTask>")


def timer(event_id: str, expression: str) -> str:
    return (f'<bpmn:intermediateCatchEvent id="{event_id}"><bpmn:timerEventDefinition id="{event_id}_def">'
            f"<bpmn:timeDate>{_text(expression)}</bpmn:timeDate></bpmn:timerEventDefinition>"
            "</bpmn:intermediateCatchEvent>")


def service(task_id: str, operation: str, **params: str) -> str:
    given = "".join(f'<spiffworkflow:parameter id="{k}" type="str" value="{_text(v)}"/>' for k, v in params.items())
    return (f'<bpmn:serviceTask id="{task_id}"><bpmn:extensionElements><spiffworkflow:serviceTaskOperator '
            f'id="{operation}"><spiffworkflow:parameters>{given}</spiffworkflow:parameters>'
            "</spiffworkflow:serviceTaskOperator></bpmn:extensionElements></bpmn:serviceTask>")


def business_rule(task_id: str, decision_id: str) -> str:
    return (f'<bpmn:businessRuleTask id="{task_id}"><bpmn:extensionElements><spiffworkflow:calledDecisionId>'
            f"{decision_id}</spiffworkflow:calledDecisionId></bpmn:extensionElements></bpmn:businessRuleTask>")


def decision_table(decision_id: str, input_expression: str, entry: str, output: str) -> bytes:
    """One input, one rule, one output named `result`."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="defs" name="d" namespace="n">'
            f'<decision id="{decision_id}" name="d"><decisionTable id="table">'
            f'<input id="in"><inputExpression id="in_expr" typeRef="string"><text>{_text(input_expression)}</text>'
            '</inputExpression></input><output id="out" name="result" typeRef="string"/>'
            f'<rule id="rule"><inputEntry id="rule_in"><text>{_text(entry)}</text></inputEntry>'
            f'<outputEntry id="rule_out"><text>{_text(output)}</text></outputEntry></rule>'
            "</decisionTable></decision></definitions>").encode()


def gateway_choice(condition: str) -> bytes:
    """start → gw → (condition) end_yes, else end_no."""
    body = ('<bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="gw" default="f_no"/>'
            '<bpmn:endEvent id="end_yes"/><bpmn:endEvent id="end_no"/>' + flow("f0", "start", "gw")
            + flow("f_yes", "gw", "end_yes", _text(condition)) + flow("f_no", "gw", "end_no"))
    return process(body)
