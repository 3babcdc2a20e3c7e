"""case starts: cases a step asked to open (a visit plan's dispatch orders), for the worker to open

Revision ID: 0012
Revises: 0011

Why: an operation never touches the database, so a step that asks for a new case records the request
in the step's own transaction, and the worker opens each case once (`case_id` unique) and marks it.
"""
import sqlalchemy as sa
from alembic import op

import service.persistence.types

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'case_starts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('instance_id', sa.Integer(), nullable=False),
        sa.Column('element_id', sa.String(length=128), nullable=False),
        sa.Column('process_id', sa.String(length=128), nullable=False),
        sa.Column('business_key', sa.String(length=256), nullable=False),
        sa.Column('actor', sa.String(length=64), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('incident_id', sa.Integer(), nullable=True),
        sa.Column('created_at', service.persistence.types.UtcDateTime(), nullable=False),
        sa.Column('opened_at', service.persistence.types.UtcDateTime(), nullable=True),
        sa.Column('next_try_at', service.persistence.types.UtcDateTime(), nullable=True),
        sa.Column('claimed_until', service.persistence.types.UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['instance_id'], ['process_instances.id'], ),
        sa.ForeignKeyConstraint(['case_id'], ['process_instances.id'], ),
        sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('case_id'),
    )
    with op.batch_alter_table('case_starts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_starts_instance_id'), ['instance_id'], unique=False)
        batch_op.create_index('ix_case_starts_due', ['status', 'next_try_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('case_starts', schema=None) as batch_op:
        batch_op.drop_index('ix_case_starts_due')
        batch_op.drop_index(batch_op.f('ix_case_starts_instance_id'))
    op.drop_table('case_starts')
