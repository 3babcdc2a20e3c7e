"""Restricted evaluator for the expressions and scripts process owners write in diagrams.

Why: gateway conditions, timers, service parameters, DMN cells and script tasks come from
process owners and run on the server; they must never reach imports, object internals or
files, nor hang a worker. The `ast` is checked against a whitelist, then rewritten so calls,
repetition and iteration pass run-time guards. With no loops, `def`, `range` or `iter`, an
endless loop cannot be written; comprehensions run on a step budget.
"""

from __future__ import annotations

import ast
import functools
import math
import operator
import re
import textwrap
from collections.abc import Iterable, Iterator, Mapping
from types import CodeType
from typing import Any

SAFE_FUNCTIONS: dict[str, Any] = {f.__name__: f for f in (
    len, min, max, sum, abs, round, int, float, str, bool, sorted, any, all,
    list, dict, set, tuple)}
SAFE_BUILTINS: dict[str, Any] = dict(SAFE_FUNCTIONS)
ALLOWED_METHODS: frozenset[str] = frozenset({  # harmless str / dict / list / set methods
    "strip", "lstrip", "rstrip", "lower", "upper", "title", "capitalize", "casefold", "startswith",
    "endswith", "split", "rsplit", "splitlines", "join", "replace", "find", "rfind", "index",
    "rindex", "count", "isdigit", "isdecimal", "isnumeric", "isalpha", "isalnum", "isspace",
    "islower", "isupper", "partition", "rpartition", "removeprefix", "removesuffix", "get", "keys",
    "values", "items", "copy", "update", "setdefault", "pop", "append", "extend", "insert",
    "remove", "sort", "reverse", "clear", "add", "discard", "union", "intersection", "difference",
    "issubset", "issuperset"})
MAX_LENGTH = 1_000_000  # characters or items one operation may produce
MAX_INT_BITS = 10_000  # about 3,000 decimal digits
MAX_ITERATIONS = 1_000_000  # comprehension steps per evaluation
_DATA_TYPES = (str, bytes, int, float, list, tuple, dict, set, frozenset, type(None))
_SEQUENCES = (str, bytes, list, tuple)

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
_GUARDED: dict[type, str] = {ast.Add: "add", ast.Mult: "mul", ast.Pow: "pow",
                             ast.LShift: "lshift", ast.Mod: "mod"}  # checked at run time
_FOLDED: dict[type, str] = {**_GUARDED, ast.Sub: "sub"}


