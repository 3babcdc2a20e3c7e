"""Rule 6: which planning documents are still missing before the work starts.

Which documents a kind of support needs is not decided here: the decision table
`planning_documents` (processes/technical_support_planning.dmn) gives the lists, so the
process owner changes them without a release. A document is named by its code; the form
field holding it is `doc_<code>` (e.g. `proposal` → `doc_proposal`, which the proposal
sub-process fills in when a proposal was written).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from . import documents


def field_of(code: str) -> str:
    """The case variable (form field) that holds the document with this code."""
    return f"doc_{code}"


def attached(code: str, data: Mapping[str, Any]) -> list[str]:
    """The upload references attached for a document (none when the field is empty or holds no reference)."""
    return documents.references(data.get(field_of(code)))


def missing_documents(required: Iterable[str], data: Mapping[str, Any], waived: Iterable[str] = ()) -> list[str]:
    """Required documents neither attached nor waived by the technical director, in the table's order."""
    waived_set = set(waived or ())
    return [code for code in required if not attached(code, data) and code not in waived_set]
