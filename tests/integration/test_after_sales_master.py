"""The after-sales master data end to end, on SQLite and PostgreSQL: the contracts workbook (a good file,
a file with errors that changes nothing and names row and column, a re-import that updates), the
wildcard search, the region tree (a move keeps the paths orders recorded), who may change what, and
hostile input refused with a clear error, through the operations, the pages and the API."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from service.operations import after_sales_master as master
from service.operations.errors import Forbidden, NotFound, ValidationFailed
from service.persistence.after_sales_models import ContractProduct, SalesContract
from service.persistence.audit import SYSTEM_CHAIN
from service.persistence.models import Event
from tests.integration.test_web_pages import csrf_of, sign_in

HEADER = ["合同编号", "项目", "客户", "地址", "联系人", "签订日期", "服务截止", "延保年数", "回访计划", "序列号",
          "型号", "产品名称", "类别", "首次使用日期", "出厂日期"]
GOOD = [
    ["HT-2026-101", "宝山仓库改造", "欧莱雅", "上海市宝山区 1 号", "张三", date(2026, 1, 5), date(2028, 1, 4), 1,
     "每月回访", "5AB.1000.0001.1", "M-1", "灌装机", "整机", date(2026, 2, 1), date(2025, 12, 1)],
    ["HT-2026-101", "宝山仓库改造", "欧莱雅", "上海市宝山区 1 号", "张三", date(2026, 1, 5), date(2028, 1, 4), 1,
     "每月回访", "5AB.1000.0001.1-A", "M-1A", "加热模块", "配件", date(2026, 2, 1), date(2025, 12, 1)],
    ["HT-2026-102", "深圳实验室二期", "华为", "深圳市南山区 9 号", "李四", "2026-03-01", None, 0, None,
     "6CD.2000.0002.2", "X-2", "试验箱", "整机", "2026-04-01", "2026-02-01"],
]


def workbook(rows: list[list[Any]], header: list[str] = HEADER, title: str = "合同") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def counts(ctx) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    with ctx.db.reading() as session:
        return (session.execute(select(func.count(SalesContract.id))).scalar_one(),
                session.execute(select(func.count(ContractProduct.id))).scalar_one(),
                session.execute(select(func.count(Event.id)).where(Event.chain == SYSTEM_CHAIN)).scalar_one())


# --- the workbook ------------------------------------------------------------------------------


def test_import_a_good_file_then_export_and_import_again_changes_nothing(ctx):
    before = counts(ctx)
    report = master.import_contracts(ctx, workbook(GOOD), actor="service_desk2")
    assert report.created == ["HT-2026-101", "HT-2026-102"] and report.changed
    found = master.search_contracts(ctx, "HT-2026-101")[0]
    assert found["customer"] == "欧莱雅" and found["visit_plan"] == ["monthly_visit"]
    assert found["warranty_extension_years"] == 1 and found["service_until"] == "2028-01-04"
    assert [(p["serial_no"], p["kind"], p["first_use_on"]) for p in found["products"]] == [
        ("5AB.1000.0001.1", "whole_unit", "2026-02-01"), ("5AB.1000.0001.1-A", "accessory", "2026-02-01")]
    after = counts(ctx)
    assert after[:2] == (before[0] + 2, before[1] + 3) and after[2] == before[2] + 1  # one audit event
    exported = master.export_contracts(ctx)
    sheet = load_workbook(io.BytesIO(exported)).active
    assert [c.value for c in sheet[1]] == HEADER
    again = master.import_contracts(ctx, exported, actor="service_desk2")
    assert not again.changed and "HT-2026-101" in again.unchanged and "HT-2026-001" in again.unchanged
    assert counts(ctx) == after  # Chinese, dates and plans round-trip: nothing to change, no event


def test_a_file_with_errors_changes_nothing_and_names_row_and_column(ctx):
    before = counts(ctx)
    bad = [list(GOOD[0]), list(GOOD[1]), list(GOOD[2])]
    bad[0][13] = "2026-13-45"  # first use: no such day
    bad[1][1] = "另一个项目"  # the second row of the contract says another project
    bad[2][12] = "半成品"  # kind unknown
    bad[2][7] = 5  # extension beyond three years
    with pytest.raises(master.ContractImportRejected) as refused:
        master.import_contracts(ctx, workbook(bad), actor="service_desk2")
    found = {(p.row, p.column): p.message.code for p in refused.value.problems}
    assert found == {(2, "首次使用日期"): "as_master.day_format", (3, "项目"): "as_master.import_differs",
                     (4, "类别"): "as_master.kind_unknown", (4, "延保年数"): "as_master.extension_range"}
    lines = [p.line("en") for p in refused.value.problems]
    assert "合同:3:项目: “项目” differs from row 2 of the same contract" in lines
    assert counts(ctx) == before


def test_missing_contract_no_column_and_a_row_without_number_are_named(ctx):
    with pytest.raises(master.ContractImportRejected) as refused:
        master.import_contracts(ctx, workbook([["x", "SN"]], header=["项目", "序列号"]), actor="service_desk2")
    assert [(p.row, p.column, p.message.code) for p in refused.value.problems] == [
        (1, "合同编号", "as_master.import_no_column")]
    with pytest.raises(master.ContractImportRejected) as refused:
        master.import_contracts(ctx, workbook([[None, "项目", "SN-1"]], header=["合同编号", "项目", "序列号"]),
                                actor="service_desk2")
    assert [(p.row, p.column) for p in refused.value.problems] == [(2, "合同编号")]


def test_reimport_updates_by_contract_no_and_english_headers_are_accepted(ctx):
    master.import_contracts(ctx, workbook(GOOD), actor="service_desk2")
    english = ["Contract no.", "Project", "Serial no.", "Kind", "First use", "Ex-factory"]
    report = master.import_contracts(ctx, workbook([
        ["HT-2026-101", "宝山仓库改造（二期）", "5AB.1000.0001.1", "whole_unit", "2026-02-03", "2025-12-01"],
        ["HT-2026-101", None, "5AB.1000.0009.9", "accessory", None, None]], header=english), actor="service_desk1")
    assert report.updated == {"HT-2026-101": ["project", "products"]}
    assert report.products["HT-2026-101"] == {"added": ["5AB.1000.0009.9"], "changed": ["5AB.1000.0001.1"],
                                              "removed": ["5AB.1000.0001.1-A"]}
    found = master.contract_by_no(ctx, "HT-2026-101")
    assert found is not None and found["project"] == "宝山仓库改造（二期）"
    assert found["customer"] == "欧莱雅" and found["visit_plan"] == ["monthly_visit"]  # columns not in the file stay
    assert [p["serial_no"] for p in found["products"]] == ["5AB.1000.0001.1", "5AB.1000.0009.9"]
    assert found["updated_by"] == "service_desk1"


# --- search ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("2by*5084*4*1", ["HT-2026-001"]),  # the serial no. 2BY.5084.1044.1, wildcards, any case
    ("ht-2026-00*", ["HT-2026-001", "HT-2026-002", "HT-2026-003", "HT-2026-004"]),
    ("*002", ["HT-2026-002"]),
    ("灌装线", ["HT-2026-001"]),  # part of the project
    ("*上海*", ["HT-2026-001"]),  # the address (上海市浦东新区…)
    ("杭州*", []),  # with * the whole value must fit: the address starts with 浙江省
    ("华为 北京", ["HT-2026-004"]),  # every term, each in any field
    ("no such thing", []),
])
def test_search_by_contract_no_project_address_and_serial(ctx, text, expected):
    assert [c["contract_no"] for c in master.search_contracts(ctx, text)] == expected


def test_empty_search_lists_all_and_a_limit_cuts(ctx):
    master.import_contracts(ctx, workbook(GOOD), actor="service_desk2")
    everything = master.search_contracts(ctx, "")
    numbers = [c["contract_no"] for c in everything]
    assert len(everything) == 6 and numbers == sorted(numbers)
    total, rows = master.search_page(ctx, "  ", limit=2, offset=2)
    assert total == 6 and [c["contract_no"] for c in rows] == numbers[2:4]
    assert master.search_contracts(ctx, "%") == [] and master.search_contracts(ctx, "_") == []  # no SQL wildcards


# --- regions -----------------------------------------------------------------------------------


def _ids(ctx) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {r["path"]: r["id"] for r in master.region_list(ctx)}


def test_region_tree_create_rename_move_delete_and_recorded_paths_stay(ctx):
    ids = _ids(ctx)
    assert {"华东区/上海", "华东区/杭州", "华南区/深圳", "华北区/北京"} <= set(ids)
    recorded = master.region_path(ctx, ids["华东区/杭州"])  # what an order copies when it is created
    pudong = master.create_region(ctx, name="浦东", parent_id=ids["华东区/上海"], actor="service_desk2")
    assert pudong["path"] == "华东区/上海/浦东"
    moved = master.move_region(ctx, ids["华东区/杭州"], parent_id=ids["华南区"], actor="service_desk2")
    assert moved["path"] == "华南区/杭州" and recorded == "华东区/杭州"
    renamed = master.rename_region(ctx, ids["华东区/上海"], name="上海市", actor="admin1")
    assert renamed["path"] == "华东区/上海市" and master.region_path(ctx, pudong["id"]) == "华东区/上海市/浦东"
    tree = {node["name"]: node for node in master.region_tree(ctx)}
    assert [c["name"] for c in tree["华南区"]["children"]] == ["深圳", "杭州"]
    with pytest.raises(ValidationFailed) as refused:
        master.delete_region(ctx, ids["华东区/上海"], actor="service_desk2")
    assert refused.value.errors["region_id"].code == "as_master.region_has_children"
    with pytest.raises(ValidationFailed) as refused:
        master.move_region(ctx, ids["华东区"], parent_id=pudong["id"], actor="service_desk2")
    assert refused.value.errors["parent_id"].code == "as_master.region_under_itself"
    with pytest.raises(ValidationFailed):
        master.create_region(ctx, name="深圳", parent_id=ids["华南区"], actor="service_desk2")  # a sibling's name
    master.delete_region(ctx, pudong["id"], actor="service_desk2")
    with pytest.raises(NotFound):
        master.region_path(ctx, pudong["id"])


# --- who may ----------------------------------------------------------------------------------


def test_who_may_change_what(ctx):
    one = master.search_contracts(ctx, "HT-2026-001")[0]
    master.update_contract(ctx, one["id"], {**one, "contact": "王敏 139 0000 0000"}, actor="service_desk2")
    for actor in ("engineer1", "customer1", "process_owner1", "auditor1"):
        with pytest.raises(Forbidden):
            master.update_contract(ctx, one["id"], one, actor=actor)
        with pytest.raises(Forbidden):
            master.create_region(ctx, name="西南区", parent_id=None, actor=actor)
    with pytest.raises(Forbidden):
        master.save_task_type(ctx, {"code": "inspection", "name_zh": "巡检"}, actor="service_desk2")
    master.save_task_type(ctx, {"code": "inspection", "name_zh": "巡检", "name_en": "Inspection"},
                          actor="process_owner1")
    master.save_fee_item(ctx, {"code": "night", "name_zh": "夜间加班费", "amount": "99.5", "unit": "小时"},
                         actor="process_owner1")
    with pytest.raises(Forbidden):
        master.save_part(ctx, {"material_no": "X1", "name": "x", "price": "1"}, actor="process_owner1")
    master.set_task_type_active(ctx, "inspection", False, actor="process_owner1")
    assert "inspection" not in [t["code"] for t in master.task_types(ctx)]
    assert "inspection" in [t["code"] for t in master.task_types(ctx, active_only=False)]
    assert next(f for f in master.fee_items(ctx) if f["code"] == "night")["amount_fen"] == 9950


def test_pages_for_the_desk_an_engineer_and_a_customer(client, ctx):
    sign_in(client, "service_desk2")
    page = client.get("/after-sales/contracts?q=2by*5084*4*1")
    assert page.status_code == 200 and "HT-2026-001" in page.text and "HT-2026-002" not in page.text
    assert 'data-testid="nav-master-data"' in page.text
    one = master.search_contracts(ctx, "HT-2026-001")[0]
    detail = client.get(f"/after-sales/contracts/{one['id']}")
    assert "2BY.5084.1044.1" in detail.text and 'data-testid="contract-save"' in detail.text
    token = csrf_of(client)
    sent = client.post("/after-sales/contracts/import", data={
        "csrf_token": token, "file": (io.BytesIO(workbook(GOOD)), "合同.xlsx")}, content_type="multipart/form-data")
    assert sent.status_code == 200 and 'data-testid="import-report"' in sent.text
    bad = [list(GOOD[0])]
    bad[0][14] = "yesterday"
    sent = client.post("/after-sales/contracts/import", data={
        "csrf_token": token, "file": (io.BytesIO(workbook(bad)), "bad.xlsx")}, content_type="multipart/form-data")
    assert sent.status_code == 400 and 'data-where="合同:2:出厂日期"' in sent.text
    ids = _ids(ctx)
    moved = client.post("/after-sales/regions/move", data={"csrf_token": token, "region_id": ids["华北区/北京"],
                                                             "parent_id": ids["华东区"]})
    assert moved.status_code == 302 and "华东区/北京" in _ids(ctx)
    client.post("/logout", data={"csrf_token": token})

    sign_in(client, "engineer1")
    page = client.get("/after-sales/contracts?lang=en")
    assert page.status_code == 200 and 'data-testid="asm-read-only"' in page.text and "contract-new" not in page.text
    token = csrf_of(client)
    refused = client.post(f"/after-sales/contracts/{one['id']}", data={"csrf_token": token, "contract_no": "X"})
    assert refused.status_code == 403 and "engineer1" in refused.text
    refused = client.post("/after-sales/regions/create", data={"csrf_token": token, "name": "西南区"})
    assert refused.status_code == 403
    client.post("/logout", data={"csrf_token": token})

    sign_in(client, "customer1")
    for path in ("/after-sales/contracts", f"/after-sales/contracts/{one['id']}", "/after-sales/regions",
                 "/after-sales/parts", "/after-sales/task-types", "/after-sales/fee-items",
                 "/after-sales/contracts/export.xlsx"):
        assert client.get(path).status_code == 403, path
    assert 'data-testid="nav-master-data"' not in client.get("/", follow_redirects=True).text


def test_api_search_get_create_update_and_refusals(client, ctx):
    sign_in(client, "service_desk2")
    headers = {"X-CSRF-Token": csrf_of(client)}
    found = client.get("/api/v1/after-sales/contracts", query_string={"q": "2BY*5084*4*1"}).json
    assert found["total"] == 1 and found["contracts"][0]["contract_no"] == "HT-2026-001"
    assert client.get("/api/v1/after-sales/contracts").json["total"] == 4
    one = client.get(f"/api/v1/after-sales/contracts/{found['contracts'][0]['id']}").json
    assert one["products"][0]["first_use_on"] == "2026-03-01" and one["products"][0]["ex_factory_on"] == "2025-12-15"
    made = client.post("/api/v1/after-sales/contracts", headers=headers, json={
        "contract_no": "HT-API-1", "customer": "华为", "service_until": "2027-06-30", "visit_plan": ["yearly_service"],
        "products": [{"serial_no": "API-1", "kind": "accessory"}]})
    assert made.status_code == 201 and made.json["products"][0]["kind"] == "accessory"
    changed = client.put(f"/api/v1/after-sales/contracts/{made.json['id']}", headers=headers,
                         json={**made.json, "project": "接口项目", "products": []})
    assert changed.status_code == 200 and changed.json["project"] == "接口项目" and changed.json["products"] == []
    taken = client.post("/api/v1/after-sales/contracts", headers=headers, json={"contract_no": "HT-2026-001"})
    assert taken.status_code == 400 and "contract_no" in taken.json["errors"]
    assert [r["path"] for r in client.get("/api/v1/after-sales/regions").json] == ["华东区", "华南区", "华北区"]
    assert [t["code"] for t in client.get("/api/v1/after-sales/task-types").json] == [
        "installation", "repair", "return_visit", "maintenance", "parts_sale"]
    parts = client.get("/api/v1/after-sales/parts").json
    assert len(parts) == 10 and all(re.fullmatch(r"[0-9]+\.[0-9]{2}", p["price"]) for p in parts)
    assert {f["code"] for f in client.get("/api/v1/after-sales/fee-items").json} >= {"on_site", "labour_hour"}
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert "/api/v1/after-sales/contracts/{contract_id}" in paths and "put" in paths[
        "/api/v1/after-sales/contracts/{contract_id}"]

    client.post("/logout", data={"csrf_token": headers["X-CSRF-Token"]})
    sign_in(client, "engineer1")
    headers = {"X-CSRF-Token": csrf_of(client)}
    assert client.get("/api/v1/after-sales/contracts").status_code == 200
    refused = client.post("/api/v1/after-sales/contracts", headers=headers, json={"contract_no": "HT-X"})
    assert refused.status_code == 403 and refused.json["code"] == "as_master.may_not_edit"
    client.post("/logout", data={"csrf_token": headers["X-CSRF-Token"]})
    sign_in(client, "customer1")
    for path in ("contracts", "regions", "task-types", "parts", "fee-items"):
        assert client.get(f"/api/v1/after-sales/{path}").status_code == 403
    sign_in(client, "auditor1")
    assert client.get("/api/v1/after-sales/contracts").status_code == 200


@pytest.mark.parametrize(("body", "field", "code"), [
    ({"contract_no": "HT-\x00-1"}, "contract_no", "text.control"),
    ({"contract_no": "HT-\x1b[31m"}, "contract_no", "text.control"),
    ({"contract_no": "H" * 5000}, "contract_no", "text.too_long"),
    ({"contract_no": "HT-9", "address": "路" * 100_000}, "address", "text.too_long"),
    ({"contract_no": "HT-9", "signed_on": "2026-02-30"}, "signed_on", "as_master.day_format"),
    ({"contract_no": "HT-9", "warranty_extension_years": 99}, "warranty_extension_years", "as_master.extension_range"),
    ({"contract_no": "HT-9", "visit_plan": ["daily"]}, "visit_plan", "as_master.visit_plan_unknown"),
    ({"contract_no": "HT-9", "products": [{"serial_no": "A"}, {"serial_no": "A"}]}, "products[1].serial_no",
     "as_master.serial_twice"),
    ({"contract_no": "HT-9", "products": "not a list"}, "products", "as_master.products_list"),
    ({"contract_no": ["HT-9"]}, "contract_no", "text.not_text"),
])
def test_hostile_input_gets_a_clear_error_and_changes_nothing(client, ctx, body, field, code):
    before = counts(ctx)
    sign_in(client, "service_desk2")
    answer = client.post("/api/v1/after-sales/contracts", headers={"X-CSRF-Token": csrf_of(client)}, json=body)
    assert answer.status_code == 400, answer.json
    with pytest.raises(ValidationFailed) as refused:
        master.create_contract(ctx, body, actor="service_desk2")
    assert refused.value.errors[field].code == code
    assert counts(ctx) == before


def test_hostile_workbook_cells_and_files(ctx, client):
    before = counts(ctx)
    with pytest.raises(master.ContractImportRejected) as refused:
        master.import_contracts(ctx, workbook([["HT-H1", "x" * 300, "=1+1"]], header=["合同编号", "项目", "序列号"]),
                                actor="service_desk2")
    assert {(p.column, p.message.code) for p in refused.value.problems} == {
        ("项目", "text.too_long"), ("序列号", "as_master.cell_formula")}
    with pytest.raises(master.ContractImportRejected) as refused:
        master.import_contracts(ctx, b"PK\x03\x04 not really a zip", actor="service_desk2")
    assert refused.value.problems[0].row == 0
    with pytest.raises(master.ContractImportRejected):
        master.import_contracts(ctx, b"x" * (6 * 1024 * 1024), actor="service_desk2")
    assert counts(ctx) == before
    sign_in(client, "service_desk2")
    answer = client.post("/api/v1/after-sales/contracts/import", headers={"X-CSRF-Token": csrf_of(client)},
                         data={"file": (io.BytesIO(b"<html>"), "x.xlsx")}, content_type="multipart/form-data")
    assert answer.status_code == 400 and answer.json["problems"][0]["message"]
    answer = client.get("/api/v1/after-sales/contracts", query_string={"q": "\x00"})
    assert answer.status_code == 400
    page = client.get("/after-sales/contracts", query_string={"q": "x" * 1000})
    assert page.status_code == 200 and "1000" in page.text  # the search says the text is too long


def test_a_contract_is_deleted_only_with_its_box_ticked_and_never_by_an_engineer(client, ctx):
    one = master.search_contracts(ctx, "HT-2026-001")[0]
    sign_in(client, "engineer1")
    token = csrf_of(client)
    refused = client.post(f"/after-sales/contracts/{one['id']}/delete", data={"csrf_token": token, "confirm": "yes"})
    assert refused.status_code == 403
    client.post("/logout", data={"csrf_token": token})
    sign_in(client, "service_desk2")
    token = csrf_of(client)
    page = client.get(f"/after-sales/contracts/{one['id']}")
    assert 'data-testid="contract-delete-confirm"' in page.text
    kept = client.post(f"/after-sales/contracts/{one['id']}/delete", data={"csrf_token": token}, follow_redirects=True)
    assert "未删除合同 HT-2026-001" in kept.text and master.search_contracts(ctx, "HT-2026-001")
    gone = client.post(f"/after-sales/contracts/{one['id']}/delete", data={"csrf_token": token, "confirm": "yes"},
                       follow_redirects=True)
    assert "已删除合同 HT-2026-001" in gone.text and master.search_contracts(ctx, "HT-2026-001") == []
