"""The processes pages through Flask's test client: who sees the list, a process's versions and the editor,
what each of them may do there, the counts per version, the draft badge and the English labels."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest

from service.persistence.models import ProcessDraft
from tests.integration.test_web_pages import sign_in, start

PROCESSES = ("after_sales_service", "after_sales_visit_plan", "contract_approval", "implementation_project",
             "presales_support", "technical_support", "technical_support_conflict", "technical_support_deviation",
             "technical_support_proposal")


def _rows(html: str) -> list[str]:
    return re.findall(r'data-process-id="([^"]+)" data-testid="process-row"', html)


def _save_draft(ctx, process_id: str = "technical_support", who: str = "process_owner1") -> None:
    with ctx.db.transaction() as session:
        session.add(ProcessDraft(process_id=process_id, base_version=1, files={}, forms={}, translations={},
                                 updated_at=datetime(2026, 10, 9, 10, 0, tzinfo=UTC), updated_by=who))


def test_a_process_owner_sees_every_process_with_edit_and_new_buttons(client, ctx):
    start(ctx)
    sign_in(client, "process_owner1")
    page = client.get("/processes")
    assert page.status_code == 200
    assert sorted(_rows(page.text)) == sorted(PROCESSES)
    assert "技术支持" in page.text and 'data-testid="new-process"' in page.text
    assert page.text.count('data-testid="edit-process"') == len(PROCESSES)
    counts = re.search(r'data-process-id="technical_support".*?</tr>', page.text, re.S).group(0)
    assert "v1：进行中 1 · 已结束 0" in counts
    assert 'data-testid="draft-badge"' not in page.text


def test_the_list_sorts_by_a_column_both_ways(client):
    sign_in(client, "process_owner1")
    ascending = _rows(client.get("/processes?sort=process_id&order=asc").text)
    assert ascending == sorted(PROCESSES)
    assert _rows(client.get("/processes?sort=process_id&order=desc").text) == sorted(PROCESSES, reverse=True)
    assert client.get("/processes?sort=nonsense&order=sideways").status_code == 200


def test_a_saved_draft_shows_as_a_badge_on_the_list_and_the_detail_page(client, ctx):
    _save_draft(ctx)
    sign_in(client, "process_owner1")
    row = re.search(r'data-process-id="technical_support".*?</tr>', client.get("/processes").text, re.S).group(0)
    assert 'data-testid="draft-badge"' in row and "process_owner1" in row
    assert 'data-testid="draft-badge"' in client.get("/processes/technical_support").text


def test_the_detail_page_has_versions_counts_diagram_and_links(client, ctx):
    start(ctx)
    sign_in(client, "process_owner1")
    page = client.get("/processes/technical_support")
    assert page.status_code == 200
    assert 'data-testid="version-row"' in page.text and 'data-testid="running">1<' in page.text
    assert "/processes/technical_support/1/diagram.bpmn" in page.text
    assert 'href="/processes/technical_support/edit"' in page.text
    assert 'href="/processes/technical_support/migration"' in page.text


def test_an_auditor_and_an_admin_read_but_change_nothing(client):
    for who in ("auditor1", "admin1"):
        sign_in(client, who)
        listing = client.get("/processes")
        assert listing.status_code == 200 and sorted(_rows(listing.text)) == sorted(PROCESSES)
        assert 'data-testid="edit-process"' not in listing.text and 'data-testid="new-process"' not in listing.text
        detail = client.get("/processes/technical_support")
        assert detail.status_code == 200 and 'data-testid="edit-process"' not in detail.text
        refused = client.get("/processes/technical_support/edit")
        assert refused.status_code == 403 and "只有流程负责人可以" in refused.text
        assert client.get("/processes/new").status_code == 403
        migration = client.get("/processes/technical_support/migration")
        assert migration.status_code == 200 and 'data-testid="migration-read-only"' in migration.text
        assert 'data-testid="migrate-all"' not in migration.text
        client.post("/logout", data={"csrf_token": re.search(r'name="csrf-token" content="([^"]+)"',
                                                             detail.text).group(1)})


@pytest.mark.parametrize("who", ["sales1", "engineer1", "customer1", "tech_director1"])
def test_everyone_else_has_no_processes_nav_and_is_refused(client, who):
    sign_in(client, who)
    assert 'data-testid="nav-processes"' not in client.get("/cases").text
    for path in ("/processes", "/processes/technical_support", "/processes/technical_support/edit",
                 "/processes/technical_support/diff", "/processes/technical_support/migration", "/processes/new"):
        assert client.get(path).status_code == 403, path


def test_the_editor_page_hands_its_script_the_draft_endpoints(client):
    sign_in(client, "process_owner1")
    page = client.get("/processes/technical_support/edit")
    assert page.status_code == 200
    config = json.loads(re.search(r'<script type="application/json" id="editor-config">(.*?)</script>',
                                  page.text, re.S).group(1))
    assert config["urls"]["draft"] == "/api/v1/process-drafts/technical_support"
    assert config["urls"]["catalogue"].endswith("catalogue?process_id=technical_support")
    assert {"id": "engineer", "name": "工程师"} in config["roles"]
    assert config["labels"]["field.select"] == "下拉选择"
    for testid in ("save-draft", "validate", "deploy", "discard-draft", "import-bpmn", "tab-diagram", "tab-forms",
                   "tab-tables", "problem-list", "form-list", "modeler"):
        assert f'data-testid="{testid}"' in page.text, testid
    assert "<script>" not in page.text  # no inline script: the page policy forbids it


def test_unknown_processes_and_versions_are_404_pages(client):
    sign_in(client, "process_owner1")
    assert client.get("/processes/no_such_process").status_code == 404
    assert client.get("/processes/no_such_process/edit").status_code == 404
    for query in ("from=1&to=9", "from=x&to=1", "to=0"):
        answer = client.get(f"/processes/technical_support/diff?{query}")
        assert answer.status_code == 404 and "没有版本" in answer.text, query
    assert client.get("/processes/technical_support/migration?to=7").status_code == 404


def test_the_diff_and_migration_pages_name_their_endpoints(client):
    sign_in(client, "process_owner1")
    diff = client.get("/processes/technical_support/diff?from=1&to=1")
    assert diff.status_code == 200
    assert "/api/v1/process-definitions/technical_support/diff?from=1\\u0026to=1" in diff.text or \
        "/api/v1/process-definitions/technical_support/diff?from=1&to=1" in diff.text
    migration = client.get("/processes/technical_support/migration?to=1")
    assert migration.status_code == 200 and 'data-testid="migrate-selected"' in migration.text


def test_the_pages_speak_english_when_asked(client):
    sign_in(client, "process_owner1")
    listing = client.get("/processes?lang=en")  # any page takes ?lang=en, and keeps it
    assert "Processes" in listing.text and "New process" in listing.text and "Edit" in listing.text
    assert "Technical support" in listing.text or "technical support" in listing.text.lower()
    detail = client.get("/processes/technical_support")
    assert "Versions" in detail.text and "Move running cases" in detail.text
    edit = client.get("/processes/technical_support/edit")
    assert "Save draft" in edit.text and "Decision tables" in edit.text


def test_a_process_owner_with_nothing_to_do_is_pointed_to_the_processes(client):
    sign_in(client, "process_owner1")
    empty = client.get("/?q=nothing-matches-this")
    assert empty.status_code == 200 and 'href="/processes"' in empty.text and "管理流程" in empty.text
    sign_in(client, "sales1")
    assert "管理流程" not in client.get("/?q=nothing-matches-this").text
