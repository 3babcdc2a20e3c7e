"""Finding cases again, with the demo organisation: four cases of two salespeople for 欧莱雅 and 华为 at
different steps; every person's tabs, the search (wildcards, overdue, holder, dates), sort and paging,
the same lists through the API, the pages and `guicheng cases`, and exports that hold the same rows."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime

import openpyxl
import pytest

from service.operations import case_search, cases, users
from service.operations.errors import Forbidden, ValidationFailed
from service.persistence.models import CaseCopy
from tests.conftest import SHANGHAI
from tests.processes.walk import APPLICATION, advance_to, at, do
from tests.support.cli import cli_env, run_cli

LATER = "2026-10-08 10:00"  # the first case was started on 2026-09-30; its deadline has passed by then


def _start(ctx, actor: str, customer: str, project: str) -> int:
    return cases.start_case(ctx, process_id="technical_support", actor=actor,
                            data={**APPLICATION, "customer": customer, "project": project})


@pytest.fixture
def demo_cases(ctx, clock) -> dict[str, int]:
    """A: sales1 for 欧莱雅, engineer3 assessing. B: sales3 for 华为, waiting for a director since 09-30
    (overdue). C: sales1 for 欧莱雅, signed by customer1 and confirmed by sales1. D: sales3 for 华为,
    waiting for customer2's signature. A is copied (抄送) to sales3."""
    b = _start(ctx, "sales3", "华为", "网络改造")
    clock.set(at(LATER))
    a = _start(ctx, "sales1", "欧莱雅", "CITRIX安装")
    do(ctx, a, "confirm_request", {"accepted": "yes", "engineer": "engineer3"})
    c = _start(ctx, "sales1", "欧莱雅", "云桌面")
    advance_to(ctx, c, "sales_confirmation")
    do(ctx, c, "sales_confirmation", actor="sales1")
    d = _start(ctx, "sales3", "华为", "云桌面")
    advance_to(ctx, d, "customer_signoff")
    with ctx.db.transaction() as session:  # the row the 抄送 action leaves
        session.add(CaseCopy(instance_id=a, username="sales3", copied_by="sales1", created_at=ctx.now()))
    return {"A": a, "B": b, "C": c, "D": d}


def _ids(ctx, actor: str | None, **args: str) -> list[int]:
    return [r["id"] for r in case_search.search(ctx, actor, case_search.parse_query(args))["rows"]]


def _named(found: list[int], demo: dict[str, int]) -> set[str]:
    names = {case_id: name for name, case_id in demo.items()}
    return {names[i] for i in found}


def test_each_tab_shows_exactly_the_cases_of_that_person(ctx, demo_cases):
    def tab(actor: str, name: str) -> set[str]:
        return _named(_ids(ctx, actor, tab=name), demo_cases)

    assert tab("sales1", "started") == {"A", "C"}
    assert tab("sales1", "done") == {"C"}
    assert tab("sales1", "todo") == set() and tab("sales1", "copied") == set()
    assert tab("sales3", "started") == {"B", "D"}
    assert tab("sales3", "copied") == {"A"}
    assert tab("sales3", "done") == set() and tab("sales3", "todo") == set()
    assert tab("auditor1", "all") == {"A", "B", "C", "D"}
    assert tab("auditor1", "todo") == set() and tab("auditor1", "started") == set()
    assert tab("customer1", "done") == {"C"}
    assert tab("customer1", "todo") == set() and tab("customer1", "started") == set()
    assert tab("customer1", "copied") <= {"C"}  # never a case of another company
    assert tab("customer2", "todo") == {"D"}
    assert tab("engineer3", "todo") == {"A"}
    assert tab("engineer1", "done") == {"C", "D"}
    assert "A" not in tab("engineer1", "todo") | tab("engineer1", "done")  # assigned to engineer3 only
    for person in ("sales1", "sales3", "customer1", "engineer3", "tech_director1"):
        with pytest.raises(Forbidden):
            case_search.search(ctx, person, case_search.parse_query({"tab": "all"}))
    assert case_search.search(ctx, "auditor1", case_search.CaseQuery())["tab"] == "all"  # their default
    assert case_search.search(ctx, "sales1", case_search.CaseQuery())["tab"] == "todo"
    for person in ("process_owner1", "admin1"):
        assert _named(_ids(ctx, person, tab="all"), demo_cases) == {"A", "B", "C", "D"}


