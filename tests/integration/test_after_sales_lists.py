"""The seven after-sales lists over real dispatch orders: wildcards in any field, AND against OR, 200 of 201
rows with the total, Chinese sorted by pinyin, two-level groups with their counts and sums, the .xlsx and
HTML exports read back, and each reader seeing only the orders the case policy shows them (a customer's
contact never sees the other company's orders, in the page, the API or a file)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from lxml import html as lxml_html
from openpyxl import load_workbook
from werkzeug.datastructures import MultiDict

from service.operations import after_sales_lists as lists
from service.operations.errors import NotFound, ValidationFailed
from tests.integration.test_web_pages import sign_in
from tests.processes import as_walk as w

HUAWEI = {"contract_no": "HT-2026-002", "project": "数据中心大屏", "customer": "华为", "address": "深圳市龙岗区",
          "contact": "李工 13900139000", "region_path": "华南区/深圳", "serial_no": "HW.7741.0009.2",
          "product_model": "LED-7741", "product_name": "拼接大屏"}


def _requisitions(*lines: tuple[str, str, int]) -> dict[str, Any]:
    return {"material_lines": [{"material_no": no, "name": name, "quantity": quantity, "movement": "requisition"}
                               for no, name, quantity in lines]}


@pytest.fixture
def orders(ctx) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Two orders of 欧莱雅 and one of 华为, worked to the sign-off with their parts taken."""
    loreal = w.start(ctx)
    w.advance_to(ctx, loreal, "service_work")
    w.do(ctx, loreal, "service_work", {**_requisitions(("M-300", "主板", 2), ("M-100", "电源模块", 1)),
                                        "owed_part_lines": [{"material_no": "M-200", "name": "遥控器",
                                                             "quantity": 1, "due": "2026-10-10"}]})
    second = w.start(ctx, serial_no="2BY.5084.2000.3", request_description="投影画面偏色")
    w.advance_to(ctx, second, "service_work")
    w.do(ctx, second, "service_work", _requisitions(("M-100", "电源模块", 3)))
    huawei = w.start(ctx, **HUAWEI)
    w.advance_to(ctx, huawei, "service_work")
    w.do(ctx, huawei, "service_work", _requisitions(*[(f"S-{n:03}", "螺丝", 1) for n in range(198)]))
    return {"loreal": loreal, "second": second, "huawei": huawei}


def _search(ctx, key: str, actor: str | None = "service_desk2", **said: Any):  # type: ignore[no-untyped-def]
    args: MultiDict[str, str] = MultiDict()
    for name, value in said.items():
        for one in value if isinstance(value, list) else [value]:
            args.add(name, str(one))
    listed = lists.definition(key)
    return lists.search(ctx, actor, key, lists.read_query(listed, args))


def _cases(result) -> set[int]:  # type: ignore[no-untyped-def]
    return {row["case_id"] for row in result.rows}


def test_the_seeds_wildcard_finds_the_serial_number_in_any_field_and_any_case(ctx, orders):
    by_serial = _search(ctx, "orders", where="serial_no ~ 2by*5084*4*1")
    assert _cases(by_serial) == {orders["loreal"]}
    anywhere = _search(ctx, "orders", field="*", op="~", value="2by*5084*4*1")
    assert _cases(anywhere) == {orders["loreal"]}
    assert _cases(_search(ctx, "orders", where="customer = 华为")) == {orders["huawei"]}


def test_and_narrows_and_or_widens(ctx, orders):
    both = _search(ctx, "orders", field=["customer", "serial_no"], op=["=", "~"], value=["欧莱雅", "*2000*"],
                   join=["and", "and"])
    assert _cases(both) == {orders["second"]}
    either = _search(ctx, "orders", field=["customer", "serial_no"], op=["=", "~"], value=["华为", "*2000*"],
                     join=["and", "or"])
    assert _cases(either) == {orders["second"], orders["huawei"]}
    assert _cases(_search(ctx, "orders", where="customer = 华为 且 serial_no ~ *2000*")) == set()


def test_201_requisitions_show_200_and_say_201(ctx, orders):
    result = _search(ctx, "requisitions")
    assert result.total == 201 and len(result.rows) == 200 and result.shown == 200
    narrowed = _search(ctx, "requisitions", where="material_name = 螺丝")
    assert narrowed.total == 198 and len(narrowed.rows) == 198


def test_chinese_part_names_sort_by_pinyin_not_by_code_point(ctx, orders):
    result = _search(ctx, "requisitions", where="customer = 欧莱雅", sort="material_name",
                     col=["material_name", "quantity"])
    names = [row["material_name"] for row in result.rows]
    assert names == ["电源模块", "电源模块", "主板"]  # dian before zhu, though 主 (U+4E3B) precedes 电 (U+7535)
    descending = _search(ctx, "requisitions", where="customer = 欧莱雅", sort=["-quantity", "material_name"])
    assert [row["quantity"] for row in descending.rows] == [3, 2, 1]


