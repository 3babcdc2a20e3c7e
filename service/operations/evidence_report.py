"""The verification report inside an evidence bundle (report.json, report.txt) and its README.txt.

Why the chain verdict comes from `domain.evidence_check`: the server checks the chain it exports with
the very code the third party runs offline, so the report and `guicheng audit verify-bundle` cannot
disagree about what an intact chain is. The text is written in Chinese and then in English.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from service.domain import evidence_format as fmt
from service.domain.evidence_check import BundleCheck, check_chain
from service.domain.messages import LANGUAGES, Message, render


class ReplayVerdict(Protocol):
    ok: bool

    def as_dict(self, lang: str) -> dict[str, Any]: ...

    def said(self, lang: str) -> str: ...


class DocumentLike(Protocol):
    @property
    def status(self) -> str: ...

    def listed(self) -> dict[str, Any]: ...


def _chain(chain: str, head: tuple[int, str], events: list[dict[str, Any]], case_id: int) -> dict[str, Any]:
    found = BundleCheck()
    check_chain(events, chain, case_id, found)
    last = (events[-1]["seq"], events[-1]["hash"]) if events else (0, fmt.GENESIS)
    if last != head:
        found.add(fmt.MANIFEST, "evidence.head_differs", seq=head[0], hash=head[1], last_seq=last[0],
                  last_hash=last[1])
    return {"ok": found.ok, "events": len(events), "head_seq": head[0], "head_hash": head[1],
            "problems": {lang: [p.render(lang) for p in found.problems] for lang in LANGUAGES}}


def _replay(result: ReplayVerdict) -> dict[str, Any]:
    return {**result.as_dict("en"), "said": {lang: result.said(lang) for lang in LANGUAGES}}


def build_report(case_id: int, chain: str, head: tuple[int, str], events: list[dict[str, Any]],
                 documents: Sequence[DocumentLike], replay: ReplayVerdict,
                 checkpoint: dict[str, Any]) -> dict[str, Any]:
    listed = [d.listed() for d in documents]
    return {"case": case_id, "chain": _chain(chain, head, events, case_id),
            "documents": {"checked": len(listed), "ok": sum(d["status"] == "ok" for d in listed), "items": listed},
            "replay": _replay(replay), "checkpoint": checkpoint}


def _chain_lines(chain: dict[str, Any], lang: str) -> list[str]:
    if chain["ok"]:
        return [render("evidence.report.chain_ok", lang, events=chain["events"], seq=chain["head_seq"],
                       hash=chain["head_hash"])]
    return [render("evidence.report.chain_broken", lang)] + [f"  {line}" for line in chain["problems"][lang]]


def _document_lines(documents: dict[str, Any], lang: str) -> list[str]:
    lines = [render("evidence.report.documents", lang, checked=documents["checked"], ok=documents["ok"])]
    for item in documents["items"]:
        if item["status"] != "ok":
            lines.append("  " + render(f"evidence.report.document_{item['status']}", lang, name=item["name"],
                                       variable=item["variable"] or "—", sha=item["sha256"]))
    return lines


def _checkpoint_line(checkpoint: dict[str, Any], head_seq: int, lang: str) -> str:
    if checkpoint.get("covered"):
        return render("evidence.report.checkpoint_covered", lang, checkpoint=checkpoint["checkpoint_id"],
                      at=checkpoint["created_at"])
    if checkpoint.get("recorded_seq"):
        return render("evidence.report.checkpoint_partial", lang, checkpoint=checkpoint["checkpoint_id"],
                      at=checkpoint["created_at"], seq=checkpoint["recorded_seq"],
                      later=head_seq - int(checkpoint["recorded_seq"]))
    return render("evidence.report.checkpoint_none", lang)


def report_text(report: dict[str, Any]) -> str:
    sections = []
    for lang in LANGUAGES:
        lines = [render("evidence.report.title", lang, case=report["case"]), ""]
        lines += _chain_lines(report["chain"], lang)
        lines += _document_lines(report["documents"], lang)
        lines.append(report["replay"]["said"][lang])
        lines.append(_checkpoint_line(report["checkpoint"], report["chain"]["head_seq"], lang))
        sections.append("\n".join(lines) + "\n")
    return "\n".join(sections)


def readme_text(case_id: int) -> str:
    """How to check the bundle by hand, in both languages (commands as parameters, not translated)."""
    steps = (Message("evidence.readme.files", {"command": f"sha256sum -c {fmt.SUMS}"}),
             Message("evidence.readme.chain", {"command": f"cd chain && sha256sum -c {fmt.SUMS}"}),
             Message("evidence.readme.links", {"command": LINK_CHECK}),
             Message("evidence.readme.documents", {"command": f"cd documents && sha256sum -c {fmt.SUMS}"}),
             Message("evidence.readme.head", {"manifest": fmt.MANIFEST}),
             Message("evidence.readme.tool", {"command": "guicheng audit verify-bundle FILE.zip"}))
    sections = []
    for lang in LANGUAGES:
        lines = [render("evidence.readme.title", lang, case=case_id), ""]
        lines += [f"{n}. {step.render(lang)}" for n, step in enumerate(steps, start=1)]
        sections.append("\n".join(lines) + "\n")
    return "\n".join(sections)


# each chain file names the digest of the line before it in chain/SHA256SUMS as its prev_hash
LINK_CHECK = ("cd chain && p=" + fmt.GENESIS + "; while read h f; do "
              "grep -q \"\\\"prev_hash\\\":\\\"$p\\\",\\\"seq\\\":\" "
              "\"$f\" || echo \"broken: $f\"; p=$h; done < " + fmt.SUMS)
