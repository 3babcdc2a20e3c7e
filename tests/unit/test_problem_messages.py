"""What refuses a diagram is said in its reader's language: the editor's 校验 and deploy answer in the
request's language, `guicheng validate` in the terminal's; the English sentences stay word for word what
they were (logs, scripts and the editor's tests read them), warnings start with `warning:` / `提示：`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from service import create_app
from service.config import PROJECT_ROOT
from service.domain.message_texts import diagram_problems
from service.domain.messages import Message, render
from service.engine.lint.diagram import FLOW_NODES, SCOPES
from service.engine.lint.flows import kind_words, words
from service.engine.problems import Problem
from service.operations import users
from tests.support.cli import cli_env, run_cli

SERVICE = PROJECT_ROOT / "service"
CHECKS = [SERVICE / "engine" / "definitions.py", SERVICE / "operations" / "deploy.py",
          SERVICE / "operations" / "deploy_translations.py",
          *sorted((SERVICE / "engine" / "lint").glob("*.py"))]
CODE = re.compile(r"\"((?:diagram|deploy|lint)\.[a-z0-9_]+)\"")
MAIN = "technical_support"
SOURCE = (PROJECT_ROOT / "processes" / f"{MAIN}.bpmn").read_text(encoding="utf-8")
LANE_EN = "lane name '市场部' is not a known role id or role name"
LANE_ZH = "泳道名称「市场部」不是已知的角色编号或角色名称：请把泳道命名为办理其中任务的角色"


def _codes_in_checks() -> set[str]:
    return {code for path in CHECKS for code in CODE.findall(path.read_text(encoding="utf-8"))}


def test_every_code_the_checks_use_has_a_chinese_and_an_english_sentence():
    used = _codes_in_checks()
    assert {"diagram.lane_not_a_role", "diagram.user_task_no_form", "lint.unreachable", "lint.endless_loop",
            "lint.flow_without_condition", "lint.timer_invalid", "deploy.form_not_found",
            "deploy.no_english_name"} <= used
    assert sorted(used - set(diagram_problems.ZH)) == []
    assert sorted(used - set(diagram_problems.EN)) == []
    kinds = {"bpmn." + words(kind).replace(" ", "_") for kind in FLOW_NODES | SCOPES}
    named = {code for code in diagram_problems.ZH if code.startswith(("diagram.what_", "lint.named"))}
    # nothing in the catalogue is left over: each sentence is said by a check
    assert sorted(set(diagram_problems.ZH) - used - kinds - named - {"diagram.none"}) == []


def test_element_kinds_are_named_in_both_languages_and_in_english_as_before():
    for kind in FLOW_NODES | SCOPES:
        said = kind_words(kind)
        assert said.en == words(kind), kind
        assert said.zh and not re.search(r"[A-Za-z]", said.zh), kind
    assert kind_words("userTask").zh == "用户任务" and kind_words("exclusiveGateway").zh == "排他网关"


def test_warnings_start_with_warning_in_english_and_a_hint_in_chinese():
    warned = {code for code, text in diagram_problems.EN.items() if text.startswith("warning:")}
    assert {"deploy.no_translation", "lint.unnamed", "lint.pointless_gateway", "lint.unless_called_sets"} <= warned
    for code in diagram_problems.ZH:
        assert diagram_problems.ZH[code].startswith("提示：") == (code in warned), code


def test_a_problem_keeps_its_english_message_is_hashable_and_renders_in_either_language():
    problem = Problem.said("p.bpmn", 9, "lane_sales", Message("diagram.lane_not_a_role", {"lane": "市场部"}))
    assert problem.message == LANE_EN
    assert str(problem) == f"p.bpmn:9: lane_sales: {LANE_EN}"
    assert problem.render("en") == LANE_EN and problem.render("zh") == LANE_ZH
    assert problem.line_text("zh") == f"p.bpmn:9: lane_sales: {LANE_ZH}"
    again = Problem.said("p.bpmn", 9, "lane_sales", Message("diagram.lane_not_a_role", {"lane": "市场部"}))
    assert len({problem, again}) == 1
    engine = Problem("p.bpmn", 3, "x", "the engine's own words")  # a parser's problem has no code
    assert engine.render("zh") == engine.render("en") == "the engine's own words"


def test_nested_phrases_follow_the_language_of_the_sentence():
    from service.engine.problems import words_of

    what = words_of("lint.named", kind=kind_words("userTask"), name="审批")
    assert render("lint.unreachable", "en", what=what) == (
        "user task '审批' cannot be reached from a start event: connect it to the steps before it, or delete it")
    assert render("lint.unreachable", "zh", what=what) == (
        "从开始事件无法到达用户任务「审批」：请把它和前面的步骤连起来，或删除它")


# -- the editor's API --------------------------------------------------------------------------------------------

@pytest.fixture
def client(ctx):
    return create_app(context=ctx).test_client()


def _headers(ctx, username: str = "process_owner1") -> dict[str, str]:
    return {"Authorization": f"Bearer {users.issue_token(ctx, username)}"}


def _save_lane_named(client, headers, name: str) -> None:
    draft = client.get(f"/api/v1/process-drafts/{MAIN}", headers=headers)
    assert draft.status_code == 200, draft.text
    body = json.loads(draft.text)
    bpmn = body["files"][f"{MAIN}.bpmn"]
    assert 'name="销售"' in bpmn
    body["files"][f"{MAIN}.bpmn"] = bpmn.replace('<bpmn:lane id="lane_sales" name="销售">',
                                                 f'<bpmn:lane id="lane_sales" name="{name}">', 1)
    saved = client.put(f"/api/v1/process-drafts/{MAIN}", headers=headers, json={
        "files": body["files"], "forms": body["forms"], "translations": body["translations"],
        "base_version": body["base_version"]})
    assert saved.status_code == 200, saved.text


def _lane_problem(answer: dict) -> dict:
    """The problem at the lane (said once for each of its user tasks, all alike)."""
    found = [p for p in answer["problems"] if p["element_id"] == "lane_sales"]
    assert found and all(p == found[0] for p in found), answer["problems"]
    assert found[0]["file"] == f"{MAIN}.bpmn" and found[0]["line"] > 1
    return found[0]


def test_the_editors_check_says_a_lane_that_is_no_role_in_the_readers_language(ctx, client):
    headers = _headers(ctx)
    _save_lane_named(client, headers, "市场部")
    chinese = json.loads(client.post(f"/api/v1/process-drafts/{MAIN}/validate", headers=headers).text)
    english = json.loads(client.post(f"/api/v1/process-drafts/{MAIN}/validate?lang=en", headers=headers).text)
    assert not chinese["ok"] and not english["ok"]
    assert _lane_problem(chinese)["message"] == LANE_ZH
    assert _lane_problem(english)["message"] == LANE_EN
    refused = client.post(f"/api/v1/process-drafts/{MAIN}/deploy", headers=headers)
    assert refused.status_code == 400 and refused.mimetype == "application/problem+json"
    assert _lane_problem(json.loads(refused.text))["message"] == LANE_ZH
    refused_en = client.post(f"/api/v1/process-drafts/{MAIN}/deploy?lang=en", headers=headers)
    assert _lane_problem(json.loads(refused_en.text))["message"] == LANE_EN


def test_a_reader_who_may_not_check_processes_gets_no_problems_in_any_language(ctx, client):
    _save_lane_named(client, _headers(ctx), "市场部")
    for lang in ("", "?lang=en"):
        refused = client.post(f"/api/v1/process-drafts/{MAIN}/validate{lang}", headers=_headers(ctx, "sales1"))
        assert refused.status_code == 403 and "problems" not in json.loads(refused.text)


# -- the command line ----------------------------------------------------------------------------------------

def _faulty_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "processes"
    folder.mkdir()
    (folder / f"{MAIN}.bpmn").write_text(SOURCE.replace('name="销售"', 'name="市场部"', 1), encoding="utf-8")
    (tmp_path / "forms").symlink_to(PROJECT_ROOT / "forms")
    return folder


@pytest.mark.parametrize("lang, expected", [(None, LANE_ZH), ("en", LANE_EN)], ids=["zh", "en"])
def test_guicheng_validate_speaks_the_terminals_language(tmp_path: Path, lang, expected):
    folder = _faulty_folder(tmp_path)
    extra = {"GUICHENG_LANG": lang} if lang else {}
    result = run_cli(cli_env(f"sqlite:///{tmp_path / 'unused.db'}", tmp_path, **extra), "validate", str(folder))
    assert result.returncode == 1, result.stdout + result.stderr
    line, *alike = [line for line in result.stdout.splitlines() if ": lane_sales: " in line]
    assert all(other == line for other in alike), result.stdout
    file, number, element, message = (part.strip() for part in line.split(":", 3))
    assert (file, element, message) == (f"{MAIN}.bpmn", "lane_sales", expected)
    assert int(number) == SOURCE.splitlines().index(next(
        text for text in SOURCE.splitlines() if 'id="lane_sales"' in text)) + 1
