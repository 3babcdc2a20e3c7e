"""form-js forms: loading, fields, the derived JSON Schema and server-side validation."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from service.domain import form_submission, forms
from service.domain.form_schema import json_schema
from service.domain.forms import FormError, FormField, form_fields, form_values, load_form
from service.domain.messages import rendered

SOURCE = "forms/technical_support/confirm_request.form"

FORM: dict[str, Any] = {
    "schemaVersion": 16,
    "type": "default",
    "id": "confirm_request",
    "exporter": {"name": "form-js (https://demo.bpmn.io)", "version": "1.7.0"},
    "components": [
        {"type": "text", "id": "Field_title", "text": "## 技术支持申请"},
        {"type": "textfield", "id": "Field_1", "key": "customer_name", "label": "客户名称",
         "validate": {"required": True, "maxLength": 40}},
        {"type": "select", "id": "Field_2", "key": "support_kind", "label": "支持类型",
         "values": [{"label": "项目", "value": "project"},
                    {"label": "非项目", "value": "non_project"}],
         "validate": {"required": True}},
        {"type": "number", "id": "Field_3", "key": "person_days", "label": "人天",
         "validate": {"min": 0, "max": 60}},
        {"type": "radio", "id": "Field_4", "key": "urgency", "label": "紧急程度",
         "values": [{"label": "普通", "value": "normal"}, {"label": "紧急", "value": "urgent"}]},
        {"type": "checklist", "id": "Field_5", "key": "products", "label": "涉及产品",
         "values": [{"label": "调度系统", "value": "dispatch"},
                    {"label": "计量系统", "value": "metering"}]},
        {"type": "taglist", "id": "Field_6", "key": "regions", "label": "区域",
         "valuesKey": "region_options"},
        {"type": "datetime", "id": "Field_7", "key": "visit_date", "label": "上门日期",
         "subtype": "date", "dateLabel": "日期"},
        {"type": "datetime", "id": "Field_8", "key": "call_time", "label": "电话回访时间",
         "subtype": "time", "timeLabel": "时间", "timeSerializingFormat": "utc_offset"},
        {"type": "textfield", "id": "Field_9", "key": "contact_email", "label": "联系人邮箱",
         "validate": {"validationType": "email"}},
        {"type": "textfield", "id": "Field_10", "key": "contract_no", "label": "合同号",
         "validate": {"pattern": "^HT-\\d{4}$", "minLength": 7}},
        {"type": "textarea", "id": "Field_11", "key": "description", "label": "问题描述",
         "validate": {"minLength": 5}},
        {"type": "checkbox", "id": "Field_12", "key": "docs_ok", "label": "资料齐全",
         "validate": {"required": True}},
        {"type": "filepicker", "id": "Field_13", "key": "attachments", "label": "附件",
         "multiple": True},
        {"type": "group", "id": "Field_14", "label": "联系人", "path": "contact",
         "components": [
             {"type": "textfield", "id": "Field_15", "key": "name", "label": "姓名",
              "validate": {"required": True}},
             {"type": "textfield", "id": "Field_16", "key": "phone", "label": "电话",
              "validate": {"validationType": "phone"}}]},
        {"type": "group", "id": "Field_17", "label": "备注", "components": [
            {"type": "textfield", "id": "Field_18", "key": "remark", "label": "备注"}]},
        {"type": "dynamiclist", "id": "Field_19", "label": "工作明细", "path": "work_items",
         "isRepeating": True, "components": [
             {"type": "textfield", "id": "Field_20", "key": "task", "label": "工作内容",
              "validate": {"required": True}},
             {"type": "number", "id": "Field_21", "key": "hours", "label": "工时",
              "validate": {"min": 0}}]},
        {"type": "textfield", "id": "Field_22", "key": "reject_reason", "label": "驳回原因",
         "validate": {"required": True}, "conditional": {"hide": "=support_kind = \"project\""}},
        {"type": "separator", "id": "Field_23"},
        {"type": "button", "id": "Field_24", "action": "submit", "label": "提交"},
    ],
}

VALID: dict[str, Any] = {
    "customer_name": "华北电力设计院",
    "support_kind": "project",
    "person_days": 2.5,
    "urgency": None,
    "products": ["dispatch"],
    "regions": ["华北"],
    "visit_date": "2026-10-08",
    "call_time": "14:30+08:00",
    "contact_email": "",
    "contract_no": "HT-2026",
    "description": None,
    "docs_ok": True,
    "attachments": None,
    "contact": {"name": "王工", "phone": "138 0013 8000"},
    "remark": "",
    "work_items": [{"task": "现场调试", "hours": 6}],
}


@pytest.fixture
def form() -> dict[str, Any]:
    return load_form(json.dumps(FORM, ensure_ascii=False, indent=2), SOURCE)


def validate_submission(form: dict[str, Any], data: Any, case_data: dict[str, Any] | None = None,
                        lang: str = "zh") -> dict[str, str]:
    """The field errors as a reader of `lang` sees them."""
    return dict(rendered(form_submission.validate_submission(form, data, case_data), lang))


def invalid(form: dict[str, Any], **changes: Any) -> dict[str, str]:
    data = copy.deepcopy(VALID)
    data.update(changes)
    return validate_submission(form, data)


def test_valid_submission_passes(form: dict[str, Any]) -> None:
    assert validate_submission(form, VALID) == {}


def test_empty_optional_fields_pass(form: dict[str, Any]) -> None:
    required_only = {"customer_name": "某客户", "support_kind": "non_project", "docs_ok": True,
                     "contact": {"name": "李工"}, "reject_reason": "资料不全"}
    assert validate_submission(form, required_only) == {}


@pytest.mark.parametrize(
    ("changes", "key", "fragment"),
    [
        ({"customer_name": "   "}, "customer_name", "客户名称: 必填"),
        ({"customer_name": None}, "customer_name", "必填"),
        ({"customer_name": "长" * 41}, "customer_name", "最多 40 个字符"),
        ({"customer_name": 42}, "customer_name", "文本"),
        ({"support_kind": "other", "reject_reason": "不做"}, "support_kind", "project, non_project"),
        ({"support_kind": None, "reject_reason": "不做"}, "support_kind", "支持类型: 必填"),
        ({"person_days": -1}, "person_days", "人天: 不能小于 0"),
        ({"person_days": 61}, "person_days", "不能大于 60"),
        ({"person_days": "三"}, "person_days", "数字"),
        ({"person_days": True}, "person_days", "数字"),
        ({"urgency": "later"}, "urgency", "normal, urgent"),
        ({"products": ["dispatch", "billing"]}, "products", "dispatch, metering"),
        ({"products": "dispatch"}, "products", "列表"),
        ({"visit_date": "2026-13-01"}, "visit_date", "YYYY-MM-DD"),
        ({"visit_date": "10/08/2026"}, "visit_date", "上门日期"),
        ({"call_time": "25:00"}, "call_time", "HH:MM"),
        ({"contact_email": "wang@"}, "contact_email", "邮箱"),
        ({"contract_no": "HT-12345"}, "contract_no", "合同号: 格式不正确"),
        ({"description": "太短"}, "description", "至少 5 个字符"),
        ({"docs_ok": False}, "docs_ok", "资料齐全: 必填"),
        ({"docs_ok": "yes"}, "docs_ok", "是/否"),
        ({"attachments": 3}, "attachments", "附件"),
        ({"contact": {"phone": "010-6543 2100"}}, "contact.name", "姓名: 必填"),
        ({"contact": {"name": "王工", "phone": "abc"}}, "contact.phone", "电话号码"),
        ({"work_items": [{"task": "调试"}, {"hours": 2}]}, "work_items[1].task", "工作内容: 必填"),
        ({"work_items": [{"task": "调试", "hours": -2}]}, "work_items[0].hours", "工时"),
        ({"work_items": "none"}, "work_items", "工作明细"),
    ],
)
def test_each_violation_is_keyed_by_field(
    form: dict[str, Any], changes: dict[str, Any], key: str, fragment: str
) -> None:
    errors = invalid(form, **changes)
    assert list(errors) == [key]
    assert fragment in errors[key]


def test_missing_required_fields_are_reported_together(form: dict[str, Any]) -> None:
    errors = validate_submission(form, {"contact": {}})
    assert errors == {
        "customer_name": "客户名称: 必填",
        "support_kind": "支持类型: 必填",
        "docs_ok": "资料齐全: 必填",
        "contact.name": "姓名: 必填",
        "reject_reason": "驳回原因: 必填",  # shown: the support kind is not "project"
    }
    assert list(errors) == ["customer_name", "support_kind", "docs_ok", "contact.name", "reject_reason"]


def test_missing_group_object_is_reported_on_the_group(form: dict[str, Any]) -> None:
    data = copy.deepcopy(VALID)
    del data["contact"]
    assert validate_submission(form, data) == {"contact": "联系人: 必填"}


def test_submission_must_be_an_object(form: dict[str, Any]) -> None:
    assert list(validate_submission(form, ["not", "an", "object"])) == [""]  # type: ignore[arg-type]


def test_form_fields(form: dict[str, Any]) -> None:
    fields = form_fields(form)
    by_key = {field.key: field for field in fields}
    expected = FormField("customer_name", "textfield", "客户名称", True, None)
    assert by_key["customer_name"] == expected
    assert by_key["support_kind"].options == ["project", "non_project"]
    assert by_key["regions"].options is None  # options come from case data
    assert by_key["contact.phone"].label == "电话"
    assert by_key["work_items[].task"].required
    assert "remark" in by_key  # a group without a path adds no level
    assert not by_key["reject_reason"].required  # hidden by a condition: may stay empty
    assert [f.key for f in fields][:3] == ["customer_name", "support_kind", "person_days"]
    assert not {"Field_title", "Field_23", "Field_24"} & {f.key for f in fields}


def test_json_schema_shape(form: dict[str, Any]) -> None:
    schema = json_schema(form)
    Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["customer_name", "support_kind", "docs_ok", "contact"]
    props = schema["properties"]
    assert {k: v for k, v in props["customer_name"]["then"].items() if k != "not"} == {
        "type": "string", "maxLength": 40}
    assert props["support_kind"]["then"] == {"enum": ["project", "non_project"]}
    assert props["person_days"]["then"] == {"type": "number", "minimum": 0, "maximum": 60}
    assert props["docs_ok"]["then"] == {"type": "boolean"}
    assert props["products"]["then"]["items"] == {"enum": ["dispatch", "metering"]}
    assert props["visit_date"]["then"]["type"] == "string"
    assert props["work_items"]["type"] == "array"
    assert props["contact"]["required"] == ["name"]
    assert props["contact"]["additionalProperties"] is False


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('{"components": [\n  {"type": "textfield", "key": "a",}\n]}', "line 2"),
        ('{"schemaVersion": 16}', "components"),
        ('[1, 2]', "components"),
        ('{"components": {"type": "textfield"}}', "must be a list"),
        ('{"components": [{"key": "a"}]}', "'type'"),
        ('{"components": [{"type": "textfield", "label": "无键"}]}', "key"),
        ('{"components": [{"type": "textfield", "key": "客户-名称"}]}', "'客户-名称'"),
        ('{"components": [{"type": "textfield", "key": "_hidden"}]}', "'_hidden'"),
        ('{"components": [{"type": "textfield", "key": "a"}, {"type": "number", "key": "a"}]}',
         "used twice"),
        ('{"components": [{"type": "select", "key": "kind"}]}', "values"),
        ('{"components": [{"type": "textfield", "key": "a", "validate": {"pattern": "("}}]}',
         "pattern"),
        ('{"components": [{"type": "dynamiclist", "components": []}]}', "path"),
        (('{"components": [{"type": "group", "components": [{"type": "number", "key": "n"}]},'
          ' {"type": "textfield", "key": "n"}]}'), "used twice"),
    ],
)
def test_malformed_forms_name_the_source(text: str, fragment: str) -> None:
    with pytest.raises(FormError) as caught:
        load_form(text, SOURCE)
    assert str(caught.value).startswith(SOURCE)
    assert fragment in str(caught.value)
    assert caught.value.source == SOURCE


def test_same_key_in_different_paths_is_allowed() -> None:
    text = json.dumps({"components": [
        {"type": "textfield", "key": "name", "label": "客户名称"},
        {"type": "group", "path": "contact", "components": [
            {"type": "textfield", "key": "name", "label": "联系人"}]},
    ]})
    assert [f.key for f in form_fields(load_form(text, SOURCE))] == ["name", "contact.name"]


def test_layout_components_need_no_key() -> None:
    text = json.dumps({"components": [
        {"type": kind} for kind in ("text", "html", "spacer", "separator", "image", "button")]})
    form = load_form(text, SOURCE)
    assert form_fields(form) == []
    assert validate_submission(form, {}) == {}



def test_unknown_fields_are_reported_each_by_key(form: dict[str, Any]) -> None:
    """A key the form does not declare would be dropped; the sender must learn it was not recorded."""
    data = copy.deepcopy(VALID)
    data.update(business_key="华北电力/调度升级", submit=True)
    data["contact"]["fax"] = "010-6543 2100"
    data["work_items"][0]["note"] = "夜间"
    errors = validate_submission(form, data)
    assert sorted(errors) == ["business_key", "contact.fax", "submit", "work_items[0].note"]
    assert errors["business_key"] == "business_key: 未知字段，表单中没有这一项"
    assert "contact.fax: 未知字段" in errors["contact.fax"]


def test_layout_components_take_no_values() -> None:
    form = load_form(json.dumps({"components": [{"type": "button", "key": "submit_button"}]}), SOURCE)
    assert list(validate_submission(form, {"submit_button": True})) == ["submit_button"]


@pytest.mark.parametrize(("changes", "key"), [
    ({"customer_name": "欧莱雅\r\nBcc: x@example.com"}, "customer_name"),  # would end up in a mail header
    ({"customer_name": "欧莱雅\n"}, "customer_name"),
    ({"customer_name": "欧\u2028莱雅"}, "customer_name"),  # a Unicode line separator breaks a header too
    ({"contract_no": "HT-2026\n"}, "contract_no"),  # a pattern's `$` would let a final newline through
    ({"contact": {"name": "王工\t"}}, "contact.name"),
    ({"work_items": [{"task": "现场\x00调试"}]}, "work_items[0].task"),
    ({"visit_date": "2026-10-08\n"}, "visit_date"),
    ({"regions": ["华北\r"]}, "regions"),
    ({"attachments": [f"upload:{'a' * 64}/单.pdf\n"]}, "attachments"),
])
def test_single_line_fields_refuse_line_breaks_and_control_characters(
    form: dict[str, Any], changes: dict[str, Any], key: str
) -> None:
    errors = invalid(form, **changes)
    assert list(errors) == [key]
    assert "单行字段不能包含换行或控制字符" in errors[key]


def test_control_character_message_names_the_character_and_its_place(form: dict[str, Any]) -> None:
    errors = invalid(form, customer_name="欧莱雅\r\n")
    assert errors == {"customer_name": "客户名称: 单行字段不能包含换行或控制字符：第 4 个字符是 U+000D"}
    assert validate_submission(form, {**VALID, "customer_name": "欧莱雅\r\n"}, lang="en") == {
        "customer_name": "客户名称: a single-line field takes no line breaks or control characters; "
                         "character 4 is U+000D"}


def test_textarea_takes_line_breaks_and_tabs_but_no_other_control_characters(form: dict[str, Any]) -> None:
    assert invalid(form, description="第一行\r\n第二行\n\t缩进") == {}
    errors = invalid(form, description="第一行\x1b[31m第二行")
    assert list(errors) == ["description"]
    assert errors["description"].startswith("问题描述: 不能包含除换行和制表符以外的控制字符：第 4 个字符是 U+001B")


REFERENCE = f"upload:{'a' * 64}/实施规划.docx"
DOCUMENTS_FORM: dict[str, Any] = {"components": [
    {"type": "checklist", "id": "Field_needed", "key": "required_documents", "label": "需要的文档",
     "values": [{"label": "实施规划", "value": "implementation_plan"}, {"label": "方案", "value": "proposal"}]},
    {"type": "filepicker", "id": "Field_plan", "key": "doc_implementation_plan", "label": "实施规划",
     "validate": {"required": True},
     "conditional": {"hide": '=not(list contains(required_documents, "implementation_plan"))'}},
    {"type": "filepicker", "id": "Field_photos", "key": "site_photos", "label": "现场照片", "multiple": True},
    {"type": "number", "id": "Field_days", "key": "person_days", "label": "人天", "readonly": True},
    {"type": "textfield", "id": "Field_note", "key": "note", "label": "说明", "validate": {"required": True}},
]}


@pytest.fixture
def documents_form() -> dict[str, Any]:
    return load_form(json.dumps(DOCUMENTS_FORM, ensure_ascii=False), SOURCE)


def test_a_filepicker_holds_an_upload_reference_or_a_list_of_them(documents_form: dict[str, Any]) -> None:
    needed = {"required_documents": ["implementation_plan"], "note": "好"}
    assert validate_submission(documents_form, {**needed, "doc_implementation_plan": REFERENCE,
                                                "site_photos": [REFERENCE, REFERENCE]}) == {}
    errors = validate_submission(documents_form, {**needed, "doc_implementation_plan": "实施规划.docx",
                                                  "site_photos": REFERENCE})
    assert errors == {
        "doc_implementation_plan": "实施规划: 请先上传文件（应为上传文件的引用 upload:<sha256>/<文件名>）",
        "site_photos": "现场照片: 应为列表"}
    one_only = validate_submission(documents_form, {**needed, "doc_implementation_plan": [REFERENCE]})
    assert one_only == {"doc_implementation_plan": "实施规划: 应为文本"}


def test_a_required_filepicker_shown_by_its_condition_must_hold_a_file(documents_form: dict[str, Any]) -> None:
    errors = validate_submission(documents_form, {"required_documents": ["implementation_plan"], "note": "好"})
    assert errors == {"doc_implementation_plan": "实施规划: 必填"}
    assert validate_submission(documents_form, {"required_documents": ["implementation_plan"], "note": "好"},
                               lang="en") == {"doc_implementation_plan": "实施规划: required"}


def test_a_required_field_hidden_by_its_condition_may_stay_empty(documents_form: dict[str, Any]) -> None:
    assert validate_submission(documents_form, {"required_documents": ["proposal"], "note": "好"}) == {}
    # as in FEEL: `list contains` of no list is null, not(null) is null, and only true hides
    assert list(validate_submission(documents_form, {"note": "好"})) == ["doc_implementation_plan"]


def test_conditions_see_the_submission_merged_over_the_case_data(documents_form: dict[str, Any]) -> None:
    case = {"required_documents": ["implementation_plan"], "person_days": 2}
    assert list(validate_submission(documents_form, {"note": "好"}, case)) == ["doc_implementation_plan"]
    assert validate_submission(documents_form, {"note": "好", "required_documents": []}, case) == {}


def test_a_read_only_field_is_never_taken_from_a_submission(documents_form: dict[str, Any]) -> None:
    case = {"person_days": 2, "required_documents": []}
    assert validate_submission(documents_form, {"note": "好", "person_days": 2}, case) == {}
    assert validate_submission(documents_form, {"note": "好"}, case) == {}  # left out: the case keeps its value
    assert validate_submission(documents_form, {"note": "好", "person_days": 9}, case) == {
        "person_days": "人天: 只读字段不能修改"}
    assert form_values(documents_form, {"note": "好", "person_days": 2}) == {
        "required_documents": None, "doc_implementation_plan": None, "site_photos": None, "note": "好"}


def test_errors_come_in_the_order_of_the_form(documents_form: dict[str, Any]) -> None:
    errors = form_submission.validate_submission(documents_form, {"zz_extra": 1, "person_days": 5, "site_photos": "x",
                                                        "required_documents": ["implementation_plan"]}, {})
    assert list(errors) == ["doc_implementation_plan", "site_photos", "person_days", "note", "zz_extra"]
    assert all(err.code.startswith("forms.") for err in errors.values())


def test_filepicker_fields_are_the_document_fields(documents_form: dict[str, Any]) -> None:
    assert forms.document_fields(documents_form) == {"doc_implementation_plan": "实施规划", "site_photos": "现场照片"}
    assert forms.document_fields(None) == {}


@pytest.mark.parametrize("hide", ['=count(required_documents) > 0', '=a + 1 = 2', 'support_kind = "x"',
                                  '=some x in list satisfies x = 1', '=list contains(a)'])
def test_a_condition_outside_the_subset_is_refused_naming_the_component(hide: str) -> None:
    text = json.dumps({"components": [{"type": "textfield", "id": "Field_x", "key": "reason", "label": "原因",
                                       "conditional": {"hide": hide}}]})
    with pytest.raises(FormError) as caught:
        load_form(text, SOURCE)
    assert caught.value.component == "'reason' (textfield)"
    assert "conditional.hide" in str(caught.value) and "FEEL subset" in str(caught.value)
