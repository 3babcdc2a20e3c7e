"""Reading an auditor's search: each argument checked and named when wrong, defaults left out of links,
and which fields an event records."""

from __future__ import annotations

from datetime import date

import pytest

from service.domain.audit_search_terms import KINDS, AuditQuery, QueryRejected, read_query, recorded_fields


def test_a_full_query_is_read():
    query = read_query({"actor": " engineer2 ", "type": "task_sent_back", "field": "engineer", "process":
                        "technical_support", "customer": "华为", "key": "网络*", "from": "2026-10-01",
                        "to": "2026-10-31", "case": "12", "system": "1", "sort": "actor", "page": "2",
                        "per_page": "100"})
    assert query == AuditQuery(actor="engineer2", kind="task_sent_back", field="engineer", process="technical_support",
                               customer="华为", key="网络*", occurred_from=date(2026, 10, 1),
                               occurred_to=date(2026, 10, 31), case_id=12, system=True, sort="actor", order="asc",
                               page=2, per_page=100)
    assert query.arguments()["type"] == "task_sent_back" and query.arguments()["case"] == "12"
    assert "order" not in query.arguments() and "sort" not in AuditQuery().arguments()


def test_no_arguments_mean_every_case_event_newest_first():
    query = read_query({})
    assert (query.sort, query.order, query.page, query.system) == ("at", "desc", 1, False)
    assert query.arguments() == {}
    assert query.arguments(page=3) == {"page": "3"}


def test_every_wrong_argument_is_named_at_once():
    with pytest.raises(QueryRejected) as refused:
        read_query({"type": "hacked", "field": "a.b", "case": "0", "from": "2026-02-30", "per_page": "1000",
                    "actor": "a\nb", "system": "perhaps", "order": "up"})
    assert set(refused.value.errors) == {"type", "field", "case", "from", "per_page", "actor", "system", "order"}


@pytest.mark.parametrize("value", ["1e3", "-5", "２", "2147483648", "01234567890", ""])
def test_odd_case_ids_are_refused(value):
    if value == "":
        assert read_query({"case": value}).case_id is None
        return
    with pytest.raises(QueryRejected) as refused:
        read_query({"case": value})
    assert "case" in refused.value.errors


def test_a_field_name_is_a_plain_key_safe_in_a_json_path():
    assert read_query({"field": "doc_service_sheet"}).field == "doc_service_sheet"
    for bad in ("1st", "a-b", "$.data", "a b", "工程师", "x" * 65):
        with pytest.raises(QueryRejected):
            read_query({"field": bad})


def test_the_end_day_may_not_come_before_the_start():
    with pytest.raises(QueryRejected) as refused:
        read_query({"from": "2026-10-09", "to": "2026-10-08"})
    assert list(refused.value.errors) == ["to"]


def test_which_fields_an_event_records():
    assert recorded_fields("task_completed", {"data": {"engineer": "engineer2", "accepted": "yes"}}) == [
        {"field": "engineer", "new": "engineer2"}, {"field": "accepted", "new": "yes"}]
    assert recorded_fields("case_started", {"data": {"customer": "华为"}}) == [{"field": "customer", "new": "华为"}]
    assert recorded_fields("delegation_submitted", {"data": {"work_summary": "x"}}) == [
        {"field": "work_summary", "new": "x"}]
    assert recorded_fields("changed_by_linked_case", {"changes": [{"variable": "days", "old": 2, "new": 5},
                                                                  "odd"]}) == [
        {"field": "days", "old": 2, "new": 5}]
    assert recorded_fields("case_completed", {"data": {"engineer": "engineer2"}}) == []  # a copy, not a change
    assert recorded_fields("migrated", {"from_version": 1}) == [] and recorded_fields("task_completed", None) == []


def test_the_kinds_are_known_once():
    assert len(KINDS) == len(set(KINDS)) and "task_sent_back" in KINDS and "deployed" in KINDS


def test_every_kind_the_service_records_is_searchable_and_named_in_both_languages():
    import re
    from pathlib import Path

    from service.operations import case_starts
    from service.web.i18n import translate

    source = Path(__file__).resolve().parents[2] / "service"
    written = {m for path in source.rglob("*.py")
               for m in re.findall(r'append_event\([^)]*?type="([a-z_]+)"', path.read_text(encoding="utf-8"), re.S)}
    written |= {case_starts.OPENED_EVENT, case_starts.OPENED_BY_EVENT, case_starts.FAILED_EVENT}
    assert written and written - set(KINDS) == set()
    for kind in KINDS:
        zh, en = translate("zh", f"audit.kind.{kind}"), translate("en", f"audit.kind.{kind}")
        assert "audit.kind" not in zh + en and re.search("[\u4e00-\u9fff]", zh) and not re.search("[\u4e00-\u9fff]", en)
