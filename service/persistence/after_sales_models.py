"""The after-sales master data the service desk keeps: sales contracts with their products, the
sales-region tree (销售区域), task types, parts and the fee table.

Why tables and not case data: a dispatch order copies what it needs from here when it is created
(contract no., region path, serial number, dates), so the desk may correct a contract or move a
region later without rewriting orders already running. Money is stored as whole fen (分, an integer):
prices add up exactly on both databases, and the pages show yuan with two decimals.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .models import Base


class SalesRegion(Base):
    """A node of the 销售区域 tree (华东区 › 上海); its path is the names from the root joined by "/"."""

    __tablename__ = "sales_regions"
    __table_args__ = (UniqueConstraint("parent_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("sales_regions.id"), nullable=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class SalesContract(Base):
    """A sales contract: whom we serve, where, until when, and the products under it."""

    __tablename__ = "sales_contracts"
    id: Mapped[int] = mapped_column(primary_key=True)
    contract_no: Mapped[str] = mapped_column(String(64), unique=True)
    project: Mapped[str] = mapped_column(String(256), default="")
    customer: Mapped[str] = mapped_column(String(128), default="", index=True)  # as users.company
    address: Mapped[str] = mapped_column(String(512), default="")
    contact: Mapped[str] = mapped_column(String(256), default="")
    signed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    service_until: Mapped[date | None] = mapped_column(Date, nullable=True)  # end of the service period
    warranty_extension_years: Mapped[int] = mapped_column(Integer, default=0)  # 0..3, whole units only
    visit_plan: Mapped[list[Any]] = mapped_column(JSON, default=list)  # e.g. ["monthly_visit"]
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(64))
    products: Mapped[list[ContractProduct]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ContractProduct.position")


class ContractProduct(Base):
    """One product delivered under a contract, by serial number: a whole unit or an accessory."""

    __tablename__ = "contract_products"
    __table_args__ = (UniqueConstraint("contract_id", "serial_no"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("sales_contracts.id", ondelete="CASCADE"), index=True)
    serial_no: Mapped[str] = mapped_column(String(64), index=True)
    model: Mapped[str] = mapped_column(String(128), default="")
    name: Mapped[str] = mapped_column(String(256), default="")
    kind: Mapped[str] = mapped_column(String(16))  # "whole_unit" | "accessory"
    first_use_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    ex_factory_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ServiceTaskType(Base):
    """A kind of dispatch order (安装调试, 故障维修 …): deactivated, never deleted, for old orders name it."""

    __tablename__ = "service_task_types"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ServicePart(Base):
    """A spare part by material number; `price_fen` is the unit price in fen (1 yuan = 100 fen)."""

    __tablename__ = "service_parts"
    material_no: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(256))
    unit: Mapped[str] = mapped_column(String(16), default="")
    price_fen: Mapped[int] = mapped_column(Integer, default=0)


class ServiceFeeItem(Base):
    """A line of the fee table for paid service (上门费, 工时费 per hour …), amount in fen per unit."""

    __tablename__ = "service_fee_items"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(64))
    task_type: Mapped[str | None] = mapped_column(String(32), nullable=True)  # None: any task type
    unit: Mapped[str] = mapped_column(String(16), default="")
    amount_fen: Mapped[int] = mapped_column(Integer, default=0)
    position: Mapped[int] = mapped_column(Integer, default=0)
