"""The short lists of the after-sales process: task types (the process owner's), parts and the fee
table (the service desk's; fees also the process owner's). Read through the system-chain cache.

Why task types are deactivated and never deleted: orders name their task type by code, and an old
order must still say what it was. Parts and fee items may be deleted: an order copies the material
no., name and amount of what it used.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.domain.messages import Message
from service.persistence.after_sales_models import ServiceFeeItem, ServicePart, ServiceTaskType
from service.persistence.read_cache import while_unchanged

from .after_sales_common import code_value, ensure_may_edit, fen_value, record, text_value, yuan
from .context import AppContext
from .errors import NotFound, ValidationFailed

NAME_MAX, UNIT_MAX, PART_NAME_MAX, MATERIAL_MAX = 64, 16, 256, 64
MAX_ROWS = 10_000


# --- task types ------------------------------------------------------------------------------------


def _task_type_dict(row: ServiceTaskType) -> dict[str, Any]:
    return {"code": row.code, "name_zh": row.name_zh, "name_en": row.name_en, "position": row.position,
            "active": row.active}


def task_types(ctx: AppContext, active_only: bool = True) -> list[dict[str, Any]]:
    """Task types in their order: code, name_zh, name_en (and position, active)."""
    with ctx.db.reading() as session:
        rows = while_unchanged(session, "service_task_types", lambda: [_task_type_dict(r) for r in session.execute(
            select(ServiceTaskType).order_by(ServiceTaskType.position, ServiceTaskType.code)).scalars()])
    return [dict(r) for r in rows if r["active"] or not active_only]


def _names(raw: dict[str, Any], errors: dict[str, Message]) -> tuple[str, str]:
    zh = text_value(raw.get("name_zh"), "name_zh", errors, max_length=NAME_MAX, required=True)
    en = text_value(raw.get("name_en"), "name_en", errors, max_length=NAME_MAX) or zh
    return zh, en


def save_task_type(ctx: AppContext, raw: dict[str, Any], *, actor: str) -> dict[str, Any]:
    """Add a task type (a new code goes last) or rename one; `active` false deactivates it."""
    with ctx.db.transaction() as session:
        ensure_may_edit(session, actor, "task_types")
        errors: dict[str, Message] = {}
        code = code_value(raw.get("code"), "code", errors)
        zh, en = _names(raw, errors)
        active = raw.get("active", True)
        if not isinstance(active, bool):
            errors["active"] = Message("as_master.flag_expected")
        if errors:
            raise ValidationFailed("as_master.task_type_refused", errors)
        row = session.get(ServiceTaskType, code)
        created = row is None
        if row is None:
            last = session.execute(select(func.max(ServiceTaskType.position))).scalar()
            row = ServiceTaskType(code=code, position=int(last or 0) + 1)
            session.add(row)
        before = None if created else _task_type_dict(row)
        row.name_zh, row.name_en, row.active = zh, en, bool(active)
        after = _task_type_dict(row)
        if before != after:
            record(session, ctx, actor, "task_type_saved", code=code, created=created, before=before, after=after)
        return after


def set_task_type_active(ctx: AppContext, code: str, active: bool, *, actor: str) -> dict[str, Any]:
    with ctx.db.transaction() as session:
        ensure_may_edit(session, actor, "task_types")
        row = session.get(ServiceTaskType, code)
        if row is None:
            raise NotFound("as_master.task_type_missing", code=code)
        if row.active != active:
            row.active = active
            record(session, ctx, actor, "task_type_activated" if active else "task_type_deactivated", code=code)
        return _task_type_dict(row)


def reorder_task_types(ctx: AppContext, codes: list[str], *, actor: str) -> list[dict[str, Any]]:
    """The task types in the order of `codes` (every code exactly once)."""
    with ctx.db.transaction() as session:
        ensure_may_edit(session, actor, "task_types")
        rows = {r.code: r for r in session.execute(select(ServiceTaskType)).scalars()}
        if not isinstance(codes, list) or sorted(map(str, codes)) != sorted(rows) or len(set(codes)) != len(codes):
            raise ValidationFailed("as_master.task_type_refused", {"codes": Message(
                "as_master.order_every_code", {"codes": ", ".join(sorted(rows))})})
        before = [c for c, _ in sorted(((c, r.position) for c, r in rows.items()), key=lambda x: x[1])]
        for position, code in enumerate(codes, start=1):
            rows[code].position = position
        if before != codes:
            record(session, ctx, actor, "task_types_reordered", before=before, after=codes)
        return [_task_type_dict(rows[c]) for c in codes]


def move_task_type(ctx: AppContext, code: str, step: int, *, actor: str) -> list[dict[str, Any]]:
    """One place up (step -1) or down (+1): the page's arrows."""
    order = [t["code"] for t in task_types(ctx, active_only=False)]
    if code not in order:
        raise NotFound("as_master.task_type_missing", code=code)
    at = order.index(code)
    to = max(0, min(len(order) - 1, at + (1 if step > 0 else -1)))
    order.insert(to, order.pop(at))
    return reorder_task_types(ctx, order, actor=actor)


# --- parts -----------------------------------------------------------------------------------------


def _part_dict(row: ServicePart) -> dict[str, Any]:
    return {"material_no": row.material_no, "name": row.name, "unit": row.unit, "price_fen": row.price_fen,
            "price": yuan(row.price_fen)}