def test_search_by_wildcard_overdue_holder_starter_dates_and_status(ctx, demo_cases):
    def found(actor: str = "auditor1", **args: str) -> set[str]:
        return _named(_ids(ctx, actor, **args), demo_cases)

    assert found(key="欧*") == {"A", "C"}  # the customer's name, from its first character
    assert found(key="*为") == {"B", "D"}
    assert found(key="欧*雅") == {"A", "C"}
    assert found(key="云桌面") == {"C", "D"}  # no star: anywhere in the business key
    assert found(key="华为 / 云*") == {"D"}
    assert found(key="citrix") == {"A"}
    assert found(key="%") == set() and found(key="_") == set()  # literal characters, not SQL wildcards
    assert found(overdue="1") == {"B"}
    assert found(holder="engineer3") == {"A"}
    assert found(starter="sales3") == {"B", "D"}
    assert found(**{"from": "2026-10-08"}) == {"A", "C", "D"}
    assert found(to="2026-09-30") == {"B"}
    assert found(status="running") == {"A", "B", "C", "D"} and found(status="completed") == set()
    assert found(process="technical_support", key="*莱*", starter="sales1") == {"A", "C"}
    assert found("sales3", tab="copied", key="欧*") == {"A"} and found("sales3", tab="started", key="欧*") == set()
    assert found("customer2", tab="todo", key="*") == {"D"}
    for args, field in (({"starter": "nobody9"}, "starter"), ({"holder": "ghost"}, "holder"),
                        ({"process": "no_such_process"}, "process")):
        with pytest.raises(ValidationFailed) as refused:
            case_search.search(ctx, "auditor1", case_search.parse_query(args))
        assert list(refused.value.errors) == [field]


def test_rows_sort_and_pages(ctx, demo_cases):
    a, b, c, d = (demo_cases[k] for k in "ABCD")
    assert _ids(ctx, "auditor1") == [d, c, a, b]  # newest first
    assert _ids(ctx, "auditor1", sort="started_at", order="asc") == [b, a, c, d]
    assert _ids(ctx, "auditor1", sort="id") == sorted([a, b, c, d], reverse=True)
    assert _ids(ctx, "auditor1", sort="due")[0] == b  # the earliest deadline first
    pages = [_ids(ctx, "auditor1", per_page="3", page=str(n)) for n in (1, 2, 3)]
    assert pages == [[d, c, a], [b], []]
    result = case_search.search(ctx, "auditor1", case_search.parse_query({"per_page": "3"}))
    assert (result["total"], result["pages"], result["page"]) == (4, 2, 1)
    row = next(r for r in result["rows"] if r["id"] == a)
    assert row["process_id"] == "technical_support" and row["process_name"] and row["version"] == 1
    assert (row["business_key"], row["customer"], row["status"]) == ("欧莱雅 / CITRIX安装", "欧莱雅", "running")
    assert (row["started_by"], row["started_by_name"]) == ("sales1", "销售1")
    assert row["started_at"] == "2026-10-08T10:00:00+08:00" and row["updated_at"]
    (task,) = row["current_tasks"]
    assert (task["assignee"], task["assignee_name"], task["role"]) == ("engineer3", "工程师3", "engineer")
    assert row["due_at"] == task["due_at"] and not row["overdue"]
    overdue = case_search.search(ctx, "auditor1", case_search.parse_query({"overdue": "1"}))["rows"][0]
    assert overdue["overdue"] and overdue["current_tasks"][0]["assignee"] is None
    assert overdue["current_tasks"][0]["role"] == "tech_director"


def _walk(ctx, actor: str, **args: str) -> list[int]:
    """Every case of a search, one per page, following each page's `next` cursor to the end."""
    seen, after, pages = [], "", 0
    while True:
        found = case_search.search(ctx, actor, case_search.parse_query({**args, "per_page": "1", "after": after}))
        seen += [r["id"] for r in found["rows"]]
        pages += 1
        assert pages < 20, "the cursor never reached the last page"
        if not found["next"]:
            return seen
        after = found["next"]


