"""The seven after-sales lists of seed 004 (派工单, 服务内容, 服务费用, 售服材料, 领用, 退料, 欠件) over the
cases of process `after_sales_service`, cut by the permission policy.

Why read whole cases and filter in Python: a list's columns live in the case's variables (lists of fee
lines, movements, owed parts), so the conditions, the pinyin sort and the groups of
`domain.list_query` run over rows made from `process_instances.data`. The SQL does what SQL is good
at — only this process, only the cases the reader may see (`access.visible_cases`, the same rule as
the case page, the service desk's DESK_PROCESSES rule included) — and an after-sales desk's cases fit
in memory many times over. The rows are read fresh for every query: nothing is cached.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any, Protocol

from sqlalchemy import select

from service.domain import list_query as lq
from service.domain.list_query import Column, ListDefinition, ListQuery, ListResult, QueryRejected, SortKey
from service.domain.messages import Message
from service.persistence.models import ProcessInstance, User

from .access import load_viewer, visible_cases
from .context import AppContext
from .errors import NotFound, ValidationFailed

PROCESS_ID = "after_sales_service"

ORDER_STATUSES = (("new", "新建", "New"), ("assigned", "已派工", "Assigned"), ("on_site", "已到场", "On site"),
                  ("released", "已放行", "Released"), ("closed", "已关闭", "Closed"), ("voided", "已作废", "Voided"))
CASE_STATUSES = (("running", "进行中", "Running"), ("completed", "已完成", "Completed"),
                 ("cancelled", "已取消", "Cancelled"), ("error", "出错", "Error"))
DECISIONS = (("covered", "三包", "Covered"), ("paid", "有偿", "Paid"))
FAULT_KINDS = (("hardware", "硬件", "Hardware"), ("software", "软件", "Software"), ("other", "其他", "Other"))
PART_KINDS = (("whole_unit", "整机", "Whole unit"), ("accessory", "配件", "Accessory"))
OWED_STATUSES = (("owed", "欠件", "Owed"), ("delivered", "已交付", "Delivered"))

# the columns every list shares: which order a row belongs to
ORDER_NO = Column("order_no", "派工单号", "Order no.")
CASE_ID = Column("case_id", "案例号", "Case no.", "number")
STATUS = Column("status", "派工单状态", "Order status", "choice", ORDER_STATUSES)
CASE_STATUS = Column("case_status", "案例状态", "Case status", "choice", CASE_STATUSES)
CONTRACT_NO = Column("contract_no", "合同号", "Contract no.")
PROJECT = Column("project", "项目", "Project")
CUSTOMER = Column("customer", "客户", "Customer")
ADDRESS = Column("address", "地址", "Address")
CONTACT = Column("contact", "联系人", "Contact")
REGION = Column("region_path", "销售区域", "Sales region")
TASK_TYPE = Column("task_type_name", "任务类型", "Task type")
SERIAL = Column("serial_no", "序列号", "Serial no.")
MODEL = Column("product_model", "型号", "Model")
PRODUCT = Column("product_name", "产品", "Product")
ENGINEER = Column("engineer", "工程师", "Engineer")
DECISION = Column("warranty_decision", "三包判定", "Warranty decision", "choice", DECISIONS)
REQUESTED = Column("requested_at", "报修时间", "Requested", "datetime")
STARTED = Column("started_at", "创建时间", "Created", "datetime")
MATERIAL_NO = Column("material_no", "物料编号", "Material no.")
MATERIAL = Column("material_name", "物料名称", "Material")
QUANTITY = Column("quantity", "数量", "Quantity", "number", total=True)
_ORDER_COLUMNS = (ORDER_NO, CASE_ID, STATUS, CASE_STATUS, CONTRACT_NO, PROJECT, CUSTOMER, ADDRESS, CONTACT, REGION,
                  TASK_TYPE, SERIAL, MODEL, PRODUCT, ENGINEER, DECISION, REQUESTED, STARTED)


class Arguments(Protocol):
    """What a query string offers (werkzeug's MultiDict): every value of a name, in order."""

    def getlist(self, key: str) -> list[str]: ...


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _moment(value: Any, ctx: AppContext) -> datetime | None:
    """An ISO instant of the case's variables as the company's wall-clock time (a day alone: None)."""
    moment: datetime | None
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value)) if value else None
        except ValueError:
            return None
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=ctx.tz)).astimezone(ctx.tz)


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _number(value: Any) -> int | float | None:
    if isinstance(value, bool) or value in (None, ""):
        return None
    if isinstance(value, (int, float)):
        return value
    try:
        return lq.plain_number(float(str(value)))
    except ValueError:
        return None


