"""The contract numbering page: the process owner changes a prefix and sees the next number; a bad
prefix is named beside its row and changes nothing; sales read it; customers get 403; English too."""

from __future__ import annotations

from lxml import html

from tests.integration.test_web_pages import csrf_of, sign_in


def _next_numbers(text: str) -> dict[str, str]:
    tree = html.fromstring(text)
    return {row.get("data-type"): row.xpath("string(.//code[starts-with(@data-testid, 'next-')])")
            for row in tree.xpath("//table[@data-testid='numbering-schemes']//tr[@data-type]")}


def test_the_process_owner_changes_a_prefix_and_a_bad_one_is_refused_beside_its_row(client):  # type: ignore[no-untyped-def]
    sign_in(client, "process_owner1")
    shown = client.get("/contracts/numbering")
    assert shown.status_code == 200 and "合同编号" in shown.text
    assert _next_numbers(shown.text)["sales_consulting"] == "XS-2026-0001"
    token = csrf_of(client)
    refused = client.post("/contracts/numbering/brand_operation", data={"csrf_token": token, "prefix": "品牌",
                                                                        "digits": "4"})
    assert refused.status_code == 400
    row = html.fromstring(refused.text).xpath("//tr[@data-type='brand_operation']")[0]
    assert "前缀「品牌」不可用" in row.text_content()
    assert _next_numbers(refused.text)["brand_operation"] == "PP-2026-0001"  # nothing changed
    saved = client.post("/contracts/numbering/brand_operation", data={"csrf_token": token, "prefix": "bo",
                                                                      "digits": "5"}, follow_redirects=True)
    assert saved.status_code == 200 and "已保存" in saved.text
    assert _next_numbers(saved.text)["brand_operation"] == "BO-2026-00001"
    english = client.get("/contracts/numbering?lang=en")
    assert "Contract numbering" in english.text and "Brand operation contract" in english.text


def test_sales_read_the_numbering_without_forms_and_customers_are_refused(client):  # type: ignore[no-untyped-def]
    sign_in(client, "sales1")
    shown = client.get("/contracts/numbering")
    assert shown.status_code == 200
    assert not html.fromstring(shown.text).xpath("//form[starts-with(@data-testid, 'scheme-')]")
    refused = client.post("/contracts/numbering/sales_consulting", data={"csrf_token": csrf_of(client),
                                                                         "prefix": "AB", "digits": "4"})
    assert refused.status_code == 403
    client.post("/logout", data={"csrf_token": csrf_of(client)})
    sign_in(client, "customer1")
    assert client.get("/contracts/numbering").status_code == 403
