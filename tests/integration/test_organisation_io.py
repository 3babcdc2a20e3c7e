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


HOSTILE = {  # what is made, the code programs read, what a person reads in Chinese and in English
    "not a zip": (lambda _: "名单\nsales1,销售1".encode(), "org_import.not_xlsx", "不是 .xlsx 工作簿",
                  "not an .xlsx workbook"),
    "old xls": (lambda _: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "org_import.old_format",
                "另存为 .xlsx", "old .xls format"),
    "too big": (lambda _: b"PK" + b"\0" * (5 * 1024 * 1024 + 10), "org_import.file_too_large",
                "最多 5,242,880 字节", "at most 5,242,880 are read"),
    "zip bomb": (lambda _: _bomb(), "org_import.unpacked_too_large", "解压后超过 64 兆字节", "more than 64 MB"),
    "xml entities": (lambda c: _rezip(c, {"xl/worksheets/sheet1.xml": ENTITIES}), "org_import.entities",
                     "xl/worksheets/sheet1.xml 含有实体声明", "xl/worksheets/sheet1.xml declares XML entities"),
    "far row": (lambda c: _rezip(c, {"xl/worksheets/sheet1.xml": FAR_ROW}), "org_import.row_beyond_limit",
                "「人员」的行号超过电子表格的上限", "sheet 人员: rows beyond Excel's limit"),
    "no workbook": (lambda _: _docx(), "org_import.no_workbook", "压缩包里没有工作簿",
                    "the zip holds no Excel workbook"),
    "too many rows": (lambda _: _many_rows(MAX_ROWS + 1), "org_import.too_many_rows", "「人员」超过 10,000 行",
                      "sheet 人员 has more than 10,000 rows"),
}


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    return out.getvalue()


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_files_are_refused_with_a_clear_message_and_change_nothing(ctx, exported, kind):
    make, code, zh, en = HOSTILE[kind]
    content = make(exported)
    before = org_views.list_people(ctx)
    started = time.monotonic()
    with pytest.raises(org_import.ImportRejected) as refused:
        org_import.import_organisation(ctx, content, actor="admin1")
    assert time.monotonic() - started < 60  # refused, not worked through (no timing is asserted beyond that)
    (problem,) = refused.value.problems
    assert problem.message.code == code
    assert zh in problem.line("zh") and en in problem.line("en"), (problem.line("zh"), problem.line("en"))
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
    (missing,) = refused.value.problems
    assert (missing.message.code, missing.line(), missing.line("en")) == (
        "org_import.no_sheet", "人员:0:: 工作簿中没有「人员」表", "人员:0:: the workbook has no sheet 人员")
    book = openpyxl.load_workbook(io.BytesIO(exported))
    book["人员"].delete_cols(7)  # 角色
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(org_import.ImportRejected) as refused:
        org_import.import_organisation(ctx, out.getvalue(), actor="admin1")
    assert [(p.sheet, p.row, p.column, p.message.code) for p in refused.value.problems] == [
        ("人员", 1, "角色", "org_import.column_missing")]
    assert [p.line("en") for p in refused.value.problems] == ["人员:1:角色: column 角色 is missing"]


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
    assert re.search(r"engineer3\s+工程师3.*技术部.*上级 tech_director1\s+engineer", text)
    english = cli_env(database_url, home, GUICHENG_LANG="en")
    text = run_cli(english, "users", "list").stdout
    assert re.search(r"engineer3\s+工程师3.*技术部.*superior tech_director1\s+engineer", text)

    path = tmp_path / "组织架构.xlsx"
    exported = run_cli(env, "org", "export", str(path))
    assert exported.returncode == 0 and exported.stdout.strip() == f"组织架构已导出到 {path}"
    imported = run_cli(env, "org", "import", str(path))
    assert imported.returncode == 0, imported.stderr
    assert "新建用户：0" in imported.stdout and "未变用户：24" in imported.stdout
    assert not re.search(r"[A-Za-z]", imported.stdout)  # the summary speaks Chinese only

    book = openpyxl.load_workbook(path)
    row = next(i for i, r in enumerate(book["人员"].iter_rows(values_only=True), start=1) if r[0] == "sales3")
    book["人员"].cell(row, 5).value = "华东区 › 销售九组"
    book["人员"].append(["newbie", "新人", "new@example.cn", None, "技术部", "tech_director1", "engineer"])
    book.save(path)
    before = org_views.list_people(ctx)
    refused = run_cli(env, "org", "import", str(path))
    assert refused.returncode == 1
    assert f"人员:{row}:部门路径: 未知部门「华东区 › 销售九组」：既不在部门表中，也不在系统中" in refused.stderr
    assert "组织架构.xlsx：共 1 处问题，没有任何改变" in refused.stderr
    refused = run_cli(english, "org", "import", str(path))
    assert refused.returncode == 1
    assert f"人员:{row}:部门路径: unknown department 华东区 › 销售九组: neither in the sheet nor in the system" in (
        refused.stderr)
    assert "组织架构.xlsx: 1 problem(s); nothing was changed" in refused.stderr
    assert org_views.list_people(ctx) == before

    book["人员"].cell(row, 5).value = "华东区/销售二组"
    book.save(path)
    imported = run_cli(english, "org", "import", str(path))
    assert imported.returncode == 0 and "users created: 1 (newbie)" in imported.stdout
    assert "no password" in imported.stdout
    assert "newbie" in {p["username"] for p in org_views.list_people(ctx)}


