"""A process's dashboard: how many running cases wait at each element of a version, the overdue tasks per
role and per person as the clock moves, the median time of each step; read by the read-all roles only."""

from __future__ import annotations

import json

import pytest
from lxml import html as lxml_html

from service.operations import process_dashboard
from service.operations.errors import Forbidden, NotFound
from tests.integration.test_web_pages import sign_in
from tests.processes import walk as paths
from tests.processes.walk import at
from tests.support.walk import start_case


@pytest.fixture
def three_cases(ctx, clock):  # type: ignore[no-untyped-def]
    waiting = [start_case(ctx), start_case(ctx, customer="华为", project="网络改造")]
    clock.set(at("2026-09-30T13:00"))  # the director confirmed two hours after the application
    further = start_case(ctx, project="VDI扩容")
    clock.set(at("2026-09-30T15:00"))
    paths.advance_to(ctx, further, "engineer_assessment")
    return waiting, further


def test_the_cases_waiting_at_each_element_and_each_steps_median(ctx, clock, three_cases):
    board = process_dashboard.dashboard(ctx, "process_owner1", "technical_support")
    assert board["waiting"] == {"confirm_request": 2, "engineer_assessment": 1}
    assert board["running"] == 3 and board["versions"][-1]["running"] == 3
    assert board["steps"]["confirm_request"] == {"completed": 1, "median_hours": 2.0}
    assert board["overdue_by_role"] == {} and board["overdue_by_person"] == {}
    clock.set(at("2026-10-13T10:00"))  # after the National Day week: every open task is past its deadline
    late = process_dashboard.dashboard(ctx, "auditor1", "technical_support")
    assert late["overdue_by_role"] == {"tech_director": 2, "engineer": 1}
    assert late["overdue_by_person"] == {"engineer1": 1}


def test_only_the_read_all_roles_read_it_and_an_unknown_process_or_version_is_not_found(ctx, three_cases):
    for who in ("sales1", "engineer1", "customer1", "tech_director1"):
        with pytest.raises(Forbidden):
            process_dashboard.dashboard(ctx, who, "technical_support")
    with pytest.raises(NotFound):
        process_dashboard.dashboard(ctx, "admin1", "no_such_process")
    with pytest.raises(NotFound):
        process_dashboard.dashboard(ctx, "admin1", "technical_support", 99)


def test_the_page_names_the_steps_in_each_language(client, ctx, three_cases):
    sign_in(client, "process_owner1")
    page = client.get("/processes/technical_support/dashboard")
    assert page.status_code == 200
    heat = lxml_html.fromstring(page.text).xpath('//*[@id="diagram"]/@data-heat')[0]
    assert json.loads(heat) == {"confirm_request": 2, "engineer_assessment": 1}
    assert "技术总监确认申请" in page.text and "2.0 小时" in page.text
    english = client.get("/processes/technical_support/dashboard?lang=en&version=1")
    assert english.status_code == 200 and "Median time taken" in english.text and "2.0 h" in english.text
    assert client.get("/processes/technical_support/dashboard?version=99").status_code == 404
    client.get("/logout")
    sign_in(client, "engineer1")
    assert client.get("/processes/technical_support/dashboard").status_code == 403
