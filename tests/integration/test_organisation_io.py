"""The organisation at the edges: hostile and broken workbooks, the `guicheng users|org` commands,
the directory API for user pickers and the admin page through the test client."""

from __future__ import annotations

import io
import json
import re
import time
import zipfile

import openpyxl
import pytest

from service.adapters.org_workbook import MAX_ROWS, read_workbook
from service.operations import org_import, org_views, users
from tests.support.cli import cli_env, run_cli

# --- hostile and broken files ----------------------------------------------------------------------


def _rezip(content: bytes, replace: dict[str, bytes]) -> bytes:
    """The same workbook with some members of the zip replaced (what no spreadsheet program writes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, replace.get(item.filename, source.read(item.filename)))
    return out.getvalue()


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (70 * 1024 * 1024))
    return out.getvalue()


def _many_rows(count: int) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("人员")
    sheet.append(["用户名", "姓名", "邮箱", "手机", "部门路径", "上级", "角色"])
    for n in range(count):
        sheet.append([f"u{n}", f"人{n}", f"u{n}@example.cn", None, None, None, "sales"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ENTITIES = (b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>')
FAR_ROW = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
           b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
           b'<row r="999999999"><c r="A999999999" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>')


@pytest.fixture
def exported(ctx) -> bytes:
    return org_import.export_workbook(ctx)


HOSTILE = {
    "not a zip": (lambda _: "名单\nsales1,销售1".encode(), "不是 .xlsx"),
    "old xls": (lambda _: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, ".xls"),
    "too big": (lambda _: b"PK" + b"\0" * (5 * 1024 * 1024 + 10), "5,242,880"),
    "zip bomb": (lambda _: _bomb(), "解压后超过"),
    "xml entities": (lambda c: _rezip(c, {"xl/worksheets/sheet1.xml": ENTITIES}), "实体"),
    "far row": (lambda c: _rezip(c, {"xl/worksheets/sheet1.xml": FAR_ROW}), "上限"),
    "no workbook": (lambda _: _docx(), "没有工作簿"),
    "too many rows": (lambda _: _many_rows(MAX_ROWS + 1), "10,000"),
}


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    return out.getvalue()


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_files_are_refused_with_a_clear_message_and_change_nothing(ctx, exported, kind):
    make, says = HOSTILE[kind]
    content = make(exported)
    before = org_views.list_people(ctx)
    started = time.monotonic()
    with pytest.raises(org_import.ImportRejected) as refused:
        org_import.import_organisation(ctx, content, actor="admin1")
    assert time.monotonic() - started < 60  # refused, not worked through (no timing is asserted beyond that)
    (problem,) = refused.value.problems
    assert says in problem.message, problem.message
    assert org_views.list_people(ctx) == before


def test_ten_thousand_rows_are_still_read():
    sheet = read_workbook(_many_rows(MAX_ROWS))["人员"]
    assert len(sheet.rows) == MAX_ROWS and sheet.rows[-1] == (MAX_ROWS + 1, [
        "u9999", "人9999", "u9999@example.cn", None, None, None, "sales"])


def test_a_workbook_without_the_people_sheet_or_a_column_says_which(ctx, exported):
    book = openpyxl.Workbook()
    book.active.title = "Sheet1"
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(org_import.ImportRejected) as refused:
        org_import.import_organisation(ctx, out.getvalue(), actor="admin1")
    assert "人员" in refused.value.problems[0].message
    book = openpyxl.load_workbook(io.BytesIO(exported))
    book["人员"].delete_cols(7)  # 角色
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(org_import.ImportRejected) as refused:
        org_import.import_organisation(ctx, out.getvalue(), actor="admin1")
    assert [(p.sheet, p.row, p.column) for p in refused.value.problems] == [("人员", 1, "角色")]


# --- the command line ------------------------------------------------------------------------------


def test_users_list_and_the_organisation_through_the_command_line(ctx, database_url, home, tmp_path):
    env = cli_env(database_url, home)
    listed = run_cli(env, "users", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    sales3 = next(u for u in json.loads(listed.stdout) if u["username"] == "sales3")
    assert (sales3["display_name"], sales3["department"], sales3["superior"], sales3["roles"]) == (
        "销售3", "华东区 › 销售二组", "sales_lead2", ["sales"])
    assert sales3["email"] == "sales3@demo.guicheng.local"
    text = run_cli(env, "users", "list").stdout
    assert re.search(r"engineer3\s+工程师3.*技术部.*tech_director1\s+engineer", text)

    path = tmp_path / "组织架构.xlsx"
    assert run_cli(env, "org", "export", str(path)).returncode == 0
    imported = run_cli(env, "org", "import", str(path))
    assert imported.returncode == 0, imported.stderr
    assert "users created: 0" in imported.stdout and "users unchanged: 24" in imported.stdout

    book = openpyxl.load_workbook(path)
    row = next(i for i, r in enumerate(book["人员"].iter_rows(values_only=True), start=1) if r[0] == "sales3")
    book["人员"].cell(row, 5).value = "华东区 › 销售九组"
    book["人员"].append(["newbie", "新人", "new@example.cn", None, "技术部", "tech_director1", "engineer"])
    book.save(path)
    before = org_views.list_people(ctx)
    refused = run_cli(env, "org", "import", str(path))
    assert refused.returncode == 1
    assert f"人员:{row}:部门路径: 未知部门「华东区 › 销售九组」" in refused.stderr
    assert "nothing was changed" in refused.stderr
    assert org_views.list_people(ctx) == before

    book["人员"].cell(row, 5).value = "华东区/销售二组"
    book.save(path)
    imported = run_cli(env, "org", "import", str(path))
    assert imported.returncode == 0 and "users created: 1 (newbie)" in imported.stdout
    assert "no password" in imported.stdout
    assert "newbie" in {p["username"] for p in org_views.list_people(ctx)}


def test_a_file_that_is_no_workbook_is_one_line_on_the_command_line(database_url, home, tmp_path):
    path = tmp_path / "people.xlsx"
    path.write_text("用户名,姓名\n", encoding="utf-8")
    result = run_cli(cli_env(database_url, home), "org", "import", str(path))
    assert result.returncode == 1 and result.stderr.startswith("people.xlsx: 不是 .xlsx 工作簿")


# --- the API ---------------------------------------------------------------------------------------


def _bearer(ctx, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {users.issue_token(ctx, username)}"}


def test_the_directory_for_user_pickers(ctx, client):
    staff = _bearer(ctx, "sales3")
    engineers = client.get("/api/v1/users?role=engineer", headers=staff).json
    assert [u["username"] for u in engineers] == ["engineer1", "engineer2", "engineer3", "engineer4"]
    assert engineers[0] == {"username": "engineer1", "display_name": "工程师1", "department": "技术部",
                            "roles": ["engineer"]}
    assert [u["username"] for u in client.get("/api/v1/users?q=销售组长", headers=staff).json] == [
        "sales_lead1", "sales_lead2"]
    assert [u["username"] for u in client.get("/api/v1/users?q=DIRECTOR1&role=tech_director",
                                              headers=staff).json] == ["tech_director1"]
    assert len(client.get("/api/v1/users?limit=3", headers=staff).json) == 3
    assert client.get("/api/v1/users?q=%25", headers=staff).json == []  # a wildcard of SQL is just a character
    users.set_active(ctx, username="engineer2", active=False, actor="admin1")
    assert "engineer2" not in [u["username"] for u in client.get("/api/v1/users?role=engineer", headers=staff).json]
    for query, field in (("role=boss", "role"), ("limit=0", "limit"), ("limit=abc", "limit"), ("limit=²", "limit"),
                         ("limit=501", "limit")):
        response = client.get(f"/api/v1/users?{query}", headers=staff)
        assert response.status_code == 400 and field in response.json["errors"], query
    assert client.get("/api/v1/users", headers=_bearer(ctx, "customer1")).status_code == 403
    assert client.get("/api/v1/users").status_code == 401


def test_the_department_tree_in_the_api(ctx, client):
    tree = client.get("/api/v1/departments", headers=_bearer(ctx, "engineer1")).json
    east = next(d for d in tree if d["name"] == "华东区")
    assert (east["leader"], [c["path"] for c in east["children"]]) == (
        "sales_director1", ["华东区 › 销售一组", "华东区 › 销售二组"])
    second = east["children"][1]
    assert [m["username"] for m in second["members"]] == ["sales_lead2", "sales3", "sales4"]
    assert set(second["members"][0]) == {"username", "display_name", "roles"}  # no e-mail or mobile here
    response = client.get("/api/v1/departments", headers=_bearer(ctx, "customer2"))
    assert response.status_code == 403 and response.mimetype == "application/problem+json"
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert "get" in paths["/api/v1/users"] and "get" in paths["/api/v1/departments"]


# --- the admin page --------------------------------------------------------------------------------


def _sign_in(client, username: str) -> str:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"username": username, "password": "demo", "csrf_token": token})
    return re.search(r'name="csrf-token" content="([^"]+)"', client.get("/tokens").text).group(1)


def test_the_organisation_page_is_for_administrators(client):
    _sign_in(client, "sales_director1")
    assert client.get("/admin/organisation").status_code == 403
    assert client.get("/admin/organisation/export.xlsx").status_code == 403


def test_an_administrator_changes_and_imports_the_organisation_on_the_page(ctx, client, exported):
    csrf = _sign_in(client, "admin1")
    page = client.get("/admin/organisation")
    assert page.status_code == 200 and "华东区" in page.text and "销售二组" in page.text
    response = client.post("/admin/organisation/departments", data={"name": "华南区", "parent": "",
                                                                     "csrf_token": csrf})
    assert response.status_code == 302 and "华南区" in client.get("/admin/organisation").text
    response = client.post("/admin/organisation/people", data={
        "username": "sales_director2", "department": "", "superior": "sales3", "mobile": "", "csrf_token": csrf})
    assert response.status_code == 400 and "上级关系成环" in response.text
    assert next(p for p in org_views.list_people(ctx) if p["username"] == "sales_director2")["superior"] is None
    bad = openpyxl.load_workbook(io.BytesIO(exported))
    bad["人员"].cell(2, 5).value = "不存在的部门"
    out = io.BytesIO()
    bad.save(out)
    response = client.post("/admin/organisation/import", content_type="multipart/form-data", data={
        "csrf_token": csrf, "file": (io.BytesIO(out.getvalue()), "组织架构.xlsx")})
    assert response.status_code == 400 and 'data-testid="import-problems"' in response.text
    assert "未知部门「不存在的部门」" in response.text
    response = client.post("/admin/organisation/import", content_type="multipart/form-data", data={
        "csrf_token": csrf, "file": (io.BytesIO(exported), "组织架构.xlsx")})
    assert response.status_code == 200 and 'data-testid="import-report"' in response.text
    export = client.get("/admin/organisation/export.xlsx")
    assert export.status_code == 200 and export.mimetype.endswith("spreadsheetml.sheet")
    assert "filename*=UTF-8''%E7%BB%84%E7%BB%87%E6%9E%B6%E6%9E%84-" in export.headers["Content-Disposition"]
    assert openpyxl.load_workbook(io.BytesIO(export.data))["部门"]["A2"].value == "总部"
