"""Message catalogue: dispatch orders (派工单) — creating one from a contract, the service-desk dashboard.
Every code in ZH has a sentence in EN."""

from __future__ import annotations

ZH: dict[str, str] = {
    "dispatch_order.dashboard_forbidden": "{user} 不能查看售后服务看板：只有售后服务部、管理部、审计员和管理员可以",
    "dispatch_order.dashboard_unknown": "看板没有「{show}」这一项",
    "dispatch_order.create_forbidden": "{user} 不能新建派工单：只有售后服务部（和管理员）可以",
    "dispatch_order.refused": "派工单未创建",
    "dispatch_order.contract_required": "请选择合同",
    "dispatch_order.contract_missing": "合同 {contract} 不存在",
    "dispatch_order.serial_required": "请选择合同中的一个产品（序列号）",
    "dispatch_order.serial_not_in_contract": "序列号 {serial} 不属于合同 {contract}",
    "dispatch_order.region_required": "请在区域树中选择销售区域",
    "dispatch_order.region_missing": "销售区域 {region} 不存在",
    "dispatch_order.task_type_required": "请选择任务类型",
    "dispatch_order.task_type_unknown": "任务类型「{task_type}」不在任务类型表中（或已停用）",
    "dispatch_order.warranty_required": "请选择是否三包",
    "dispatch_order.fault_kind_required": "请选择故障类别（硬件、软件或其他）",
    "dispatch_order.description_required": "请填写故障或需求描述",
    "dispatch_order.description_too_long": "描述最多 {limit} 个字",
}

EN: dict[str, str] = {
    "dispatch_order.dashboard_forbidden": "{user} may not read the service-desk dashboard: only the service desk, "
                                          "management, auditors and administrators may",
    "dispatch_order.dashboard_unknown": "the dashboard has no figure '{show}'",
    "dispatch_order.create_forbidden": "{user} may not create dispatch orders: only the service desk (and "
                                       "administrators) may",
    "dispatch_order.refused": "the dispatch order was not created",
    "dispatch_order.contract_required": "choose a contract",
    "dispatch_order.contract_missing": "contract {contract} does not exist",
    "dispatch_order.serial_required": "choose one of the contract's products (serial no.)",
    "dispatch_order.serial_not_in_contract": "serial no. {serial} is not a product of contract {contract}",
    "dispatch_order.region_required": "choose the sales region in the region tree",
    "dispatch_order.region_missing": "sales region {region} does not exist",
    "dispatch_order.task_type_required": "choose the task type",
    "dispatch_order.task_type_unknown": "task type '{task_type}' is not in the task-type table (or is inactive)",
    "dispatch_order.warranty_required": "say whether the repair is claimed under warranty",
    "dispatch_order.fault_kind_required": "choose the fault kind (hardware, software or other)",
    "dispatch_order.description_required": "describe the fault or the request",
    "dispatch_order.description_too_long": "the description is at most {limit} characters",
}