def parts(ctx: AppContext) -> dict[str, dict[str, Any]]:
    """Parts by material no.: material_no, name, unit, price_fen (int fen) and price ("120.50" yuan)."""
    with ctx.db.reading() as session:
        rows = while_unchanged(session, "service_parts", lambda: {r.material_no: _part_dict(r) for r in session.execute(
            select(ServicePart).order_by(ServicePart.material_no)).scalars()})
    return {k: dict(v) for k, v in rows.items()}


def check_part(raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Message]]:
    errors: dict[str, Message] = {}
    values = {"material_no": text_value(raw.get("material_no"), "material_no", errors, max_length=MATERIAL_MAX,
                                        required=True),
              "name": text_value(raw.get("name"), "name", errors, max_length=PART_NAME_MAX, required=True),
              "unit": text_value(raw.get("unit"), "unit", errors, max_length=UNIT_MAX),
              "price_fen": fen_value(raw.get("price"), "price", errors)}
    return values, errors


def save_part(ctx: AppContext, raw: dict[str, Any], *, actor: str) -> dict[str, Any]:
    """Add a part or change one (by material no.); `price` in yuan (12.50)."""
    with ctx.db.transaction() as session:
        ensure_may_edit(session, actor, "parts")
        values, errors = check_part(raw)
        if errors:
            raise ValidationFailed("as_master.part_refused", errors)
        row = session.get(ServicePart, values["material_no"])
        created = row is None
        if row is None:
            _ensure_room(session, ServicePart)
            row = ServicePart(material_no=values["material_no"])
            session.add(row)
        before = None if created else _part_dict(row)
        row.name, row.unit, row.price_fen = values["name"], values["unit"], values["price_fen"]
        after = _part_dict(row)
        if before != after:
            record(session, ctx, actor, "part_saved", material_no=row.material_no, created=created, before=before,
                   after=after)
        return after


def delete_part(ctx: AppContext, material_no: str, *, actor: str) -> None:
    with ctx.db.transaction() as session:
        ensure_may_edit(session, actor, "parts")
        row = session.get(ServicePart, material_no)
        if row is None:
            raise NotFound("as_master.part_missing", material_no=material_no)
        record(session, ctx, actor, "part_deleted", material_no=material_no, before=_part_dict(row))
        session.delete(row)


def _ensure_room(session: Session, model: type[ServicePart] | type[ServiceFeeItem]) -> None:
    if session.execute(select(func.count()).select_from(model)).scalar_one() >= MAX_ROWS:
        raise ValidationFailed("as_master.list_full", {"": Message("as_master.list_full", {"max": MAX_ROWS})})


# --- fee items -------------------------------------------------------------------------------------


def _fee_dict(row: ServiceFeeItem) -> dict[str, Any]:
    return {"code": row.code, "name_zh": row.name_zh, "name_en": row.name_en, "task_type": row.task_type,
            "unit": row.unit, "amount_fen": row.amount_fen, "amount": yuan(row.amount_fen), "position": row.position}


def fee_items(ctx: AppContext) -> list[dict[str, Any]]:
    """The fee table in its order: code, name_zh, name_en, task_type (None: any), unit, amount_fen, amount."""
    with ctx.db.reading() as session:
        rows = while_unchanged(session, "service_fee_items", lambda: [_fee_dict(r) for r in session.execute(
            select(ServiceFeeItem).order_by(ServiceFeeItem.position, ServiceFeeItem.code)).scalars()])
    return [dict(r) for r in rows]


def save_fee_item(ctx: AppContext, raw: dict[str, Any], *, actor: str) -> dict[str, Any]:
    """Add or change a fee item (by code); `amount` in yuan per `unit` (次, 小时 …)."""
    with ctx.db.transaction() as session:
        ensure_may_edit(session, actor, "fee_items")
        errors: dict[str, Message] = {}
        code = code_value(raw.get("code"), "code", errors)
        zh, en = _names(raw, errors)
        unit = text_value(raw.get("unit"), "unit", errors, max_length=UNIT_MAX)
        amount = fen_value(raw.get("amount"), "amount", errors)
        task_type = raw.get("task_type") or None
        if task_type is not None and (not isinstance(task_type, str)
                                      or session.get(ServiceTaskType, task_type) is None):
            errors["task_type"] = Message("as_master.task_type_unknown", {"code": str(task_type)[:40]})
        if errors:
            raise ValidationFailed("as_master.fee_item_refused", errors)
        row = session.get(ServiceFeeItem, code)
        created = row is None
        if row is None:
            _ensure_room(session, ServiceFeeItem)
            last = session.execute(select(func.max(ServiceFeeItem.position))).scalar()
            row = ServiceFeeItem(code=code, position=int(last or 0) + 1)
            session.add(row)
        before = None if created else _fee_dict(row)
        row.name_zh, row.name_en, row.unit, row.amount_fen, row.task_type = zh, en, unit, amount, task_type
        after = _fee_dict(row)
        if before != after:
            record(session, ctx, actor, "fee_item_saved", code=code, created=created, before=before, after=after)
        return after


def delete_fee_item(ctx: AppContext, code: str, *, actor: str) -> None:
    with ctx.db.transaction() as session:
        ensure_may_edit(session, actor, "fee_items")
        row = session.get(ServiceFeeItem, code)
        if row is None:
            raise NotFound("as_master.fee_item_missing", code=code)
        record(session, ctx, actor, "fee_item_deleted", code=code, before=_fee_dict(row))
        session.delete(row)
