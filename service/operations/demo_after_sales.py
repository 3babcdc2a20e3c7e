"""The demo's after-sales master data: sales regions, parts with prices, the fee table and contracts of
the two demo customers (欧莱雅, 华为), with the serial numbers the acceptance tests search for.

Why through the operations: the demo data is written as the service desk's head would write it
(checked, audited), and running it again adds only what is missing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from service.persistence.after_sales_models import SalesContract, SalesRegion, ServiceFeeItem, ServicePart

from . import after_sales_master as master
from .context import AppContext

DEMO_ACTOR = "service_desk1"  # head of 售后服务部 in the demo organisation
DEMO_REGIONS = ("华东区/上海", "华东区/杭州", "华南区/深圳", "华北区/北京")
DEMO_PARTS: tuple[tuple[str, str, str, str], ...] = (
    ("2BY.5084.0001", "主控板", "块", "1850.00"), ("2BY.5084.0002", "电源模块", "个", "620.00"),
    ("2BY.5084.0003", "触摸屏", "块", "980.00"), ("2BY.5084.0004", "温度传感器", "个", "135.50"),
    ("2BY.5084.0005", "密封圈", "个", "12.00"), ("2BY.5084.0006", "加热管", "根", "260.00"),
    ("2BY.5084.0007", "电磁阀", "个", "310.00"), ("2BY.5084.0008", "过滤网", "片", "45.00"),
    ("2BY.5084.0009", "通讯线缆", "米", "18.50"), ("2BY.5084.0010", "保险丝", "只", "3.20"),
)
DEMO_FEES: tuple[dict[str, Any], ...] = (
    {"code": "on_site", "name_zh": "上门费", "name_en": "On-site fee", "unit": "次", "amount": "200.00"},
    {"code": "labour_hour", "name_zh": "工时费", "name_en": "Labour per hour", "unit": "小时", "amount": "150.00"},
    {"code": "travel_km", "name_zh": "交通费", "name_en": "Travel per km", "unit": "公里", "amount": "2.50"},
    {"code": "installation", "name_zh": "安装调试费", "name_en": "Installation and commissioning",
     "unit": "次", "amount": "800.00", "task_type": "installation"},
    {"code": "maintenance", "name_zh": "保养费", "name_en": "Maintenance fee", "unit": "次", "amount": "500.00",
     "task_type": "maintenance"},
)
DEMO_CONTRACTS: tuple[dict[str, Any], ...] = (
    {"contract_no": "HT-2026-001", "project": "欧莱雅上海工厂灌装线", "customer": "欧莱雅",
     "address": "上海市浦东新区金桥路 1000 号", "contact": "王敏 021-5000 1000", "signed_on": "2025-11-20",
     "service_until": "2028-11-30", "warranty_extension_years": 0, "visit_plan": [],
     "products": [
         {"serial_no": "2BY.5084.1044.1", "model": "GZ-5084", "name": "灌装机", "kind": "whole_unit",
          "first_use_on": "2026-03-01", "ex_factory_on": "2025-12-15"},
         {"serial_no": "2BY.5084.1044.1-P1", "model": "GZ-5084-HT", "name": "加热模块", "kind": "accessory",
          "first_use_on": "2026-03-01", "ex_factory_on": "2025-12-15"}]},
    {"contract_no": "HT-2026-003", "project": "欧莱雅杭州仓储包装线", "customer": "欧莱雅",
     "address": "浙江省杭州市萧山区建设一路 88 号", "contact": "李娜 0571-8200 3000", "signed_on": "2026-01-10",
     "service_until": "2027-12-31", "warranty_extension_years": 1, "visit_plan": ["quarterly_maintenance"],
     "products": [
         {"serial_no": "2BY.6120.2001.3", "model": "BZ-6120", "name": "包装机", "kind": "whole_unit",
          "first_use_on": "2026-02-15", "ex_factory_on": "2026-01-05"}]},
    {"contract_no": "HT-2026-002", "project": "华为深圳松山湖实验室", "customer": "华为",
     "address": "广东省深圳市龙岗区坂田华为基地 B 区", "contact": "陈工 0755-2878 0000", "signed_on": "2025-09-01",
     "service_until": "2029-08-31", "warranty_extension_years": 2, "visit_plan": [],
     "products": [
         {"serial_no": "3CX.7210.0508.2", "model": "HJ-7210", "name": "环境试验箱", "kind": "whole_unit",
          "first_use_on": "2025-10-08", "ex_factory_on": "2025-08-20"},
         {"serial_no": "3CX.7210.0508.2-S", "model": "HJ-7210-SN", "name": "传感器组件", "kind": "accessory",
          "first_use_on": "2025-10-08", "ex_factory_on": "2025-08-20"}]},
    {"contract_no": "HT-2026-004", "project": "华为北京研究所机房", "customer": "华为",
     "address": "北京市海淀区北清路 156 号", "contact": "赵工 010-6060 0000", "signed_on": "2026-02-01",
     "service_until": "2027-06-30", "warranty_extension_years": 0, "visit_plan": ["monthly_visit"],
     "products": [
         {"serial_no": "3CX.8800.1200.7", "model": "JF-8800", "name": "精密空调", "kind": "whole_unit",
          "first_use_on": "2026-03-20", "ex_factory_on": "2026-02-10"}]},
)


def ensure_demo_after_sales(ctx: AppContext) -> dict[str, int]:
    """Add the demo regions, parts, fees and contracts that are missing; what was added, by kind."""
    added = {"regions": _regions(ctx), "parts": 0, "fee_items": 0, "contracts": 0}
    with ctx.db.reading() as session:
        parts = set(session.execute(select(ServicePart.material_no)).scalars())
        fees = set(session.execute(select(ServiceFeeItem.code)).scalars())
        contracts = set(session.execute(select(SalesContract.contract_no)).scalars())
    for material_no, name, unit, price in DEMO_PARTS:
        if material_no not in parts:
            master.save_part(ctx, {"material_no": material_no, "name": name, "unit": unit, "price": price},
                             actor=DEMO_ACTOR)
            added["parts"] += 1
    for fee in DEMO_FEES:
        if fee["code"] not in fees:
            master.save_fee_item(ctx, fee, actor=DEMO_ACTOR)
            added["fee_items"] += 1
    for contract in DEMO_CONTRACTS:
        if contract["contract_no"] not in contracts:
            master.create_contract(ctx, contract, actor=DEMO_ACTOR)
            added["contracts"] += 1
    return added


def _regions(ctx: AppContext) -> int:
    with ctx.db.reading() as session:
        present = session.execute(select(SalesRegion.id)).first() is not None
    if present:  # the desk keeps its own tree: the demo adds one only to an empty one
        return 0
    ids: dict[str, int] = {}
    for path in DEMO_REGIONS:
        parent: int | None = None
        walked = ""
        for name in path.split("/"):
            walked = f"{walked}/{name}" if walked else name
            if walked not in ids:
                ids[walked] = master.create_region(ctx, name=name, parent_id=parent, actor=DEMO_ACTOR)["id"]
            parent = ids[walked]
    return len(ids)