@pytest.mark.parametrize("sort", ["started_at", "updated_at", "id", "business_key", "process", "status", "due"])
def test_keyset_pages_show_every_case_once_in_the_order_of_the_whole_list(ctx, demo_cases, sort):
    for order in ("asc", "desc"):
        whole = _ids(ctx, "auditor1", sort=sort, order=order)
        assert sorted(whole) == sorted(demo_cases.values())
        assert _walk(ctx, "auditor1", sort=sort, order=order) == whole, (sort, order)
    # sales3 pages through only what sales3 may see: the 华为 cases and the one copied to sales3
    assert sorted(_walk(ctx, "sales3", tab="started", sort=sort)) == sorted([demo_cases["B"], demo_cases["D"]])


def test_a_page_position_belongs_to_its_search(ctx, demo_cases, client):
    first = case_search.search(ctx, "auditor1", case_search.parse_query({"per_page": "2", "sort": "id"}))
    assert first["next"] and len(first["rows"]) == 2
    for bad in ("%%%", "eyJ4Ijox", "A" * 2000):
        with pytest.raises(ValidationFailed) as refused:
            case_search.parse_query({"after": bad})
        assert "after" in refused.value.errors
    with pytest.raises(ValidationFailed) as refused:  # a cursor of the id sort does not place a due sort
        case_search.parse_query({"after": first["next"], "sort": "due"})
    assert "after" in refused.value.errors

    auditor = _bearer(ctx, "auditor1")
    page = client.get("/api/v1/process-instances?per_page=2&sort=id", headers=auditor)
    link = page.headers["Link"]
    assert link.endswith('rel="next"') and "after=" in link and "page=2" in link
    following = client.get(link[1:link.index(">")], headers=auditor)
    assert following.status_code == 200 and following.json["page"] == 2
    assert [r["id"] for r in page.json["rows"] + following.json["rows"]] == sorted(demo_cases.values(), reverse=True)
    assert "Link" not in following.headers and following.json["next"] is None
    refused = client.get("/api/v1/process-instances?after=nonsense", headers=auditor)
    assert refused.status_code == 400 and "after" in refused.json["errors"]


def _bearer(ctx, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {users.issue_token(ctx, username)}"}


def test_the_api_lists_exports_and_refuses_with_the_field(ctx, demo_cases, client):
    auditor = _bearer(ctx, "auditor1")
    listed = client.get("/api/v1/process-instances?key=*为&sort=id&order=asc", headers=auditor)
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json["rows"]] == [demo_cases["B"], demo_cases["D"]]
    assert listed.json["total"] == 2 and listed.json["tab"] == "all"

    everything = client.get("/api/v1/process-instances?per_page=200", headers=auditor).json
    workbook = client.get("/api/v1/process-instances?format=xlsx", headers=auditor)
    assert workbook.status_code == 200 and workbook.mimetype.endswith("spreadsheetml.sheet")
    assert "filename*=UTF-8''%E6%A1%88%E4%BE%8B%E5%88%97%E8%A1%A8-20261008.xlsx" in workbook.headers[
        "Content-Disposition"]  # 案例列表-20261008.xlsx
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.data)).active
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert header[:4] == ["编号", "流程", "版本", "案例"] and sheet["A1"].font.b and sheet.freeze_panes == "A2"
    assert [(r[0], r[3], r[4], r[6]) for r in rows] == [
        (r["id"], r["business_key"], r["customer"], r["started_by_name"]) for r in everything["rows"]]
    started = datetime.fromisoformat(everything["rows"][0]["started_at"])
    assert rows[0][7] == started.astimezone(SHANGHAI).replace(tzinfo=None)  # a real date, Shanghai time

    table = client.get("/api/v1/process-instances?format=csv&key=欧*&lang=en", headers=auditor)
    assert table.data.startswith("\ufeff".encode()) and table.mimetype == "text/csv"
    lines = list(csv.reader(io.StringIO(table.data.decode("utf-8-sig"))))
    assert lines[0][:4] == ["No.", "Process", "Version", "Case"]
    assert sorted(line[3] for line in lines[1:]) == ["欧莱雅 / CITRIX安装", "欧莱雅 / 云桌面"]

    sales = _bearer(ctx, "sales3")
    assert client.get("/api/v1/process-instances?tab=all", headers=sales).status_code == 403
    assert [r["id"] for r in client.get("/api/v1/process-instances?tab=copied", headers=sales).json["rows"]] == [
        demo_cases["A"]]
    for query, field in (("from=2026-02-30", "from"), ("from=0001-01-01", "from"), ("sort=secret", "sort"),
                         ("page=0", "page"), ("per_page=5000", "per_page"), ("key=a%09b", "key"),
                         ("format=pdf", "format"), ("holder=nobody9", "holder")):
        refused = client.get(f"/api/v1/process-instances?{query}", headers=auditor)
        assert refused.status_code == 400 and field in refused.json["errors"], (query, refused.json)