class UnsafeExpression(ValueError):
    """A diagram expression or script was refused; says what and where."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None,
                 source: str = "") -> None:
        super().__init__(message)
        self.message, self.line, self.column, self.source = message, line, column, source

    def __str__(self) -> str:
        where = "" if self.line is None else f"line {self.line}, column {self.column}: "
        return where + self.message


class UnsafeSyntax(UnsafeExpression, SyntaxError):
    """A syntax error; also a SyntaxError so the DMN engine can retry a cell as `v <cell>`."""


def _limit(amount: int, limit: int, what: str) -> None:
    if amount > limit:
        raise UnsafeExpression(f"{what} {amount} exceeds the limit of {limit}")


class _Guard:
    """Run-time checks the rewritten code calls; one per evaluation (it holds the budget)."""

    steps = 0

    def iterate(self, iterable: Iterable[Any]) -> Iterator[Any]:
        for item in iterable:
            self.steps += 1
            _limit(self.steps, MAX_ITERATIONS, "comprehension steps")
            yield item

    def method(self, obj: Any, name: str, /, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(obj, _DATA_TYPES):
            raise UnsafeExpression(f"calling methods of {type(obj).__name__!r} values")
        if isinstance(obj, str) and name == "join" and args:  # size before building
            args = (list(args[0]), *args[1:])
            total = sum(len(i) for i in args[0] if isinstance(i, str))
            _limit(total + len(obj) * len(args[0]), MAX_LENGTH, "length of a result")
        elif isinstance(obj, str) and name == "replace" and len(args) >= 2:
            grow = max(len(str(args[1])) - len(str(args[0])), 0)
            _limit(len(obj) + obj.count(str(args[0])) * grow, MAX_LENGTH, "length of a result")
        result = getattr(obj, name)(*args, **kwargs)
        if isinstance(result, (*_SEQUENCES, dict, set)):
            _limit(len(result), MAX_LENGTH, "length of a result")
        return result

    def binop(self, op: str, a: Any, b: Any) -> Any:
        if op == "mod" and isinstance(a, (str, bytes)):
            raise UnsafeExpression("'%' string formatting is not allowed (use an f-string)")
        if op == "add" and isinstance(a, _SEQUENCES) and isinstance(b, _SEQUENCES):
            _limit(len(a) + len(b), MAX_LENGTH, "length of a result")
        for seq, n in ((a, b), (b, a)) if op == "mul" else ():
            if isinstance(seq, _SEQUENCES) and isinstance(n, int):
                _limit(len(seq) * n, MAX_LENGTH, "length of a result")
        if isinstance(a, int) and isinstance(b, int) and op in ("mul", "pow", "lshift"):
            bits = a.bit_length() * b if op == "pow" else a.bit_length() + (
                b if op == "lshift" else b.bit_length())
            _limit(bits, MAX_INT_BITS, "bits of a number")
        return getattr(operator, op)(a, b)


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
        return _Guard().binop(_FOLDED[type(node.op)], a, b)
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

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name) and func.id not in SAFE_FUNCTIONS:
            self.refuse(node, f"calling '{func.id}'",
                        f" (functions: {', '.join(sorted(SAFE_FUNCTIONS))})")
        elif isinstance(func, ast.Attribute):
            if func.attr.startswith("_") or func.attr not in ALLOWED_METHODS:
                what = "attribute" if func.attr.startswith("_") else "calling method"
                self.refuse(node, f"{what} '{func.attr}'")
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


def _guard(method: str, *args: ast.expr, keywords: list[ast.keyword] | None = None) -> ast.Call:
    return ast.Call(ast.Attribute(ast.Name("__guard__", ast.Load()), method, ast.Load()),
                    list(args), keywords or [])


class _Rewriter(ast.NodeTransformer):
    """Routes calls, attributes, arithmetic and iteration of a checked tree via `_Guard`."""

    def visit_Call(self, node: ast.Call) -> ast.AST:
        args = [self.visit(a) for a in node.args]
        keywords = [self.visit(k) for k in node.keywords]
        if isinstance(node.func, ast.Name):  # a case variable named `max` cannot shadow it
            func = ast.Subscript(ast.Name("__functions__", ast.Load()),
                                 ast.Constant(node.func.id), ast.Load())
            return ast.Call(func, args, keywords)
        assert isinstance(node.func, ast.Attribute)
        return _guard("method", self.visit(node.func.value), ast.Constant(node.func.attr), *args,
                      keywords=keywords)

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        op = _GUARDED.get(type(node.op))
        return node if op is None else _guard("binop", ast.Constant(op), node.left, node.right)

    def visit_comprehension(self, node: ast.comprehension) -> ast.AST:
        self.generic_visit(node)
        node.iter = _guard("iterate", node.iter)
        return node

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        """`t op= v` becomes `t = guard.binop(op, t, v)` (a subscript target is read twice)."""
        self.generic_visit(node)
        op, target = _GUARDED.get(type(node.op)), node.target
        if op is None or not isinstance(target, (ast.Name, ast.Subscript)):
            return node
        load = ast.Name(target.id, ast.Load()) if isinstance(target, ast.Name) else \
            ast.Subscript(target.value, target.slice, ast.Load())
        return ast.Assign([target], _guard("binop", ast.Constant(op), load, node.value))


@functools.lru_cache(maxsize=2048)
def _compile(source: str, mode: str) -> CodeType:
    text = textwrap.dedent(source) if mode == "exec" else source.lstrip()
    shift = source[: len(source) - len(text)].count("\n") if mode == "eval" else 0
    try:
        tree = ast.parse(text, mode=mode)
        _Checker("scripts" if mode == "exec" else "expressions").visit(tree)
        tree = ast.fix_missing_locations(_Rewriter().visit(tree))
        return compile(tree, "<diagram>", mode)
    except SyntaxError as exc:
        raise UnsafeSyntax(f"syntax error: {exc.msg}", (exc.lineno or 1) + shift,
                           max((exc.offset or 1) - 1, 0), source) from None
    except UnsafeExpression as exc:
        exc.source, exc.line = source, None if exc.line is None else exc.line + shift
        raise


def _run(source: str, mode: str, names: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
    code = _compile(source, mode)
    namespace = {**names, "__builtins__": dict(SAFE_BUILTINS), "__guard__": _Guard(),
                 "__functions__": SAFE_FUNCTIONS}
    try:  # one dict for globals and locals, so comprehensions see the case variables
        return eval(code, namespace), namespace  # checked and rewritten above
    except UnsafeExpression as exc:
        exc.source = source
        raise


def check_expression(source: str) -> None:
    """Raise UnsafeExpression unless `source` is an allowed expression."""
    _compile(source, "eval")


def check_script(source: str) -> None:
    """Raise UnsafeExpression unless `source` is an allowed script."""
    _compile(source, "exec")


def evaluate(source: str, names: Mapping[str, Any]) -> Any:
    """Check, then evaluate an expression over the case variables in `names`."""
    return _run(source, "eval", names)[0]


def execute(source: str, names: dict[str, Any]) -> None:
    """Check, then run a script; its assignments are written back into `names`."""
    names.update({k: v for k, v in _run(source, "exec", names)[1].items() if k[:1] != "_"})
