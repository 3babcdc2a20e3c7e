"""The organisation on SQLite and PostgreSQL: the demo organisation of CONTRACT.md, the changes an
administrator makes (each refused with a field error when it would break the tree), and the
whole-organisation .xlsx export and import, through the use cases, the CLI and the API."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select

from service.operations import demo_org, org_import, org_views, organisation, users
from service.operations.errors import NotFound, ValidationFailed, render_text
from service.persistence.models import Department, Event, User

CONTRACT_DEPARTMENTS = {
    "总部": ("sales_director2", {"sales_director2", "management1", "process_owner1", "auditor1", "admin1", "finance1"}),
    "华东区": ("sales_director1", {"sales_director1"}),
    "华东区 › 销售一组": ("sales_lead1", {"sales_lead1", "sales1", "sales2"}),
    "华东区 › 销售二组": ("sales_lead2", {"sales_lead2", "sales3", "sales4"}),
    "技术部": ("tech_director1", {"tech_director1", "tech_director2", "engineer1", "engineer2", "engineer3",
                                  "engineer4", "project_manager1"}),
    "售后服务部": ("service_desk1", {"service_desk1", "service_desk2"}),
}
CONTRACT_SUPERIORS = {"sales1": "sales_lead1", "sales2": "sales_lead1", "sales3": "sales_lead2",
                      "sales4": "sales_lead2", "sales_lead1": "sales_director1", "sales_lead2": "sales_director1",
                      "sales_director1": "sales_director2", "engineer1": "tech_director1",
                      "engineer2": "tech_director1", "engineer3": "tech_director1", "engineer4": "tech_director1"}


def _people(ctx) -> dict[str, dict[str, Any]]:
    return {p["username"]: p for p in org_views.list_people(ctx)}


def _snapshot(ctx) -> tuple[Any, ...]:
    """Everything an import or a refused change could touch, and the number of audit events."""
    with ctx.db.reading() as session:
        events = session.execute(select(func.count(Event.id))).scalar()
        departments = sorted((d.name, d.parent_id, d.leader) for d in session.execute(select(Department)).scalars())
    return _people(ctx), departments, events


def _departments(ctx) -> dict[str, dict[str, Any]]:
    return {d["path"]: d for d in org_views.organisation_tree(ctx)["flat"]}


def _sheets(content: bytes) -> dict[str, list[list[Any]]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def _edited(content: bytes, edit: Callable[[Any], None]) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(content))
    edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _row_of(book: Any, username: str) -> int:
    return next(i for i, row in enumerate(book["人员"].iter_rows(values_only=True), start=1) if row[0] == username)


# --- the demo organisation -------------------------------------------------------------------------


def test_the_demo_organisation_is_the_one_of_the_contract(ctx):
    departments = _departments(ctx)
    assert set(departments) == set(CONTRACT_DEPARTMENTS)
    for path, (leader, members) in CONTRACT_DEPARTMENTS.items():
        assert departments[path]["leader"] == leader, path
        assert {m["username"] for m in departments[path]["members"]} == members, path
    people = _people(ctx)
    for username, superior in CONTRACT_SUPERIORS.items():
        assert people[username]["superior"] == superior, username
    assert people["project_manager1"]["superior"] == "tech_director1"
    assert people["service_desk2"]["superior"] == "service_desk1"
    assert (people["customer1"]["company"], people["customer2"]["company"]) == ("欧莱雅", "华为")
    assert people["customer1"]["department"] is None and people["sales3"]["display_name"] == "销售3"
    tree = org_views.organisation_tree(ctx)
    assert [p["username"] for p in tree["customers"]] == ["customer1", "customer2"] and not tree["unplaced"]


def test_init_demo_again_adds_what_is_missing_and_keeps_what_an_administrator_changed(ctx):
    with ctx.db.transaction() as session:
        for user in session.execute(select(User)).scalars():
            if user.username.startswith("engineer"):
                user.department_id, user.superior = None, None
    sales_hq = _departments(ctx)["总部"]["id"]
    organisation.place_user(ctx, username="sales1", department_id=sales_hq, superior="sales_director2", mobile=None,
                            actor="admin1")
    demo_org.ensure_demo_organisation(ctx)
    demo_org.ensure_demo_organisation(ctx)
    people = _people(ctx)
    assert all(people[f"engineer{n}"]["superior"] == "tech_director1" for n in range(1, 5))
    assert people["engineer3"]["department"] == "技术部"
    assert (people["sales1"]["department"], people["sales1"]["superior"]) == ("总部", "sales_director2")
    with ctx.db.reading() as session:
        assert session.execute(select(func.count(Department.id))).scalar() == len(CONTRACT_DEPARTMENTS)
        assert session.execute(select(func.count(User.id))).scalar() == len(demo_org.DEMO_PEOPLE)


# --- changes by an administrator -------------------------------------------------------------------


def test_departments_are_created_renamed_moved_led_and_deleted_with_audit_events(ctx):
    created = organisation.create_department(ctx, name="华南区", actor="admin1")
    group = organisation.create_department(ctx, name="销售三组", parent_id=created["id"], actor="admin1")
    assert group["path"] == "华南区 › 销售三组"
    organisation.set_leader(ctx, department_id=group["id"], leader="sales_lead2", actor="admin1")
    organisation.rename_department(ctx, department_id=created["id"], name="华南大区", actor="admin1")
    east = _departments(ctx)["华东区"]["id"]
    organisation.move_department(ctx, department_id=group["id"], parent_id=east, actor="admin1")
    assert _departments(ctx)["华东区 › 销售三组"]["leader"] == "sales_lead2"
    organisation.delete_department(ctx, department_id=group["id"], actor="admin1")
    assert "华东区 › 销售三组" not in _departments(ctx)
    with ctx.db.reading() as session:
        changes = [e.payload for e in session.execute(select(Event).where(Event.type == "organisation_changed")
                                                      .order_by(Event.id)).scalars()][-6:]
    assert [c["change"] for c in changes] == ["department_created", "department_created", "leader_set",
                                             "department_renamed", "department_moved", "department_deleted"]
    assert changes[3]["from"] == "华南区" and changes[3]["to"] == "华南大区"
    assert changes[4] == {"change": "department_moved", "from": "华南大区 › 销售三组", "to": "华东区 › 销售三组"}


def test_a_person_gets_a_department_a_superior_and_a_mobile_in_one_audited_change(ctx):
    support = _departments(ctx)["售后服务部"]["id"]
    changes = organisation.place_user(ctx, username="engineer4", department_id=support, superior="service_desk1",
                                      mobile="+86 138-0013-8000", actor="admin1")
    assert changes == {"department": ["技术部", "售后服务部"], "superior": ["tech_director1", "service_desk1"],
                       "mobile": [None, "+86 138-0013-8000"]}
    with ctx.db.reading() as session:
        event = session.execute(select(Event).order_by(Event.id.desc()).limit(1)).scalar_one()
    assert (event.type, event.chain, event.payload["username"]) == ("user_saved", "system", "engineer4")
    assert organisation.place_user(ctx, username="engineer4", department_id=support, superior="service_desk1",
                                   mobile="+86 138-0013-8000", actor="admin1") == {}


REFUSED_PLACES = [
    ("sales_director2", {"superior": "sales3"}, "superior", "成环"),
    ("sales1", {"superior": "sales1"}, "superior", "成环"),
    ("sales1", {"superior": "nobody"}, "superior", "没有用户 nobody"),
    ("sales1", {"superior": "retired1"}, "superior", "已停用"),
    ("sales1", {"department_id": 99999}, "department", "99999"),
    ("sales1", {"mobile": "ask the desk"}, "mobile", "ask the desk"),
]


@pytest.mark.parametrize(("username", "change", "field", "says"), REFUSED_PLACES,
                         ids=["cycle", "self", "unknown", "inactive", "department", "mobile"])
def test_a_place_that_breaks_the_organisation_is_refused_with_a_field_error(ctx, username, change, field, says):
    users.save_user(ctx, username="retired1", display_name="退休", email="r@example.cn", roles=["sales"],
                    password="x", actor="admin1")
    users.set_active(ctx, username="retired1", active=False, actor="admin1")
    current = _people(ctx)[username]
    values = {"department_id": _departments(ctx)[current["department"]]["id"], "superior": current["superior"],
              "mobile": current["mobile"], **change}
    before = _snapshot(ctx)
    with pytest.raises(ValidationFailed) as refused:
        organisation.place_user(ctx, username=username, actor="admin1", **values)
    assert says in str(refused.value.errors[field])  # the sentence a person reads (Chinese by default)
    assert _snapshot(ctx) == before


def test_a_superior_who_left_may_stay_until_someone_else_is_named(ctx):
    users.set_active(ctx, username="sales_lead2", active=False, actor="admin1")
    place = {"username": "sales3", "department_id": _departments(ctx)["华东区 › 销售二组"]["id"], "actor": "admin1"}
    assert organisation.place_user(ctx, superior="sales_lead2", mobile="13800138000", **place) == {
        "mobile": [None, "13800138000"]}
    with pytest.raises(ValidationFailed) as refused:  # but nobody new is put under them
        organisation.place_user(ctx, superior="sales_lead2", mobile=None, **{**place, "username": "sales1"})
    assert "已停用" in str(refused.value.errors["superior"])


def test_department_changes_that_break_the_tree_are_refused_and_change_nothing(ctx):
    paths = _departments(ctx)
    east, group = paths["华东区"]["id"], paths["华东区 › 销售一组"]["id"]
    before = _snapshot(ctx)
    refusals = [
        (lambda: organisation.move_department(ctx, department_id=east, parent_id=group, actor="a"), "parent"),
        (lambda: organisation.move_department(ctx, department_id=east, parent_id=east, actor="a"), "parent"),
        (lambda: organisation.create_department(ctx, name="销售二组", parent_id=east, actor="a"), "name"),
        (lambda: organisation.create_department(ctx, name="华东/华南", actor="a"), "name"),
        (lambda: organisation.create_department(ctx, name=" ", actor="a"), "name"),
        (lambda: organisation.create_department(ctx, name="新部门", parent_id=99999, actor="a"), "parent"),
        (lambda: organisation.create_department(ctx, name="新部门", leader="nobody", actor="a"), "leader"),
        (lambda: organisation.rename_department(ctx, department_id=group, name="销售二组", actor="a"), "name"),
        (lambda: organisation.delete_department(ctx, department_id=east, actor="a"), "department"),
        (lambda: organisation.set_leader(ctx, department_id=east, leader="nobody", actor="a"), "leader"),
    ]
    for attempt, field in refusals:
        with pytest.raises(ValidationFailed) as refused:
            attempt()
        assert field in refused.value.errors
    with pytest.raises(NotFound):
        organisation.delete_department(ctx, department_id=99999, actor="a")
    assert _snapshot(ctx) == before


# --- the workbook ----------------------------------------------------------------------------------


def test_export_then_import_changes_nothing_and_exports_the_same_again(ctx):
    first = org_import.export_workbook(ctx)
    sheets = _sheets(first)
    assert sheets["人员"][0] == ["用户名", "姓名", "邮箱", "手机", "部门路径", "上级", "角色", "公司"]
    assert sheets["部门"][0] == ["部门路径", "负责人"] and ["华东区 › 销售二组", "sales_lead2"] in sheets["部门"]
    assert ["sales3", "销售3", "sales3@demo.guicheng.local", None, "华东区 › 销售二组", "sales_lead2", "sales", None] \
        in sheets["人员"]
    customer = ["customer2", "顾客2", "customer2@demo.guicheng.local", None, None, None, "customer", "华为"]
    assert customer in sheets["人员"]
    book = openpyxl.load_workbook(io.BytesIO(first))
    assert book["人员"].freeze_panes == "A2" and book["人员"]["A1"].font.b
    assert book["人员"].column_dimensions["E"].width >= 20
    before = _snapshot(ctx)
    report = org_import.import_organisation(ctx, first, actor="admin1")
    assert not report.changed and not report.not_in_file and len(report.unchanged) == len(demo_org.DEMO_PEOPLE)
    assert _snapshot(ctx) == before
    assert _sheets(org_import.export_workbook(ctx)) == sheets


def test_an_import_adds_departments_and_people_and_leaves_the_rest_alone(ctx):
    def edit(book: Any) -> None:
        book["部门"].append(["华南区", "sales_director3"])
        book["部门"].append(["华南区/销售三组", "sales5"])
        book["人员"].append(["sales_director3", "李总", "li@example.cn", "13800138000", "华南区", "sales_director2",
                            "sales_director", None])
        book["人员"].append(["sales5", "王五", "wang@example.cn", 13900139000, "华南区 > 销售三组", "sales_director3",
                            "销售", None])
        book["人员"].delete_rows(_row_of(book, "sales4"))
        people = book["人员"]
        people.cell(_row_of(book, "sales3"), 4).value = "+86 138 0000 0003"
        people.cell(_row_of(book, "sales3"), 2).value = "张三"

    report = org_import.import_organisation(ctx, _edited(org_import.export_workbook(ctx), edit), actor="admin1")
    assert report.departments_created == ["华南区", "华南区 › 销售三组"]
    assert report.created == ["sales_director3", "sales5"]
    assert report.updated == {"sales3": ["姓名", "手机"]} and report.not_in_file == ["sales4"]
    people = _people(ctx)
    assert (people["sales5"]["department"], people["sales5"]["superior"], people["sales5"]["roles"]) == (
        "华南区 › 销售三组", "sales_director3", ["sales"])
    assert people["sales5"]["mobile"] == "13900139000"  # typed as a number in Excel, kept as text
    assert people["sales3"]["display_name"] == "张三" and people["sales4"]["department"] == "华东区 › 销售二组"
    assert _departments(ctx)["华南区 › 销售三组"]["leader"] == "sales5"
    for password in ("", "demo", "sales5"):
        assert users.check_password(ctx, "sales5", password) is None  # an administrator sets one
    with ctx.db.reading() as session:
        saved = [e.payload for e in session.execute(select(Event).where(Event.type == "user_saved")).scalars()]
    assert {"username": "sales5", "created": True, "source": "import"} in saved
    assert {"username": "sales3", "changes": ["姓名", "手机"], "source": "import"} in saved


def _cell(username: str, column: int, value: Any) -> Callable[[Any], None]:
    return lambda book: book["人员"].cell(_row_of(book, username), column).__setattr__("value", value)


def _append(*row: Any) -> Callable[[Any], None]:
    return lambda book: book["人员"].append(list(row))


BAD_ROWS: dict[str, tuple[Callable[[Any], None], str, str, str, str]] = {
    # the edit, the column, the code programs read, what a person reads in Chinese and in English
    "unknown department": (_cell("sales3", 5, "华东区 › 销售九组"), "部门路径", "org_import.department_unknown",
                           "未知部门「华东区 › 销售九组」", "unknown department 华东区 › 销售九组"),
    "cycle of superiors": (_cell("sales_director2", 6, "sales3"), "上级", "user.superior_cycle", "成环",
                           "form a cycle"),
    "duplicate user name": (_append("sales3", "另一个", "x@example.cn", None, None, None, "sales"), "用户名",
                            "org_import.username_twice", "已经出现", "duplicate user name sales3"),
    "unknown role": (_cell("sales3", 7, "sales, boss"), "角色", "org_import.unknown_roles", "未知角色：boss",
                     "unknown role: boss"),
    "superior nowhere": (_cell("sales3", 6, "nobody"), "上级", "org_import.user_nowhere", "「nobody」既不在文件中",
                         "user nobody is neither in the file"),
    "bad e-mail": (_cell("sales3", 3, "sales3 at example"), "邮箱", "user.email_format", "格式不对",
                   "is not an address"),
    "control character": (_cell("sales3", 2, "销售\n3"), "姓名", "text.control", "控制字符", "control character"),
    "over-long value": (_cell("sales3", 2, "长" * 129), "姓名", "text.too_long", "超过上限 128",
                        "at most 128 allowed"),
    "formula": (_cell("sales3", 2, "=A1"), "姓名", "org_import.cell_formula", "公式不能导入", "a formula cannot"),
    "missing name": (_cell("sales3", 2, None), "姓名", "org_import.required", "不能为空", "required"),
    "own superior": (_cell("sales3", 6, "sales3"), "上级", "org_import.own_superior", "不能是自己的上级",
                     "cannot be their own superior"),
}


@pytest.mark.parametrize("kind", list(BAD_ROWS))
def test_one_bad_row_changes_nothing_and_names_its_row_and_column(ctx, kind):
    edit, column, code, zh, en = BAD_ROWS[kind]

    def both(book: Any) -> None:  # a good change in the same file must not happen either
        book["人员"].cell(_row_of(book, "sales1"), 2).value = "改了名"
        edit(book)

    content = _edited(org_import.export_workbook(ctx), both)
    row = _row_of(openpyxl.load_workbook(io.BytesIO(content)), "sales3") if kind not in (
        "cycle of superiors", "duplicate user name") else None
    before = _snapshot(ctx)
    with pytest.raises(org_import.ImportRejected) as refused:
        org_import.import_organisation(ctx, content, actor="admin1")
    problems = refused.value.problems
    found = [p for p in problems if p.sheet == "人员" and p.column == column and p.message.code == code
             and (row is None or p.row == row)]
    assert found, [(p.line(), p.message.code) for p in problems]
    assert zh in found[0].line() and en in found[0].line("en"), (found[0].line(), found[0].line("en"))
    assert _snapshot(ctx) == before and _people(ctx)["sales1"]["display_name"] == "销售1"


def test_a_cycle_and_a_duplicate_name_the_rows_involved(ctx):
    content = _edited(org_import.export_workbook(ctx), lambda book: (
        _cell("sales_director2", 6, "sales3")(book), _append("sales1", "重复", "d@example.cn")(book)))
    book = openpyxl.load_workbook(io.BytesIO(content))
    rows = {u: _row_of(book, u) for u in ("sales_director2", "sales3", "sales_lead2", "sales_director1", "sales1")}
    with pytest.raises(org_import.ImportRejected) as refused:
        org_import.import_organisation(ctx, content, actor="admin1")
    cycle = next(p for p in refused.value.problems if p.row == rows["sales_director2"])
    assert cycle.column == "上级"
    for username in ("sales3", "sales_lead2", "sales_director1"):
        assert f"{username}（第 {rows[username]} 行）" in str(cycle.message)
        assert f"{username} (row {rows[username]})" in render_text(cycle.message, "en")
    duplicate = next(p for p in refused.value.problems if p.column == "用户名")
    assert duplicate.row == book["人员"].max_row and duplicate.message.code == "org_import.username_twice"
    assert f"在第 {rows['sales1']} 行已经出现" in duplicate.line() and f"row {rows['sales1']}" in duplicate.line("en")


def test_a_department_sheet_row_needs_a_known_parent_and_leader(ctx):
    content = _edited(org_import.export_workbook(ctx), lambda book: (
        book["部门"].append(["西北区 › 一组", "nobody"]), book["部门"].append(["华东区", "sales1"])))
    with pytest.raises(org_import.ImportRejected) as refused:
        org_import.import_organisation(ctx, content, actor="admin1")
    found = {(p.sheet, p.column) for p in refused.value.problems}
    assert found == {("部门", "部门路径"), ("部门", "负责人")}
    assert any("西北区" in str(p.message) for p in refused.value.problems)