def _sign_in(client, username: str) -> None:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post("/login", data={"username": username, "password": "demo", "csrf_token": token})


def test_the_pages_list_search_export_and_send_readers_of_all_to_the_case_list(ctx, demo_cases, app):
    auditor = app.test_client()
    _sign_in(auditor, "auditor1")
    home = auditor.get("/")
    assert home.status_code == 302 and home.location == "/cases?tab=all"  # not an empty inbox
    page = auditor.get("/cases?tab=all&key=欧*")
    assert page.status_code == 200 and "共 2 条，第 1/1 页" in page.text
    assert f'href="/cases/{demo_cases["A"]}"' in page.text and "全部案例" in page.text
    exported = auditor.get("/cases/export.xlsx?tab=all&key=欧*")
    sheet = openpyxl.load_workbook(io.BytesIO(exported.data)).active
    assert sorted(r[0] for r in sheet.iter_rows(min_row=2, values_only=True)) == [demo_cases["A"], demo_cases["C"]]
    refused = auditor.get("/cases?from=2026-13-01&per_page=7000")
    assert refused.status_code == 400 and 'data-testid="error-from"' in refused.text
    assert 'data-testid="error-per_page"' in refused.text

    sales = app.test_client()
    _sign_in(sales, "sales1")
    assert sales.get("/").status_code == 200  # people who work on cases keep their inbox
    mine = sales.get("/cases?tab=started")
    assert mine.status_code == 200 and "共 2 条" in mine.text and "全部案例" not in mine.text
    assert sales.get("/cases?tab=all").status_code == 403
    assert sales.get("/cases/export.csv?tab=started").data.decode("utf-8-sig").count("欧莱雅 /") == 2


def test_the_command_line_lists_the_same_cases(database_url, home, ctx, demo_cases, tmp_path):
    env = cli_env(database_url, home, "2026-10-08T10:00:00+08:00")
    listed = run_cli(env, "cases", "--as", "sales3", "--tab", "copied")
    assert listed.returncode == 0, listed.stderr
    assert "欧莱雅 / CITRIX安装" in listed.stdout and "工程师3" in listed.stdout and "共 1 条" in listed.stdout
    found = run_cli(env, "cases", "--as", "auditor1", "--key", "*为", "--overdue", "--json")
    assert [r["id"] for r in json.loads(found.stdout)["rows"]] == [demo_cases["B"]]
    target = tmp_path / "案例.xlsx"
    exported = run_cli(env, "cases", "--key", "欧*", "--xlsx", str(target))
    assert exported.returncode == 0 and "2 of 2" in exported.stderr
    sheet = openpyxl.load_workbook(target).active
    keys = sorted(r[3] for r in sheet.iter_rows(min_row=2, values_only=True))
    assert keys == ["欧莱雅 / CITRIX安装", "欧莱雅 / 云桌面"]
    refused = run_cli(env, "cases", "--as", "sales1", "--tab", "all")
    assert refused.returncode == 1 and "不能查看全部案例" in refused.stderr
    wrong = run_cli(env, "cases", "--from", "2026-02-30", "--sort", "x")
    assert wrong.returncode == 1 and "from:" in wrong.stderr and "sort:" in wrong.stderr
