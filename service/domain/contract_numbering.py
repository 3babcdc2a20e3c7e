"""Contract types and how a contract number reads: prefix + year + sequence, e.g. XS-2026-0007.

Why here, apart from storing: the format is one rule shared by the reservation (operations), the
numbering page (a process owner changes a prefix or the digits and sees the next number at once)
and the checks of what they type. Seed 002 names a numbering section per type and nothing more, so
the defaults are ours; each type numbers on its own, per year of approval (company time).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .messages import Message, Words

# type code → its words; the order is the order of seed 002's table of contents
CONTRACT_TYPES: dict[str, Words] = {
    "sales_consulting": Words("销售和咨询服务合同", "Sales and consulting contract"),
    "secondary_sales": Words("二次销售和咨询服务合同", "Secondary sales and consulting contract"),
    "technical_service": Words("技术服务合同", "Technical service contract"),
    "brand_operation": Words("品牌运作合同", "Brand operation contract"),
    "network_engineering": Words("网络工程合同", "Network engineering contract"),
}
# the types whose products are delivered and then serviced: a signed one becomes after-sales master
# data and opens an implementation project
SALES_TYPES: frozenset[str] = frozenset({"sales_consulting", "secondary_sales"})
IMPORTANCE: dict[str, Words] = {
    "normal": Words("一般", "Normal"),
    "important": Words("重要", "Important"),
    "major": Words("重大", "Major"),
}
IMPORTANCE_RANK = {code: rank for rank, code in enumerate(IMPORTANCE)}
# the defaults a new installation starts with (migration 0013); the process owner changes them
DEFAULT_PREFIXES: dict[str, str] = {
    "sales_consulting": "XS", "secondary_sales": "EX", "technical_service": "JF",
    "brand_operation": "PP", "network_engineering": "WL",
}
DEFAULT_DIGITS = 4
PREFIX_PATTERN = re.compile(r"[A-Z][A-Z0-9]{0,7}")
DIGITS_RANGE = range(3, 7)


@dataclass(frozen=True)
class NumberScheme:
    contract_type: str
    prefix: str
    digits: int

    def number(self, year: int, sequence: int) -> str:
        """The contract number of the `sequence`-th contract of the type approved in `year`."""
        return f"{self.prefix}-{year}-{sequence:0{self.digits}d}"


def higher_importance(chosen: str, floor: str) -> str:
    """The higher of the class sales chose and the class the amount calls for."""
    chosen = chosen if chosen in IMPORTANCE_RANK else "normal"
    floor = floor if floor in IMPORTANCE_RANK else "normal"
    return chosen if IMPORTANCE_RANK[chosen] >= IMPORTANCE_RANK[floor] else floor


def scheme_problems(prefix: object, digits: object) -> dict[str, Message]:
    """What is wrong with a prefix and a number of digits, by field (empty when both are usable)."""
    problems: dict[str, Message] = {}
    text = prefix.strip().upper() if isinstance(prefix, str) else ""
    if not PREFIX_PATTERN.fullmatch(text):
        problems["prefix"] = Message("contracts.prefix_invalid", {"value": str(prefix)[:40]})
    try:
        count = int(str(digits).strip())
    except ValueError:
        count = 0
    if count not in DIGITS_RANGE:
        problems["digits"] = Message("contracts.digits_invalid", {"value": str(digits)[:40],
                                                                  "low": DIGITS_RANGE.start,
                                                                  "high": DIGITS_RANGE.stop - 1})
    return problems


def type_words(contract_type: str) -> Words:
    return CONTRACT_TYPES.get(contract_type, Words(contract_type, contract_type))
