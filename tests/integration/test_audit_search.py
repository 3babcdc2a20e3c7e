"""Auditors search every case's history: four technical-support cases of the demo organisation with
different salespeople, technical directors, engineers and both customers; found by actor, by event
kind, by changed field, by customer, by day; the same rows through the API, the page and the .xlsx;
and everyone who is not an auditor or administrator refused."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest

from service.operations import audit_search, case_moves, cases, users
from service.operations.errors import Forbidden, ValidationFailed
from service.persistence.audit import append_event
from service.persistence.models import ProcessInstance
from tests.processes.walk import APPLICATION, at, do, task


def _start(ctx, actor: str, customer: str, project: str) -> int:
    return cases.start_case(ctx, process_id="technical_support", actor=actor,
                            data={**APPLICATION, "customer": customer, "project": project})


@pytest.fixture
def histories(ctx, clock) -> dict[str, int]:
    """A: sales1 for 欧莱雅, tech_director1 picks engineer1, who accepts (09-30).
    B: sales3 for 华为, tech_director2 picks engineer2, who sends it back; tech_director2 picks engineer4 (10-08).
    C: sales2 for 华为, tech_director1 picks engineer2, who accepts (10-09). D: sales4 for 欧莱雅, just started."""
    a = _start(ctx, "sales1", "欧莱雅", "CITRIX安装")
    do(ctx, a, "confirm_request", {"accepted": "yes", "engineer": "engineer1"}, actor="tech_director1")
    do(ctx, a, "engineer_assessment", {"assessment": "accept"}, actor="engineer1")
    clock.set(at("2026-10-08 10:00"))
    b = _start(ctx, "sales3", "华为", "网络改造")
    do(ctx, b, "confirm_request", {"accepted": "yes", "engineer": "engineer2"}, actor="tech_director2")
    assessment, confirmation = task(ctx, b, "engineer_assessment"), None
    targets = case_moves.send_back_targets(ctx, assessment["id"], "engineer2")
    confirmation = next(t for t in targets if t["element_id"] == "confirm_request")
    case_moves.send_back(ctx, task_id=assessment["id"], actor="engineer2", to_task=confirmation["id"],
                         reason="客户需求不清楚")
    do(ctx, b, "confirm_request", {"accepted": "yes", "engineer": "engineer4"}, actor="tech_director2")
    clock.set(at("2026-10-09 15:00"))
    c = _start(ctx, "sales2", "华为", "云桌面")
    do(ctx, c, "confirm_request", {"accepted": "yes", "engineer": "engineer2"}, actor="tech_director1")
    do(ctx, c, "engineer_assessment", {"assessment": "accept"}, actor="engineer2")
    d = _start(ctx, "sales4", "欧莱雅", "云桌面")
    return {"A": a, "B": b, "C": c, "D": d}


def _rows(ctx, who: str = "auditor1", **args: str) -> list[dict]:
    return audit_search.search(ctx, who, audit_search.parse_query({"per_page": "200", **args}))["rows"]


def _named(rows: list[dict], histories: dict[str, int]) -> list[str]:
    names = {case_id: name for name, case_id in histories.items()}
    return sorted(names.get(r["case_id"], "system") for r in rows)


def test_by_actor_user_name_or_display_name_and_never_anothers_events(ctx, histories):
    mine = _rows(ctx, actor="engineer2")
    assert mine and {r["actor"] for r in mine} == {"engineer2"}
    assert set(_named(mine, histories)) == {"B", "C"}
    assert {r["type"] for r in mine} == {"task_sent_back", "task_completed"}
    theirs = _rows(ctx, actor="engineer1")
    assert {r["actor"] for r in theirs} == {"engineer1"} and set(_named(theirs, histories)) == {"A"}
    assert not {r["event_id"] for r in mine} & {r["event_id"] for r in theirs}
    by_name = _rows(ctx, actor="工程师2")  # the display name
    assert [r["event_id"] for r in by_name] == [r["event_id"] for r in mine]
    assert {r["actor_name"] for r in by_name} == {"工程师2"}
    assert {r["actor"] for r in _rows(ctx, actor="engineer*")} == {"engineer1", "engineer2"}
    assert {r["actor"] for r in _rows(ctx, actor="技术总监*")} == {"tech_director1", "tech_director2"}
    assert _rows(ctx, actor="engineer") == []  # a user name is matched exactly
    assert _rows(ctx, actor="engineer2", customer="欧莱雅") == []


def test_by_kind_field_customer_and_day(ctx, histories):
    (sent_back,) = _rows(ctx, type="task_sent_back")
    assert sent_back["case_id"] == histories["B"] and sent_back["actor"] == "engineer2"
    assert sent_back["payload"]["reason"] == "客户需求不清楚" and sent_back["customer"] == "华为"

    engineer = _rows(ctx, field="engineer", sort="at", order="asc")
    assert [(_named([r], histories)[0], r["actor"], r["type"]) for r in engineer] == [
        ("A", "tech_director1", "task_completed"), ("B", "tech_director2", "task_completed"),
        ("B", "tech_director2", "task_completed"), ("C", "tech_director1", "task_completed")]
    picked = [next(f["new"] for f in r["fields"] if f["field"] == "engineer") for r in engineer]
    assert picked == ["engineer1", "engineer2", "engineer4", "engineer2"]
    huawei = _rows(ctx, field="engineer", customer="华为")
    assert _named(huawei, histories) == ["B", "B", "C"] and {r["customer"] for r in huawei} == {"华为"}
    assert _named(_rows(ctx, field="engineer", customer="华为", actor="tech_director1"), histories) == ["C"]
    assert {r["type"] for r in _rows(ctx, field="customer")} == {"case_started"}  # the start form's field
    assert _rows(ctx, field="no_such_field") == []

    assert set(_named(_rows(ctx, **{"from": "2026-10-08", "to": "2026-10-08"}), histories)) == {"B"}
    assert set(_named(_rows(ctx, **{"to": "2026-09-30"}), histories)) == {"A"}
    assert set(_named(_rows(ctx, case=str(histories["D"])), histories)) == {"D"}
    assert set(_named(_rows(ctx, key="*网络*"), histories)) == {"B"}


def test_a_linked_cases_change_is_found_by_its_variable_with_old_and_new(ctx, histories):
    with ctx.db.transaction() as session:
        case = session.get(ProcessInstance, histories["A"])
        append_event(session, type="changed_by_linked_case", actor="system", at=ctx.now(), case=case, payload={
            "linked_case": histories["D"], "process_id": "technical_support", "business_key": "",
            "element_id": "x", "changes": [{"variable": "estimated_person_days", "old": 2, "new": 5}]})
    (changed,) = _rows(ctx, field="estimated_person_days", type="changed_by_linked_case")
    assert changed["case_id"] == histories["A"]
    assert changed["fields"] == [{"field": "estimated_person_days", "old": 2, "new": 5}]
    assert _rows(ctx, field="engineer", type="changed_by_linked_case") == []


def test_the_system_chain_only_when_asked(ctx, histories):
    assert _rows(ctx, type="deployed") == []
    deployed = _rows(ctx, type="deployed", system="1")
    assert deployed and all(r["case_id"] is None and r["chain"] == "system" for r in deployed)
    assert all(r["case_id"] for r in _rows(ctx))


def test_sort_and_pages(ctx, histories):
    everything = _rows(ctx)
    first, second = (audit_search.search(ctx, "auditor1", audit_search.parse_query({"per_page": "5", "page": n}))
                     for n in ("1", "2"))
    assert first["total"] == len(everything) and first["pages"] == -(-len(everything) // 5)
    assert [r["event_id"] for r in first["rows"] + second["rows"]] == [r["event_id"] for r in everything[:10]]
    times = [r["at"] for r in everything]
    assert times == sorted(times, reverse=True)
    by_case = _rows(ctx, sort="case", order="asc")
    assert [(r["case_id"], r["seq"]) for r in by_case] == sorted((r["case_id"], r["seq"]) for r in everything)


@pytest.mark.parametrize("person", ["sales1", "engineer2", "tech_director1", "process_owner1", "customer2"])
def test_only_auditors_and_administrators_may_search(ctx, person):  # refused before anything is read
    with pytest.raises(Forbidden):
        audit_search.search(ctx, person, audit_search.parse_query({}))
    with pytest.raises(Forbidden):
        audit_search.ensure_may_audit(ctx, person)


def test_admins_may_search_too(ctx, histories):
    assert _rows(ctx, "admin1", actor="engineer2") == _rows(ctx, actor="engineer2")


@pytest.mark.parametrize(("args", "field"), [
    ({"type": "nope"}, "type"), ({"from": "2026-13-01"}, "from"), ({"to": "2026-02-30"}, "to"),
    ({"per_page": "100000"}, "per_page"), ({"page": "0"}, "page"), ({"actor": "eng\x00ineer"}, "actor"),
    ({"case": "abc"}, "case"), ({"case": "99999999999"}, "case"), ({"case": "-1"}, "case"),
    ({"field": "data.engineer"}, "field"), ({"field": "x' OR 1=1"}, "field"), ({"sort": "hash"}, "sort"),
    ({"system": "maybe"}, "system"), ({"from": "2026-10-09", "to": "2026-10-08"}, "to"),
    ({"customer": "x" * 101}, "customer"), ({"process": "no_such_process"}, "process"),
])
def test_bad_input_is_refused_naming_the_field(ctx, args, field):  # refused before anything is read
    with pytest.raises(ValidationFailed) as refused:
        audit_search.search(ctx, "auditor1", audit_search.parse_query(args))
    assert field in refused.value.errors


def _bearer(ctx, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {users.issue_token(ctx, username)}"}


def test_the_api_searches_exports_and_refuses(ctx, histories, client):
    auditor = _bearer(ctx, "auditor1")
    found = client.get("/api/v1/audit/events?actor=engineer2&type=task_sent_back", headers=auditor)
    assert found.status_code == 200 and found.json["total"] == 1
    assert found.json["rows"][0]["type_label"] == "退回"
    assert client.get("/api/v1/audit/events?type=task_sent_back&lang=en",
                      headers=auditor).json["rows"][0]["type_label"] == "Sent back"

    workbook = client.get("/api/v1/audit/events?field=engineer&customer=华为&format=xlsx", headers=auditor)
    assert workbook.status_code == 200 and workbook.mimetype.endswith("spreadsheetml.sheet")
    assert "filename*=UTF-8''%E5%AE%A1%E8%AE%A1%E8%AE%B0%E5%BD%95-20261009.xlsx" in workbook.headers[
        "Content-Disposition"]  # 审计记录-20261009.xlsx
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.data)).active
    assert sheet.title == "审计记录"
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert header[:8] == ["时间", "案例", "流程", "业务编号", "客户", "操作人", "用户名", "事件"]
    assert sorted(r[1] for r in rows) == sorted([histories["B"], histories["B"], histories["C"]])
    assert {r[4] for r in rows} == {"华为"} and {r[7] for r in rows} == {"完成任务"}
    assert {r[5] for r in rows} == {"技术总监1", "技术总监2"}
    assert any("工程师4 (engineer4)" in r[9] for r in rows) and all(r[0].year == 2026 for r in rows)

    for query, field in (("type=nope", "type"), ("from=2026-13-01", "from"), ("per_page=5000", "per_page"),
                         ("actor=a%01b", "actor"), ("case=0x10", "case"), ("format=pdf", "format")):
        refused = client.get(f"/api/v1/audit/events?{query}", headers=auditor)
        assert refused.status_code == 400 and field in refused.json["errors"], (query, refused.json)
        assert refused.mimetype == "application/problem+json"
    for person in ("sales1", "engineer2", "process_owner1", "customer2"):
        denied = client.get("/api/v1/audit/events?type=nope", headers=_bearer(ctx, person))
        assert denied.status_code == 403 and denied.mimetype == "application/problem+json"
    assert client.get("/api/v1/audit/events").status_code == 401


def _sign_in(client, username: str) -> None:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post("/login", data={"username": username, "password": "demo", "csrf_token": token})


def test_the_page_lists_links_exports_and_refuses(ctx, histories, app):
    auditor = app.test_client()
    _sign_in(auditor, "auditor1")
    page = auditor.get("/audit?actor=engineer2")
    assert page.status_code == 200 and "审计检索" in page.text and "共 2 条事件" in page.text
    assert f'href="/cases/{histories["B"]}"' in page.text and f'/cases/{histories["B"]}/replay' in page.text
    assert 'data-actor="engineer1"' not in page.text and "退回" in page.text and "工程师2" in page.text
    english = auditor.get("/audit?type=task_sent_back&lang=en")
    assert english.status_code == 200 and "Audit search" in english.text and "Sent back" in english.text
    exported = auditor.get("/audit/export.xlsx?field=engineer&customer=华为")
    sheet = openpyxl.load_workbook(io.BytesIO(exported.data)).active
    assert sorted(r[1] for r in sheet.iter_rows(min_row=2, values_only=True)) == sorted(
        [histories["B"], histories["B"], histories["C"]])
    refused = auditor.get("/audit?from=2026-13-01&per_page=7000&type=nope")
    assert refused.status_code == 400
    for name in ("from", "per_page", "type"):
        assert f'data-testid="error-{name}"' in refused.text

    for person in ("sales1", "engineer2", "process_owner1", "customer2"):
        other = app.test_client()
        _sign_in(other, person)
        assert other.get("/audit").status_code == 403
        assert other.get("/audit/export.xlsx").status_code == 403
