"""组织架构 / Organisation (admin): the department tree, its forms, the .xlsx import and export.

The views only read the form and call the use cases: every rule (no cycle of superiors, no
department under itself, only empty departments go) lives in operations/organisation.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from flask import Response, flash, redirect, request, url_for

from service.adapters.org_workbook import MAX_FILE_BYTES
from service.operations import org_import, org_views, organisation
from service.operations.errors import Forbidden, ValidationFailed
from service.web import bp
from service.web.common import context, me, page
from service.web.i18n import t

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ID = re.compile(r"^[0-9]{1,9}$")


def _admin_only() -> str:
    if "admin" not in me()["roles"]:
        raise Forbidden("organisation.admin_only", user=me()["username"])
    return str(me()["username"])


def _organisation_page(status: int = 200, **values: Any):  # type: ignore[no-untyped-def]
    tree = org_views.organisation_tree(context())
    people = org_views.list_people(context(), active_only=True)
    chosen = {"person": request.args.get("person", ""), "department": request.args.get("department", "")}
    person = next((p for p in people if p["username"] == chosen["person"]), None)
    values.setdefault("errors", {})
    values.setdefault("sent", {})
    return page("organisation.html", status, tree=tree, people=people, person=person,
                department=next((d for d in tree["flat"] if str(d["id"]) == chosen["department"]), None),
                ids={d["path"]: d["id"] for d in tree["flat"]}, **values)


def _department_id(name: str) -> int | None:
    """A department id from a select ("" means none)."""
    text = request.form.get(name, "").strip()
    if not text:
        return None
    if not ID.match(text):
        raise ValidationFailed("department.refused", {name: t("org.pick_department")})
    return int(text)


def _chosen_department() -> int:
    department_id = _department_id("department")
    if department_id is None:
        raise ValidationFailed("department.none_chosen", {"department": t("org.pick_department")})
    return department_id


def _change(form: str, done: str, action: Callable[[str], Any]):  # type: ignore[no-untyped-def]
    """Run one change; on a refusal show the page again with the messages beside the form's fields."""
    actor = _admin_only()
    try:
        action(actor)
    except ValidationFailed as exc:
        return _organisation_page(400, errors={form: exc.errors}, sent={form: request.form.to_dict()})
    flash(done, "success")
    return redirect(url_for("web.admin_organisation"))


@bp.get("/admin/organisation")
def admin_organisation():  # type: ignore[no-untyped-def]
    _admin_only()
    return _organisation_page()


@bp.post("/admin/organisation/departments")
def org_department_new():  # type: ignore[no-untyped-def]
    name = request.form.get("name", "").strip()
    return _change("new", t("org.created", name=name), lambda actor: organisation.create_department(
        context(), name=name, parent_id=_department_id("parent"), actor=actor))


@bp.post("/admin/organisation/departments/edit")
def org_department_edit():  # type: ignore[no-untyped-def]
    name = request.form.get("name", "").strip()

    def edit(actor: str) -> None:
        organisation.update_department(context(), department_id=_chosen_department(), name=name,
                                       parent_id=_department_id("parent"), actor=actor)

    return _change("edit", t("org.saved"), edit)


@bp.post("/admin/organisation/departments/delete")
def org_department_delete():  # type: ignore[no-untyped-def]
    def delete(actor: str) -> None:
        organisation.delete_department(context(), department_id=_chosen_department(), actor=actor)

    return _change("edit", t("org.deleted"), delete)


@bp.post("/admin/organisation/leader")
def org_leader():  # type: ignore[no-untyped-def]
    def set_leader(actor: str) -> None:
        organisation.set_leader(context(), department_id=_chosen_department(),
                                leader=request.form.get("leader") or None, actor=actor)

    return _change("leader", t("org.saved"), set_leader)


@bp.post("/admin/organisation/people")
def org_place_person():  # type: ignore[no-untyped-def]
    username = request.form.get("username", "")

    def place(actor: str) -> None:
        if not username:
            raise ValidationFailed("organisation.no_person", {"username": t("org.pick_person")})
        organisation.place_user(context(), username=username, department_id=_department_id("department"),
                                superior=request.form.get("superior"), mobile=request.form.get("mobile"),
                                actor=actor)

    return _change("place", t("org.placed", u=username), place)


@bp.post("/admin/organisation/import")
def org_import_upload():  # type: ignore[no-untyped-def]
    actor = _admin_only()
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        return _organisation_page(400, errors={"import": {"file": t("org.import.choose")}})
    try:
        report = org_import.import_organisation(context(), sent.read(MAX_FILE_BYTES + 1), actor=actor)
    except org_import.ImportRejected as exc:
        return _organisation_page(400, problems=exc.problems, file_name=sent.filename)
    return _organisation_page(report=report, file_name=sent.filename)


@bp.get("/admin/organisation/export.xlsx")
def org_export():  # type: ignore[no-untyped-def]
    _admin_only()
    name = f"组织架构-{context().now().astimezone(context().tz):%Y-%m-%d}.xlsx"
    return Response(org_import.export_workbook(context()), mimetype=XLSX, headers={
        "Content-Disposition": f"attachment; filename=\"organisation.xlsx\"; filename*=UTF-8''{quote(name)}"})
