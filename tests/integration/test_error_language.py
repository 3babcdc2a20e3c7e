"""Errors speak their reader's language: the API's problem+json (`?lang=en`, `Accept-Language: en`, else the
browser's chosen language, else Chinese) with the code and parameters for programs, the error pages in the
page's language, and the command line in Chinese unless GUICHENG_LANG=en."""

from __future__ import annotations

import re

import pytest

from service.operations import users
from tests.integration.test_web_pages import sign_in
from tests.support.cli import cli_env, run_cli
from tests.support.walk import start_case

MISSING = 99999
ENGLISH = {"lang": "en"}


@pytest.fixture
def bearer(ctx):
    def of(username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {users.issue_token(ctx, username)}"}
    return of


def _confirm_task(client, headers) -> dict:
    (task,) = client.get("/api/v1/tasks", headers=headers).json
    return task


def test_a_missing_task_or_case_is_404_in_chinese_by_default_and_in_english_when_asked(client, bearer):
    headers = bearer("sales1")
    for path, code, zh, en in ((f"/api/v1/tasks/{MISSING}", "task.missing", "没有任务 #99999", "no such task: #99999"),
                               (f"/api/v1/process-instances/{MISSING}", "case.missing", "没有案例 #99999",
                                "no such case: #99999")):
        chinese = client.get(path, headers=headers)
        assert chinese.status_code == 404 and chinese.mimetype == "application/problem+json"
        assert chinese.json["detail"] == zh and chinese.json["code"] == code
        assert list(chinese.json["params"].values()) == [MISSING]
        assert client.get(path, headers=headers, query_string=ENGLISH).json["detail"] == en
        asked = client.get(path, headers={**headers, "Accept-Language": "en-GB,en;q=0.8"})
        assert asked.json["detail"] == en and asked.json["code"] == code
        assert client.get(path, headers={**headers, "Accept-Language": "zh-CN"}).json["detail"] == zh


def test_a_case_someone_may_not_see_is_403_naming_the_case_and_the_person(ctx, client, bearer):
    instance_id = start_case(ctx)
    task = _confirm_task(client, bearer("tech_director1"))
    headers = bearer("engineer1")
    for path in (f"/api/v1/process-instances/{instance_id}", f"/api/v1/tasks/{task['id']}"):
        chinese = client.get(path, headers=headers)
        assert chinese.status_code == 403 and chinese.json["code"] == "case.not_visible"
        assert chinese.json["params"] == {"case": instance_id, "user": "engineer1"}
        assert chinese.json["detail"] == f"案例 #{instance_id} 对 engineer1 不可见"
        english = client.get(path, headers=headers, query_string=ENGLISH).json["detail"]
        assert english == f"case #{instance_id} is not visible to engineer1"


def test_a_task_claimed_by_someone_else_is_409_and_a_withdrawn_case_too(ctx, client, bearer):
    instance_id = start_case(ctx)
    first, second = bearer("tech_director1"), bearer("tech_director2")
    task = _confirm_task(client, first)
    assert client.post(f"/api/v1/tasks/{task['id']}/claim", headers=first).status_code == 200
    taken = client.post(f"/api/v1/tasks/{task['id']}/claim", headers=second)
    assert taken.status_code == 409 and taken.json["code"] == "task.claimed_by"
    assert taken.json["detail"] == f"任务 #{task['id']}「{task['name']}」已被 tech_director1 认领"
    english = client.post(f"/api/v1/tasks/{task['id']}/claim", headers=second, query_string=ENGLISH)
    assert english.json["detail"] == f"task #{task['id']} “{task['name']}” is already claimed by tech_director1"

    other = start_case(ctx)
    starter = bearer("sales1")
    assert client.post(f"/api/v1/process-instances/{other}/withdraw", headers=starter,
                       json={"reason": "客户取消"}).status_code == 200
    again = client.post(f"/api/v1/process-instances/{other}/withdraw", headers=starter, json={"reason": "再次"},
                        query_string=ENGLISH)
    assert again.status_code == 409 and again.json["code"] == "case.not_running"
    assert again.json["detail"] == f"case #{other} is cancelled, not running"
    assert instance_id != other


def test_bad_input_is_400_with_field_errors_in_the_readers_language(ctx, client, bearer):
    start_case(ctx)
    headers = bearer("tech_director1")
    task = _confirm_task(client, headers)
    refused = client.post(f"/api/v1/tasks/{task['id']}/complete", headers=headers, json={"data": 5})
    assert refused.status_code == 400 and refused.json["code"] == "body.member_not_object"
    assert refused.json["detail"] == "字段 data 必须是 JSON 对象"
    assert refused.json["errors"] == {"data": "应为 JSON 对象"}
    assert refused.json["error_codes"] == {"data": {"code": "body.object_expected", "params": {}}}
    english = client.post(f"/api/v1/tasks/{task['id']}/complete", headers=headers, json={"data": 5},
                          query_string=ENGLISH)
    assert english.json["errors"] == {"data": "expected a JSON object"}

    sales = bearer("sales1")
    unnamed = client.post("/api/v1/process-instances", headers=sales, json={"data": {}})
    assert unnamed.status_code == 400 and unnamed.json["code"] == "process.id_missing"
    assert unnamed.json["errors"] == {"process_id": "必填"}
    assert client.post("/api/v1/process-instances", headers={**sales, "Accept-Language": "en"},
                       json={"data": {}}).json["errors"] == {"process_id": "required"}


def test_the_api_and_the_edge_errors_speak_the_browsers_chosen_language(client):
    assert client.get("/api/v1/nothing-here").json["detail"] == "没有这个接口或页面"
    assert client.get("/api/v1/nothing-here", query_string=ENGLISH).json["detail"] == "no such endpoint or page"
    sign_in(client, "sales1")
    # a browser always sends its own Accept-Language: the pages' language decides for their calls
    chinese = client.get(f"/api/v1/tasks/{MISSING}", headers={"Accept-Language": "en-US"})
    assert chinese.json["detail"] == "没有任务 #99999"
    client.get("/lang/en")
    assert client.get(f"/api/v1/tasks/{MISSING}").json["detail"] == "no such task: #99999"


def _error_card(html: str) -> str:
    card = re.search(r'<div class="card"[^>]*>(.*?)</div>', html, re.S)
    assert card is not None, html
    return re.sub(r"<[^>]+>", " ", card.group(1))


def test_a_pages_error_in_chinese_has_no_english_words_and_switches_with_the_page(ctx, client):
    instance_id = start_case(ctx)
    sign_in(client, "engineer1")
    for path, code, ids in ((f"/tasks/{MISSING}", "task.missing", set()),
                            (f"/cases/{instance_id}", "case.not_visible", {"engineer1"})):
        page = client.get(path)
        assert page.status_code in (403, 404) and f'data-code="{code}"' in page.text
        words = set(re.findall(r"[A-Za-z][A-Za-z0-9_]*", _error_card(page.text))) - ids
        assert words == set(), (path, words)
    client.get("/lang/en")
    page = client.get(f"/tasks/{MISSING}")
    assert page.status_code == 404 and "no such task: #99999" in _error_card(page.text)
    assert not re.search(r"[\u3400-\u9fff]", _error_card(page.text))


def test_the_command_line_says_its_error_in_chinese_unless_asked_for_english(database_url, home):
    chinese = run_cli(cli_env(database_url, home), "show", str(MISSING))
    assert chinese.returncode == 1 and chinese.stderr.strip() == "错误：没有案例 #99999"
    english = run_cli(cli_env(database_url, home, GUICHENG_LANG="en"), "show", str(MISSING))
    assert english.returncode == 1 and english.stderr.strip() == "error: no such case: #99999"
