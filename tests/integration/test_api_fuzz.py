"""The JSON API under generated and hostile input, as four roles: never a 5xx, every error JSON.

Schemathesis derives requests from /api/v1/openapi.json (valid ones and deliberately invalid
ones: wrong types, missing fields, odd ids) and sends them to the app in-process. A table of
hand-picked hostile values follows — NaN, huge numbers, deep nesting, bad bytes — that a
generator built from the schema would not think of.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.core import NotSet

from service import create_app
from service.operations import users
from tests.processes import walk as paths
from tests.support.walk import APPLICATION, start_case, walk_to_sales_confirmation

# one of each kind of access: staff who work tasks, a customer contact, a process owner (reads all, changes
# processes) and an administrator (reads all, changes people and the calendar); a director's or an auditor's
# requests take the same parsing paths as these
FUZZ_USERS = ("sales1", "customer2", "process_owner1", "admin1")
JSON_TYPES = ("application/json", "application/problem+json")
EXAMPLES_PER_OPERATION = 15
# on PostgreSQL the generated requests reach the same parsing as on SQLite (15 examples); what the dialect adds (integer
# overflow, text collation, JSON operators) is met by the first examples and by the hand-picked table below
EXAMPLES_PER_OPERATION_POSTGRES = 8


@pytest.fixture
def fuzz_app(ctx):
    """An app over a database with cases at several steps, so small ids hit real tasks and cases."""
    walk_to_sales_confirmation(ctx, start_case(ctx))
    start_case(ctx)
    start_case(ctx, customer="华为", project="网络改造")
    return create_app(context=ctx)


@pytest.fixture
def fuzz_tokens(ctx) -> dict[str, dict[str, str]]:
    return {username: _bearer(ctx, username) for username in FUZZ_USERS}


def _bearer(ctx, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {users.issue_token(ctx, username)}"}


def _not_json(constant: str) -> None:
    raise ValueError(f"{constant} is not JSON (RFC 8259 has no NaN or Infinity)")


def _media_type(headers: Any) -> str:
    value = headers.get("Content-Type") or headers.get("content-type") or ""
    if isinstance(value, list):
        value = value[0] if value else ""
    return value.split(";")[0].strip()


def assert_answered_properly(method: str, path: str, sent: Any, status: int, headers: Any, body: bytes) -> None:
    """No server error; every JSON body strict JSON (no NaN); an error is problem+json with a detail."""
    where = f"{method} {path} (sent: {sent!r:.300})"
    text = body.decode("utf-8", "replace")
    assert status < 500, f"{where} → {status}: {text[:800]}"
    if status >= 400:
        assert _media_type(headers) in JSON_TYPES, f"{where} → {status} as {_media_type(headers)!r}: {text[:300]}"
    elif _media_type(headers) not in JSON_TYPES:
        return  # 204 and the like
    try:
        problem = json.loads(body, parse_constant=_not_json)
    except ValueError as exc:
        raise AssertionError(f"{where} → {status}: the body is not JSON ({exc}): {text[:300]}") from None
    if status < 400:
        return
    assert isinstance(problem, dict) and problem.get("status") == status and problem.get("detail"), \
        f"{where} → {status}: not a problem+json object: {problem!r:.300}"


def _sent(case: Any) -> Any:
    return case.body if not isinstance(case.body, NotSet) else case.query


def _fuzz_operation(ctx: Any, operation: Any, mode: GenerationMode, tokens: dict[str, dict[str, str]],
                    failures: dict[str, str]) -> None:
    """Send each generated request once per role; keep one example of each kind of failure."""
    examples = EXAMPLES_PER_OPERATION_POSTGRES if ctx.settings.database_url.startswith("postgresql") \
        else EXAMPLES_PER_OPERATION

    @settings(max_examples=examples, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(operation.as_strategy(generation_mode=mode))
    def send(case: Any) -> None:
        for username, headers in tokens.items():
            response = case.call(headers=headers)
            try:
                assert_answered_properly(case.method, f"{case.formatted_path} as {username}", _sent(case),
                                         response.status_code, response.headers, response.content)
            except AssertionError as exc:
                kind = f"{operation.label} → {response.status_code} {_media_type(response.headers)}"
                failures.setdefault(kind, str(exc).split("\nassert ")[0])
            if case.method == "DELETE" and response.status_code == 204:
                tokens[username] = _bearer(ctx, username)  # it revoked its own token: go on signed in

    send()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
def test_generated_requests_get_no_server_error_and_json_errors(ctx, fuzz_app, fuzz_tokens, mode):
    """Every operation of the OpenAPI document, valid and invalid input, as each of four roles."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzz_app)
    failures: dict[str, str] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, "the OpenAPI document lists no operation"
    for operation in operations:
        _fuzz_operation(ctx, operation, mode, fuzz_tokens, failures)
    assert not failures, f"{len(failures)} kinds of failure:\n\n" + "\n\n".join(
        f"{kind}\n  {example}" for kind, example in sorted(failures.items()))


# --- hand-picked hostile input ---------------------------------------------------------------------

ODD_NUMBERS = ["NaN", "Infinity", "-Infinity", "1e999", "1" + "0" * 400, "-0.0"]
ODD_IDS = ["0", "-1", "00001", "2147483647", "2147483648", "9223372036854775807", "9223372036854775808",
           "99999999999999999999999999", "1e3", "1.5", "abc", "%00", "%E4%B8%AD", "1%20OR%201=1",
           "..%2F..%2Fetc%2Fpasswd"]
