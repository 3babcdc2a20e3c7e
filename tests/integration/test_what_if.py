"""What-if on a draft: the process owner walks the last finished technical-support cases on a changed
diagram before deploying it, and reads which would have gone another way, failed or stopped, and why.

Three cases finish first, each on its own path: the whole request (happy path), a request the
director refuses, an emergency the director does not confirm. Nothing the what-if does may leave a
trace: no case, mail, file or event changes.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from service.persistence.models import Event, OutboxMail, ProcessInstance
from tests.integration import editor_api
from tests.integration.editor_api import _count, _draft, _edited, _save
from tests.processes import walk

client, auth = editor_api.client, editor_api.auth  # the editor's fixtures, used by name in the tests below

URL = "/api/v1/process-drafts/technical_support/what-if"
NEW_STEP = "double_check"
# a user task of the engineers between the acceptance and the engineer's assessment
STEP_XML = f"""<bpmn:userTask id="{NEW_STEP}" name="复核受理">
      <bpmn:extensionElements>
        <spiffworkflow:properties>
          <spiffworkflow:property name="formKey" value="final_confirmation"/>
        </spiffworkflow:properties>
      </bpmn:extensionElements>
      <bpmn:incoming>flow_assignment_join_to_engineer_assessment</bpmn:incoming>
      <bpmn:outgoing>flow_{NEW_STEP}_to_engineer_assessment</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:userTask id="engineer_assessment" """
SPINS = " ".join(f"for {name} in [0] * 1000" for name in "abcd")  # a million million passes: no budget ends it
SPIN_XML = f"""<bpmn:scriptTask id="{NEW_STEP}" name="反复计算" scriptFormat="python">
      <bpmn:incoming>flow_assignment_join_to_engineer_assessment</bpmn:incoming>
      <bpmn:outgoing>flow_{NEW_STEP}_to_engineer_assessment</bpmn:outgoing>
      <bpmn:script>spun = sum([1 {SPINS}])</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:userTask id="engineer_assessment" """


def _finish_three(ctx) -> dict[str, int]:
    happy = walk.start(ctx)
    walk.advance_to(ctx, happy, "weekly_report")
    walk.do(ctx, happy, "weekly_report")
    refused = walk.start(ctx)
    walk.do(ctx, refused, "confirm_request", {"accepted": "no", "engineer": None, "comment": "不属于技术支持范围"})
    emergency = walk.start(ctx, emergency=True)
    walk.do(ctx, emergency, "confirm_emergency", {"emergency_accepted": "no", "channel": "phone",
                                                  "engineer": None})
    running = walk.start(ctx)  # not finished: never walked
    with ctx.db.reading() as session:
        status = dict(session.execute(select(ProcessInstance.id, ProcessInstance.status)).all())
    assert [status[c] for c in (happy, refused, emergency, running)] == ["completed"] * 3 + ["running"]
    return {"happy": happy, "refused": refused, "emergency": emergency}


@pytest.fixture
def finished(ctx):
    return _finish_three(ctx)


def _with_step(draft: dict, step_xml: str) -> dict:
    """The draft with `step_xml` placed on the flow from the acceptance to the engineer's assessment."""
    body = _edited(draft, '<bpmn:userTask id="engineer_assessment" ', step_xml)
    name = "technical_support.bpmn"
    text = body["files"][name]
    flow = 'sourceRef="assignment_join" targetRef="engineer_assessment"/>'
    text = text.replace(flow, f'sourceRef="assignment_join" targetRef="{NEW_STEP}"/>\n    <bpmn:sequenceFlow '
                              f'id="flow_{NEW_STEP}_to_engineer_assessment" sourceRef="{NEW_STEP}" '
                              'targetRef="engineer_assessment"/>', 1)
    incoming = "<bpmn:incoming>flow_assignment_join_to_engineer_assessment</bpmn:incoming>\n      <bpmn:outgoing>" \
               "flow_engineer_assessment_to_assessment_gateway"
    assert incoming in text
    text = text.replace(incoming, incoming.replace("flow_assignment_join_to_engineer_assessment",
                                                   f"flow_{NEW_STEP}_to_engineer_assessment"), 1)
    text = text.replace("<bpmn:flowNodeRef>engineer_assessment</bpmn:flowNodeRef>",
                        f"<bpmn:flowNodeRef>engineer_assessment</bpmn:flowNodeRef>\n        "
                        f"<bpmn:flowNodeRef>{NEW_STEP}</bpmn:flowNodeRef>", 1)
    body["files"][name] = text
    return body


