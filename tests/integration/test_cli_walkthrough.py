"""The README's walk-through, run for real through the `guicheng` command."""

from __future__ import annotations

import json
from email import policy
from email.parser import BytesParser

from tests.support.cli import cli_env, run_cli

APPLICATION = {"customer": "欧莱雅", "project": "CITRIX安装", "sales_name": "ZGH", "support_kind": "non_project",
               "request_origin": "customer", "preparation_required": ["ppt"], "notify_sales_on_leaving": True}


def _ok(env, *args: str) -> str:
    result = run_cli(env, *args)
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result.stdout


def _task(env, user: str) -> dict:
    tasks = json.loads(_ok(env, "tasks", "--as", user, "--json"))
    assert len(tasks) == 1, tasks
    assert tasks[0]["form"]["components"], "task carries its form definition"
    return tasks[0]


def _do(env, user: str, element: str, data: dict) -> None:
    task = _task(env, user)
    assert task["element_id"] == element
    _ok(env, "complete", str(task["id"]), "--as", user, "--data", json.dumps(data, ensure_ascii=False))


def test_walkthrough_from_application_to_silent_confirmation(database_url, home, tmp_path):
    env = cli_env(database_url, home, "2026-09-30T11:00:00+08:00")
    _ok(env, "init", "--demo")
    instance_id = int(_ok(env, "start", "technical_support", "--as", "sales1", "--data",
                          json.dumps(APPLICATION, ensure_ascii=False)).strip())

    task = _task(env, "tech_director1")
    assert task["due_at"] == "2026-09-30T18:00:00+08:00"
    wrong = run_cli(env, "complete", str(task["id"]), "--as", "engineer1", "--data", '{"accepted": "yes"}')
    assert wrong.returncode != 0 and "技术总监" in wrong.stderr and "engineer1" in wrong.stderr
    _do(env, "tech_director1", "confirm_request", {"accepted": "yes", "engineer": "engineer1"})
    assert _task(env, "engineer1")["due_at"] == "2026-10-08T18:00:00+08:00"  # response, non-project: day 2
    _do(env, "engineer1", "engineer_assessment", {"assessment": "accept"})
    _do(env, "engineer1", "communication", {"customer_situation": "现有 CITRIX 6.5", "customer_preparation": "服务器",
                                            "clear": "yes"})
    plan = tmp_path / "实施规划.docx"
    plan.write_text("实施规划", encoding="utf-8")
    reference = _ok(env, "upload", str(plan)).strip()
    assert reference.startswith("upload:") and reference.endswith("/实施规划.docx")
    _do(env, "engineer1", "planning_documents", {"doc_implementation_plan": reference})
    _do(env, "engineer1", "work", {"work_summary": "安装并测试", "person_days_spent": 1.5, "work_location": "onsite",
                                   "time_kind": "normal", "difficulty": 1})
    _do(env, "engineer1", "leave_site", {"completion_state": "安装完成", "leave_channel": "phone"})
    invalid = run_cli(env, "complete", str(_task(env, "customer1")["id"]), "--as", "customer1", "--data", "{}")
    assert invalid.returncode == 1 and "doc_service_sheet" in invalid.stderr and "signer" in invalid.stderr
    sheet = tmp_path / "服务单.pdf"
    sheet.write_bytes(b"%PDF-1.4 signed")
    _do(env, "customer1", "customer_signoff", {"doc_service_sheet": _ok(env, "upload", str(sheet)).strip(),
                                               "signer": "王经理"})
    _do(env, "engineer1", "completion_report", {"completion_summary": "已完成"})
    assert _task(env, "sales1")["name"] == "销售确认完成"

    later = cli_env(env["GUICHENG_DATABASE_URL"], home, "2026-10-08T18:00:01+08:00")  # sales: the next working day
    # the three mails of the procedure, and a notice to each person a task was assigned to by someone else
    assert "timers fired: 1, mails sent: 6" in _ok(later, "worker", "--once")
    assert _task(later, "tech_director1")["element_id"] == "final_confirmation"

    subjects = sorted(BytesParser(policy=policy.default).parsebytes(p.read_bytes())["Subject"]
                      for p in (home / "mail").glob("*.eml"))
    procedure = [s for s in subjects if not s.startswith("【待办】")]
    assert procedure == sorted(["技术支持申请--欧莱雅--CITRIX安装--ZGH--0930",  # the application, its acceptance
                                "回复: 技术支持申请--欧莱雅--CITRIX安装--ZGH--0930",  # and the completion
                                "回复: 技术支持申请--欧莱雅--CITRIX安装--ZGH--0930"])
    assert sorted(s.split("：")[1].split("--")[0] for s in subjects if s.startswith("【待办】")) == [
        "工程师确认完成", "工程师评估能否支持", "销售确认完成"]

    shown = json.loads(_ok(later, "show", str(instance_id), "--json"))
    assert shown["status"] == "running" and shown["data"]["sales_confirmed"] == "silent"
    events = json.loads(_ok(later, "history", str(instance_id), "--json"))
    assert [e["type"] for e in events].count("timer_fired") == 1
    assert "audit chain intact" in _ok(later, "audit", "verify")
    assert len(_ok(later, "token", "sales1").strip()) > 20
