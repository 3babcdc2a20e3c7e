"""Hostile input at the edge: ids beyond 64 bits, NaN, lone surrogates, NUL, deep nesting,
huge lists and strings, bad business keys — each a 4xx naming the field, never a 500, on
SQLite and PostgreSQL; the command line's --data keeps the same limits."""

from __future__ import annotations

import json

import pytest

from service.operations import users
from tests.integration.test_web_pages import sign_in
from tests.support.cli import cli_env, run_cli
from tests.support.walk import APPLICATION, start_case

TOO_BIG = 2**63
BIGGEST = 2**31 - 1  # the id columns are INTEGER on PostgreSQL


@pytest.fixture
def headers(ctx):
    return {"Authorization": f"Bearer {users.issue_token(ctx, 'sales1')}"}


@pytest.mark.parametrize("number", [TOO_BIG, BIGGEST + 1, BIGGEST, 10**30])
def test_ids_beyond_a_database_column_are_404_everywhere(client, headers, number):
    api = [client.get(f"/api/v1/tasks/{number}", headers=headers),
           client.get(f"/api/v1/process-instances/{number}", headers=headers),
           client.get(f"/api/v1/process-instances/{number}/events", headers=headers),
           client.post(f"/api/v1/tasks/{number}/complete", headers=headers, json={"data": {}}),
           client.delete(f"/api/v1/tokens/{number}", headers=headers)]
    assert [r.status_code for r in api] == [404] * len(api)
    assert all(r.mimetype == "application/problem+json" for r in api)
    sign_in(client, "sales1")
    pages = [client.get(f"/tasks/{number}"), client.get(f"/cases/{number}"),
             client.get(f"/processes/technical_support/{number}/diagram.bpmn")]
    assert [r.status_code for r in pages] == [404] * len(pages)


def test_negative_ids_match_no_route(client, headers):
    assert client.get("/api/v1/tasks/-1", headers=headers).status_code == 404
    sign_in(client, "sales1")
    assert client.get("/cases/-1").status_code == 404


def _start(client, headers, raw: str):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/process-instances", headers=headers, data=raw, content_type="application/json")


def _body(extra: str) -> str:
    """A start request as JSON text with the member `extra` spliced in verbatim (NaN is no Python JSON)."""
    text = json.dumps({"process_id": "technical_support", "data": {**APPLICATION, "extra": "@RAW@"}},
                      ensure_ascii=False)
    return text.replace('"@RAW@"', extra)


@pytest.mark.parametrize(("raw", "path", "words"), [
    ("NaN", "data.extra", "NaN"),
    ("[1, Infinity]", "data.extra[1]", "Infinity"),
    ("1e999", "data.extra", "1e999"),
    (str(TOO_BIG), "data.extra", str(TOO_BIG)),
    ('"\\ud800"', "data.extra", "U+D800"),
    ('"a\\u0000b"', "data.extra", "U+0000"),
    ('"bell\\u0007"', "data.extra", "U+0007"),
    ('{"x\\u0000": 1}', 'data.extra["x\\u0000"]', "U+0000"),
    (json.dumps(list(range(1001))), "data.extra", "1001"),
    (json.dumps("x" * 100_001), "data.extra", "100001"),
])
def test_hostile_json_is_a_field_error(client, headers, raw, path, words):
    response = _start(client, headers, _body(extra=raw))
    assert response.status_code == 400 and response.mimetype == "application/problem+json", response.text
    assert list(response.json["errors"]) == [path] and words in response.json["errors"][path]


def test_deep_nesting_is_refused_before_parsing(client, headers):
    deep = _start(client, headers, '{"process_id": "technical_support", "data": ' + "[" * 10_000 + "]" * 10_000 + "}")
    assert deep.status_code == 400 and "10001" in deep.json["errors"][""]
    assert _start(client, headers, "[" * 33 + "]" * 33).status_code == 400


def test_plain_text_with_tabs_and_newlines_still_passes(client, headers):
    body = {"process_id": "technical_support", "data": {**APPLICATION, "document_contents": "一、背景\n二、\t方案"}}
    response = client.post("/api/v1/process-instances", headers=headers, json=body)
    assert response.status_code == 201, response.text


@pytest.mark.parametrize("key", ["x" * 257, "欧莱雅\n/ CITRIX", "a\u0000b", 42])
def test_bad_business_keys_are_a_field_error(client, headers, key):
    body = {"process_id": "technical_support", "data": APPLICATION, "business_key": key}
    response = client.post("/api/v1/process-instances", headers=headers, json=body)
    assert response.status_code == 400 and list(response.json["errors"]) == ["business_key"]


def test_a_good_business_key_is_kept(client, headers):
    body = {"process_id": "technical_support", "data": APPLICATION, "business_key": "合同 HT-2026-001"}
    response = client.post("/api/v1/process-instances", headers=headers, json=body)
    assert response.status_code == 201 and response.json["business_key"] == "合同 HT-2026-001"


def test_control_characters_in_query_and_form_fields_are_a_field_error(ctx, client, headers):
    start_case(ctx)
    assert client.get("/api/v1/tasks?x=%00", headers=headers).json["errors"] == {
        "x": "第 0 个字符处有控制字符 U+0000"}
    sign_in(client, "tech_director1")
    page = client.get("/?q=%00")
    assert page.status_code == 400 and "U+0000" in page.text
    assert client.get("/?q=" + "欧" * 100).status_code == 200


def test_answers_never_carry_nan(app):
    with app.app_context():
        assert app.json.dumps({"ratio": float("nan"), "items": [float("inf"), 1.5]}) == \
            '{"items": [null, 1.5], "ratio": null}'


def test_the_command_line_data_keeps_the_same_limits(database_url, home):
    env = cli_env(database_url, home, clock="2026-09-30T11:00:00+08:00")
    for raw, words in (('{"customer": NaN}', "customer: 数值 NaN"), ('{"customer": "\\ud800"}', "U+D800"),
                       ('{"customer": "a\\u0000"}', "U+0000"), ("[" * 40 + "]" * 40, "嵌套 40 层")):
        result = run_cli(env, "start", "technical_support", "--as", "sales1", "--data", raw)
        assert result.returncode == 1 and "--data: " in result.stderr and words in result.stderr, result.stderr
