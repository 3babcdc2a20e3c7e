"""The service desk's dispatch orders: opened from a contract found by a wildcard, with every start variable
of the order set from the master data; only the desk opens them; a bad field is named; the
printable service report carries the order in Chinese; the dashboard counts open orders by region and task
type, and the 24 h / 48 h deadlines missed once the frozen clock moves on."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from pypdf import PdfReader

from service.operations import after_sales_dashboard, after_sales_master, dispatch_orders, queries
from service.operations.errors import Forbidden, ValidationFailed
from service.persistence.models import ProcessInstance
from tests.integration.test_web_pages import csrf_of, sign_in

START_VARIABLES = ("contract_id", "contract_no", "project", "customer", "address", "contact", "region_id",
                   "region_path", "task_type", "task_type_name", "serial_no", "product_model", "product_name",
                   "part_kind", "first_use_on", "ex_factory_on", "warranty_extension_years", "warranty_claimed",
                   "fault_kind", "request_description", "requested_at")


def case_data(ctx, case_id: int) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    with ctx.db.reading() as session:
        return dict(session.get(ProcessInstance, case_id).data)


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _region(ctx, path: str) -> dict[str, Any]:
    """The region of that path, made (with its parents) when the database has none yet."""
    parent = None
    for depth, name in enumerate(path.split("/")):
        wanted = "/".join(path.split("/")[:depth + 1])
        found = next((r for r in after_sales_master.region_list(ctx) if r["path"] == wanted), None)
        if found is None:
            found = after_sales_master.create_region(ctx, name=name, parent_id=parent, actor="service_desk1")
        parent = found["id"]
    return next(r for r in after_sales_master.region_list(ctx) if r["path"] == path)


@pytest.fixture
def master(ctx) -> dict[str, Any]:
    """Two contracts of two customers (test numbers: the demo's own contracts may be there too), two regions."""
    shanghai, shenzhen = _region(ctx, "华东区/上海"), _region(ctx, "华南区/深圳")
    loreal = after_sales_master.create_contract(ctx, {
        "contract_no": "HT-T-0101", "project": "上海工厂产线改造", "customer": "欧莱雅",
        "address": "上海市浦东新区金桥路 88 号",
        "contact": "王经理 13800000001", "warranty_extension_years": 1, "products": [
            {"serial_no": "2BY.5084.7741.1", "model": "BY-5084", "name": "灌装控制柜", "kind": "whole_unit",
             "first_use_on": "2026-03-01", "ex_factory_on": "2026-01-15"},
            {"serial_no": "PJ-7741-09", "model": "PJ-09", "name": "触摸屏", "kind": "accessory",
             "ex_factory_on": "2026-01-15"}]}, actor="service_desk1")
    huawei = after_sales_master.create_contract(ctx, {
        "contract_no": "HT-T-0202", "project": "深圳数据中心", "customer": "华为", "address": "深圳市龙岗区坂田",
        "contact": "李工", "products": [{"serial_no": "3CX.1200.0001.2", "model": "CX-1200", "name": "精密空调",
                                         "kind": "whole_unit", "ex_factory_on": "2025-06-01"}]},
        actor="service_desk1")
    return {"shanghai": shanghai, "shenzhen": shenzhen, "loreal": loreal, "huawei": huawei}


def order_form(master: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {"contract_id": master["loreal"]["id"], "serial_no": "2BY.5084.7741.1",
            "region_id": master["shanghai"]["id"], "task_type": "repair", "warranty_claimed": "yes",
            "fault_kind": "hardware", "request_description": "灌装控制柜无法启动，报警灯常亮", **changes}


# --- the start variables ---------------------------------------------------------------------------


def test_a_contract_found_by_a_wildcard_gives_every_start_variable(ctx, master):
    found = dispatch_orders.find_contracts(ctx, "service_desk2", "2by*7741*")
    assert [c["contract_no"] for c in found] == ["HT-T-0101"]
    by_address = [c["contract_no"] for c in dispatch_orders.find_contracts(ctx, "service_desk2", "*坂田*")]
    assert "HT-T-0202" in by_address and "HT-T-0101" not in by_address
    everything = {c["contract_no"] for c in dispatch_orders.find_contracts(ctx, "service_desk2", "")}
    assert {"HT-T-0101", "HT-T-0202"} <= everything
    values = dispatch_orders.start_variables(ctx, order_form(master, contract_id=str(found[0]["id"])))
    assert set(START_VARIABLES) <= set(values)
    assert values == {**values, "contract_id": master["loreal"]["id"], "contract_no": "HT-T-0101",
                      "project": "上海工厂产线改造", "customer": "欧莱雅", "address": "上海市浦东新区金桥路 88 号",
                      "contact": "王经理 13800000001", "region_id": master["shanghai"]["id"],
                      "region_path": "华东区/上海", "task_type": "repair", "task_type_name": "故障维修",
                      "serial_no": "2BY.5084.7741.1", "product_model": "BY-5084", "product_name": "灌装控制柜",
                      "part_kind": "whole_unit", "first_use_on": "2026-03-01", "ex_factory_on": "2026-01-15",
                      "warranty_extension_years": 1, "warranty_claimed": True, "fault_kind": "hardware",
                      "request_description": "灌装控制柜无法启动，报警灯常亮",
                      "requested_at": "2026-09-30T11:00:00+08:00"}
    accessory = dispatch_orders.start_variables(ctx, order_form(master, serial_no="PJ-7741-09", warranty_claimed="no"))
    assert accessory["part_kind"] == "accessory" and accessory["first_use_on"] is None
    assert accessory["warranty_claimed"] is False


def test_each_bad_field_is_named(ctx, master):
    with pytest.raises(ValidationFailed) as refused:
        dispatch_orders.start_variables(ctx, {"contract_id": master["loreal"]["id"], "serial_no": "3CX.1200.0001.2",
                                              "region_id": "999999", "task_type": "poster", "fault_kind": "fire",
                                              "request_description": "  "})
    errors = refused.value.field_errors("en")
    assert set(errors) == {"serial_no", "region_id", "task_type", "warranty_claimed", "fault_kind",
                           "request_description"}
    assert "3CX.1200.0001.2" in errors["serial_no"] and "HT-T-0101" in errors["serial_no"]
    assert "poster" in errors["task_type"]
    with pytest.raises(ValidationFailed) as refused:
        dispatch_orders.start_variables(ctx, order_form(master, contract_id="", serial_no=""))
    assert set(refused.value.field_errors()) == {"contract_id", "serial_no"}


def test_only_the_desk_may_open_orders_as_the_diagrams_start_lane_says(ctx, master):
    dispatch_orders.check_may_create(ctx, "service_desk2")
    for who in ("engineer1", "customer1", "sales1", "admin1"):
        with pytest.raises(Forbidden):
            dispatch_orders.create_order(ctx, order_form(master), actor=who)


def test_the_pages_refuse_engineers_and_customers_with_403(client, ctx, master):
    for who in ("engineer1", "customer1"):
        sign_in(client, who)
        assert client.get("/after-sales/orders/new").status_code == 403
        assert client.get("/after-sales/orders/new?q=2by*").status_code == 403
        token = csrf_of(client)
        assert client.post("/after-sales/orders/new", data={**order_form(master), "csrf_token": token}
                           ).status_code == 403
        assert client.get("/after-sales/dashboard").status_code == 403
        assert client.get("/after-sales/dashboard/orders?show=open").status_code == 403
        assert "nav-as-new-order" not in client.get("/").text
        client.get("/logout")


def test_the_desk_finds_the_contract_and_the_form_names_a_bad_field(client, ctx, master):
    sign_in(client, "service_desk2")
    home = client.get("/", follow_redirects=True).text
    assert "nav-as-new-order" in home and "nav-as-dashboard" in home
    found = client.get("/after-sales/orders/new?q=2BY*7741*")
    assert found.status_code == 200 and "HT-T-0101" in found.text and "HT-T-0202" not in found.text
    picked = client.get(f"/after-sales/orders/new?q=2BY*7741*&contract_id={master['loreal']['id']}")
    assert picked.status_code == 200 and 'data-testid="order-form"' in picked.text
    assert "华东区/上海" in picked.text and "2BY.5084.7741.1" in picked.text and "故障维修" in picked.text
    token = csrf_of(client)
    refused = client.post("/after-sales/orders/new", data={**order_form(master, task_type="", fault_kind=""),
                                                           "csrf_token": token})
    assert refused.status_code == 400
    assert re.search(r'data-testid="error-task_type">任务类型：', refused.text)
    assert re.search(r'data-testid="error-fault_kind">故障类别：', refused.text)
    assert "灌装控制柜无法启动" in refused.text  # what was typed is kept
    english = client.get(f"/after-sales/orders/new?q=&contract_id={master['loreal']['id']}&lang=en")
    assert "Sales region" in english.text and ">Repair<" in english.text and "HT-T-0202" in english.text


# --- orders as cases -------------------------------------------------------------------------------


def test_the_desk_creates_the_order_as_a_case_with_every_start_variable(client, ctx, master):
    sign_in(client, "service_desk2")
    token = csrf_of(client)
    created = client.post("/after-sales/orders/new", data={**order_form(master), "q": "2by*7741*",
                                                           "csrf_token": token})
    assert created.status_code == 302
    case_id = int(created.location.rsplit("/", 1)[1])
    case = queries.show_case(ctx, case_id, actor="service_desk2")
    assert case["process_id"] == "after_sales_service" and case["started_by"] == "service_desk2"
    expected = dispatch_orders.start_variables(ctx, order_form(master))
    data = case_data(ctx, case_id)  # every variable, the internal ones too
    for key in START_VARIABLES:
        assert data[key] == expected[key], key
    assert data["order_no"] and data["status"] == "new"
    assert data["on_site_due"] and data["fix_due"]
    page = client.get(created.location)
    assert page.status_code == 200 and "2BY.5084.7741.1" in page.text


def _orders(ctx, master) -> list[int]:  # type: ignore[no-untyped-def]
    """Three orders: two of 欧莱雅 in 上海 (a hardware repair, a maintenance), one of 华为 in 深圳."""
    return [dispatch_orders.create_order(ctx, form, actor="service_desk2") for form in (
        order_form(master),
        order_form(master, serial_no="PJ-7741-09", task_type="maintenance", fault_kind="other",
                   warranty_claimed="no", request_description="季度维护"),
        order_form(master, contract_id=master["huawei"]["id"], serial_no="3CX.1200.0001.2",
                   region_id=master["shenzhen"]["id"], task_type="installation", fault_kind="software",
                   request_description="安装调试精密空调监控软件"))]


def _count(rows: list[dict[str, Any]], key: str) -> int:
    return next((row["count"] for row in rows if row["key"] == key), 0)


def test_the_dashboard_counts_by_region_and_type_and_the_missed_deadlines_as_the_clock_moves(ctx, clock, master):
    loreal, maintenance, huawei = _orders(ctx, master)
    figures = after_sales_dashboard.summary(ctx, "service_desk1")
    assert figures["open"] == 3
    assert _count(figures["by_region"], "华东区/上海") == 2 and _count(figures["by_region"], "华南区/深圳") == 1
    assert figures["by_region"][0]["share"] == 100 and figures["by_region"][1]["share"] == 50
    assert [_count(figures["by_type"], t) for t in ("repair", "maintenance", "installation")] == [1, 1, 1]
    assert figures["overdue_24h"] == 0 and figures["overdue_48h"] == 0
    assert [r["case_id"] for r in after_sales_dashboard.orders(ctx, "management1", "region", "华南区/深圳")] == [huawei]
    assert {r["case_id"] for r in after_sales_dashboard.orders(ctx, "auditor1", "region", "华东区/上海")} == {
        loreal, maintenance}
    assert [r["case_id"] for r in after_sales_dashboard.orders(ctx, "admin1", "type", "installation")] == [huawei]

    clock.advance(hours=24, minutes=1)  # nobody on site 24 h after the request
    figures = after_sales_dashboard.summary(ctx, "service_desk1")
    assert figures["overdue_24h"] == 3 and figures["overdue_48h"] == 0
    clock.advance(hours=24)  # the hardware fault not fixed within 48 h
    figures = after_sales_dashboard.summary(ctx, "service_desk1")
    assert figures["overdue_48h"] == 1
    late = after_sales_dashboard.orders(ctx, "service_desk1", "overdue_48h")
    assert [r["case_id"] for r in late] == [loreal] and late[0]["overdue_48h"] and late[0]["overdue_24h"]


def test_each_number_of_the_dashboard_page_links_to_its_orders(client, ctx, clock, master):
    loreal, _maintenance, huawei = _orders(ctx, master)
    clock.advance(hours=49)
    sign_in(client, "management1")
    page = client.get("/after-sales/dashboard")
    assert page.status_code == 200
    assert re.search(r'data-testid="tile-open"><span class="n">3<', page.text)
    assert re.search(r'data-testid="tile-overdue_24h"><span class="n">3<', page.text)
    assert re.search(r'data-testid="tile-overdue_48h"><span class="n">1<', page.text)
    link = re.search(r'href="([^"]+)" data-testid="by-region-华南区/深圳">1<', page.text)
    assert link, "the region's number links to its orders"
    listed = client.get(link.group(1).replace("&amp;", "&"))
    assert listed.status_code == 200 and f'data-testid="order-{huawei}"' in listed.text
    assert f'data-testid="order-{loreal}"' not in listed.text
    late = client.get("/after-sales/dashboard/orders?show=overdue_48h")
    assert f'data-testid="order-{loreal}"' in late.text and "已超期" in late.text
    english = client.get("/after-sales/dashboard?lang=en")
    assert "Not on site within 24 h" in english.text and "Installation and commissioning" in english.text


# --- the dashboard ---------------------------------------------------------------------------------


def test_the_dashboard_is_for_the_desk_management_auditors_and_admins(ctx):
    for who in ("service_desk1", "management1", "auditor1", "admin1"):
        assert after_sales_dashboard.summary(ctx, who)["open"] >= 0
    for who in ("engineer1", "customer1", "sales1", "process_owner1"):
        with pytest.raises(Forbidden):
            after_sales_dashboard.summary(ctx, who)


def test_an_unknown_dashboard_figure_is_not_found(client, ctx):
    sign_in(client, "management1")
    assert client.get("/after-sales/dashboard").status_code == 200
    assert client.get("/after-sales/dashboard/orders?show=poster").status_code == 404




# --- the service report ----------------------------------------------------------------------------

FILLED = {
    "order_no": "PG202609-0007", "contract_no": "HT-T-0101", "project": "上海工厂产线改造", "customer": "欧莱雅",
    "address": "上海市浦东新区金桥路 88 号", "contact": "王经理", "region_path": "华东区/上海",
    "task_type": "repair", "task_type_name": "故障维修", "serial_no": "2BY.5084.7741.1", "product_model": "BY-5084",
    "product_name": "灌装控制柜", "part_kind": "whole_unit", "fault_kind": "hardware",
    "request_description": "无法启动", "requested_at": "2026-09-30T11:00:00+08:00", "engineer": "engineer1",
    "diagnosis": "主控板电容击穿", "warranty_decision": "covered",
    "warranty_rule": "整机：首次使用起一年内，制造缺陷（规则 1）", "service_content": "更换主控板并试运行",
    "materials": [{"material_no": "M-100", "name": "主控板", "quantity": 2, "movement": "requisition"},
                  {"material_no": "M-100", "name": "主控板", "quantity": 1, "movement": "return"}],
    "owed_parts": [{"material_no": "M-200", "name": "散热风扇", "quantity": 1, "status": "owed", "due": "2026-10-09"}],
    "fees": [{"code": "onsite", "name": "上门费", "quantity": 1, "amount": 0}], "fee_total": 0, "fee_free": True,
}


def test_the_report_says_the_order_in_chinese_with_the_balance_owed_parts_and_total(ctx):
    from service.adapters.service_report_pdf import service_report_pdf
    from service.operations import service_report
    from service.web.pdf_download import labeller

    order = ProcessInstance(id=7, process_id="after_sales_service", business_key="", customer="欧莱雅", data=FILLED)
    with ctx.db.reading() as session:
        report = service_report.build(ctx, session, order, labeller("zh"))
    assert report.materials.rows == [["M-100", "主控板", "2", "1", "1"]]  # requisition 2, return 1: balance 1
    text = pdf_text(service_report_pdf(report, labeller("zh")))
    for expected in ("售后服务报告单", "PG202609-0007", "HT-T-0101", "欧莱雅", "灌装控制柜", "2BY.5084.7741.1",
                     "主控板电容击穿", "三包（免费）", "规则 1", "更换主控板并试运行", "结存", "散热风扇", "欠件中",
                     "上门费", "合计（元）", "0.00", "顾客签字", "服务工程师签字", "工程师1"):
        assert expected in text, expected
    paid = {**FILLED, "warranty_decision": "paid", "fee_free": False, "fee_total": 380,
            "fees": [{"name": "上门费", "quantity": 1, "amount": 200},
                     {"name": "工时费", "quantity": 2, "amount": 180}]}
    with ctx.db.reading() as session:
        report = service_report.build(ctx, session, ProcessInstance(id=8, business_key="", data=paid), labeller("en"))
    text = pdf_text(service_report_pdf(report, labeller("en")))
    assert "After-sales service report" in text and "Paid service" in text and "380.00" in text
    assert "工时费" in text  # what people typed is printed as typed


def _to_signoff(ctx, master) -> int:  # type: ignore[no-untyped-def]
    """An order of 欧莱雅 worked to the customer's signature: requisition 2 / return 1, one part owed."""
    from tests.processes import as_walk

    case_id = dispatch_orders.create_order(ctx, order_form(master), actor="service_desk2")
    as_walk.advance_to(ctx, case_id, "customer_signoff", {"service_work": {
        "material_lines": [{"material_no": "M-100", "name": "电源模块", "quantity": 2, "movement": "requisition"},
                           {"material_no": "M-100", "name": "电源模块", "quantity": 1, "movement": "return"}],
        "owed_part_lines": [{"material_no": "R-7", "name": "遥控器", "quantity": 1, "due": "2026-10-09"}]}})
    return case_id


def test_the_customer_prints_the_report_from_the_case_page_with_the_chinese_font(client, ctx, master):
    from tests.integration.test_printables import embedded_fonts

    case_id = _to_signoff(ctx, master)
    sign_in(client, "customer1")
    page = client.get(f"/cases/{case_id}")
    assert 'data-testid="case-printable-service_report"' in page.text  # the case page offers it
    response = client.get(f"/cases/{case_id}/printables/service_report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "filename*=UTF-8''%E5%94%AE%E5%90%8E%E6%9C%8D%E5%8A%A1%E6%8A%A5%E5%91%8A%E5%8D%95" in response.headers[
        "Content-Disposition"]  # 售后服务报告单-<case>.pdf
    text = pdf_text(response.data)
    data = case_data(ctx, case_id)
    for expected in ("售后服务报告单", data["order_no"], "HT-T-0101", "欧莱雅", "灌装控制柜", "2BY.5084.7741.1",
                     "主板电源模块损坏", "三包（免费）", data["warranty_rule"][:6], "更换电源模块", "电源模块",
                     "遥控器", "欠件中", "合计（元）", "顾客签字", "服务工程师签字"):
        assert expected in text, expected
    assert any("WenQuanYiMicroHei" in name for name in embedded_fonts(response.data))
    printed = client.get(f"/cases/{case_id}/printables/service_report.html")
    assert printed.status_code == 200 and "遥控器" in printed.text and data["order_no"] in printed.text
    client.get("/logout")
    sign_in(client, "customer2")  # the other company
    assert client.get(f"/cases/{case_id}/printables/service_report.pdf").status_code in (403, 404)
    assert client.get(f"/cases/{case_id}/printables/service_report.html").status_code in (403, 404)


def test_parts_owed_and_visits_due_on_the_dashboard(ctx, master):
    from tests.processes import as_walk

    case_id = _to_signoff(ctx, master)
    figures = after_sales_dashboard.summary(ctx, "service_desk1")
    assert figures["parts_owed"]["orders"] == 1 and figures["parts_owed"]["lines"] == 1
    assert figures["parts_owed"]["oldest"]["case_id"] == case_id and figures["parts_owed"]["oldest"]["name"] == "遥控器"
    assert figures["visits_due"] == 0
    as_walk.do(ctx, case_id, "customer_signoff")
    assert after_sales_dashboard.summary(ctx, "service_desk1")["visits_due"] == 1
    assert [r["case_id"] for r in after_sales_dashboard.orders(ctx, "service_desk1", "visits_due")] == [case_id]
    as_walk.do(ctx, case_id, "return_visit")
    as_walk.do(ctx, case_id, "deliver_owed_part")
    figures = after_sales_dashboard.summary(ctx, "service_desk1")
    assert figures["visits_due"] == 0 and figures["parts_owed"]["orders"] == 0 and figures["open"] == 0