def _lines(data: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    found = data.get(name)
    return [line for line in found if isinstance(line, Mapping)] if isinstance(found, list) else []


class CaseRows:
    """One case as the lists read it: its variables, its case columns and the people's names."""

    def __init__(self, ctx: AppContext, case: Mapping[str, Any], names: Mapping[str, str]):
        self.ctx, self.case, self.names = ctx, case, names
        self.data: Mapping[str, Any] = case["data"] or {}

    def person(self, username: Any) -> str:
        return self.names.get(str(username), str(username)) if username else ""

    def moment(self, value: Any) -> datetime | None:
        return _moment(value, self.ctx)

    def order(self) -> dict[str, Any]:
        d = self.data
        return {
            "order_no": _text(d.get("order_no")) or self.case["business_key"] or f"#{self.case['id']}",
            "case_id": self.case["id"], "status": _text(d.get("status")), "case_status": self.case["status"],
            "contract_no": _text(d.get("contract_no")), "project": _text(d.get("project")),
            "customer": _text(d.get("customer") or self.case["customer"]), "address": _text(d.get("address")),
            "contact": _text(d.get("contact")), "region_path": _text(d.get("region_path")),
            "task_type_name": _text(d.get("task_type_name") or d.get("task_type")),
            "serial_no": _text(d.get("serial_no")), "product_model": _text(d.get("product_model")),
            "product_name": _text(d.get("product_name")), "engineer": self.person(d.get("engineer")),
            "warranty_decision": _text(d.get("warranty_decision") or d.get("warranty_proposal")),
            "requested_at": self.moment(d.get("requested_at")) or self.case["started_at"],
            "started_at": self.case["started_at"]}


def _order_rows(case: CaseRows) -> list[dict[str, Any]]:
    d = case.data
    return [{**case.order(), "part_kind": _text(d.get("part_kind")), "warranty_claimed": d.get("warranty_claimed"),
             "fault_kind": _text(d.get("fault_kind")), "on_site_due": case.moment(d.get("on_site_due")),
             "fix_due": case.moment(d.get("fix_due")), "fee_total": _number(d.get("fee_total")),
             "parts_owed": _number(d.get("parts_owed")), "repair_count": _number(d.get("repair_count")),
             "first_use_on": _day(d.get("first_use_on")), "ex_factory_on": _day(d.get("ex_factory_on")),
             "request_description": _text(d.get("request_description")),
             "visit_satisfied": d.get("visit_satisfied")}]


def _content_rows(case: CaseRows) -> list[dict[str, Any]]:
    d = case.data
    return [{**case.order(), "fault_reason": _text(d.get("fault_reason")), "fault_code": _text(d.get("fault_code")),
             "diagnosis": _text(d.get("diagnosis")), "service_content": _text(d.get("service_content")),
             "handling_report": _text(d.get("handling_report")), "repaired": d.get("repaired"),
             "warranty_rule": _text(d.get("warranty_rule")), "replacement_rule": _text(d.get("replacement_rule")),
             "signed_by": _text(d.get("signed_by"))}]


def _fee_rows(case: CaseRows) -> list[dict[str, Any]]:
    d = case.data
    return [{**case.order(), "fee_code": _text(line.get("code")), "fee_name": _text(line.get("name")),
             "quantity": _number(line.get("quantity")), "amount": _number(line.get("amount")),
             "fee_free": d.get("fee_free"), "fee_total": _number(d.get("fee_total"))}
            for line in _lines(d, "fees")]


def _material_rows(case: CaseRows) -> list[dict[str, Any]]:
    return [{**case.order(), "material_no": _text(line.get("material_no")), "material_name": _text(line.get("name")),
             "requisitioned": _number(line.get("requisitioned")), "returned": _number(line.get("returned")),
             "balance": _number(line.get("balance"))}
            for line in _lines(case.data, "material_balance")]


def _movement_rows(movement: str) -> Any:
    def rows(case: CaseRows) -> list[dict[str, Any]]:
        return [{**case.order(), "material_no": _text(line.get("material_no")),
                 "material_name": _text(line.get("name")), "quantity": _number(line.get("quantity")),
                 "moved_at": case.moment(line.get("at")), "moved_by": case.person(line.get("by"))}
                for line in _lines(case.data, "materials") if line.get("movement") == movement]
    return rows


def _owed_rows(case: CaseRows) -> list[dict[str, Any]]:
    return [{**case.order(), "material_no": _text(line.get("material_no")), "material_name": _text(line.get("name")),
             "quantity": _number(line.get("quantity")), "owed_status": _text(line.get("status") or "owed"),
             "owed_due": _day(line.get("due")), "delivered_at": _day(line.get("delivered_at"))}
            for line in _lines(case.data, "owed_parts")]


def _definition(key: str, zh: str, en: str, own: tuple[Column, ...], shown: tuple[str, ...], rows: Any,
                sort: tuple[SortKey, ...] = (SortKey("requested_at", True),)) -> ListDefinition:
    return ListDefinition(key, zh, en, _ORDER_COLUMNS + own, shown, sort, rows_of=rows)


_MOVEMENT = (MATERIAL_NO, MATERIAL, QUANTITY, Column("moved_at", "时间", "When", "datetime"),
             Column("moved_by", "经办人", "By"))
_MOVEMENT_SHOWN = ("order_no", "customer", "serial_no", "engineer", "material_no", "material_name", "quantity",
                   "moved_at", "moved_by")

LISTS: dict[str, ListDefinition] = {d.key: d for d in (
    _definition("orders", "售服派工单", "Dispatch orders", (
        Column("part_kind", "整机 / 配件", "Unit / accessory", "choice", PART_KINDS),
        Column("warranty_claimed", "是否三包", "Warranty claimed", "bool"),
        Column("fault_kind", "故障类别", "Fault kind", "choice", FAULT_KINDS),
        Column("on_site_due", "到场期限", "On site by", "datetime"),
        Column("fix_due", "修复期限", "Fixed by", "datetime"),
        Column("fee_total", "费用合计", "Fees total", "number", total=True, decimals=2),
        Column("parts_owed", "欠件数", "Parts owed", "number", total=True),
        Column("repair_count", "维修次数", "Repairs", "number"),
        Column("first_use_on", "首次使用", "First used", "date"),
        Column("ex_factory_on", "出厂日期", "Ex factory", "date"),
        Column("request_description", "报修内容", "Request"),
        Column("visit_satisfied", "回访满意", "Visit satisfied", "bool")),
        ("order_no", "status", "customer", "project", "contract_no", "region_path", "task_type_name", "serial_no",
         "product_model", "warranty_claimed", "engineer", "requested_at", "fee_total", "parts_owed"), _order_rows),
    _definition("content", "售服内容", "Service content", (
        Column("fault_reason", "故障原因", "Fault reason"), Column("fault_code", "故障代码", "Fault code"),
        Column("diagnosis", "故障诊断", "Diagnosis"), Column("service_content", "服务内容", "Work done"),
        Column("handling_report", "处理报告", "Handling report"), Column("repaired", "已修复", "Repaired", "bool"),
        Column("warranty_rule", "三包依据", "Warranty rule"),
        Column("replacement_rule", "更换依据", "Replacement rule"), Column("signed_by", "客户签字", "Signed by")),
        ("order_no", "status", "customer", "serial_no", "task_type_name", "engineer", "diagnosis", "service_content",
         "handling_report", "repaired", "warranty_decision"), _content_rows),
    _definition("fees", "售服费用", "Service fees", (
        Column("fee_code", "费用代码", "Fee code"), Column("fee_name", "费用项目", "Fee item"), QUANTITY,
        Column("amount", "金额", "Amount", "number", total=True, decimals=2),
        Column("fee_free", "免费", "Free", "bool"),
        Column("fee_total", "派工单合计", "Order total", "number", decimals=2)),
        ("order_no", "customer", "task_type_name", "warranty_decision", "fee_name", "quantity", "amount", "fee_free"),
        _fee_rows),
    _definition("materials", "售服材料", "Service materials", (
        MATERIAL_NO, MATERIAL, Column("requisitioned", "领用数", "Requisitioned", "number", total=True),
        Column("returned", "退料数", "Returned", "number", total=True),
        Column("balance", "结存", "Balance", "number", total=True)),
        ("order_no", "status", "customer", "serial_no", "engineer", "material_no", "material_name", "requisitioned",
         "returned", "balance"), _material_rows),
    _definition("requisitions", "材料领用", "Requisitions", _MOVEMENT, _MOVEMENT_SHOWN, _movement_rows("requisition"),
                (SortKey("moved_at", True),)),
    _definition("returns", "售服退料", "Returns", _MOVEMENT, _MOVEMENT_SHOWN, _movement_rows("return"),
                (SortKey("moved_at", True),)),
    _definition("owed", "欠件放行跟踪", "Parts owed", (
        MATERIAL_NO, MATERIAL, QUANTITY,
        Column("owed_status", "欠件状态", "Part status", "choice", OWED_STATUSES),
        Column("owed_due", "约定交付", "Due", "date"), Column("delivered_at", "交付日期", "Delivered", "date")),
        ("order_no", "status", "customer", "contact", "address", "serial_no", "engineer", "material_no",
         "material_name", "quantity", "owed_status", "owed_due", "delivered_at"), _owed_rows,
        (SortKey("owed_status"), SortKey("owed_due"))),
)}


def definition(key: str) -> ListDefinition:
    found = LISTS.get(key)
    if found is None:
        raise NotFound("list.unknown_list", list=key[:40], lists=", ".join(LISTS))
    return found


def _refused(exc: QueryRejected) -> ValidationFailed:
    return ValidationFailed("list.refused", exc.errors, parts=", ".join(exc.errors))


def read_query(listed: ListDefinition, args: Arguments) -> ListQuery:
    """The query of a query string: `where` (conditions as text) and/or the rows of the form
    (`join`, `field`, `op`, `value`, repeated, in step), `sort` (`column` or `-column`, repeated),
    `group` and `col` (repeated) and `limit` (≤ 200). Every refusal names the condition or part."""
    columns = listed.columns
    try:
        conditions: tuple[lq.Condition, ...] = ()
        for text in args.getlist("where"):
            conditions += lq.parse_where(text, columns)
        fields, ops, values = args.getlist("field"), args.getlist("op"), args.getlist("value")
        joins = args.getlist("join")
        rows = [(joins[i] if i < len(joins) else "and", fields[i] if i < len(fields) else "",
                 ops[i] if i < len(ops) else "~", value) for i, value in enumerate(values)]
        if rows:
            from_rows = lq.condition_rows(columns, rows)
            if conditions and from_rows:  # the form's rows follow the text's conditions, joined by AND
                from_rows = (lq.Condition(from_rows[0].field, from_rows[0].op, from_rows[0].value, "and"),
                             *from_rows[1:])
            conditions += from_rows
        sort = lq.read_sort(columns, args.getlist("sort"))
        group_by = lq.read_columns(columns, args.getlist("group"), "group")
        shown = lq.read_columns(columns, args.getlist("col"))
    except QueryRejected as exc:
        raise _refused(exc) from exc
    limit = lq.LIMIT
    said = (args.getlist("limit") or [""])[0]
    if said:
        if not said.isdigit() or not 1 <= int(said) <= lq.LIMIT:
            raise ValidationFailed("list.refused", {"limit": Message("list.bad_limit", {"max": lq.LIMIT,
                                                                                         "value": said[:20]})},
                                   parts="limit")
        limit = int(said)
    return ListQuery(conditions, sort, group_by, shown, limit)


def _stored_moment(value: datetime, ctx: AppContext) -> datetime:
    """A time column as the company's wall clock (SQLite gives it back naive, in UTC)."""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(ctx.tz)


def _cases(ctx: AppContext, actor: str | None) -> tuple[list[dict[str, Any]], dict[str, str]]:
    with ctx.db.reading() as session:
        found = select(ProcessInstance.id, ProcessInstance.status, ProcessInstance.started_at,
                       ProcessInstance.business_key, ProcessInstance.customer, ProcessInstance.data).where(
            ProcessInstance.process_id == PROCESS_ID, ProcessInstance.status != "starting")
        if actor is not None:
            found = found.where(visible_cases(load_viewer(session, actor)))
        cases = [{"id": r.id, "status": r.status, "started_at": _stored_moment(r.started_at, ctx),
                  "business_key": r.business_key, "customer": r.customer, "data": r.data}
                 for r in session.execute(found.order_by(ProcessInstance.id))]
        names = {r.username: r.display_name for r in session.execute(select(User.username, User.display_name))}
    return cases, names


def rows(ctx: AppContext, actor: str | None, listed: ListDefinition) -> list[dict[str, Any]]:
    """Every row of the list the actor may see (None: every case, for the command line)."""
    cases, names = _cases(ctx, actor)
    out: list[dict[str, Any]] = []
    for case in cases:
        out.extend(listed.rows_of(CaseRows(ctx, case, names)))
    return out


def search(ctx: AppContext, actor: str | None, key: str, query: ListQuery) -> ListResult:
    listed = definition(key)
    try:
        return lq.run(rows(ctx, actor, listed), listed.columns, query, listed.default_columns, listed.default_sort)
    except QueryRejected as exc:
        raise _refused(exc) from exc
