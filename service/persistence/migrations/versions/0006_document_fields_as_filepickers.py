"""documents in deployed forms become form-js filepicker fields

Revision ID: 0006
Revises: 0005

Why: a document used to be a text field named `doc_*` filled by a separate upload box; now it is
form-js's own `filepicker` component, and the name no longer means anything. Versions deployed
before keep running (their cases stay on them), so their stored form definitions
(process_definitions.forms) are rewritten the same way the form files are: each `doc_*` text field
becomes a filepicker with the same id, key, label, description, required flag, condition and
layout. Case values are untouched: they already are `upload:<sha256>/<name>` references. The
deployed files' content hash stays as it is (it names the files as deployed).
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

PREFIX = 'doc_'
KEPT = ('id', 'key', 'label', 'description', 'conditional', 'layout', 'properties', 'disabled', 'readonly')

definitions = sa.table('process_definitions', sa.column('id', sa.Integer), sa.column('forms', sa.JSON))


def _as_filepicker(component: dict[str, Any]) -> dict[str, Any]:
    picker = {name: component[name] for name in KEPT if name in component}
    picker['type'] = 'filepicker'
    if (component.get('validate') or {}).get('required'):
        picker['validate'] = {'required': True}
    return picker


def _as_textfield(component: dict[str, Any]) -> dict[str, Any]:
    field = {name: component[name] for name in KEPT if name in component}
    field['type'] = 'textfield'
    if 'validate' in component:
        field['validate'] = dict(component['validate'])
    return field


def _rewrite(components: Any, old_type: str, change: Any) -> tuple[Any, bool]:
    if not isinstance(components, list):
        return components, False
    changed, out = False, []
    for component in components:
        if isinstance(component, dict):
            if component.get('type') == old_type and str(component.get('key') or '').startswith(PREFIX):
                component, changed = change(component), True
            elif 'components' in component:
                inner, inner_changed = _rewrite(component['components'], old_type, change)
                if inner_changed:
                    component, changed = {**component, 'components': inner}, True
        out.append(component)
    return out, changed


def _convert(old_type: str, change: Any) -> None:
    connection = op.get_bind()
    for row_id, forms in connection.execute(sa.select(definitions.c.id, definitions.c.forms)).all():
        if not isinstance(forms, dict):
            continue
        updated, touched = {}, False
        for form_key, form in forms.items():
            if isinstance(form, dict):
                components, changed = _rewrite(form.get('components'), old_type, change)
                if changed:
                    form, touched = {**form, 'components': components}, True
            updated[form_key] = form
        if touched:
            connection.execute(definitions.update().where(definitions.c.id == row_id).values(forms=updated))


def upgrade() -> None:
    _convert('textfield', _as_filepicker)


def downgrade() -> None:
    _convert('filepicker', _as_textfield)
