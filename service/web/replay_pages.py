"""The step-through page: a case replayed event by event on its own diagram.

The frames come from operations.replay_frames (the replayed workflow after each event); here they are
only put into the reader's words — the event as the case page's timeline says it, who did it, the
field labels of the version's forms — the same for the page and the API (`frames_in_words`). The page
hands the frames to static/app/replay.js in a JSON data block (the policy runs no inline script).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import request, url_for

from service.domain.roles import role_label
from service.operations import inbox
from service.operations.context import AppContext
from service.operations.localise import localise_element_names, localise_forms
from service.operations.replay_frames import replay_frames
from service.web import bp
from service.web.case_pages import show_value
from service.web.common import context, me, page, when
from service.web.form_view import labels
from service.web.i18n import known, language, t, translate

Label = Callable[..., str]
MACHINES = {"system": "ev.system", "worker": "ev.worker"}


class _VersionWords:
    """Per version: field labels and option labels of its forms, names of its elements (read once)."""

    def __init__(self, ctx: AppContext, process_id: str, lang: str, label: Label):
        self.ctx, self.process_id, self.lang, self.label = ctx, process_id, lang, label
        self.found: dict[int, tuple[dict[str, str], dict[str, dict[str, str]], dict[str, str]]] = {}

    def of(self, version: int | None) -> tuple[dict[str, str], dict[str, dict[str, str]], dict[str, str]]:
        if version is None:
            return {}, {}, {}
        if version not in self.found:
            info = inbox.definition_info(self.ctx, self.process_id, version)
            fields, options = labels(localise_forms(self.ctx, self.process_id, version, info["forms"], self.lang))
            fields.update({k: self.label("var.due_of", task=name) for k, name in info["due_of"].items()
                           if k not in fields})
            names = localise_element_names(self.ctx, self.process_id, version,
                                           inbox.element_names(self.ctx, self.process_id, version), self.lang)
            self.found[version] = fields, options, names
        return self.found[version]


def _field_label(name: str, fields: dict[str, str], label: Label) -> str:
    return fields.get(name) or (label(f"var.{name}") if known(f"var.{name}") else name)


def _people(value: Any, names: dict[str, str]) -> str:
    if isinstance(value, list):
        return "、".join(names.get(str(v), str(v)) for v in value)
    return names.get(str(value), str(value)) if value else ""


def event_sentence(frame: dict[str, Any], element_names: dict[str, str], names: dict[str, str],
                   label: Label, lang: str) -> str:
    """The event as the case page's timeline says it (its `ev.*` sentences), in `label`'s language."""
    p, kind = frame["payload"], frame["type"]
    element = frame.get("element_id") or ""
    values = {"actor": frame["actor_name"], "type": kind,
              "name": frame.get("name") or element_names.get(element) or p.get("operation") or element,
              "role": role_label(p["role"], lang) if p.get("role") else "", "subject": p.get("subject", ""),
              "error": p.get("error", ""), "reason": p.get("reason", ""), "to": _people(p.get("to"), names),
              "from": _people(p.get("from"), names), "text": p.get("text", ""),
              "case": p.get("linked_case") or p.get("parent_case") or "",
              "from_version": p.get("from_version", ""), "to_version": p.get("to_version", "")}
    key = f"ev.{kind}"
    return label(key, **values) if known(key) else label("ev.other", **values)


def frames_in_words(ctx: AppContext, result: dict[str, Any], lang: str) -> dict[str, Any]:
    """The frames with the event's sentence, the actor's and role's names and the changed fields' labels."""
    def label(key: str, **values: Any) -> str:
        return translate(lang, key, **values)

    words = _VersionWords(ctx, result["case"]["process_id"], lang, label)
    names = {f["actor"]: f["actor_name"] for f in result["frames"]}
    frames = []
    for frame in result["frames"]:
        fields, _options, elements = words.of(frame["version"])
        actor = label(MACHINES[frame["actor"]]) if frame["actor"] in MACHINES else frame["actor_name"]
        shown = {**frame, "actor_name": actor}
        shown["label"] = event_sentence(shown, elements, names, label, lang)
        shown["role_name"] = role_label(frame["role"], lang) if frame["role"] else ""
        shown["changes"] = [{**c, "label": _field_label(c["field"], fields, label)} for c in frame["changes"]]
        shown["documents"] = [{**d, "label": _field_label(d["field"], fields, label)} for d in frame["documents"]]
        frames.append(shown)
    return {**result, "frames": frames}


def _for_page(ctx: AppContext, result: dict[str, Any]) -> dict[str, Any]:
    """Values as the case page shows them (option labels, 是/否, people, times) and download links."""
    case_id = result["case"]["id"]
    words = _VersionWords(ctx, result["case"]["process_id"], language(), t)
    people = {u["username"]: u["display_name"] for u in inbox.user_list(ctx)}
    for frame in result["frames"]:
        _fields, options, _names = words.of(frame["version"])
        frame["when"] = when(frame["at"])
        for change in frame["changes"]:
            for side in ("old", "new"):
                change[f"{side}_text"] = show_value(change[side], options.get(change["field"], {}), people)
        for document in frame["documents"]:
            document["url"] = url_for("web.case_document", case_id=case_id, ref=document["reference"])
            document["sha_short"] = document["sha256"][:12]
    return result


def _step(total: int) -> int:
    """?step=N (1 = the first event), kept within the events; anything else: the first."""
    try:
        asked = int(request.args.get("step", "1"))
    except ValueError:
        return 1
    return min(max(asked, 1), max(total, 1))


@bp.get("/cases/<int:instance_id>/replay")
def case_replay(instance_id: int):  # type: ignore[no-untyped-def]
    ctx, lang = context(), language()
    result = replay_frames(ctx, instance_id, actor=me()["username"], lang=lang)
    result = _for_page(ctx, frames_in_words(ctx, result, lang))
    verdict = result["verdict"]
    at = verdict.get("diverges_at")
    config = {"frames": result["frames"], "versions": result["versions"], "step": _step(len(result["frames"])),
              "labels": {"stepOf": t("replay.step_of", n="{n}", total="{total}"), "empty": t("replay.empty"),
                         "diagram": t("replay.diagram", version="{version}"),
                         "migrated": t("replay.migrated_note", version="{version}"),
                         "noChanges": t("replay.no_changes"), "noDocuments": t("replay.no_documents")}}
    return page("case_replay.html", case=result["case"], verdict=verdict, config=config,
                diverged_when=when(at["at"]) if at else "", frames=result["frames"])
