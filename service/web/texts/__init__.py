"""Page labels by feature, merged into `service.web.i18n`: each feature keeps its own words, so two
features never edit one long dictionary. Every module defines `ZH` and `EN` with the same keys."""

from __future__ import annotations

from importlib import import_module

FEATURES = ("organisation", "case_lists", "task_actions", "assignment", "task_pages", "documents", "printables",
            "layout", "languages", "linked_cases", "processes", "calendar",
            "audit_search", "audit_verify", "replay", "evidence", "process_import", "case_starts",
            "after_sales_orders", "after_sales_master",
            "after_sales_lists", "case_messages", "customer_view",
            "process_dashboard", "contract_numbering")


def merge_into(zh: dict[str, str], en: dict[str, str]) -> None:
    for name in FEATURES:
        module = import_module(f"{__name__}.{name}")
        clashes = (set(module.ZH) & set(zh)) | (set(module.EN) & set(en))
        if clashes:
            raise RuntimeError(f"labels defined twice ({name}): {sorted(clashes)}")
        zh.update(module.ZH)
        en.update(module.EN)
