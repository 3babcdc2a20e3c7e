"""Message catalogue: printables (the service sheet and the weekly report). Every code in ZH has a sentence in EN."""

from __future__ import annotations

ZH: dict[str, str] = {
    "printables.not_offered": "案例 {case} 没有可打印的「{name}」",
    "printables.no_version": "流程 {process} 的版本 {version} 未部署",
    "printables.staff_only": "案例 {case} 的「{name}」只供内部人员打印",
}

EN: dict[str, str] = {
    "printables.not_offered": "case {case} offers no printable '{name}'",
    "printables.no_version": "process {process} version {version} is not deployed",
    "printables.staff_only": "'{name}' of case {case} is printed by staff only",
}
