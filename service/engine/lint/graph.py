"""Graph walks for diagrams of any size: iterative, linear, no recursion limit to hit.

A hostile or generated diagram may chain ten thousand elements; Python's recursion would
stop at a thousand, so reachability, strongly connected components and cycle paths are
all written with explicit stacks.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence


def reachable(roots: Iterable[str], successors: Mapping[str, Sequence[str]]) -> set[str]:
    """Every node a path from one of `roots` leads to (the roots included)."""
    seen = set(roots)
    pending = list(seen)
    while pending:
        for nxt in successors.get(pending.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                pending.append(nxt)
    return seen


def cycles(nodes: Sequence[str], successors: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """The strongly connected components that hold a cycle (more than one node, or a node
    leading to itself), each in the order of `nodes` — Tarjan's algorithm, iteratively."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    for root in nodes:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, at = work[-1]
            nexts = successors.get(node, ())
            if at < len(nexts):
                work[-1] = (node, at + 1)
                nxt = nexts[at]
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in nexts:
                    found.append(component)
    position = {node: i for i, node in enumerate(nodes)}
    return [sorted(c, key=position.__getitem__) for c in found]


def cycle_through(start: str, members: set[str], successors: Mapping[str, Sequence[str]]) -> list[str]:
    """One shortest way round from `start` back to it inside `members` (start first, not repeated)."""
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in successors.get(node, ()):
            if nxt == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return path[::-1]
            if nxt in members and nxt not in came_from:
                came_from[nxt] = node
                queue.append(nxt)
    return [start]
