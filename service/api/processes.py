"""Process definitions and instances."""

from __future__ import annotations

import re

from flask import jsonify, request
from werkzeug.datastructures import FileStorage

from service.api import bp
from service.api.auth import caller, context, signed_in
from service.api.errors import json_body, object_field
from service.api.language import language
from service.domain.input_limits import business_key_problem
from service.domain.messages import Message
from service.operations import cases, inbox, queries
from service.operations.deploy import add_uploaded_translations, bundles_from_uploads, deploy_bundle
from service.operations.errors import ValidationFailed
from service.operations.localise import (
    localise_case,
    localise_case_events,
    localise_form,
    localise_process,
    localise_processes,
)
from service.operations.process_drafts import check_may_change

MAX_UPLOAD = 5 * 1024 * 1024
FILE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,127}")


@bp.get("/process-definitions")
@signed_in
def list_definitions():  # type: ignore[no-untyped-def]
    return jsonify(localise_processes(context(), queries.definitions(context()), language()))


@bp.get("/process-definitions/<process_id>")
@signed_in
def get_definition(process_id: str):  # type: ignore[no-untyped-def]
    """The latest version of a process, with its start form and start roles."""
    ctx, lang = context(), language()
    found = inbox.start_form(ctx, process_id)
    found["start_form"] = localise_form(ctx, process_id, found["version"], found["start_form"], lang)
    return jsonify(localise_process(ctx, found, lang))


@bp.post("/process-definitions")
@signed_in
def upload_definition():  # type: ignore[no-untyped-def]
    """multipart: `bpmn` (one or more diagrams: .bpmn, .bpmn20.xml, .xml, any name), optional `dmn`
    files, `form` files (<formKey>.form) and `translation` files (<process_id>.en.json,
    <formKey>.en.json). Every executable process in the diagrams is deployed, keyed by its own id;
    the answer is the first one's, and `processes` lists them all."""
    actor = caller()
    with context().db.reading() as session:
        check_may_change(session, actor)  # the editor's rule: process owners only
    diagrams = [f for f in request.files.getlist("bpmn") if f.filename]
    if not diagrams:
        raise ValidationFailed("process.no_diagram_sent", {"bpmn": Message("process.bpmn_field")})
    _check_file_names(diagrams, request.files.getlist("dmn"), request.files.getlist("form"),
                      request.files.getlist("translation"))
    files = {_shown_name(f): f.read(MAX_UPLOAD + 1) for f in diagrams + request.files.getlist("dmn")}
    forms = {(f.filename or "").rsplit(".", 1)[0]: f.read(MAX_UPLOAD + 1).decode("utf-8", "replace")
             for f in request.files.getlist("form")}
    translations = {f.filename or "": f.read(MAX_UPLOAD + 1) for f in request.files.getlist("translation")}
    results = []
    for bundle in bundles_from_uploads(files, forms):
        add_uploaded_translations(bundle, translations)
        results.append(deploy_bundle(context(), bundle, actor=actor))
    shown = [{"process_id": r.process_id, "version": r.version, "created": r.created} for r in results]
    return jsonify({**shown[0], "processes": shown}), (201 if any(r.created for r in results) else 200)


def _shown_name(upload: FileStorage) -> str:
    """The name problems give the file: its own, without any folder a browser sent."""
    return (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1][:128]


def _check_file_names(diagrams: list[FileStorage], dmns: list[FileStorage], forms: list[FileStorage],
                      translations: list[FileStorage]) -> None:
    """Diagrams and decision tables may have any name (ids come from their content); form and
    translation names become form keys and process ids: plain names with the right extension."""
    errors = {}
    for field, uploads, ends in (("bpmn", diagrams, (".bpmn", ".bpmn20.xml", ".xml")),
                                 ("dmn", dmns, (".dmn", ".dmn11.xml", ".xml"))):
        for upload in uploads:
            name = _shown_name(upload)
            if not name.lower().endswith(ends) or not name.isprintable():
                errors[field] = Message("process.file_name", {"name": name[:80], "pattern": " / ".join(ends)})
    for field, uploads, ext in (("form", forms, ".form"), ("translation", translations, ".en.json")):
        for upload in uploads:
            name = upload.filename or ""
            if not FILE_NAME.fullmatch(name) or not name.endswith(ext):
                errors[field] = Message("process.file_name", {"name": name[:80], "pattern": f"<id>{ext}"})
    if errors:
        raise ValidationFailed("process.file_names_refused", errors)


@bp.post("/process-instances")
@signed_in
def start_instance():  # type: ignore[no-untyped-def]
    body = json_body()
    process_id = body.get("process_id")
    if not isinstance(process_id, str) or not process_id:
        raise ValidationFailed("process.id_missing", {"process_id": Message("field.required")})
    data = object_field(body, "data")
    business_key = body.get("business_key")
    problem = business_key_problem(business_key)
    if problem:
        raise ValidationFailed("case.business_key_refused", {"business_key": problem})
    instance_id = cases.start_case(context(), process_id=process_id, actor=caller(), data=data,
                                   business_key=business_key)
    shown = queries.show_case(context(), instance_id, actor=caller())  # as the starter may see it (case_view)
    return jsonify(localise_case(context(), shown, language())), 201


@bp.get("/process-instances/<int:instance_id>")
@signed_in
def get_instance(instance_id: int):  # type: ignore[no-untyped-def]
    return jsonify(localise_case(context(), queries.show_case(context(), instance_id, actor=caller()), language()))


@bp.get("/process-instances/<int:instance_id>/events")
@signed_in
def get_events(instance_id: int):  # type: ignore[no-untyped-def]
    return jsonify(localise_case_events(context(), instance_id, queries.history(context(), instance_id,
                                                                                actor=caller()), language()))
