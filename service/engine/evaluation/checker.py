"""Parse a diagram expression or script and refuse what it may not contain.

The source is parsed first (the parser fails fast and cleanly on absurd nesting, and
"too deeply nested" is the message that tells the author what to fix), then its depth is
measured without recursion, then its length is capped, and only then is the tree walked
(recursively, which the depth cap makes safe) against the whitelist.
"""

from __future__ import annotations

import ast
import math
import re
from typing import Any

from .errors import UnsafeExpression, UnsafeSyntax
from .guard import arithmetic

SAFE_FUNCTION_NAMES = frozenset({"len", "min", "max", "sum", "abs", "round", "int", "float", "str", "bool",
                                 "sorted", "any", "all", "list", "dict", "set", "tuple"})
MUTATING_METHODS: frozenset[str] = frozenset({
    "append", "extend", "insert", "remove", "sort", "reverse", "clear", "add", "discard", "update",
    "setdefault", "pop"})
ALLOWED_METHODS: frozenset[str] = frozenset({  # harmless str / dict / list / set methods
    "strip", "lstrip", "rstrip", "lower", "upper", "title", "capitalize", "casefold", "startswith",
    "endswith", "split", "rsplit", "splitlines", "join", "replace", "find", "rfind", "index",
    "rindex", "count", "isdigit", "isdecimal", "isnumeric", "isalpha", "isalnum", "isspace",
    "islower", "isupper", "partition", "rpartition", "removeprefix", "removesuffix", "get", "keys",
    "values", "items", "copy", "union", "intersection", "difference", "issubset",
    "issuperset"}) | MUTATING_METHODS
MAX_SOURCE_CHARS = 50_000  # one expression or script
MAX_PARSED_CHARS = 10 * MAX_SOURCE_CHARS  # longer sources are refused without parsing
MAX_DEPTH = 100  # levels of the syntax tree

_EXPRESSION_NODES: frozenset[type] = frozenset({
    ast.Expression, ast.Constant, ast.Name, ast.Load, ast.Store, ast.Attribute, ast.Subscript,
    ast.Slice, ast.BoolOp, ast.And, ast.Or, ast.BinOp, ast.Add, ast.Sub, ast.Mult, ast.Div,
    ast.FloorDiv, ast.Mod, ast.Pow, ast.LShift, ast.RShift, ast.BitOr, ast.BitXor, ast.BitAnd,
    ast.UnaryOp, ast.Not, ast.USub, ast.UAdd, ast.Invert, ast.Compare, ast.Eq, ast.NotEq, ast.Lt,
    ast.LtE, ast.Gt, ast.GtE, ast.Is, ast.IsNot, ast.In, ast.NotIn, ast.IfExp, ast.List, ast.Tuple,
    ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp, ast.GeneratorExp,
    ast.comprehension, ast.Call, ast.keyword, ast.JoinedStr, ast.FormattedValue})
_SCRIPT_NODES = _EXPRESSION_NODES | {ast.Module, ast.Assign, ast.AugAssign, ast.Expr,
                                     ast.If, ast.Pass}
_WORDS = {"FunctionDef": "def", "AsyncFunctionDef": "async def", "ClassDef": "class", "Delete":
          "del", "ImportFrom": "import", "NamedExpr": ":=", "Starred": "*", "MatMult": "@",
          "TryStar": "try", "YieldFrom": "yield from", "AsyncFor": "async for", "AsyncWith":
          "async with", "AnnAssign": "annotation"}
_FOLDED: dict[type, str] = {ast.Add: "add", ast.Mult: "mul", ast.Pow: "pow", ast.LShift: "lshift",
                            ast.Mod: "mod", ast.Sub: "sub"}
_TOO_DEEP = f"too deeply nested (more than {MAX_DEPTH} levels): split it into simpler steps"


def parse(source: str, mode: str) -> ast.AST:
    """The checked syntax tree of `source` ("eval": an expression, "exec": a script)."""
    if len(source) > MAX_PARSED_CHARS:
        raise UnsafeSyntax(_too_long(source))
    try:
        tree = ast.parse(source, mode=mode)
    except (RecursionError, MemoryError):  # the parser's own nesting limits
        raise UnsafeSyntax(_TOO_DEEP, 1, 0) from None
    except SyntaxError as exc:
        if "too many nested" in (exc.msg or "") or "too complex" in (exc.msg or ""):
            raise UnsafeSyntax(_TOO_DEEP, exc.lineno or 1, max((exc.offset or 1) - 1, 0)) from None
        raise UnsafeSyntax(f"syntax error: {exc.msg}", exc.lineno or 1, max((exc.offset or 1) - 1, 0)) from None
    deep = _deeper_than(tree, MAX_DEPTH)
    if deep is not None:
        raise UnsafeSyntax(_TOO_DEEP, getattr(deep, "lineno", 1), getattr(deep, "col_offset", 0))
    if len(source) > MAX_SOURCE_CHARS:
        raise UnsafeExpression(_too_long(source))
    _Checker("scripts" if mode == "exec" else "expressions").visit(tree)
    return tree


