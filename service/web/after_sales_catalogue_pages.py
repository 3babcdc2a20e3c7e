"""售后主数据 / After-sales master data, the short lists: the sales-region tree (create, rename, move,
delete), task types (add, rename, deactivate, reorder), parts and fee items.

Each form posts one change; a refusal shows the page again with the messages beside the form's fields
(status 400), a change someone may not make is the 403 page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, request, url_for

from service.operations import after_sales_master as master
from service.operations.errors import ValidationFailed
from service.web import bp
from service.web.after_sales_master_pages import editor, edits, int_arg, reader
from service.web.common import context, page
from service.web.i18n import language, t


def _change(kind: str, form: str, back: str, render: Callable[..., Any],  # type: ignore[no-untyped-def]
            action: Callable[[str], str]):
    """Run one change; flash what `action` says it did, or show the page again with the errors."""
    actor = editor(kind)
    try:
        done = action(actor)
    except ValidationFailed as exc:
        return render(400, errors={form: exc.field_errors(language())}, sent={form: request.form.to_dict()})
    flash(done, "success")
    return redirect(url_for(back))


def _field(name: str) -> str:
    return request.form.get(name, "")


# --- regions -----------------------------------------------------------------------------------


def _regions_page(status: int = 200, **values: Any):  # type: ignore[no-untyped-def]
    reader()
    values.setdefault("errors", {})
    values.setdefault("sent", {})
    return page("after_sales_regions.html", status, tree=master.region_tree(context()),
                regions=master.region_list(context()), may_edit=edits("regions"), **values)


def _region_id(name: str) -> int:
    found = int_arg(_field(name))
    if found is None:
        raise ValidationFailed("as_master.region_refused", {name: t("asm.regions.pick")})
    return found


@bp.get("/after-sales/regions")
def as_master_regions():  # type: ignore[no-untyped-def]
    return _regions_page()


@bp.post("/after-sales/regions/create")
def as_master_region_create():  # type: ignore[no-untyped-def]
    def create(actor: str) -> str:
        made = master.create_region(context(), name=_field("name"), parent_id=int_arg(_field("parent_id")),
                                    actor=actor)
        return t("asm.regions.created", path=made["path"])
    return _change("regions", "create", "web.as_master_regions", _regions_page, create)


@bp.post("/after-sales/regions/rename")
def as_master_region_rename():  # type: ignore[no-untyped-def]
    def rename(actor: str) -> str:
        made = master.rename_region(context(), _region_id("region_id"), name=_field("name"), actor=actor)
        return t("asm.regions.renamed", path=made["path"])
    return _change("regions", "rename", "web.as_master_regions", _regions_page, rename)


@bp.post("/after-sales/regions/move")
def as_master_region_move():  # type: ignore[no-untyped-def]
    def move(actor: str) -> str:
        made = master.move_region(context(), _region_id("region_id"), parent_id=int_arg(_field("parent_id")),
                                  actor=actor)
        return t("asm.regions.moved", path=made["path"])
    return _change("regions", "move", "web.as_master_regions", _regions_page, move)


@bp.post("/after-sales/regions/delete")
def as_master_region_delete():  # type: ignore[no-untyped-def]
    def delete(actor: str) -> str:
        region_id = _region_id("region_id")
        path = master.region_path(context(), region_id)
        master.delete_region(context(), region_id, actor=actor)
        return t("asm.regions.deleted", path=path)
    return _change("regions", "delete", "web.as_master_regions", _regions_page, delete)


# --- task types --------------------------------------------------------------------------------


def _task_types_page(status: int = 200, **values: Any):  # type: ignore[no-untyped-def]
    reader()
    values.setdefault("errors", {})
    values.setdefault("sent", {})
    return page("after_sales_task_types.html", status, rows=master.task_types(context(), active_only=False),
                may_edit=edits("task_types"), **values)


@bp.get("/after-sales/task-types")
def as_master_task_types():  # type: ignore[no-untyped-def]
    return _task_types_page()


@bp.post("/after-sales/task-types")
def as_master_task_type_save():  # type: ignore[no-untyped-def]
    form = _field("form") if _field("form") in ("add",) else "row-" + _field("code")[:32]

    def save(actor: str) -> str:
        current = next((r for r in master.task_types(context(), active_only=False) if r["code"] == _field("code")),
                       None)
        master.save_task_type(context(), {"code": _field("code"), "name_zh": _field("name_zh"),
                                          "name_en": _field("name_en"),
                                          "active": current["active"] if current else True}, actor=actor)
        return t("asm.saved")
    return _change("task_types", form, "web.as_master_task_types", _task_types_page, save)


@bp.post("/after-sales/task-types/<code>/active")
def as_master_task_type_active(code: str):  # type: ignore[no-untyped-def]
    def switch(actor: str) -> str:
        master.set_task_type_active(context(), code, _field("active") == "1", actor=actor)
        return t("asm.saved")
    return _change("task_types", "row-" + code[:32], "web.as_master_task_types", _task_types_page, switch)


@bp.post("/after-sales/task-types/<code>/move")
def as_master_task_type_move(code: str):  # type: ignore[no-untyped-def]
    def move(actor: str) -> str:
        master.move_task_type(context(), code, -1 if _field("step") == "up" else 1, actor=actor)
        return t("asm.saved")
    return _change("task_types", "row-" + code[:32], "web.as_master_task_types", _task_types_page, move)


# --- parts -------------------------------------------------------------------------------------


def _parts_page(status: int = 200, **values: Any):  # type: ignore[no-untyped-def]
    reader()
    values.setdefault("errors", {})
    values.setdefault("sent", {})
    return page("after_sales_parts.html", status, rows=list(master.parts(context()).values()),
                may_edit=edits("parts"), **values)


@bp.get("/after-sales/parts")
def as_master_parts():  # type: ignore[no-untyped-def]
    return _parts_page()


@bp.post("/after-sales/parts")
def as_master_part_save():  # type: ignore[no-untyped-def]
    form = "add" if _field("form") == "add" else "row-" + _field("material_no")[:64]

    def save(actor: str) -> str:
        saved = master.save_part(context(), {name: _field(name) for name in ("material_no", "name", "unit", "price")},
                                 actor=actor)
        return t("asm.saved") + f" · {saved['material_no']}"
    return _change("parts", form, "web.as_master_parts", _parts_page, save)


@bp.post("/after-sales/parts/delete")
def as_master_part_delete():  # type: ignore[no-untyped-def]
    def delete(actor: str) -> str:
        master.delete_part(context(), _field("material_no"), actor=actor)
        return t("asm.deleted") + f" · {_field('material_no')}"
    return _change("parts", "row-" + _field("material_no")[:64], "web.as_master_parts", _parts_page, delete)


# --- fee items ---------------------------------------------------------------------------------


def _fees_page(status: int = 200, **values: Any):  # type: ignore[no-untyped-def]
    reader()
    values.setdefault("errors", {})
    values.setdefault("sent", {})
    return page("after_sales_fee_items.html", status, rows=master.fee_items(context()),
                task_types=master.task_types(context(), active_only=False), may_edit=edits("fee_items"), **values)


@bp.get("/after-sales/fee-items")
def as_master_fee_items():  # type: ignore[no-untyped-def]
    return _fees_page()


@bp.post("/after-sales/fee-items")
def as_master_fee_item_save():  # type: ignore[no-untyped-def]
    form = "add" if _field("form") == "add" else "row-" + _field("code")[:32]

    def save(actor: str) -> str:
        saved = master.save_fee_item(context(), {name: _field(name) for name in (
            "code", "name_zh", "name_en", "unit", "amount", "task_type")}, actor=actor)
        return t("asm.saved") + f" · {saved['code']}"
    return _change("fee_items", form, "web.as_master_fee_items", _fees_page, save)


@bp.post("/after-sales/fee-items/delete")
def as_master_fee_item_delete():  # type: ignore[no-untyped-def]
    def delete(actor: str) -> str:
        master.delete_fee_item(context(), _field("code"), actor=actor)
        return t("asm.deleted") + f" · {_field('code')}"
    return _change("fee_items", "row-" + _field("code")[:32], "web.as_master_fee_items", _fees_page, delete)
