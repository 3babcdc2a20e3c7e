"""after-sales master data: sales regions, contracts with their products, task types, parts, fee table

Revision ID: 0011
Revises: 0010

Why: the service desk creates dispatch orders (派工单) from a contract found by its number, project or
address, a region of the sales-region tree and a task type; the engineer books parts and the fees of
paid service from the parts list and the fee table. The five default task types come with the schema:
every installation needs them before the process owner edits the list.
"""
import sqlalchemy as sa
from alembic import op

import service.persistence.types

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

DEFAULT_TASK_TYPES = (
    ('installation', '安装调试', 'Installation and commissioning'),
    ('repair', '故障维修', 'Repair'),
    ('return_visit', '回访', 'Return visit'),
    ('maintenance', '维护保养', 'Maintenance'),
    ('parts_sale', '配件销售', 'Parts sale'),
)


def upgrade() -> None:
    op.create_table(
        'sales_regions',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('parent_id', sa.Integer(), sa.ForeignKey('sales_regions.id'), nullable=True),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.UniqueConstraint('parent_id', 'name'),
    )
    op.create_index('ix_sales_regions_parent_id', 'sales_regions', ['parent_id'])
    op.create_table(
        'sales_contracts',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('contract_no', sa.String(length=64), nullable=False, unique=True),
        sa.Column('project', sa.String(length=256), nullable=False),
        sa.Column('customer', sa.String(length=128), nullable=False),
        sa.Column('address', sa.String(length=512), nullable=False),
        sa.Column('contact', sa.String(length=256), nullable=False),
        sa.Column('signed_on', sa.Date(), nullable=True),
        sa.Column('service_until', sa.Date(), nullable=True),
        sa.Column('warranty_extension_years', sa.Integer(), nullable=False),
        sa.Column('visit_plan', sa.JSON(), nullable=False),
        sa.Column('updated_at', service.persistence.types.UtcDateTime(), nullable=False),
        sa.Column('updated_by', sa.String(length=64), nullable=False),
    )
    op.create_index('ix_sales_contracts_customer', 'sales_contracts', ['customer'])
    op.create_table(
        'contract_products',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('contract_id', sa.Integer(), sa.ForeignKey('sales_contracts.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('serial_no', sa.String(length=64), nullable=False),
        sa.Column('model', sa.String(length=128), nullable=False),
        sa.Column('name', sa.String(length=256), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('first_use_on', sa.Date(), nullable=True),
        sa.Column('ex_factory_on', sa.Date(), nullable=True),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.UniqueConstraint('contract_id', 'serial_no'),
    )
    op.create_index('ix_contract_products_contract_id', 'contract_products', ['contract_id'])
    op.create_index('ix_contract_products_serial_no', 'contract_products', ['serial_no'])
    task_types = op.create_table(
        'service_task_types',
        sa.Column('code', sa.String(length=32), primary_key=True),
        sa.Column('name_zh', sa.String(length=64), nullable=False),
        sa.Column('name_en', sa.String(length=64), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
    )
    op.create_table(
        'service_parts',
        sa.Column('material_no', sa.String(length=64), primary_key=True),
        sa.Column('name', sa.String(length=256), nullable=False),
        sa.Column('unit', sa.String(length=16), nullable=False),
        sa.Column('price_fen', sa.Integer(), nullable=False),
    )
    op.create_table(
        'service_fee_items',
        sa.Column('code', sa.String(length=32), primary_key=True),
        sa.Column('name_zh', sa.String(length=64), nullable=False),
        sa.Column('name_en', sa.String(length=64), nullable=False),
        sa.Column('task_type', sa.String(length=32), nullable=True),
        sa.Column('unit', sa.String(length=16), nullable=False),
        sa.Column('amount_fen', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
    )
    op.bulk_insert(task_types, [{'code': code, 'name_zh': zh, 'name_en': en, 'position': position, 'active': True}
                                for position, (code, zh, en) in enumerate(DEFAULT_TASK_TYPES, start=1)])


def downgrade() -> None:
    op.drop_table('service_fee_items')
    op.drop_table('service_parts')
    op.drop_table('service_task_types')
    op.drop_index('ix_contract_products_serial_no', table_name='contract_products')
    op.drop_index('ix_contract_products_contract_id', table_name='contract_products')
    op.drop_table('contract_products')
    op.drop_index('ix_sales_contracts_customer', table_name='sales_contracts')
    op.drop_table('sales_contracts')
    op.drop_index('ix_sales_regions_parent_id', table_name='sales_regions')
    op.drop_table('sales_regions')