def _too_long(source: str) -> str:
    return f"{len(source):,} characters long, more than the limit of {MAX_SOURCE_CHARS:,}: split it into steps"


def _deeper_than(tree: ast.AST, limit: int) -> ast.AST | None:
    """The first node found deeper than `limit` levels, without recursion."""
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return node
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return None


def _fold(node: ast.AST) -> Any:
    """Value of a constant numeric sub-expression (inf when too large), else None."""
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        v = _fold(node.operand)
        return None if v is None else (-v if isinstance(node.op, ast.USub) else v)
    if not isinstance(node, ast.BinOp) or type(node.op) not in _FOLDED:
        return None
    a, b = _fold(node.left), _fold(node.right)
    if a is None or b is None:
        return None
    try:
        return arithmetic(_FOLDED[type(node.op)], a, b)
    except (UnsafeExpression, ArithmeticError):
        return math.inf


class _Checker(ast.NodeVisitor):
    """Walks the tree and raises on the first node outside the whitelist."""

    def __init__(self, kind: str) -> None:
        self.kind, self.allowed = kind, _SCRIPT_NODES if kind == "scripts" else _EXPRESSION_NODES

    def refuse(self, node: ast.AST, what: str, hint: str = "") -> None:
        raise UnsafeExpression(f"{what} is not allowed in diagram {self.kind}{hint}",
                               getattr(node, "lineno", None), getattr(node, "col_offset", None))

    def visit(self, node: ast.AST) -> None:
        if type(node) not in self.allowed:
            name = type(node).__name__
            self.refuse(node, f"'{_WORDS.get(name, name.lower())}'",
                        " (repeat work with a loop or multi-instance task in the diagram)"
                        if name in ("While", "For", "AsyncFor") else "")
        super().visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id.startswith("_"):
            self.refuse(node, f"name '{node.id}'", " (names starting with '_' are reserved)")

    def visit_Attribute(self, node: ast.Attribute) -> None:  # reached only when not a call
        what = "attribute" if node.attr.startswith("_") else "attribute access"
        self.refuse(node, f"{what} '{node.attr}'", " (only method calls such as x.get('k'))")

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if isinstance(node.ctx, ast.Store) and isinstance(node.slice, ast.Slice):
            self.refuse(node, "assigning to a slice", " (build the new list with + instead)")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name) and func.id not in SAFE_FUNCTION_NAMES:
            self.refuse(node, f"calling '{func.id}'",
                        f" (functions: {', '.join(sorted(SAFE_FUNCTION_NAMES))})")
        elif isinstance(func, ast.Attribute):
            if func.attr.startswith("_") or func.attr not in ALLOWED_METHODS:
                what = "attribute" if func.attr.startswith("_") else "calling method"
                self.refuse(node, f"{what} '{func.attr}'")
            if self.kind == "expressions" and func.attr in MUTATING_METHODS:
                self.refuse(node, f"'{func.attr}', which changes a value,",
                            " (expressions only read case data: change it in a script task)")
            self.visit(func.value)
        elif not isinstance(func, ast.Name):
            self.visit(func)
            self.refuse(node, "calling the result of an expression")
        for child in [*node.args, *node.keywords]:
            if isinstance(child, ast.keyword) and child.arg is None:
                self.refuse(child, "'**' in calls")
            self.visit(child)

    def visit_BinOp(self, node: ast.BinOp | ast.AugAssign) -> None:
        """Blocks the static memory bombs (`'a' * 10**12`, `9**9**9`, `'%0999999999d' % 1`)."""
        op, left = node.op, getattr(node, "left", None)
        right = node.right if isinstance(node, ast.BinOp) else node.value
        if isinstance(op, (ast.Pow, ast.LShift)):
            v = _fold(right)
            if v is None or not abs(v) <= 100 or (isinstance(op, ast.LShift) and v != int(v)):
                symbol = "**" if isinstance(op, ast.Pow) else "<<"
                self.refuse(node, f"'{symbol}' with an operand other than a number up to 100")
        elif isinstance(op, ast.Mult):
            for v in (None if side is None else _fold(side) for side in (left, right)):
                if v is not None and (math.isinf(v) or (type(v) is int and abs(v) > 10_000)):
                    self.refuse(node, "'*' with a constant larger than 10000")
        elif isinstance(op, ast.Mod) and isinstance(left, ast.Constant) and isinstance(
                left.value, (str, bytes)):
            self.refuse(node, "'%' string formatting", " (use an f-string)")
        self.generic_visit(node)

    visit_AugAssign = visit_BinOp

    def visit_FormattedValue(self, node: ast.FormattedValue) -> None:
        parts = node.format_spec.values if isinstance(node.format_spec, ast.JoinedStr) else []
        if not all(isinstance(p, ast.Constant) for p in parts):
            self.refuse(node, "a computed format specification")
        text = "".join(str(p.value) for p in parts if isinstance(p, ast.Constant))
        if any(int(digits) > 100 for digits in re.findall(r"\d+", text)):
            self.refuse(node, f"format width or precision above 100 ('{text}')")  # memory
        self.visit(node.value)
