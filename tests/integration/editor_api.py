"""What the process editor's API tests share: a client that reads whole diagrams back, bearer tokens for
the demo people, and small readers of drafts, saves and the stored rows and events."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from service.config import PROJECT_ROOT
from service.operations import users
from service.persistence.models import Event

MAIN = "technical_support"
CONFLICT = "technical_support_conflict"
SOURCE = (PROJECT_ROOT / "processes" / f"{MAIN}.bpmn").read_text(encoding="utf-8")


class _Client(FlaskClient):
    """Reads answers with plain JSON: they carry whole diagrams, beyond the limits for requests."""

    def open(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        response = super().open(*args, **kwargs)
        response.json_module = json
        return response


@pytest.fixture
def client(app):
    return _Client(app, app.response_class, use_cookies=True)


@pytest.fixture
def auth(ctx):
    made: dict[str, dict[str, str]] = {}

    def headers(username: str) -> dict[str, str]:
        if username not in made:
            made[username] = {"Authorization": f"Bearer {users.issue_token(ctx, username)}"}
        return made[username]
    return headers


def _count(ctx, model, *where) -> int:
    with ctx.db.reading() as session:
        return session.execute(select(func.count()).select_from(model).where(*where)).scalar()


def _events(ctx, kind: str) -> list[dict]:
    with ctx.db.reading() as session:
        return [e.payload for e in session.execute(select(Event).where(Event.type == kind)
                                                   .order_by(Event.id)).scalars()]


def _draft(client, auth, process_id=MAIN):
    response = client.get(f"/api/v1/process-drafts/{process_id}", headers=auth("process_owner1"))
    assert response.status_code == 200, response.json
    return response.json


def _save(client, auth, body, process_id=MAIN, who="process_owner1"):
    return client.put(f"/api/v1/process-drafts/{process_id}", headers=auth(who), json=body)


def _edited(draft, old: str, new: str, name: str | None = None) -> dict:
    name = name or f"{draft['process_id']}.bpmn"
    assert old in draft["files"][name]
    files = {**draft["files"], name: draft["files"][name].replace(old, new, 1)}
    return {"files": files, "forms": draft["forms"], "translations": draft["translations"],
            "base_version": draft["base_version"]}

