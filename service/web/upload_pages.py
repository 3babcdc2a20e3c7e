"""Uploading a document from a form's file field: the file is stored once and named by its reference."""

from __future__ import annotations

from flask import jsonify, request

from service.adapters.archive_store import MAX_UPLOAD_BYTES, DocumentRejected, DocumentStore
from service.domain.messages import render
from service.web import bp
from service.web.common import context
from service.web.i18n import language, t


@bp.post("/uploads")
def upload():  # type: ignore[no-untyped-def]
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        return jsonify({"error": t("upload.failed") + render("document.no_file", language()),
                        "code": "document.no_file"}), 400
    try:
        stored = DocumentStore(context().settings.home).store_upload(sent.read(MAX_UPLOAD_BYTES + 1), sent.filename)
    except DocumentRejected as exc:
        return jsonify({"error": exc.message.render(language()), **exc.message.as_json()}), 400
    return jsonify({"reference": stored.reference, "name": stored.name, "size": stored.size}), 201
