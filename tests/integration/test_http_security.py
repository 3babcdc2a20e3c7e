"""The edge of the service under attack: security headers on every answer, diagrams only as
sandboxed downloads, sign-in limits per account and per address (held in the database, so
every server process counts the same), and unexpected errors that show a log id, never a
traceback."""

from __future__ import annotations

import logging
import re
from urllib.parse import quote

from service import create_app
from service.config import PROJECT_ROOT
from service.operations import deploy
from service.operations.context import AppContext
from service.operations.sign_in_limits import ACCOUNT_LIMIT, CLIENT_BURST, CLIENT_LIMIT
from service.persistence.db import Database
from tests.integration.test_web_pages import sign_in

SCRIPT = ('<bpmn:extensionElements><html:script xmlns:html="http://www.w3.org/1999/xhtml">'
          'fetch("/admin/users/new")</html:script>')


def _assert_security_headers(response) -> None:  # type: ignore[no-untyped-def]
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    script = next(d for d in policy.split("; ") if d.startswith("script-src"))
    assert script == "script-src 'self'", policy  # no inline script, no eval
    assert "style-src 'self';" in policy  # no inline <style> (style attributes only: style-src-attr)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_every_answer_carries_the_security_headers(client):
    answers = [client.get("/login"), client.get("/"), client.get("/static/app/app.css"), client.get("/nowhere"),
               client.get("/api/v1/health"), client.get("/api/v1/tasks"), client.get("/api/v1/nowhere"),
               client.post("/login", data={"username": "sales1", "password": "demo"})]
    signed_in = sign_in(client, "sales1")
    answers += [client.get("/"), client.get("/start/technical_support"), client.get("/tokens")]
    assert [a.status_code for a in answers] == [200, 302, 200, 404, 200, 401, 404, 400, 200, 200, 200]
    for answer in answers:
        _assert_security_headers(answer)
    assert "Strict-Transport-Security" not in answers[0].headers
    assert "Secure" not in signed_in.headers["Set-Cookie"]  # plain HTTP unless configured


def test_a_diagram_is_a_sandboxed_download_even_with_a_script_inside(ctx, client):
    source = (PROJECT_ROOT / "processes" / "technical_support.bpmn").read_text(encoding="utf-8")
    real = deploy.bundle_from_path(PROJECT_ROOT / "processes" / "technical_support.bpmn", PROJECT_ROOT / "forms")
    hostile = source.replace("<bpmn:extensionElements>", SCRIPT, 1).encode()
    bundle = deploy.Bundle("technical_support", {**real.files, "technical_support.bpmn": hostile}, real.forms,
                           real.form_sources)
    version = deploy.deploy_bundle(ctx, bundle, actor="process_owner1").version
    sign_in(client, "admin1")
    response = client.get(f"/processes/technical_support/{version}/diagram.bpmn")
    assert response.status_code == 200 and b"html:script" in response.data  # served as deployed, never run
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote(f'technical_support-v{version}.bpmn')}" in disposition
    assert response.headers["Content-Security-Policy"].startswith("sandbox;")
    assert "script-src" not in response.headers["Content-Security-Policy"]  # default-src 'none' covers it
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_secure_cookies_and_hsts_when_served_over_https(ctx, settings):
    ctx.settings = settings.with_overrides(secure_cookies=True)
    client = create_app(context=ctx).test_client()
    response = sign_in(client, "sales1")
    assert response.status_code == 302 and "; Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def _sign_in_from(client, address: str, username: str, password: str):  # type: ignore[no-untyped-def]
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    return client.post("/login", environ_base={"REMOTE_ADDR": address},
                       data={"username": username, "password": password, "csrf_token": token})


def test_the_eleventh_wrong_password_locks_the_account_even_for_the_right_one(client, clock):
    for n in range(ACCOUNT_LIMIT):
        assert _sign_in_from(client, f"10.0.0.{n}", "sales1", "wrong").status_code == 401
    refused = sign_in(client, "sales1", "demo")
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "900"
    assert "此账号登录失败次数过多" in refused.text and "2026-09-30 11:15" in refused.text
    client.get("/lang/en")
    english = sign_in(client, "sales1", "demo")
    assert english.status_code == 429 and "Too many failed sign-ins for this account" in english.text
    assert "Try again after 2026-09-30 11:15 (in about 15 min)" in english.text
    assert sign_in(client, "sales2", "demo").status_code == 302  # other accounts are not affected
    clock.advance(minutes=15)
    assert sign_in(client, "sales1", "demo").status_code == 302


def test_unknown_user_names_are_limited_exactly_like_known_ones(client):
    for n in range(ACCOUNT_LIMIT):
        assert _sign_in_from(client, f"10.0.0.{n}", "nobody", "wrong").status_code == 401
    refused = sign_in(client, "nobody", "wrong")
    assert refused.status_code == 429 and "此账号登录失败次数过多" in refused.text


def test_one_address_guessing_many_accounts_is_paused_across_server_processes(ctx, database_url, settings, clock):
    """Two applications on the same database stand for two gunicorn workers."""
    other = AppContext(settings=settings, db=Database(database_url), clock=clock)
    try:
        workers = create_app(context=ctx).test_client(), create_app(context=other).test_client()
        for n in range(CLIENT_LIMIT):
            assert sign_in(workers[n % 2], f"guess{n}", "wrong").status_code == 401
            if n % CLIENT_BURST == CLIENT_BURST - 1 and n < CLIENT_LIMIT - 1:
                burst = sign_in(workers[0], "engineer1", "demo")  # right password, but a burst of wrong ones
                assert burst.status_code == 429 and "来自此地址的登录失败次数过多" in burst.text
                assert burst.headers["Retry-After"] == "60"
                clock.advance(minutes=1)
        paused = sign_in(workers[1], "engineer1", "demo")
        assert paused.status_code == 429 and "来自此地址的登录失败次数过多" in paused.text
        assert int(paused.headers["Retry-After"]) > 600
        assert _sign_in_from(workers[0], "10.0.0.8", "engineer1", "demo").status_code == 302  # others may
    finally:
        other.db.dispose()


def _failing_routes(app) -> None:  # type: ignore[no-untyped-def]
    def fail():  # type: ignore[no-untyped-def]
        raise RuntimeError("secret detail: password=hunter2")

    app.add_url_rule("/api/v1/failing", endpoint="api.failing", view_func=fail)
    app.add_url_rule("/failing", endpoint="web.failing", view_func=fail)


def test_an_unexpected_error_shows_a_log_id_and_logs_the_traceback(app, caplog):
    _failing_routes(app)
    client = app.test_client()
    with caplog.at_level(logging.ERROR, logger="guicheng.http"):
        api = client.get("/api/v1/failing")
        sign_in(client, "sales1")
        page = client.get("/failing")
        client.get("/lang/en")
        english = client.get("/failing")
    assert api.status_code == 500 and api.mimetype == "application/problem+json"
    log_id = api.json["log_id"]
    assert log_id in api.json["detail"] and "hunter2" not in api.text and "Traceback" not in api.text
    assert page.status_code == 500 and "系统出了意外的问题" in page.text and "错误编号：" in page.text
    assert english.status_code == 500 and "Something unexpected went wrong" in english.text
    for answer in (api, page, english):
        assert "hunter2" not in answer.text and "RuntimeError" not in answer.text
        _assert_security_headers(answer)
    logged = [r for r in caplog.records if log_id in r.getMessage()]
    assert logged and logged[0].exc_info and "hunter2" in str(logged[0].exc_info[1])
    page_id = page.text.split("错误编号：")[1][:12]
    assert any(page_id in r.getMessage() for r in caplog.records)
