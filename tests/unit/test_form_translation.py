"""Forms in English: every string a form shows is translated, nested groups and options included; a
string the translation lacks stays Chinese; a broken translation file is refused with its line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.domain.form_translation import (
    TranslationInvalid,
    has_cjk,
    missing_words,
    read_diagram_words,
    read_form_words,
    shown_strings,
    translate_form,
)
from service.operations import deploy

FORM = {
    "id": "Form_x", "type": "default", "components": [
        {"id": "Field_customer", "key": "customer", "type": "textfield", "label": "客户名称",
         "description": "用于邮件标题", "placeholder": "如：欧莱雅",
         "validate": {"pattern": "^[^-]+$", "patternErrorMessage": "不能包含“-”"}},
        {"id": "Group_work", "type": "group", "label": "工作情况", "components": [
            {"id": "Field_where", "key": "where", "type": "radio", "label": "工作地点",
             "values": [{"label": "现场", "value": "on_site"}, {"label": "远程", "value": "remote"}]},
            {"id": "Group_inner", "type": "group", "label": "时间", "components": [
                {"id": "Field_days", "key": "days", "type": "number", "label": "实际人天",
                 "appearance": {"suffixAdorner": "人天"}}]},
        ]},
        {"id": "Text_hint", "type": "text", "text": "请如实填写。"},
    ],
}
WORDS = {"客户名称": "Customer", "用于邮件标题": "Used in the mail subject", "如：欧莱雅": "e.g. L'Oréal",
         "不能包含“-”": "No \"-\"", "工作情况": "The work", "工作地点": "Work location", "现场": "On site",
         "远程": "Remote", "时间": "Time", "实际人天": "Actual person-days", "人天": "person-days",
         "请如实填写。": "Please fill in truthfully."}


def _texts(form: dict | None) -> list[str]:
    return [s.text for s in shown_strings(form)]


def test_every_shown_string_is_translated_in_nested_groups_and_options():
    english = translate_form(FORM, WORDS)
    assert _texts(english) == ["Customer", "Used in the mail subject", "e.g. L'Oréal", "No \"-\"", "The work",
                               "Work location", "On site", "Remote", "Time", "Actual person-days", "person-days",
                               "Please fill in truthfully."]
    inner = english["components"][1]["components"]
    assert [v["value"] for v in inner[0]["values"]] == ["on_site", "remote"]  # submitted values never change
    assert inner[1]["components"][0]["key"] == "days"
    assert FORM["components"][0]["label"] == "客户名称"  # the stored form is left as it is


def test_a_string_without_translation_stays_chinese():
    english = translate_form(FORM, {"客户名称": "Customer", "现场": "On site"})
    shown = _texts(english)
    assert shown[0] == "Customer" and "On site" in shown and "远程" in shown and "工作地点" in shown
    assert [m.text for m in missing_words(FORM, {"客户名称": "Customer"})][:2] == ["用于邮件标题", "如：欧莱雅"]
    assert translate_form(None, WORDS) is None


def test_chinese_is_found_in_full_width_punctuation_too():
    assert has_cjk("确认") and has_cjk("（）") and not has_cjk("Confirm (yes) – “quoted”")


@pytest.mark.parametrize(("text", "line", "message"), [
    ('{\n  "客户名称": "Customer",\n  "项目名称": \n}', 4, "not valid JSON"),
    ('["客户名称"]', 1, "must be a JSON object"),
    ('{\n  "客户名称": "Customer",\n  "项目名称": {"en": "Project"}\n}', 3, "must map to a string"),
    ('{\n  "客户名称": ""\n}', 2, "empty translation"),
])
def test_a_broken_form_translation_is_refused_with_its_line(text, line, message):
    with pytest.raises(TranslationInvalid) as caught:
        read_form_words(text)
    assert caught.value.line == line and message in str(caught.value)


def test_a_diagram_translation_has_a_name_and_elements():
    words = read_diagram_words('{"name": "Technical support", "elements": {"work": "Technical support work"}}')
    assert words.name == "Technical support" and words.elements == {"work": "Technical support work"}
    with pytest.raises(TranslationInvalid, match="unknown key 'tasks'"):
        read_diagram_words('{"name": "x",\n "tasks": {}}')


BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d" targetNamespace="x">
  <bpmn:process id="tiny" name="小流程" isExecutable="true">
    <bpmn:laneSet id="ls"><bpmn:lane id="lane_sales" name="销售">
      <bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>ask</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>end</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start" name="开始" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="ask" />
    <bpmn:userTask id="ask" name="填写说明">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="formKey" value="ask" />
      </spiffworkflow:properties></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="ask" targetRef="end" />
    <bpmn:endEvent id="end" name="结束" />
  </bpmn:process>
</bpmn:definitions>
"""
ASK_FORM = {"id": "Form_tiny_ask", "type": "default", "components": [
    {"id": "Field_note", "key": "note", "type": "textarea", "label": "说明"}]}


