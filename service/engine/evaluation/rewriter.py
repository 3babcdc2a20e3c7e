"""Rewrite a checked syntax tree so every operation that can cost goes through the guard.

Calls, methods, all binary operators, comparisons, subscripts, comprehension
iterations, displays, hashed keys and f-string fields become `__guard__.…(…)` calls;
named functions come from `__functions__` (so a case variable called `max` cannot
shadow them). What is left unguarded costs O(1) per node: names, constants, `and`/`or`,
`not`/`-`/`~`, `x if c else y`, assignments and `if`.
"""

from __future__ import annotations

import ast
import copy

_BINARY: dict[type, str] = {
    ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "truediv", ast.FloorDiv: "floordiv",
    ast.Mod: "mod", ast.Pow: "pow", ast.LShift: "lshift", ast.RShift: "rshift", ast.BitOr: "or_",
    ast.BitXor: "xor", ast.BitAnd: "and_"}
_COMPARISONS: dict[type, str] = {
    ast.Eq: "eq", ast.NotEq: "ne", ast.Lt: "lt", ast.LtE: "le", ast.Gt: "gt", ast.GtE: "ge",
    ast.Is: "is", ast.IsNot: "is_not", ast.In: "in", ast.NotIn: "not_in"}
_REPR = ord("r")


def _guard(method: str, *args: ast.expr, keywords: list[ast.keyword] | None = None) -> ast.Call:
    return ast.Call(ast.Attribute(ast.Name("__guard__", ast.Load()), method, ast.Load()),
                    list(args), keywords or [])


def _thunk(body: ast.expr) -> ast.Lambda:
    return ast.Lambda(ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[],
                                    kwarg=None, defaults=[]), body)


class Rewriter(ast.NodeTransformer):
    def visit_Call(self, node: ast.Call) -> ast.AST:
        args = [self.visit(a) for a in node.args]
        keywords = [self.visit(k) for k in node.keywords]
        if isinstance(node.func, ast.Name):
            func = ast.Subscript(ast.Name("__functions__", ast.Load()), ast.Constant(node.func.id), ast.Load())
            return ast.Call(func, args, keywords)
        assert isinstance(node.func, ast.Attribute)
        return _guard("method", self.visit(node.func.value), ast.Constant(node.func.attr), *args,
                      keywords=keywords)

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        return _guard("binop", ast.Constant(_BINARY[type(node.op)]), node.left, node.right)

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        self.generic_visit(node)
        names = [ast.Constant(_COMPARISONS[type(op)]) for op in node.ops]
        if len(names) == 1:
            return _guard("compare", names[0], node.left, node.comparators[0])
        pairs = [part for name, right in zip(names, node.comparators, strict=True) for part in (name, _thunk(right))]
        return _guard("chain", node.left, *pairs)

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.ctx, ast.Store):  # d[k] = v: the key will be hashed
            node.slice = _guard("key", node.slice)
            return node
        key = node.slice
        if isinstance(key, ast.Slice):
            parts = [p if p is not None else ast.Constant(None) for p in (key.lower, key.upper, key.step)]
            key = ast.Call(ast.Name("__slice__", ast.Load()), parts, [])
        return _guard("item", node.value, key)

    def visit_comprehension(self, node: ast.comprehension) -> ast.AST:
        self.generic_visit(node)
        node.iter = _guard("iterate", node.iter)
        return node

    def visit_SetComp(self, node: ast.SetComp) -> ast.AST:
        self.generic_visit(node)
        node.elt = _guard("key", node.elt)
        return node

    def visit_DictComp(self, node: ast.DictComp) -> ast.AST:
        self.generic_visit(node)
        node.key = _guard("key", node.key)
        return node

    def visit_Set(self, node: ast.Set) -> ast.AST:
        self.generic_visit(node)
        node.elts = [_guard("key", e) for e in node.elts]
        return _guard("build", node)

    def visit_Dict(self, node: ast.Dict) -> ast.AST:
        self.generic_visit(node)
        node.keys = [k if k is None else _guard("key", k) for k in node.keys]  # None: `**other`
        return _guard("build", node)

    def _display(self, node: ast.List | ast.Tuple) -> ast.AST:
        self.generic_visit(node)
        return _guard("build", node) if isinstance(node.ctx, ast.Load) else node  # not `a, b = …`

    def visit_List(self, node: ast.List) -> ast.AST:
        return self._display(node)

    def visit_Tuple(self, node: ast.Tuple) -> ast.AST:
        return self._display(node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        for part in node.values:
            if isinstance(part, ast.FormattedValue):  # its format spec is constant (checked)
                part.value = _guard("formatted", self.visit(part.value), ast.Constant(part.conversion == _REPR))
        return _guard("text", node)

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        """`t op= v` becomes `t = guard.binop(op, t, v)` (a subscript target is read twice)."""
        target = node.target
        value = self.visit(node.value)
        load: ast.expr
        if isinstance(target, ast.Name):
            load = ast.Name(target.id, ast.Load())
        else:
            assert isinstance(target, ast.Subscript)
            load = self.visit(ast.Subscript(copy.deepcopy(target.value), copy.deepcopy(target.slice), ast.Load()))
            target = self.visit(ast.Subscript(target.value, target.slice, ast.Store()))
        return ast.Assign([target], _guard("binop", ast.Constant(_BINARY[type(node.op)]), load, value))