def _what_if(client, auth, body=None, who="process_owner1", lang="zh"):
    return client.post(f"{URL}?lang={lang}", headers=auth(who), json={} if body is None else body)


def _saved(client, auth, body) -> None:
    response = _save(client, auth, body)
    assert response.status_code == 200, response.json


def _by_case(answer: dict, finished: dict[str, int]) -> dict[str, dict]:
    rows = {row["instance_id"]: row for row in answer["cases"]}
    assert set(rows) == set(finished.values())  # the finished ones, not the running case
    return {name: rows[case] for name, case in finished.items()}


def _traces(ctx) -> tuple[int, int, int]:
    """What a case leaves behind: its events, its mails, the cases themselves."""
    return (_count(ctx, Event, Event.instance_id.is_not(None)), _count(ctx, OutboxMail), _count(ctx, ProcessInstance))


def test_the_unchanged_latest_version_takes_every_case_along_its_own_path(ctx, client, auth, finished):
    before = _traces(ctx)
    response = _what_if(client, auth)  # no draft saved: the latest version itself
    assert response.status_code == 200, response.json
    answer = response.json
    assert answer["summary"] == {"same": 3, "other_path": 0, "failed": 0, "stopped": 0}
    rows = _by_case(answer, finished)
    assert all(row["verdict"] == "same" and row["first_difference"] is None for row in rows.values())
    assert rows["happy"]["original_path"] == rows["happy"]["draft_path"]
    happy = rows["happy"]["original_path"]
    assert happy.index("confirm_request") < happy.index("engineer_assessment") < happy.index("weekly_report")
    assert rows["happy"]["names"]["confirm_request"] == "技术总监确认申请"  # the panel shows names, not ids
    refused = rows["refused"]["draft_path"]
    assert "notify_refusal" in refused and "engineer_assessment" not in refused
    assert rows["happy"]["reason"] == "在草稿上走的路径与原案例完全相同"
    _saved(client, auth, _edited(_draft(client, auth), "技术总监确认申请", "技术总监确认申请"))  # saved as it is
    assert _what_if(client, auth, {"cases": 3}).json["summary"]["same"] == 3
    assert _traces(ctx) == before


def test_a_new_step_on_the_happy_path_is_named_where_the_cases_part(ctx, client, auth, finished):
    _saved(client, auth, _with_step(_draft(client, auth), STEP_XML))
    answer = _what_if(client, auth, {"cases": 20}).json
    rows = _by_case(answer, finished)
    happy = rows["happy"]
    assert happy["verdict"] == "other_path"
    assert happy["first_difference"] == {"element_id": NEW_STEP, "name": "复核受理", "original": "engineer_assessment",
                                         "draft": NEW_STEP}
    assert "工程师评估能否支持 (engineer_assessment)" in happy["reason"]
    assert "复核受理 (double_check)" in happy["reason"]
    assert "weekly_report" in happy["original_path"] and "engineer_assessment" not in happy["draft_path"]
    assert rows["refused"]["verdict"] == "same" and rows["emergency"]["verdict"] == "same"
    assert answer["summary"] == {"same": 2, "other_path": 1, "failed": 0, "stopped": 0}
    english = _what_if(client, auth, lang="en").json
    assert "the draft has no such task open" in _by_case(english, finished)["happy"]["reason"]
    names = _by_case(english, finished)["happy"]["names"]
    assert names["engineer_assessment"] != rows["happy"]["names"]["engineer_assessment"]  # English names


