"""Sign-ins end when they should: at sign-out, at a new password, at deactivation. API tokens
expire, can be revoked by their owner or an administrator, end with a new password, are
stored only as hashes, and the command line still prints a usable one."""

from __future__ import annotations

from sqlalchemy import select

from service.operations import tokens, users
from service.persistence.auth_models import ApiToken
from tests.integration.test_web_pages import csrf_of, sign_in
from tests.support.cli import cli_env, run_cli

COOKIE = "guicheng_session"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _copied_browser(app, client):  # type: ignore[no-untyped-def]
    """Another browser holding a copy of the session cookie, as a thief would."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    return thief


def _signed_in(browser) -> bool:  # type: ignore[no-untyped-def]
    page, api = browser.get("/"), browser.get("/api/v1/tasks")
    assert (page.status_code == 200) == (api.status_code == 200), (page.status_code, api.status_code)
    return page.status_code == 200


def test_the_old_cookie_is_refused_after_signing_out(app, client):
    sign_in(client, "sales1")
    thief = _copied_browser(app, client)
    assert _signed_in(thief)
    client.post("/logout", data={"csrf_token": csrf_of(client)})
    assert not _signed_in(thief) and not _signed_in(client)
    assert thief.get("/").location.startswith("/login")


def test_a_new_password_ends_every_sign_in_and_token(ctx, app, client):
    sign_in(client, "sales1")
    thief = _copied_browser(app, client)
    token = users.issue_token(ctx, "sales1")
    assert client.get("/api/v1/tasks", headers=_bearer(token)).status_code == 200
    users.save_user(ctx, username="sales1", display_name="销售1", email="sales1@demo.guicheng.local",
                    roles=["sales"], password="new secret", actor="admin1")
    assert not _signed_in(thief) and not _signed_in(client)
    assert client.get("/api/v1/tasks", headers=_bearer(token)).status_code == 401
    assert sign_in(client, "sales1", "demo").status_code == 401
    assert sign_in(client, "sales1", "new secret").status_code == 302 and _signed_in(client)


def test_saving_a_user_without_a_new_password_keeps_the_sign_in(ctx, client):
    sign_in(client, "sales1")
    users.save_user(ctx, username="sales1", display_name="销售一", email="sales1@demo.guicheng.local",
                    roles=["sales"], password=None, actor="admin1")
    assert _signed_in(client)


def test_deactivation_ends_sign_ins_and_tokens_for_good(ctx, client):
    sign_in(client, "sales1")
    token = users.issue_token(ctx, "sales1")
    users.set_active(ctx, username="sales1", active=False, actor="admin1")
    assert not _signed_in(client)
    assert client.get("/api/v1/tasks", headers=_bearer(token)).status_code == 401
    users.set_active(ctx, username="sales1", active=True, actor="admin1")
    assert client.get("/api/v1/tasks", headers=_bearer(token)).status_code == 401  # switching back revives nothing


def test_a_token_expires_after_its_days(ctx, client, clock):
    token = tokens.issue_token(ctx, "engineer1", days=2, name="nightly report")
    clock.advance(days=2, seconds=-1)
    assert client.get("/api/v1/tasks", headers=_bearer(token)).status_code == 200
    clock.advance(seconds=1)
    refused = client.get("/api/v1/tasks", headers=_bearer(token))
    assert refused.status_code == 401 and refused.json["code"] == "auth.token_invalid"
    assert "已过期" in refused.json["detail"]
    (listed,) = tokens.list_tokens(ctx, actor="engineer1")
    assert listed["state"] == "expired" and listed["name"] == "nightly report"


def test_the_default_expiry_is_ninety_days(ctx, client, clock):
    token = users.issue_token(ctx, "engineer1")
    clock.advance(days=89)
    assert client.get("/api/v1/tasks", headers=_bearer(token)).status_code == 200
    clock.advance(days=1)
    assert client.get("/api/v1/tasks", headers=_bearer(token)).status_code == 401


def test_the_owner_issues_lists_and_revokes_tokens_through_the_api(client):
    sign_in(client, "engineer1")
    csrf = {"X-CSRF-Token": csrf_of(client)}
    issued = client.post("/api/v1/tokens", headers=csrf, json={"name": "备份脚本", "days": 30})
    assert issued.status_code == 201 and issued.json["token"].startswith("gc_")
    assert issued.json["expires_at"] == "2026-10-30T11:00:00+08:00"
    token = issued.json["token"]
    assert client.get("/api/v1/tasks", headers=_bearer(token)).status_code == 200
    listed = client.get("/api/v1/tokens").json
    assert [(t["id"], t["name"], t["state"]) for t in listed] == [(issued.json["id"], "备份脚本", "valid")]
    assert "token" not in listed[0]  # the secret is shown once only
    minted = client.post("/api/v1/tokens", headers=_bearer(token), json={"days": 3650})
    assert minted.status_code == 403  # a token cannot extend itself by minting successors
    for body, field in (({"days": 0}, "days"), ({"days": "30"}, "days"), ({"name": "x" * 129}, "name"),
                        ({"name": "x\u0000"}, "name")):
        bad = client.post("/api/v1/tokens", headers=csrf, json=body)
        assert bad.status_code == 400 and list(bad.json["errors"]) == [field], body
    assert client.delete(f"/api/v1/tokens/{issued.json['id']}", headers=csrf).status_code == 204
    assert client.get("/api/v1/tasks", headers=_bearer(token)).status_code == 401
    assert client.delete(f"/api/v1/tokens/{issued.json['id']}", headers=csrf).status_code == 404


def test_only_the_owner_and_administrators_see_and_revoke_a_token(ctx, client):
    token_id = tokens.issue(ctx, "engineer1", name="ci").id
    other, admin = _bearer(users.issue_token(ctx, "sales1")), _bearer(users.issue_token(ctx, "admin1"))
    assert client.get("/api/v1/tokens?user=engineer1", headers=other).status_code == 403
    assert client.delete(f"/api/v1/tokens/{token_id}", headers=other).status_code == 404
    seen = client.get("/api/v1/tokens?user=engineer1", headers=admin).json
    assert [t["id"] for t in seen] == [token_id]
    assert client.delete(f"/api/v1/tokens/{token_id}", headers=admin).status_code == 204
    assert tokens.list_tokens(ctx, actor="engineer1") == []


def test_tokens_are_stored_only_as_hashes(ctx):
    token = users.issue_token(ctx, "engineer1", name="ci")
    with ctx.db.reading() as session:
        row = session.execute(select(ApiToken)).scalars().one()
        stored = [str(getattr(row, column.key)) for column in ApiToken.__table__.columns]
    assert not any(token in value or token[3:] in value for value in stored)


def test_my_tokens_page_shows_a_new_token_once_and_revokes_it(client):
    sign_in(client, "engineer1")
    page = client.get("/tokens")
    assert page.status_code == 200 and "我的令牌" in page.text and "还没有令牌" in page.text
    created = client.post("/tokens", data={"csrf_token": csrf_of(client), "name": "周报脚本", "days": "7"})
    assert created.status_code == 200 and "只显示这一次" in created.text
    token = created.text.split('<code class="token">')[1].split("</code>")[0]
    assert client.get("/api/v1/tasks", headers=_bearer(token)).status_code == 200
    listed = client.get("/tokens").text
    assert "周报脚本" in listed and token not in listed and "2026-10-07 11:00" in listed
    refused = client.post("/tokens", data={"csrf_token": csrf_of(client), "name": "", "days": "99999"})
    assert refused.status_code == 400 and "有效天数须为 1 到 3650 的整数" in refused.text
    token_id = listed.split('data-token-id="')[1].split('"')[0]
    revoked = client.post(f"/tokens/{token_id}/revoke", data={"csrf_token": csrf_of(client)})
    assert revoked.status_code == 302
    assert client.get("/api/v1/tasks", headers=_bearer(token)).status_code == 401


def test_the_token_command_prints_a_usable_token(database_url, home, client):
    env = cli_env(database_url, home, clock="2026-09-30T11:00:00+08:00")
    result = run_cli(env, "token", "engineer1", "--days", "5", "--name", "ci")
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    assert client.get("/api/v1/tasks", headers=_bearer(token)).status_code == 200
    listed = run_cli(env, "tokens", "list", "engineer1")
    assert "ci" in listed.stdout and "2026-10-05" in listed.stdout and "valid" in listed.stdout
    token_id = listed.stdout.split()[0]
    assert run_cli(env, "tokens", "revoke", token_id).returncode == 0
    assert client.get("/api/v1/tasks", headers=_bearer(token)).status_code == 401
    assert run_cli(env, "token", "engineer1", "--days", "0").returncode != 0
