"""Errors as codes with parameters: every code the service uses has its sentence in Chinese and in
English, the two say the same things (the same parameters), and neither language leaks into the other."""

from __future__ import annotations

import re
from importlib import import_module
from pathlib import Path

import pytest

from service.api.errors import HTTP_CODES
from service.domain.errors import InputRejected
from service.domain.messages import CATALOGUES, Message, Words, known, render
from service.operations.errors import Conflict, NotFound, ValidationFailed

SERVICE = Path(__file__).resolve().parents[2] / "service"
CODE = r"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+"
# a code is the first argument of an error or a message, or one side of a choice between two codes
CALLS = re.compile(r"\b(?:NotFound|Forbidden|Conflict|ValidationFailed|OperationError|Unauthorized|CaseFailed|"
                   r"InputRejected|SubjectRejected|DocumentRejected|ImportRejected|QueryRejected|Message|render|"
                   r"__init__|_may_not_work)\(\s*\"(" + CODE + r")\"")
CHOICES = re.compile(r"\"(" + CODE + r")\" if |\belse \"(" + CODE + r")\"")
ARGUMENTS = re.compile(r"_may_not_work\([^)]*\"(" + CODE + r")\"")
FAMILIES = re.compile(r"\b(?:Message|render)\(f\"([a-z_.]+)\{")
# codes built from a value: every value they are built from
BUILT = {"http.": [f"http.{code}" for code in HTTP_CODES] + ["http.other"],
         "subject.": ["subject.customer", "subject.project", "subject.sales_name"]}
# words a member of staff reads as they are in the Chinese sentences (formats, protocols, command names)
TECHNICAL = {"JSON", "UTF", "Content", "Type", "application", "json", "xlsx", "csv", "API", "CSRF", "YYYY", "MM",
             "DD", "HH", "MMDD", "DDTHH", "before", "after", "guicheng", "token", "bpmn", "process_id", "limit", "as",
             "Authorization", "Bearer", "name", "example", "com", "HTTP", "U", "upload", "sha256", "all"}
CHINESE = re.compile(r"[\u3400-\u9fff]")
CHINESE_IN_ENGLISH = {"subject.format"}  # the subject's fixed prefix is Chinese in every language


def _source() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(SERVICE.rglob("*.py")))


def used_codes() -> set[str]:
    text = _source()
    found = set(CALLS.findall(text)) | set(ARGUMENTS.findall(text))
    found |= {code for pair in CHOICES.findall(text) for code in pair if code}
    return {code for code in found if not code.startswith(("service.", "tests."))}


def tables() -> list[tuple[str, dict[str, str], dict[str, str]]]:
    return [(name, module.ZH, module.EN) for name in CATALOGUES
            for module in [import_module(f"service.domain.message_texts.{name}")]]


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", text))


def test_the_source_is_scanned_for_codes():
    codes = used_codes()
    assert {"task.missing", "case.not_visible", "http.internal", "user.missing", "search.refused"} <= codes
    assert len(codes) > 100


def test_every_code_used_in_the_service_has_both_sentences():
    zh = {code for _name, table, _en in tables() for code in table}
    en = {code for _name, _zh, table in tables() for code in table}
    used = used_codes() | {code for codes in BUILT.values() for code in codes}
    assert sorted(used - zh) == [], "codes without a Chinese sentence"
    assert sorted(used - en) == [], "codes without an English sentence"
    for family in set(FAMILIES.findall(_source())):
        assert family in BUILT or any(code.startswith(family) for code in zh), family


@pytest.mark.parametrize("name, zh, en", tables(), ids=[name for name in CATALOGUES])
def test_each_catalogue_says_the_same_in_both_languages(name, zh, en):
    assert set(zh) == set(en), name
    for code in zh:
        assert _placeholders(zh[code]) == _placeholders(en[code]), code


def test_chinese_sentences_have_no_english_words_and_english_ones_no_chinese():
    for _name, zh, en in tables():
        for code, text in zh.items():
            words = set(re.findall(r"[A-Za-z][A-Za-z0-9_]*", re.sub(r"\{\w+\}", "", text)))
            assert words <= TECHNICAL, (code, words - TECHNICAL)
        for code, text in en.items():
            assert code in CHINESE_IN_ENGLISH or not CHINESE.search(text), code


def test_an_error_is_a_code_with_parameters_rendered_by_its_reader():
    missing = NotFound("task.missing", task=99999)
    assert missing.code == "task.missing" and missing.status == 404
    assert str(missing) == "没有任务 #99999"
    assert missing.render("en") == "no such task: #99999"
    assert NotFound(Message("task.missing", {"task": 7})).render() == "没有任务 #7"


def test_parameters_that_are_messages_or_words_follow_the_readers_language():
    label = Message("task.label", {"task": 12, "name": "工程师评估能否支持"})
    conflict = Conflict("task.already", task=label, status=Words("完成", "completed"))
    assert str(conflict) == "任务 #12「工程师评估能否支持」已完成"
    assert conflict.render("en") == "task #12 “工程师评估能否支持” is already completed"
    assert conflict.message.as_json() == {"code": "task.already", "params": {
        "task": {"code": "task.label", "params": {"task": 12, "name": "工程师评估能否支持"}}, "status": "完成"}}


def test_field_errors_are_messages_or_text_and_render_per_field():
    refused = ValidationFailed("case.cancel_reason", {"reason": Message("text.required", {
        "what": Message("what.cancel_reason")}), "note": "已写好的文字"}, case=3)
    assert refused.field_errors() == {"reason": "请填写取消原因", "note": "已写好的文字"}
    assert refused.field_errors("en") == {"reason": "the reason for cancelling is required", "note": "已写好的文字"}
    assert str(refused).splitlines() == ["取消案例 #3 需要原因", "  reason: 请填写取消原因", "  note: 已写好的文字"]


def test_refused_input_keeps_its_field_and_an_unknown_language_falls_back_to_chinese():
    rejected = InputRejected("subject.date", "mmdd", mmdd="1340")
    assert rejected.field == "mmdd" and str(rejected) == "邮件主题中的日期 1340 不是有效的月日（MMDD）"
    assert render("subject.date", "fr", mmdd="1340") == str(rejected)
    assert known("subject.date") and not known("subject.nothing")
