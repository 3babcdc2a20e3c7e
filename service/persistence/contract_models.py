"""Contract numbering: each type's scheme (prefix, digits) and the register of numbers issued.

Why a register and no counter: the next number of a type and year is the register's highest sequence
plus one, read while the type's scheme row is locked, and the new row is written in that same short
transaction. So a number exists exactly when its register row does (no gaps: nothing can take a
number and lose it), two workers never read the same highest sequence (the lock), and the unique
constraints refuse a second number for one case or a repeated sequence if anything ever slipped.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base


class ContractNumberScheme(Base):
    """How one contract type's numbers read: `prefix`-year-sequence with `digits` digits."""

    __tablename__ = "contract_number_schemes"
    contract_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(8))
    digits: Mapped[int] = mapped_column(Integer, default=4)
    updated_at: Mapped[datetime | None] = mapped_column(nullable=True)
    updated_by: Mapped[str] = mapped_column(String(64), default="")


class ContractNumber(Base):
    """One number issued: to which case, of which type and year, as which sequence."""

    __tablename__ = "contract_numbers"
    __table_args__ = (UniqueConstraint("contract_type", "year", "sequence"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    contract_no: Mapped[str] = mapped_column(String(64), unique=True)
    contract_type: Mapped[str] = mapped_column(ForeignKey("contract_number_schemes.contract_type"))
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"), unique=True)
    issued_at: Mapped[datetime]