def _bundle_dir(tmp_path: Path, diagram_words: str | None, form_words: str | None) -> Path:
    (tmp_path / "processes").mkdir()
    (tmp_path / "forms" / "tiny").mkdir(parents=True)
    (tmp_path / "processes" / "tiny.bpmn").write_text(BPMN, encoding="utf-8")
    (tmp_path / "forms" / "tiny" / "ask.form").write_text(json.dumps(ASK_FORM, ensure_ascii=False), encoding="utf-8")
    if diagram_words is not None:
        (tmp_path / "processes" / "tiny.en.json").write_text(diagram_words, encoding="utf-8")
    if form_words is not None:
        (tmp_path / "forms" / "tiny" / "ask.en.json").write_text(form_words, encoding="utf-8")
    return tmp_path / "processes"


def _report(processes: Path) -> tuple[list[str], list[str]]:
    problems, warnings = deploy.validation_report([processes], processes.parent / "forms")
    return [str(p) for p in problems], [str(w) for w in warnings]


def test_validate_accepts_a_complete_translation(tmp_path):
    processes = _bundle_dir(tmp_path, '{"name": "Tiny", "elements": {"start": "Start", "ask": "Write a note",'
                                      ' "end": "Done"}}', '{"说明": "Note"}')
    assert _report(processes) == ([], [])


def test_validate_names_an_unknown_element_id_and_broken_json_by_file_and_line(tmp_path):
    processes = _bundle_dir(tmp_path, '{\n  "name": "Tiny",\n  "elements": {\n    "start": "Start",\n'
                                      '    "asc": "Write a note"\n  }\n}', '{\n  "说明": "Note",\n}')
    problems, _ = _report(processes)
    diagram_words = str(processes / "tiny.en.json")
    assert f"{diagram_words}:5: asc: no element with this id in tiny.bpmn" in problems
    assert [p for p in problems if p.startswith(str(tmp_path / "forms" / "tiny" / "ask.en.json") + ":3: -: ")
            and "not valid JSON" in p], problems


def test_a_missing_translation_is_a_warning_not_a_refusal(tmp_path):
    processes = _bundle_dir(tmp_path, '{"name": "Tiny", "elements": {"start": "Start"}}', None)
    problems, warnings = _report(processes)
    assert problems == []
    assert any(w.endswith("ask: warning: no English name for '填写说明' in " + str(processes / "tiny.en.json"))
               for w in warnings), warnings
    assert any("ask.form:1: ask: warning: no English translation" in w for w in warnings), warnings


def test_a_versions_words_name_tasks_by_id_and_the_called_diagrams_by_their_own_ids():
    from service.operations.localise import words_of
    called = BPMN.replace('id="tiny"', 'id="called"').replace("填写说明", "另一步骤")
    files = {"tiny.bpmn": BPMN, "called.bpmn": called,
             "tiny.en.json": '{"name": "Tiny", "elements": {"ask": "Write a note", "start": "Start"}}',
             "called.en.json": '{"name": "Called", "elements": {"ask": "Another step"}}',
             "forms/ask.en.json": '{"说明": "Note"}'}
    words = words_of(files, "tiny")
    assert words.process_name == "Tiny" and words.process_names["called"] == "Called"
    assert words.element("ask", "填写说明") == "Write a note"
    assert words.element("ask", "另一步骤") == "Another step"  # the same id in the called diagram
    assert words.element("end", "结束") == "结束"  # no English: as written
    assert words.own_elements == {"ask": "Write a note", "start": "Start"}
    assert translate_form(ASK_FORM, words.form_words("ask"))["components"][0]["label"] == "Note"  # type: ignore[index]
