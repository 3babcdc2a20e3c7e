"""Tracebacks and failed worker rounds in the processes' logs, grouped by their final line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

TRACEBACK = "Traceback (most recent call last):"
CHAINED = ("The above exception", "During handling")
PROJECT_FRAME = "/service/"  # frames of the product, not of the libraries under it
PROJECT_FRAMES_SHOWN = 5
MAX_DETAIL_LINES = 6
_REQUEST_LINE = re.compile(r"Exception on (\S+) \[(\w+)\]")
_WORKER_ROUND = re.compile(r"worker round failed, retrying: (.*)")
_LOG_LINE = re.compile(r"^\[\d{4}-\d\d-\d\d")  # the start of the next gunicorn log record


@dataclass
class Problem:
    """One kind of failure: how often, where, and the first traceback of it."""

    summary: str
    count: int = 0
    where: set[str] = field(default_factory=set)
    excerpt: str = ""

    @property
    def is_deadlock(self) -> bool:
        return "deadlock" in self.summary.lower() or "deadlock" in self.excerpt.lower()


@dataclass(frozen=True)
class _Traceback:
    frames: list[str]  # "File …" lines, each followed by its source line
    message: list[str]  # the final line and its DETAIL / [SQL: …] lines
    end: int


def _one_traceback(lines: list[str], start: int) -> _Traceback:
    i, frames = start + 1, []
    while i < len(lines) and (lines[i].startswith((" ", "\t")) or not lines[i].strip()):
        if lines[i].strip():
            frames.append(lines[i])
        i += 1
    end = i + 1
    while end < len(lines) and end - i <= MAX_DETAIL_LINES and lines[end].strip() \
            and not _LOG_LINE.match(lines[end]) and lines[end] != TRACEBACK:
        end += 1
    return _Traceback(frames, lines[i:end] if i < len(lines) else ["(traceback cut off)"], end)


def _chained_traceback(lines: list[str], start: int) -> _Traceback:
    """A traceback with its causes: the last one (the exception that escaped) decides the summary."""
    tb = _one_traceback(lines, start)
    while True:
        k = tb.end
        while k < len(lines) and not lines[k].strip():
            k += 1
        if not (k < len(lines) and lines[k].startswith(CHAINED)):
            return tb
        while k < len(lines) and lines[k].strip() != TRACEBACK:
            k += 1
        if k >= len(lines):
            return tb
        outer = _one_traceback(lines, k)
        tb = _Traceback(tb.frames + outer.frames, outer.message, outer.end)


def _excerpt(tb: _Traceback) -> str:
    """The product's own innermost frames and the message: what a reader needs first."""
    pairs = [tb.frames[i:i + 2] for i in range(len(tb.frames)) if tb.frames[i].lstrip().startswith("File ")]
    ours = [p for p in pairs if PROJECT_FRAME in p[0]][-PROJECT_FRAMES_SHOWN:]
    shown = ours + ([pairs[-1]] if pairs and pairs[-1] not in ours else [])
    return "\n".join([line for pair in shown for line in pair] + tb.message)


def problems_in(paths: list[Path]) -> list[Problem]:
    """Every traceback and every failed worker round in the given logs, most frequent first."""
    found: dict[str, Problem] = {}
    for path in paths:
        if not path.exists():
            continue
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        i = 0
        while i < len(lines):
            round_failed = _WORKER_ROUND.search(lines[i])
            if round_failed:
                _add(found, round_failed.group(1)[:200], path.name, lines[i])
            if lines[i].strip() != TRACEBACK:
                i += 1
                continue
            request = _REQUEST_LINE.search(lines[i - 1]) if i else None
            tb = _chained_traceback(lines, i)
            where = f"{path.name} {request.group(2)} {request.group(1)}" if request else path.name
            _add(found, tb.message[0].strip()[:200], where, _excerpt(tb))
            i = max(tb.end, i + 1)
    return sorted(found.values(), key=lambda p: -p.count)


def _add(found: dict[str, Problem], summary: str, where: str, excerpt: str) -> None:
    key = re.sub(r"\d+", "N", summary)  # the same failure with other ids is one kind
    problem = found.setdefault(key, Problem(summary, excerpt=excerpt))
    problem.count += 1
    if len(problem.where) < 6:
        problem.where.add(re.sub(r"/\d+", "/{id}", where))
