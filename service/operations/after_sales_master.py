"""After-sales master data, one module for its callers: sales contracts (search, read, edit, workbook),
the sales-region tree, task types, parts and the fee table.

Why a facade: the dispatch order, the lists and the recurring plans read these through one name
(`after_sales_master.search_contracts(ctx, "2by*5084")`), while each kind of data keeps its own small
module. Reads take no actor: the edges ask `service.domain.access.may_read_master_data` first (customers
see none of it). Every change takes `actor`, checks `may_edit_master_data` and commits in one
transaction with an `after_sales_master_changed` event on the system chain.
"""

from __future__ import annotations

from .after_sales_catalogue import (
    delete_fee_item,
    delete_part,
    fee_items,
    move_task_type,
    parts,
    reorder_task_types,
    save_fee_item,
    save_part,
    save_task_type,
    set_task_type_active,
    task_types,
)
from .after_sales_common import EVENT, KIND_WORDS, yuan
from .after_sales_contract_rules import KINDS, VISIT_PLANS
from .after_sales_contracts import (
    contract,
    contract_by_no,
    create_contract,
    delete_contract,
    product_by_serial,
    search_contracts,
    search_page,
    update_contract,
)
from .after_sales_import import ContractImportRejected, ContractImportReport, export_contracts, import_contracts
from .after_sales_regions import (
    create_region,
    delete_region,
    move_region,
    region_list,
    region_path,
    region_tree,
    rename_region,
)

__all__ = [
    "ContractImportRejected", "ContractImportReport", "EVENT", "export_contracts", "import_contracts",
    "KINDS", "KIND_WORDS", "VISIT_PLANS", "contract", "contract_by_no", "create_contract", "create_region",
    "delete_contract", "delete_fee_item", "delete_part", "delete_region", "fee_items", "move_region",
    "move_task_type", "parts", "product_by_serial", "region_list", "region_path", "region_tree", "rename_region",
    "reorder_task_types", "save_fee_item", "save_part", "save_task_type", "search_contracts", "search_page",
    "set_task_type_active", "task_types", "update_contract", "yuan",
]