ID_ROUTES = [("GET", "/api/v1/tasks/{}"), ("POST", "/api/v1/tasks/{}/complete"), ("POST", "/api/v1/tasks/{}/claim"),
             ("POST", "/api/v1/tasks/{}/release"), ("GET", "/api/v1/process-instances/{}"),
             ("GET", "/api/v1/process-instances/{}/events")]
DEEP = "[" * 100_000 + "]" * 100_000
BIG_400, BIG_5000 = "1" + "0" * 400, "1" + "0" * 5000
RAW_BODIES = {
    "NaN in a number field": '{"process_id": "technical_support", "data": {"estimated_person_days": NaN}}',
    "Infinity in a number field": '{"process_id": "technical_support", "data": {"estimated_person_days": Infinity}}',
    "1e999 in a number field": '{"process_id": "technical_support", "data": {"estimated_person_days": 1e999}}',
    "a 400-digit integer": '{"process_id": "technical_support", "data": {"estimated_person_days": ' + BIG_400 + "}}",
    "a 5000-digit integer": '{"process_id": "technical_support", "data": {"estimated_person_days": ' + BIG_5000 + "}}",
    "nesting 100 000 deep": '{"process_id": "technical_support", "data": {"customer": ' + DEEP + "}}",
    "a lone surrogate": '{"process_id": "technical_support", "data": {"customer": "\\ud800"}}',
    "a NUL character": '{"process_id": "technical_support", "data": {"customer": "a\\u0000b"}}',
    "not UTF-8": b'{"process_id": "technical_support", "data": {"customer": "\xff\xfe"}}',
    "a JSON array": "[1, 2, 3]",
    "a JSON string": '"technical_support"',
    "null": "null",
    "truncated JSON": '{"process_id": "technical_',
    "process_id a number": '{"process_id": 12, "data": {}}',
    "process_id huge": '{"process_id": "' + "x" * 100_000 + '", "data": {}}',
    "data an array": '{"process_id": "technical_support", "data": []}',
    "business_key an object": '{"process_id": "technical_support", "data": {}, "business_key": {"a": 1}}',
    "duplicate keys": '{"process_id": "technical_support", "process_id": "technical_support_deviation", "data": {}}',
}


def _with_application(raw: str | bytes) -> str | bytes:
    """Put the hostile value into an otherwise valid start form, so it reaches the deepest code."""
    if isinstance(raw, bytes) or '"data": {' not in raw or '"data": {}' in raw:
        return raw
    fields = json.dumps({k: v for k, v in APPLICATION.items() if k not in raw}, ensure_ascii=False)[1:-1]
    return raw.replace('"data": {', '"data": {' + fields + ", ", 1)


def _failures_of(checks: list[tuple[str, str, Any, Any]]) -> list[str]:
    """Run (method, path, what was sent, response) checks; every failing one, not just the first."""
    failures = []
    for method, path, sent, response in checks:
        try:
            assert_answered_properly(method, path, sent, response.status_code, response.headers, response.data)
        except AssertionError as exc:
            failures.append(str(exc).split("\nassert ")[0])
    return failures


def test_odd_ids_are_answered_with_json_errors(ctx):
    start_case(ctx)
    client, headers = create_app(context=ctx).test_client(), _bearer(ctx, "tech_director1")
    checks = [(method, route.format(odd), odd, client.open(route.format(odd), method=method, headers=headers,
                                                             json={"data": {}}))
              for odd in ODD_IDS for method, route in ID_ROUTES]
    failures = _failures_of(checks)
    assert not failures, f"{len(failures)} of {len(checks)} odd ids answered badly:\n" + "\n".join(failures)


def test_hostile_bodies_are_answered_with_json_errors(ctx):
    start_case(ctx)
    client, sales = create_app(context=ctx).test_client(), _bearer(ctx, "sales1")
    checks = [("POST", path, name, client.post(path, headers=sales, data=_with_application(raw),
                                                content_type="application/json"))
              for name, raw in sorted(RAW_BODIES.items())
              for path in ("/api/v1/process-instances", "/api/v1/tasks/1/complete")]
    failures = _failures_of(checks)
    assert not failures, f"{len(failures)} of {len(checks)} hostile bodies answered badly:\n" + "\n".join(failures)


def test_odd_numbers_in_a_task_form_are_refused_or_stored_as_json(ctx):
    """The work form's person-days as NaN, infinite or absurdly large: a field error, or (if accepted)
    a case that still reads back as valid JSON — never a 500."""
    client, engineer = create_app(context=ctx).test_client(), _bearer(ctx, "engineer1")
    form = json.dumps({"work_summary": "安装", "work_location": "onsite", "time_kind": "normal", "difficulty": 1})
    checks = []
    for value in ODD_NUMBERS:
        instance_id = start_case(ctx, project=f"数值{len(checks)}")
        paths.advance_to(ctx, instance_id, "work")
        task = paths.task(ctx, instance_id, "work")
        body = f'{{"data": {form[:-1]}, "person_days_spent": {value}}}}}'
        path = f"/api/v1/tasks/{task['id']}/complete"
        checks.append(("POST", path, value, client.post(path, headers=engineer, data=body,
                                                        content_type="application/json")))
        case = f"/api/v1/process-instances/{instance_id}"
        checks.append(("GET", case, f"after {value}", client.get(case, headers=_bearer(ctx, "auditor1"))))
    failures = _failures_of(checks)
    assert not failures, f"{len(failures)} odd numbers answered badly:\n" + "\n".join(failures)
