"""Relative recipients with the demo organisation's shape, and the pure rules of the organisation:
a line of superiors, cycles, people who left, department paths and role lists in a workbook."""

from __future__ import annotations

from dataclasses import replace

import pytest

from service.domain.organisation import CaseParties, Organisation, Person
from service.operations.demo_org import DEMO_DEPARTMENTS, DEMO_PEOPLE, DEMO_PLACES
from service.operations.org_rows import parse_roles, split_path
from service.operations.organisation import department_name_problem, mobile_problem, superior_cycle


def _demo_people() -> list[Person]:
    return [Person(p.username, p.display_name, f"{p.username}@example.cn", frozenset(p.roles),
                   DEMO_PLACES.get(p.username, (None, None))[0], DEMO_PLACES.get(p.username, (None, None))[1],
                   p.company) for p in DEMO_PEOPLE]


def _organisation(people: list[Person] | None = None) -> Organisation:
    return Organisation(people or _demo_people(), dict(DEMO_DEPARTMENTS))


def _names(org: Organisation, spec: str, starter: str, **case: object) -> list[str]:
    return [p.username for p in org.resolve(spec, CaseParties(started_by=starter, **case))]  # type: ignore[arg-type]


def test_sales3_reaches_the_own_group_leader_and_both_sales_directors():
    org = _organisation()
    assert _names(org, "starter", "sales3") == ["sales3"]
    assert _names(org, "starter_group_leader", "sales3") == ["sales_lead2"]
    assert _names(org, "starter_regional_director", "sales3") == ["sales_director1"]
    assert _names(org, "company_sales_director", "sales3") == ["sales_director2"]
    assert _names(org, "superior_of:starter", "sales3") == ["sales_lead2"]


def test_the_other_sales_group_has_its_own_leader_and_the_same_directors():
    org = _organisation()
    assert _names(org, "starter_group_leader", "sales1") == ["sales_lead1"]
    assert _names(org, "starter_regional_director", "sales2") == ["sales_director1"]
    assert _names(org, "company_sales_director", "sales2") == ["sales_director2"]
    people, named = org.resolve_all(["starter_group_leader", "starter_regional_director", "company_sales_director"],
                                    CaseParties(started_by="sales4"))
    assert [p.username for p in people] == ["sales_lead2", "sales_director1", "sales_director2"]
    assert named["starter_group_leader"] == ["sales_lead2"]


def test_engineers_report_to_the_first_technical_director():
    org = _organisation()
    assert _names(org, "superior_of:role:engineer", "sales1") == ["tech_director1"]
    assert [p.username for p in org.superiors("engineer3")] == ["tech_director1"]
    assert [p.username for p in org.superiors("service_desk2")] == ["service_desk1"]


def test_the_case_customer_is_the_contact_of_that_company_only():
    org = _organisation()
    assert _names(org, "case_customer", "sales3", customer="华为") == ["customer2"]
    assert _names(org, "case_customer", "sales1", customer="欧莱雅") == ["customer1"]


def test_a_cycle_of_superiors_ends_the_line_instead_of_looping():
    people = [replace(p, superior="sales3") if p.username == "sales_director2" else p for p in _demo_people()]
    org = _organisation(people)
    line = [p.username for p in org.superiors("sales3")]
    assert line == ["sales_lead2", "sales_director1", "sales_director2"]  # and not sales3 again, nor forever
    assert _names(org, "starter_group_leader", "sales3") == ["sales_lead2"]


def test_people_who_left_are_skipped_and_the_line_goes_on_above_them():
    people = [replace(p, active=False) if p.username == "sales_lead2" else p for p in _demo_people()]
    org = _organisation(people)
    assert _names(org, "starter_group_leader", "sales3") == []  # no other group leader above
    assert _names(org, "starter_regional_director", "sales3") == ["sales_director1"]
    assert _names(org, "superior_of:starter", "sales3") == []  # the direct superior left
    assert "sales_lead2" not in _names(org, "role:sales_lead", "sales3")


def test_superior_cycle_names_the_loop_a_new_superior_would_close():
    superiors = {p: DEMO_PLACES[p][1] for p in DEMO_PLACES}
    assert superior_cycle(superiors, "sales_director2", "sales3") == [
        "sales_director2", "sales3", "sales_lead2", "sales_director1", "sales_director2"]
    assert superior_cycle(superiors, "sales1", "sales1") == ["sales1", "sales1"]
    assert superior_cycle(superiors, "sales1", "sales_lead2") is None
    looped = {**superiors, "a": "b", "b": "a"}  # a loop elsewhere does not hang the check
    assert superior_cycle(looped, "sales1", "a") is None


@pytest.mark.parametrize("text", ["华东区 › 销售一组", "华东区/销售一组", "华东区 > 销售一组", " 华东区›销售一组 "])
def test_a_department_path_may_use_any_separator(text):
    assert split_path(text) == (["华东区", "销售一组"], None)


@pytest.mark.parametrize("text", ["华东区 ›  › 销售一组", "/华东区", "a/" * 11 + "b", "华东区 › " + "长" * 65,
                                  "华东区 › 销售\x07组"])
def test_a_broken_department_path_says_why(text):
    assert split_path(text)[1]


def test_department_names_and_mobiles():
    assert department_name_problem("售后服务部") is None
    assert department_name_problem("") and department_name_problem("a/b") and department_name_problem("x" * 65)
    assert mobile_problem("+86 138-0013-8000") is None
    assert mobile_problem("call me") and mobile_problem("138\n0013")


def test_roles_are_ids_or_their_chinese_names_and_unknown_ones_are_named():
    assert parse_roles("sales, admin") == (["admin", "sales"], [])
    assert parse_roles("销售，技术总监、engineer") == (["engineer", "sales", "tech_director"], [])
    assert parse_roles("sales, boss") == (["sales"], ["boss"])
    assert parse_roles("") == ([], [])
