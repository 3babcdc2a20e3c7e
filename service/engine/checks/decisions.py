"""Decision table cells checked as the engine will run them, so a table that would fail in a running
case is refused at deploy with its rule and column.

SpiffWorkflow's DMN engine (`dmn/engine/DMNEngine.py`) evaluates every cell with the restricted
evaluator: an input cell `X` under the column expression `E` becomes `(E) == (X)` when `X` is an
expression of its own, else `E X` (so `> 1000` works), and `?` in a cell stands for the column's
value; `-` or an empty cell matches anything. Output cells are expressions. Cells written in FEEL
(`true`, `[1..10]`, `"a","b"`) are not Python and are refused with what to write instead.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from lxml import etree

from service.domain.messages import Message

from .. import safe_eval
from ..problems import Problem
from .expressions import feel_names, names_loaded

_OUTSIDE_QUOTES_QUESTION = re.compile(r'(\?)(?=(?:[^\'"]|[\'"][^\'"]*[\'"])*$)')  # as the engine finds `?`
HIT_POLICIES = frozenset({"UNIQUE", "FIRST", "ANY", "COLLECT"})  # the engine returns the first match or all


def _local(node: etree._Element) -> str | None:
    return etree.QName(node).localname if isinstance(node.tag, str) else None


def _children(node: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in node if _local(c) == name]


def _text(node: etree._Element | None) -> str | None:
    if node is None:
        return None
    found = _children(node, "text")
    return found[0].text if found else None


def _refusal(source: str) -> str | None:
    try:
        safe_eval.check_expression(source)
    except safe_eval.UnsafeExpression as exc:
        return str(exc)
    return None


def input_cell_refusal(column: str, cell: str) -> str | None:
    """Why the engine would fail on this input cell, or None."""
    if _OUTSIDE_QUOTES_QUESTION.search(cell):
        return _refusal(_OUTSIDE_QUOTES_QUESTION.sub("dmninputexpr", cell))
    try:
        safe_eval.check_expression(cell)
        return _refusal(f"({column}) == ({cell})")
    except safe_eval.UnsafeSyntax:
        pass  # the engine then reads it as a comparison with the column: `> 1000`
    except safe_eval.UnsafeExpression as exc:
        return str(exc)
    return _refusal(f"v {cell}") or _refusal(column + cell)


def decision_problems(filename: str, tree: etree._ElementTree) -> list[Problem]:
    """Every cell, column and table setting of the file's decision tables that would fail or be ignored."""
    return list(_problems(filename, tree))


def _problems(filename: str, tree: etree._ElementTree) -> Iterator[Problem]:
    for table in tree.getroot().iter():
        if _local(table) != "decisionTable":
            continue
        yield from _table_settings(filename, table)
        inputs = _children(table, "input")
        columns: list[str | None] = []
        for column in inputs:
            expression = _text(next(iter(_children(column, "inputExpression")), None))
            columns.append(expression)
            if expression is None or not expression.strip():
                yield _said(filename, column, "decisions.input_no_expression", label=_label(column))
            elif (why := _refusal(expression)) is not None:
                yield _said(filename, column, "decisions.input_refused", label=_label(column), text=expression,
                            reason=why)
        for row, rule in enumerate(_children(table, "rule"), start=1):
            yield from _rule_problems(filename, rule, row, inputs, columns)


def _table_settings(filename: str, table: etree._Element) -> Iterator[Problem]:
    policy = (table.get("hitPolicy") or "UNIQUE").upper()
    if policy not in HIT_POLICIES:
        yield _said(filename, table, "decisions.hit_policy", policy=policy, supported="UNIQUE, FIRST, ANY, COLLECT")
    if table.get("aggregation"):
        yield _said(filename, table, "decisions.aggregation", aggregation=table.get("aggregation"))


def _rule_problems(filename: str, rule: etree._Element, row: int, inputs: list[etree._Element],
                   columns: list[str | None]) -> Iterator[Problem]:
    for index, entry in enumerate(_children(rule, "inputEntry")):
        cell = _text(entry)
        column = columns[index] if index < len(columns) else None
        if cell is None or cell == "-" or column is None or not column.strip():
            continue  # matches anything; a column without expression is said once above
        label = _label(inputs[index])
        if not cell.strip():
            yield _said(filename, entry, "decisions.cell_blank", row=row, label=label)
        elif (why := input_cell_refusal(column, cell)) is not None:
            yield _cell(filename, entry, row, label, cell, why)
        elif _bare_tuple(cell):  # FEEL's "one of": Python reads a tuple, which equals no single value
            yield _said(filename, entry, "decisions.cell_feel_list", row=row, label=label, text=cell.strip()[:80],
                        fix=f"? in ({cell.strip()[:80]})")
        elif feel := feel_names(names_loaded(cell)):
            yield _feel(filename, entry, row, label, cell, feel)
    outputs = [c for c in rule.getparent() if _local(c) == "output"] if rule.getparent() is not None else []
    for index, entry in enumerate(_children(rule, "outputEntry")):
        cell = _text(entry)
        if cell is None or not cell.strip():
            continue  # the engine sets the output to ""
        label = _label(outputs[index]) if index < len(outputs) else str(index + 1)
        if (why := _refusal(cell)) is not None:
            yield _cell(filename, entry, row, label, cell, why)
        elif feel := feel_names(names_loaded(cell)):
            yield _feel(filename, entry, row, label, cell, feel)


def _bare_tuple(cell: str) -> bool:
    try:
        tree = ast.parse(cell.strip(), mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return False
    return isinstance(tree.body, ast.Tuple) and not cell.strip().startswith("(")


def _label(column: etree._Element) -> str:
    return column.get("label") or column.get("name") or column.get("id") or "?"


def _cell(filename: str, entry: etree._Element, row: int, label: str, cell: str, why: str) -> Problem:
    return _said(filename, entry, "decisions.cell_refused", row=row, label=label, text=cell.strip()[:80], reason=why)


def _feel(filename: str, entry: etree._Element, row: int, label: str, cell: str, feel: dict[str, str]) -> Problem:
    return _said(filename, entry, "decisions.cell_feel", row=row, label=label, text=cell.strip()[:80],
                 names=", ".join(feel), python=", ".join(feel.values()))


def _said(filename: str, node: etree._Element, code: str, **params: object) -> Problem:
    return Problem.said(filename, node.sourceline, node.get("id", ""), Message(code, params))
