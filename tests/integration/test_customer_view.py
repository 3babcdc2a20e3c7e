"""One customer across the procedures: 欧莱雅's technical-support request and dispatch order on one page —
cases by start, open tasks with deadlines, one timeline newest first, documents — while 华为's stay
apart; a customer's contact sees only their own company (another company's page is the same 404 as a
customer that does not exist), an uninvolved engineer sees nothing, and the page reads in English."""

from __future__ import annotations

import pytest

from service.operations import customer_view
from service.operations.errors import NotFound
from tests.integration.test_web_pages import sign_in
from tests.processes import as_walk
from tests.processes.walk import at
from tests.support.walk import start_case, walk_to_sales_confirmation


@pytest.fixture
def cases(ctx, clock):  # type: ignore[no-untyped-def]
    support = start_case(ctx)  # 欧莱雅 / CITRIX安装, by sales1
    walk_to_sales_confirmation(ctx, support)
    clock.set(at("2026-10-09T10:00"))
    order = as_walk.start(ctx)  # 欧莱雅's dispatch order, by the desk
    as_walk.advance_to(ctx, order, "arrive_on_site")
    huawei = start_case(ctx, customer="华为", project="网络改造")
    return {"support": support, "order": order, "huawei": huawei}


def test_one_page_shows_the_customers_cases_of_every_procedure_in_order(ctx, cases):
    found = customer_view.customer_page(ctx, "auditor1", "欧莱雅")
    assert [c["id"] for c in found["cases"]] == [cases["support"], cases["order"]]
    assert {c["process_id"] for c in found["cases"]} == {"technical_support", "after_sales_service"}
    assert {t["case"]["id"] for t in found["open_tasks"]} == {cases["support"], cases["order"]}
    moments = [e["at"] for e in found["events"]]
    assert moments == sorted(moments, reverse=True)
    assert {e["case"]["id"] for e in found["events"]} == {cases["support"], cases["order"]}
    assert found["documents"], "the support case's uploaded plan and sheet are listed"
    listed = {c["name"]: c for c in customer_view.customer_list(ctx, "auditor1")}
    assert list(listed) == ["华为", "欧莱雅"]  # by pinyin: hua before ou
    assert listed["欧莱雅"]["cases"] == 2 and listed["欧莱雅"]["open_tasks"] == 2


def test_a_contact_sees_only_their_company_and_others_see_only_their_cases(ctx, cases):
    own = customer_view.customer_page(ctx, "customer1", "欧莱雅")  # signed the support case's service sheet
    assert [c["id"] for c in own["cases"]] == [cases["support"]]  # the order has not reached them yet
    with pytest.raises(NotFound) as other:
        customer_view.customer_page(ctx, "customer1", "华为")
    with pytest.raises(NotFound) as nobody:
        customer_view.customer_page(ctx, "customer1", "没有这家公司")
    assert other.value.render("zh").replace("华为", "X") == nobody.value.render("zh").replace("没有这家公司", "X")
    assert [c["name"] for c in customer_view.customer_list(ctx, "customer1")] == ["欧莱雅"]
    assert customer_view.customer_list(ctx, "customer2") == []  # 华为's contact has had no task yet
    assert customer_view.customer_list(ctx, "engineer3") == []  # never worked on any of them
    engineer = customer_view.customer_page(ctx, "engineer1", "欧莱雅")  # worked on both
    assert [c["id"] for c in engineer["cases"]] == [cases["support"], cases["order"]]


def test_the_pages_in_both_languages_and_a_contact_goes_straight_to_their_company(client, ctx, cases):
    sign_in(client, "auditor1")
    listed = client.get("/customers")
    assert listed.status_code == 200 and listed.text.index("华为") < listed.text.index("欧莱雅")
    page = client.get("/customers/欧莱雅")
    assert page.status_code == 200 and 'data-testid="customer-timeline"' in page.text
    assert "技术支持" in page.text and "售后服务派工" in page.text
    english = client.get("/customers/欧莱雅?lang=en")
    assert "Timeline (every process, newest first)" in english.text and "Open tasks and deadlines" in english.text
    client.get("/logout")
    sign_in(client, "customer1")
    own = client.get("/customers")
    assert own.status_code == 302 and own.headers["Location"].endswith("/customers/%E6%AC%A7%E8%8E%B1%E9%9B%85")
    assert client.get("/customers/华为").status_code == 404
    assert client.get("/customers/%00%01").status_code in (400, 404)


def test_the_customers_contract_joins_their_page_but_their_contact_never_sees_it(ctx, cases):  # type: ignore[no-untyped-def]
    from tests.processes import ca_walk

    contract = ca_walk.start(ctx)  # 欧莱雅's sales contract, by sales1
    ca_walk.approve_all(ctx, contract)
    found = customer_view.customer_page(ctx, "auditor1", "欧莱雅")
    assert [c["id"] for c in found["cases"]][-1] == contract
    assert next(c for c in found["cases"] if c["id"] == contract)["process_id"] == "contract_approval"
    assert contract in [c["id"] for c in customer_view.customer_page(ctx, "sales1", "欧莱雅")["cases"]]
    assert contract not in [c["id"] for c in customer_view.customer_page(ctx, "customer1", "欧莱雅")["cases"]]