def test_a_condition_that_raises_fails_the_cases_that_reach_it(ctx, client, auth, finished):
    _saved(client, auth, _edited(_draft(client, auth), "accepted == 'no'", "int(accepted) == 0"))
    rows = _by_case(_what_if(client, auth).json, finished)
    for name in ("happy", "refused"):
        assert rows[name]["verdict"] == "failed"
        assert rows[name]["first_difference"]["element_id"] == "confirm_gateway", rows[name]["reason"]
        assert "confirm_gateway" in rows[name]["reason"]
        assert rows[name]["draft_path"][-1] == "confirm_request"
    assert rows["emergency"]["verdict"] == "same"  # an emergency does not pass that gateway


def test_a_script_that_never_ends_is_refused_within_the_budget_and_the_others_are_walked(ctx, client, auth, finished):
    _saved(client, auth, _with_step(_draft(client, auth), SPIN_XML))
    answer = _what_if(client, auth).json
    rows = _by_case(answer, finished)
    assert rows["happy"]["verdict"] == "failed"
    assert rows["happy"]["first_difference"]["element_id"] == NEW_STEP
    assert "反复计算 (double_check)" in rows["happy"]["reason"]
    assert rows["refused"]["verdict"] == rows["emergency"]["verdict"] == "same"


def test_a_service_the_original_never_called_stops_the_case_with_the_reason(ctx, client, auth, finished):
    draft = _draft(client, auth)
    renamed = {member: {name: text.replace("notify_acceptance", "notify_welcome")
                        for name, text in draft[member].items()} for member in ("files", "translations")}
    _saved(client, auth, {**renamed, "forms": draft["forms"], "base_version": draft["base_version"]})
    rows = _by_case(_what_if(client, auth).json, finished)
    happy = rows["happy"]
    assert happy["verdict"] == "stopped", happy
    assert happy["first_difference"]["element_id"] == "notify_welcome"
    assert "notify_welcome" in happy["reason"] and "send_case_mail" in happy["reason"]
    assert "无法知道结果" in happy["reason"]
    assert rows["refused"]["verdict"] == rows["emergency"]["verdict"] == "same"  # neither is accepted


def test_only_process_owners_may_run_a_what_if(ctx, client, auth):
    for who in ("engineer1", "auditor1", "tech_director1", "customer1"):
        response = _what_if(client, auth, who=who)
        assert response.status_code == 403, who
        assert response.headers["Content-Type"].startswith("application/problem+json")


def test_an_invalid_draft_is_refused_with_its_problems(ctx, client, auth):
    _saved(client, auth, _edited(_draft(client, auth), 'id="send_application_mail"', 'id="send_fax"'))
    response = _what_if(client, auth)
    assert response.status_code == 400
    problems = response.json["problems"]
    assert problems and all({"file", "line", "element_id", "message"} <= set(p) for p in problems)
    assert any("send_fax" in p["message"] for p in problems)


@pytest.mark.parametrize("cases", [0, 201, "5", True, 2.5])
def test_the_number_of_cases_is_checked(ctx, client, auth, cases):
    response = _what_if(client, auth, {"cases": cases})
    assert response.status_code == 400
    assert "cases" in response.json["errors"]


def test_an_unknown_process_is_not_found(ctx, client, auth):
    response = client.post("/api/v1/process-drafts/no_such_process/what-if", headers=auth("process_owner1"), json={})
    assert response.status_code == 404


def test_the_cases_asked_for_are_the_last_finished_ones(ctx, client, auth, finished):
    answer = _what_if(client, auth, {"cases": 2}).json
    assert [row["instance_id"] for row in answer["cases"]] == [finished["emergency"], finished["refused"]]
    with ctx.db.reading() as session:
        assert session.execute(select(func.count()).select_from(ProcessInstance)).scalar() == 4