def test_two_level_groups_count_and_sum_every_match(ctx, orders):
    result = _search(ctx, "requisitions", group=["customer", "material_name"])
    by_customer = {g.value: g for g in result.groups}
    assert set(by_customer) == {"华为", "欧莱雅"}
    assert by_customer["华为"].count == 198 and by_customer["华为"].sums["quantity"] == 198
    loreal = {g.value: (g.count, g.sums["quantity"]) for g in by_customer["欧莱雅"].groups}
    assert loreal == {"主板": (1, 2), "电源模块": (2, 4)}
    assert [g.value for g in result.groups] == ["华为", "欧莱雅"]  # hua before ou


def test_each_reader_sees_only_the_orders_the_case_policy_shows(ctx, orders):
    assert _cases(_search(ctx, "orders", actor="customer1")) == {orders["loreal"], orders["second"]}
    assert _cases(_search(ctx, "orders", actor="customer2")) == {orders["huawei"]}
    assert _search(ctx, "requisitions", actor="customer1").total == 3
    assert _cases(_search(ctx, "orders", actor="auditor1")) == set(orders.values())
    assert _search(ctx, "orders", actor="engineer2").total == 0  # engineer1 did the work


def test_a_bad_query_names_the_condition_and_an_unknown_list_is_not_found(ctx, orders):
    with pytest.raises(ValidationFailed) as refused:
        _search(ctx, "orders", where="nosuchcolumn = 1")
    assert "nosuchcolumn" in str(refused.value.field_errors("zh"))
    with pytest.raises(ValidationFailed) as not_a_number:
        _search(ctx, "orders", where="fee_total > lots")
    assert "lots" in str(not_a_number.value.field_errors("en"))
    with pytest.raises(ValidationFailed):
        _search(ctx, "orders", limit="500")
    with pytest.raises(NotFound):
        lists.definition("../etc")


# --- over HTTP ----------------------------------------------------------------------------------------------


def test_the_page_shows_200_of_201_and_the_html_export_reads_back(client, ctx, orders):
    sign_in(client, "service_desk2")
    page = client.get("/after-sales/lists/requisitions")
    assert page.status_code == 200
    tree = lxml_html.fromstring(page.text)
    count = " ".join(tree.xpath('//*[@data-testid="list-count"]')[0].text_content().split())
    assert "200" in count and "201" in count, count
    assert len(tree.xpath('//tr[@data-testid="list-row"]')) == 200
    exported = client.get("/after-sales/lists/requisitions/export.html?where=customer+%3D+欧莱雅"
                          "&group=material_name&sort=material_name")
    assert exported.status_code == 200 and exported.mimetype == "text/html"
    assert "attachment" in exported.headers["Content-Disposition"]
    assert "%E6%9D%90%E6%96%99%E9%A2%86%E7%94%A8" in exported.headers["Content-Disposition"]  # 材料领用
    standalone = lxml_html.fromstring(exported.data.decode("utf-8"))
    assert not standalone.xpath("//script[@src] | //link[@rel='stylesheet']")  # opens from a mail attachment
    cells = [" ".join(td.text_content().split()) for td in standalone.xpath("//tbody/tr/td[1]")]
    headings = [c for c in cells if c.startswith("物料名称：")]
    assert headings == ["物料名称：电源模块（2 条）", "物料名称：主板（1 条）"]  # groups in pinyin order
    assert "欧莱雅" in exported.data.decode("utf-8") and "华为" not in exported.data.decode("utf-8")


def test_the_xlsx_export_has_the_headers_rows_and_outlined_groups(client, ctx, orders):
    sign_in(client, "service_desk2")
    exported = client.get("/after-sales/lists/requisitions/export.xlsx?group=customer"
                          "&col=customer&col=material_name&col=quantity&sort=material_name")
    assert exported.status_code == 200
    assert exported.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(exported.data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["客户", "物料名称", "数量"]
    headings = [r[0] for r in values if str(r[0]).startswith("客户：")]
    assert headings == ["客户：华为（198 条）", "客户：欧莱雅（3 条）"]
    data_rows = [r for r in values[1:] if r[1] in ("主板", "电源模块", "螺丝")]
    assert len(data_rows) == 200  # the rows shown: the export is the result, at most 200
    assert sheet.row_dimensions[3].outline_level == 1  # a data row folds under its customer


def test_a_customer_exports_only_their_own_orders_and_a_bad_query_is_a_400(client, ctx, orders):
    sign_in(client, "customer2")
    mine = client.get("/api/v1/after-sales/lists/orders")
    assert mine.status_code == 200
    assert {r["case_id"] for r in mine.get_json()["rows"]} == {orders["huawei"]}
    exported = client.get("/after-sales/lists/orders/export.xlsx")
    texts = {str(c.value) for row in load_workbook(io.BytesIO(exported.data)).active.iter_rows() for c in row}
    assert "华为" in texts and "欧莱雅" not in texts
    refused = client.get("/after-sales/lists/orders?field=nosuch&op=%3D&value=1")
    assert refused.status_code == 400 and "nosuch" in refused.text
    bad = client.get("/api/v1/after-sales/lists/orders?where=customer+%3D%3D%3D+%01%02")
    assert bad.status_code == 400 and bad.is_json
    assert client.get("/api/v1/after-sales/lists/nosuch").status_code == 404
