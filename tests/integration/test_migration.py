"""Version 2 of technical support, and moving running cases onto it — through the API and the command line,
with the demo organisation, on SQLite and PostgreSQL.

Version 2 adds a review step 复核申请 (double_check) after the director's confirmation and gives the
emergency confirmation another id. A case waiting for the director moves, keeps its task and timers, and
goes on along version 2; a case waiting at the emergency confirmation cannot move, and says why.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from service.config import PROJECT_ROOT
from service.domain.form_translation import diagram_words_name
from service.operations import cases, deploy, queries, tokens
from service.persistence.audit import verify_chain
from service.persistence.models import Timer
from tests.integration.test_web_pages import sign_in
from tests.processes.walk import APPLICATION, advance_to, do, open_elements, start, task
from tests.support.cli import cli_env, run_cli
from tests.unit.test_version_diff import (
    MAIN,
    with_double_check,
    with_emergency_renamed,
    words_with_emergency_renamed,
)

pytestmark = pytest.mark.usefixtures("every_case_replays")  # each case replays to what is stored

PROCESS = "technical_support"


@pytest.fixture
def api(client, ctx):  # type: ignore[no-untyped-def]
    """Call the API as a demo user: api("process_owner1", "get", "/diff?from=1&to=2")."""
    issued: dict[str, str] = {}

    def call(user: str, method: str, path: str, body: dict[str, Any] | None = None, process: str = PROCESS) -> Any:
        token = issued.setdefault(user, tokens.issue_token(ctx, user, name="test"))
        return getattr(client, method)(f"/api/v1/process-definitions/{process}{path}", json=body,
                                       headers={"Authorization": f"Bearer {token}"})
    return call


def _deploy_version_2(ctx, *, form_edit: Any = None) -> int:  # type: ignore[no-untyped-def]
    bundle = deploy.bundle_from_path(PROJECT_ROOT / "processes" / MAIN, PROJECT_ROOT / "forms")
    text = bundle.files[MAIN].decode("utf-8")
    bundle.files[MAIN] = with_emergency_renamed(with_double_check(text)).encode("utf-8")
    words = diagram_words_name(PROCESS)
    bundle.translations[words] = words_with_emergency_renamed(bundle.translations[words])
    if form_edit is not None:
        form_edit(bundle)
    result = deploy.deploy_bundle(ctx, bundle, actor="process_owner1")
    assert result.created and result.version == 2
    return result.version


def _at_confirmation(ctx) -> int:  # type: ignore[no-untyped-def]
    return cases.start_case(ctx, process_id=PROCESS, actor="sales1", data=dict(APPLICATION))


def _at_emergency(ctx) -> int:  # type: ignore[no-untyped-def]
    return cases.start_case(ctx, process_id=PROCESS, actor="sales2", data={**APPLICATION, "emergency": True})


def _version_of(ctx, case: int) -> int:  # type: ignore[no-untyped-def]
    return queries.show_case(ctx, case)["version"]


def _events(ctx, case: int, kind: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    return [e for e in queries.history(ctx, case) if e["type"] == kind]


def _pending_timers(ctx, case: int) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    with ctx.db.reading() as session:
        return {t.element_id: t.due_at for t in session.execute(select(Timer).where(
            Timer.instance_id == case, Timer.status == "pending")).scalars()}


def test_the_diff_lists_exactly_what_version_2_changed(ctx, api):  # type: ignore[no-untyped-def]
    _deploy_version_2(ctx)
    reply = api("auditor1", "get", "/diff?from=1&to=2")
    assert reply.status_code == 200, reply.get_json()
    diff = reply.get_json()
    assert (diff["from"], diff["to"]) == (1, 2)
    assert [e["id"] for e in diff["elements"]["added"]] == ["confirm_urgent", "double_check",
                                                            "flow_confirm_request_to_double_check",
                                                            "flow_double_check_to_confirm_gateway"]
    assert [e["id"] for e in diff["elements"]["removed"]] == ["confirm_emergency",
                                                               "flow_confirm_request_to_confirm_gateway"]
    assert {e["id"]: e["properties"] for e in diff["elements"]["changed"]} == {
        "confirm_gateway": ["flows"], "confirm_request": ["flows"],
        "flow_confirm_emergency_to_emergency_decision_gateway": ["flows"],
        "flow_emergency_gateway_to_confirm_emergency": ["flows"]}
    assert diff["forms"] == {"added": [], "removed": [], "changed": []}
    assert diff["translations"]["changed"] == ["technical_support.en.json"]
    same = api("process_owner1", "get", "/diff?from=2&to=2").get_json()
    assert same["elements"] == {"added": [], "removed": [], "changed": [], "moved": []}
    assert same["forms"]["changed"] == same["tables"]["changed"] == same["translations"]["changed"] == []


def test_the_diff_refuses_unknown_versions_bad_numbers_and_salespeople(ctx, api):  # type: ignore[no-untyped-def]
    assert api("process_owner1", "get", "/diff?from=1&to=9").status_code == 404
    assert "9" in api("process_owner1", "get", "/diff?from=1&to=9").get_json()["detail"]
    bad = api("process_owner1", "get", "/diff?from=one&to=1")
    assert bad.status_code == 400 and "from" in bad.get_json()["errors"]
    assert api("sales1", "get", "/diff?from=1&to=1").status_code == 403
    assert api("process_owner1", "get", "/migration?to=9").status_code == 404
    assert api("process_owner1", "get", "/diff?from=1&to=1", process="no_such_process").status_code == 404


def test_a_case_waiting_at_a_kept_step_moves_and_goes_on_along_version_2(ctx, api):  # type: ignore[no-untyped-def]
    case = _at_confirmation(ctx)
    confirmation = task(ctx, case, "confirm_request")
    timers = _pending_timers(ctx, case)
    _deploy_version_2(ctx)

    preview = api("auditor1", "get", "/migration?to=2")
    assert preview.status_code == 200
    assert preview.get_json() == {"to": 2, "cases": [{"instance_id": case, "business_key": "欧莱雅 / CITRIX安装",
                                                       "version": 1, "can_migrate": True, "reasons": []}]}
    reply = api("process_owner1", "post", "/migration", {"to": 2, "instance_ids": [case]})
    assert reply.status_code == 200, reply.get_json()
    assert reply.get_json() == {"to": 2, "migrated": [case], "refused": []}

    assert _version_of(ctx, case) == 2
    kept = task(ctx, case, "confirm_request")
    assert kept["id"] == confirmation["id"] and kept["version"] == 2  # the same task row, now on version 2
    assert _pending_timers(ctx, case) == timers  # the reminders keep their moments
    (event,) = _events(ctx, case, "migrated")
    assert event["actor"] == "process_owner1"
    payload = event["payload"]
    assert (payload["from_version"], payload["to_version"]) == (1, 2)
    assert {t["element_id"] for t in payload["reset_tasks"]} == {"confirm_request", "confirm_reminder_timer",
                                                                 "confirm_overdue_timer"}
    assert payload["removed_tasks"] and payload["kept_task_rows"] == [confirmation["id"]]

    cases.complete_task(ctx, task_id=kept["id"], actor="tech_director1",
                        data={"accepted": "yes", "engineer": "engineer2"})
    assert open_elements(ctx, case) == ["double_check"]  # version 2's new step
    cases.complete_task(ctx, task_id=task(ctx, case, "double_check")["id"], actor="tech_director2", data={})
    assert open_elements(ctx, case) == ["engineer_assessment"]
    assert task(ctx, case, "engineer_assessment")["assignee"] == "engineer2"
    assert api("process_owner1", "get", "/migration?to=2").get_json()["cases"] == []  # nothing left to move
    with ctx.db.reading() as session:
        assert verify_chain(session).ok


def test_a_case_inside_the_called_proposal_moves_and_finishes_it(ctx, api):  # type: ignore[no-untyped-def]
    case = start(ctx, preparation_required=["proposal"], proposal_size="2")
    advance_to(ctx, case, "agree_contents")  # inside the call activity 编写方案
    _deploy_version_2(ctx)
    (shown,) = api("process_owner1", "get", "/migration?to=2").get_json()["cases"]
    assert shown["can_migrate"] is True, shown["reasons"]
    assert api("process_owner1", "post", "/migration", {"to": 2, "instance_ids": [case]}).get_json()["migrated"] == [
        case]
    do(ctx, case, "agree_contents", {"proposal_contents": "目录"}, actor="engineer1")
    do(ctx, case, "approve_contents", {"contents_agreed": "yes"}, actor="sales1")
    assert open_elements(ctx, case) == ["write_proposal"]


def test_a_case_at_a_removed_step_is_refused_and_all_moves_only_the_movable(ctx, api):  # type: ignore[no-untyped-def]
    movable, stuck = _at_confirmation(ctx), _at_emergency(ctx)
    before = queries.show_case(ctx, stuck)
    _deploy_version_2(ctx)

    shown = {c["instance_id"]: c for c in api("process_owner1", "get", "/migration?to=2&lang=en").get_json()["cases"]}
    assert shown[movable]["can_migrate"] is True
    assert shown[stuck]["can_migrate"] is False
    (reason,) = shown[stuck]["reasons"]
    assert reason["code"] == "migration.element_removed" and reason["element_id"] == "confirm_emergency"
    assert reason["message"] == ("the case is waiting at “Confirm emergency support by phone or e-mail” "
                                 "(confirm_emergency), which version 2 no longer has")

    reply = api("process_owner1", "post", "/migration", {"to": 2, "instance_ids": "all"}).get_json()
    assert reply["migrated"] == [movable]
    assert [(r["instance_id"], r["reasons"][0]["element_id"]) for r in reply["refused"]] == [(stuck,
                                                                                             "confirm_emergency")]
    assert _version_of(ctx, movable) == 2 and _version_of(ctx, stuck) == 1
    after = queries.show_case(ctx, stuck)
    assert after["data"] == before["data"] and open_elements(ctx, stuck) == ["confirm_emergency"]
    assert _events(ctx, stuck, "migrated") == []
    # moving a case that is already there says so, and changes nothing
    again = api("process_owner1", "post", "/migration", {"to": 2, "instance_ids": [movable]}).get_json()
    assert again["migrated"] == [] and again["refused"][0]["reasons"][0]["code"] == "migration.already_there"
    assert len(_events(ctx, movable, "migrated")) == 1


def test_a_form_demanding_a_new_required_field_keeps_the_case_where_it_is(ctx, api):  # type: ignore[no-untyped-def]
    case = _at_confirmation(ctx)

    def demand_urgency(bundle: deploy.Bundle) -> None:
        form = json.loads(bundle.forms["confirm_request"])
        form["components"].append({"id": "Field_urgency", "key": "urgency", "type": "textfield", "label": "紧急程度",
                                   "validate": {"required": True}})
        bundle.forms["confirm_request"] = json.dumps(form, ensure_ascii=False)
    _deploy_version_2(ctx, form_edit=demand_urgency)

    (shown,) = api("process_owner1", "get", "/migration?to=2").get_json()["cases"]
    assert shown["can_migrate"] is False
    assert [(r["code"], r["element_id"]) for r in shown["reasons"]] == [("migration.form_incompatible",
                                                                         "confirm_request")]
    assert "urgency" in shown["reasons"][0]["message"]
    refused = api("process_owner1", "post", "/migration", {"to": 2, "instance_ids": [case]}).get_json()
    assert refused["migrated"] == [] and refused["refused"][0]["instance_id"] == case
    assert _version_of(ctx, case) == 1


def test_only_process_owners_migrate(ctx, api):  # type: ignore[no-untyped-def]
    case = _at_confirmation(ctx)
    _deploy_version_2(ctx)
    for user in ("sales1", "auditor1", "admin1", "tech_director1"):
        reply = api(user, "post", "/migration", {"to": 2, "instance_ids": [case]})
        assert reply.status_code == 403, user
        assert reply.get_json()["detail"]
    assert api("sales1", "get", "/migration?to=2").status_code == 403  # nor see the preview
    assert api("admin1", "get", "/migration?to=2").status_code == 200
    unknown = api("process_owner1", "post", "/migration", {"to": 9, "instance_ids": [case]})
    assert unknown.status_code == 404
    bad = api("process_owner1", "post", "/migration", {"to": 2, "instance_ids": ["1; drop"]})
    assert bad.status_code == 400 and "instance_ids" in bad.get_json()["errors"]
    assert _version_of(ctx, case) == 1 and _events(ctx, case, "migrated") == []


def test_the_command_previews_and_migrates(ctx, database_url, home, api):  # type: ignore[no-untyped-def]
    movable, stuck = _at_confirmation(ctx), _at_emergency(ctx)
    _deploy_version_2(ctx)
    env = cli_env(database_url, home, clock="2026-09-30T11:00:00+08:00")
    shown = run_cli(env, "migrate", PROCESS, "--to", "2", "--preview", "--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout) == api("process_owner1", "get", "/migration?to=2").get_json()
    assert run_cli(env, "migrate", PROCESS, "--to", "2").returncode != 0  # neither --case nor --all

    moved = run_cli(env, "migrate", PROCESS, "--to", "2", "--all", "--json")
    assert moved.returncode == 1  # one case was refused
    result = json.loads(moved.stdout)
    assert result["migrated"] == [movable] and [r["instance_id"] for r in result["refused"]] == [stuck]
    assert _version_of(ctx, movable) == 2
    assert _events(ctx, movable, "migrated")[0]["actor"] == "system"


def test_the_case_page_tells_of_the_migration(ctx, client, api):  # type: ignore[no-untyped-def]
    case = _at_confirmation(ctx)
    _deploy_version_2(ctx)
    assert api("process_owner1", "post", "/migration", {"to": 2, "instance_ids": [case]}).status_code == 200
    sign_in(client, "tech_director1")
    page = client.get(f"/cases/{case}")
    assert page.status_code == 200
    assert "把案例从第 1 版迁移到第 2 版" in page.get_data(as_text=True)  # a person's action: shown by default
    english = client.get(f"/cases/{case}?lang=en").get_data(as_text=True)
    assert "moved the case from version 1 to version 2" in english
