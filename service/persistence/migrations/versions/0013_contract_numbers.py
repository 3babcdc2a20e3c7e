"""contract numbers: each contract type's numbering scheme and the register of numbers issued

Revision ID: 0013
Revises: 0012

Why: a contract is numbered per type (prefix + year + sequence) when it is approved, gap-free and
unique under concurrent approvals; the defaults are the five types of seed 002, which the process
owner renames on the numbering page.
"""
import sqlalchemy as sa
from alembic import op

import service.persistence.types

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

DEFAULTS = (("sales_consulting", "XS"), ("secondary_sales", "EX"), ("technical_service", "JF"),
            ("brand_operation", "PP"), ("network_engineering", "WL"))


def upgrade() -> None:
    schemes = op.create_table(
        'contract_number_schemes',
        sa.Column('contract_type', sa.String(length=32), nullable=False),
        sa.Column('prefix', sa.String(length=8), nullable=False),
        sa.Column('digits', sa.Integer(), nullable=False),
        sa.Column('updated_at', service.persistence.types.UtcDateTime(), nullable=True),
        sa.Column('updated_by', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('contract_type'),
    )
    op.create_table(
        'contract_numbers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contract_no', sa.String(length=64), nullable=False),
        sa.Column('contract_type', sa.String(length=32), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('sequence', sa.Integer(), nullable=False),
        sa.Column('instance_id', sa.Integer(), nullable=False),
        sa.Column('issued_at', service.persistence.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['contract_type'], ['contract_number_schemes.contract_type']),
        sa.ForeignKeyConstraint(['instance_id'], ['process_instances.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('contract_no'),
        sa.UniqueConstraint('contract_type', 'year', 'sequence'),
        sa.UniqueConstraint('instance_id'),
    )
    op.bulk_insert(schemes, [{'contract_type': kind, 'prefix': prefix, 'digits': 4, 'updated_by': ''}
                             for kind, prefix in DEFAULTS])


def downgrade() -> None:
    op.drop_table('contract_numbers')
    op.drop_table('contract_number_schemes')