def test_a_file_that_is_no_workbook_is_one_line_on_the_command_line(database_url, home, tmp_path):
    path = tmp_path / "people.xlsx"
    path.write_text("用户名,姓名\n", encoding="utf-8")
    result = run_cli(cli_env(database_url, home), "org", "import", str(path))
    assert result.returncode == 1 and result.stderr.splitlines() == [
        "people.xlsx: 不是 .xlsx 工作簿", "people.xlsx：共 1 处问题，没有任何改变"]
    result = run_cli(cli_env(database_url, home, GUICHENG_LANG="en"), "org", "import", str(path))
    assert result.returncode == 1 and result.stderr.splitlines() == [
        "people.xlsx: not an .xlsx workbook", "people.xlsx: 1 problem(s); nothing was changed"]


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


def _unknown_department(exported: bytes) -> bytes:
    """The exported workbook with the first person placed in a department that exists nowhere."""
    book = openpyxl.load_workbook(io.BytesIO(exported))
    book["人员"].cell(2, 5).value = "不存在的部门"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client, content: bytes, query: str = "", **headers: str):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/organisation/import{query}", headers=headers, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(content), "组织架构.xlsx")})


def test_a_refused_import_in_the_api_gives_codes_and_the_callers_language(ctx, client, exported):
    admin = _bearer(ctx, "admin1")
    before = org_views.list_people(ctx)
    chinese = _upload(client, _unknown_department(exported), **admin)
    assert chinese.status_code == 400 and chinese.mimetype == "application/problem+json"
    (found,) = chinese.json["problems"]
    assert found == {"sheet": "人员", "row": 2, "column": "部门路径", "code": "org_import.department_unknown",
                     "params": {"path": "不存在的部门"},
                     "message": "未知部门「不存在的部门」：既不在部门表中，也不在系统中"}
    assert chinese.json["code"] == "organisation.import_refused"
    assert chinese.json["detail"] == "导入未执行，没有任何改变：共 1 处问题"
    assert chinese.json["errors"] == {"人员:2:部门路径": found["message"]}
    english = _upload(client, _unknown_department(exported), "?lang=en", **admin)
    assert english.status_code == 400 and english.json["detail"] == "import refused, nothing changed: 1 problems"
    (found,) = english.json["problems"]
    assert (found["code"], found["message"]) == (
        "org_import.department_unknown", "unknown department 不存在的部门: neither in the sheet nor in the system")
    refused = _upload(client, b"not a workbook", "?lang=en", **admin)
    assert [(p["sheet"], p["row"], p["code"], p["message"]) for p in refused.json["problems"]] == [
        ("", 0, "org_import.not_xlsx", "not an .xlsx workbook")]
    assert org_views.list_people(ctx) == before
    assert _upload(client, exported, **_bearer(ctx, "sales_director1")).status_code == 403
    imported = _upload(client, exported, **admin)
    assert imported.status_code == 200 and imported.json["changed"] is False
    assert len(imported.json["unchanged"]) == 24


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


def test_a_refused_import_on_the_page_speaks_the_pages_language(ctx, client, exported):
    csrf = _sign_in(client, "admin1")
    content = _unknown_department(exported)

    def upload():  # type: ignore[no-untyped-def]
        return client.post("/admin/organisation/import", content_type="multipart/form-data", data={
            "csrf_token": csrf, "file": (io.BytesIO(content), "组织架构.xlsx")})

    chinese = upload()
    assert chinese.status_code == 400
    assert 'data-code="org_import.department_unknown" data-where="人员:2:部门路径"' in chinese.text
    assert "未知部门「不存在的部门」：既不在部门表中，也不在系统中" in chinese.text
    client.get("/lang/en")
    english = upload()
    assert english.status_code == 400
    assert 'data-code="org_import.department_unknown" data-where="人员:2:部门路径"' in english.text
    assert "unknown department 不存在的部门: neither in the sheet nor in the system" in english.text
    assert "未知部门" not in english.text
