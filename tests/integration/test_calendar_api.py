"""The working-day calendar over the API and on the admin's page: the year's days as the deadlines count
them, an admin's override with its audit trail, refusals of everyone else and of bad input, and the
deadline preview of the modeler's timer picker."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from service.operations import calendar, users
from service.persistence.models import CalendarDayRow, Event
from tests.integration.test_web_pages import csrf_of, sign_in


def _bearer(ctx, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {users.issue_token(ctx, username)}"}


def _days(client, headers, year: int, **query) -> dict:
    response = client.get(f"/api/v1/calendar/{year}", headers=headers, query_string=query)
    assert response.status_code == 200, response.text
    return response.json


def _day(shown: dict, iso: str) -> dict:
    return next(d for d in shown["days"] if d["day"] == iso)


def _stored(ctx) -> tuple[int, list]:
    """How many override events there are and every stored day: what a refusal must leave alone."""
    with ctx.db.reading() as session:
        events = session.execute(select(func.count()).select_from(Event)
                                 .where(Event.type == "calendar_day_set")).scalar()
        days = session.execute(select(CalendarDayRow.day, CalendarDayRow.is_workday, CalendarDayRow.name,
                                      CalendarDayRow.source).order_by(CalendarDayRow.day)).all()
    return events, days


def test_any_signed_in_user_reads_2026_with_national_day_and_the_adjusted_saturday(ctx, client):
    shown = _days(client, _bearer(ctx, "sales1"), 2026)
    assert shown["year"] == 2026 and shown["covered"] is True and shown["warning"] is None
    assert len(shown["days"]) == 365
    assert _day(shown, "2026-10-01") == {"day": "2026-10-01", "is_workday": False, "name": "国庆节", "source": "seed",
                                         "updated_by": None, "updated_at": None}
    saturday = _day(shown, "2026-10-10")  # worked to make up for the National Day week (调休)
    assert saturday["is_workday"] is True and saturday["name"] == "调休上班" and saturday["source"] == "seed"
    assert _day(shown, "2026-10-11")["is_workday"] is False  # an ordinary Sunday
    assert _day(shown, "2026-10-12")["is_workday"] is True and _day(shown, "2026-10-12")["name"] == ""


def test_a_year_without_official_data_reads_monday_to_friday_with_a_warning(ctx, client):
    headers = _bearer(ctx, "engineer1")
    shown = _days(client, headers, 2027)
    assert shown["covered"] is False and "2027" in shown["warning"] and "周一至周五" in shown["warning"]
    assert {d["source"] for d in shown["days"]} == {"fallback"}
    assert _day(shown, "2027-10-01")["is_workday"] is True  # a Friday: no holiday without the notice
    assert _day(shown, "2027-10-02")["is_workday"] is False
    english = _days(client, headers, 2027, lang="en")
    assert english["warning"] == "no official calendar data for 2027: deadlines count Monday to Friday"


def test_admin1_overrides_a_day_and_deadlines_and_the_trail_follow(ctx, client):
    admin = _bearer(ctx, "admin1")
    preview = {"day": "1", "from": "2026-09-30T11:00:00+08:00"}
    before = client.get("/api/v1/calendar/working-day-end", headers=admin, query_string=preview)
    assert before.status_code == 200 and before.json == {"due": "2026-09-30T18:00:00+08:00"}

    response = client.put("/api/v1/calendar/days/2026-09-30", headers=admin,
                          json={"is_workday": False, "name": "公司停电"})
    assert response.status_code == 200, response.text
    assert response.json["day"] == "2026-09-30" and response.json["source"] == "admin"
    assert response.json["updated_by"] == "admin1" and response.json["is_workday"] is False

    day = _day(_days(client, _bearer(ctx, "sales1"), 2026), "2026-09-30")
    assert (day["is_workday"], day["name"], day["source"], day["updated_by"]) == (False, "公司停电", "admin", "admin1")
    after = client.get("/api/v1/calendar/working-day-end", headers=_bearer(ctx, "tech_director1"), query_string=preview)
    assert after.json == {"due": "2026-10-08T18:00:00+08:00"}  # 30 Sep now off, then the National Day week

    trail = calendar.override_trail(ctx, 2026)
    assert [(c["day"], c["actor"], c["is_workday"], c["name"]) for c in trail] == [
        ("2026-09-30", "admin1", False, "公司停电")]
    assert trail[0]["before"] == {"is_workday": True, "name": "", "source": "seed"}
    assert calendar.override_trail(ctx, 2027) == []


@pytest.mark.parametrize("username", ["sales1", "tech_director1", "process_owner1", "auditor1", "customer1"])
def test_only_an_admin_may_override_a_day(ctx, client, username):
    before = _stored(ctx)
    response = client.put("/api/v1/calendar/days/2026-10-01", headers=_bearer(ctx, username),
                          json={"is_workday": True, "name": "上班"})
    assert response.status_code == 403 and response.mimetype == "application/problem+json"
    assert response.json["code"] == "calendar.admin_only" and username in response.json["detail"]
    bad_body = client.put("/api/v1/calendar/days/2026-10-01", headers=_bearer(ctx, username), data="nonsense")
    assert bad_body.status_code == 403  # refused before the body is even read
    assert _stored(ctx) == before


def test_calendar_api_needs_sign_in(client):
    assert client.get("/api/v1/calendar/2026").status_code == 401
    assert client.put("/api/v1/calendar/days/2026-10-01", json={"is_workday": True}).status_code == 401


BAD_OVERRIDES = [
    ("2026-13-01", {"is_workday": True}, "day", "YYYY-MM-DD"),
    ("2026-02-30", {"is_workday": True}, "day", "YYYY-MM-DD"),
    ("20261001", {"is_workday": True}, "day", "YYYY-MM-DD"),
    ("1999-12-31", {"is_workday": True}, "day", "2000 至 2100"),
    ("2101-01-01", {"is_workday": True}, "day", "2000 至 2100"),
    ("2026-10-01", {}, "is_workday", "请选择工作日或休息日"),
    ("2026-10-01", {"is_workday": "yes"}, "is_workday", "请选择工作日或休息日"),
    ("2026-10-01", {"is_workday": 1}, "is_workday", "请选择工作日或休息日"),
    ("2026-10-01", {"is_workday": True, "name": "节" * 65}, "name", "超过上限 64"),
    ("2026-10-01", {"is_workday": True, "name": "国庆\n节"}, "name", "控制字符"),
    ("2026-10-01", {"is_workday": True, "name": "国庆\x07节"}, "name", "控制字符"),
    ("2026-10-01", {"is_workday": True, "name": 12}, "name", ""),
]


@pytest.mark.parametrize("day, body, field, said", BAD_OVERRIDES,
                         ids=[f"{d}-{f}-{i}" for i, (d, _b, f, _s) in enumerate(BAD_OVERRIDES)])
def test_a_bad_override_is_400_naming_the_field_and_changes_nothing(ctx, client, day, body, field, said):
    before = _stored(ctx)
    response = client.put(f"/api/v1/calendar/days/{day}", headers=_bearer(ctx, "admin1"), json=body)
    assert response.status_code == 400 and response.mimetype == "application/problem+json", response.text
    assert response.json["code"] in ("calendar.override_refused", "body.refused")  # NUL, BEL…: the body check
    assert said in response.json["errors"][field], response.json["errors"]
    assert _stored(ctx) == before


def test_a_body_that_is_not_a_json_object_is_400(ctx, client):
    before = _stored(ctx)
    for raw in ("[true]", "not json", '{"is_workday": NaN}'):
        response = client.put("/api/v1/calendar/days/2026-10-01", headers=_bearer(ctx, "admin1"), data=raw,
                              content_type="application/json")
        assert response.status_code == 400 and response.json["detail"], raw
    assert _stored(ctx) == before


@pytest.mark.parametrize("year", ["1999", "2101", "abc", "02026", "２０２６"])
def test_a_year_out_of_range_or_not_a_year_is_400(ctx, client, year):
    response = client.get(f"/api/v1/calendar/{year}", headers=_bearer(ctx, "sales1"))
    assert response.status_code == 400 and "year" in response.json["errors"]


@pytest.mark.parametrize("query, field", [
    ({"day": "0", "from": "2026-09-30T11:00:00+08:00"}, "day"),
    ({"day": "abc", "from": "2026-09-30T11:00:00+08:00"}, "day"),
    ({"day": "367", "from": "2026-09-30T11:00:00+08:00"}, "day"),
    ({"from": "2026-09-30T11:00:00+08:00"}, "day"),
    ({"day": "2", "from": "yesterday"}, "from"),
    ({"day": "2", "from": "9999-12-31T11:00:00+08:00"}, "from"),
    ({"day": "2"}, "from"),
])
def test_a_bad_deadline_preview_is_400_naming_the_parameter(ctx, client, query, field):
    response = client.get("/api/v1/calendar/working-day-end", headers=_bearer(ctx, "process_owner1"),
                          query_string=query)
    assert response.status_code == 400 and field in response.json["errors"], response.text


def test_the_deadline_preview_reads_a_time_without_zone_in_the_company_zone(ctx, client):
    headers = _bearer(ctx, "process_owner1")
    friday = client.get("/api/v1/calendar/working-day-end", headers=headers,
                        query_string={"day": "2", "from": "2026-10-09T16:00"})  # Fri, then the 调休 Saturday
    assert friday.json == {"due": "2026-10-10T18:00:00+08:00"}
    plus_as_space = client.get("/api/v1/calendar/working-day-end?day=3&from=2026-09-30T11:00:00 08:00",
                               headers=headers)  # a '+' left unescaped in the address arrives as a space
    assert plus_as_space.json == {"due": "2026-10-09T18:00:00+08:00"}


def test_the_put_body_is_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").json
    body = spec["paths"]["/api/v1/calendar/days/{day}"]["put"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["required"] == ["is_workday"]
    assert "get" in spec["paths"]["/api/v1/calendar/{year}"]


# --- the admin's page through the test client (the browser tests show it drawn) -------------------------

def _post(client, **fields):
    return client.post("/admin/calendar", data={"csrf_token": csrf_of(client), "year": "2026", **fields})


def test_the_page_refuses_everyone_but_an_admin(ctx, client):
    sign_in(client, "sales1")
    assert client.get("/admin/calendar").status_code == 403
    before = _stored(ctx)
    assert _post(client, day="2026-10-01", kind="workday", name="").status_code == 403
    assert _stored(ctx) == before


def test_the_page_override_is_saved_and_shown_in_the_trail(ctx, client):
    sign_in(client, "admin1")
    response = _post(client, day="2026-10-09", kind="rest", name="公司年会")
    assert response.status_code == 302 and "year=2026" in response.location
    page = client.get(response.location)
    assert "已将 2026-10-09 设为休息日" in page.text
    cell = re.search(r'<td id="d2026-10-09"[^>]*>', page.text).group(0)
    assert "holiday" in cell and "override" in cell and 'data-override="admin1"' in cell
    trail = page.text[page.text.index('data-testid="calendar-trail"'):]
    assert "2026-10-09" in trail and "公司年会" in trail and "admin1" in trail


@pytest.mark.parametrize("fields, error", [
    ({"day": "2026-10-01", "kind": "workday", "name": "节" * 65}, "error-name"),
    ({"day": "2026-10-01", "kind": "workday", "name": "国庆\t节"}, "error-name"),
    ({"day": "1999-10-01", "kind": "workday", "name": ""}, "error-day"),
    ({"day": "", "kind": "workday", "name": ""}, "error-day"),
    ({"day": "2026-10-01", "kind": "", "name": ""}, "error-kind"),
])
def test_the_page_shows_a_refused_field_next_to_it_and_changes_nothing(ctx, client, fields, error):
    sign_in(client, "admin1")
    before = _stored(ctx)
    response = _post(client, **fields)
    assert response.status_code == 400 and f'data-testid="{error}"' in response.text
    assert fields["name"] in response.text  # the typed value is kept
    assert _stored(ctx) == before
