"""The README's walk-through, run for real through the `guicheng` command."""

from __future__ import annotations

import json
from email import policy
from email.parser import BytesParser

from tests.support.cli import cli_env, run_cli

APPLICATION = {"customer": "欧莱雅", "project": "CITRIX安装", "sales_name": "ZGH", "support_kind": "project"}


def _ok(env, *args: str) -> str:
    result = run_cli(env, *args)
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result.stdout


def _task(env, user: str) -> dict:
    tasks = json.loads(_ok(env, "tasks", "--as", user, "--json"))
    assert len(tasks) == 1, tasks
    assert tasks[0]["form"]["components"], "task carries its form definition"
    return tasks[0]


def test_walkthrough_from_application_to_silent_confirmation(database_url, home):
    env = cli_env(database_url, home, "2026-09-30T11:00:00+08:00")
    _ok(env, "init", "--demo")
    instance_id = int(_ok(env, "start", "technical_support", "--as", "sales1", "--data",
                          json.dumps(APPLICATION, ensure_ascii=False)).strip())

    task = _task(env, "tech_director1")
    assert task["due_at"] == "2026-09-30T18:00:00+08:00"
    wrong = run_cli(env, "complete", str(task["id"]), "--as", "engineer1", "--data", '{"accepted": "yes"}')
    assert wrong.returncode != 0 and "tech_director" in wrong.stderr
    _ok(env, "complete", str(task["id"]), "--as", "tech_director1", "--data", '{"accepted": "yes"}')
    _ok(env, "complete", str(_task(env, "engineer1")["id"]), "--as", "engineer1", "--data",
        json.dumps({"work_summary": "安装完成", "person_days": 1.5}, ensure_ascii=False))
    invalid = run_cli(env, "complete", str(_task(env, "customer1")["id"]), "--as", "customer1", "--data", "{}")
    assert invalid.returncode == 1 and "service_sheet_signed" in invalid.stderr and "signer" in invalid.stderr
    _ok(env, "complete", str(_task(env, "customer1")["id"]), "--as", "customer1", "--data",
        json.dumps({"service_sheet_signed": True, "signer": "王经理"}, ensure_ascii=False))
    assert _task(env, "sales1")["name"] == "销售确认完成"

    later = cli_env(env["GUICHENG_DATABASE_URL"], home, "2026-10-08T09:00:00+08:00")
    assert "timers fired: 1, mails sent: 1" in _ok(later, "worker", "--once")
    assert _task(later, "tech_director1")["element_id"] == "final_confirmation"

    mails = sorted((home / "mail").glob("*.eml"))
    assert len(mails) == 1
    message = BytesParser(policy=policy.default).parsebytes(mails[0].read_bytes())
    assert message["Subject"] == "技术支持申请--欧莱雅--CITRIX安装--ZGH--0930"
    assert "tech_director1@demo.guicheng.local" in message["To"]

    shown = json.loads(_ok(later, "show", str(instance_id), "--json"))
    assert shown["status"] == "running" and shown["data"]["sales_confirmed"] == "silent"
    events = json.loads(_ok(later, "history", str(instance_id), "--json"))
    assert [e["type"] for e in events].count("timer_fired") == 1
    assert "audit chain intact" in _ok(later, "audit", "verify")
    assert len(_ok(later, "token", "sales1").strip()) > 20
