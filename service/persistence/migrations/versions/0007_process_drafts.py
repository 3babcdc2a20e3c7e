"""process drafts: a process owner's saved, not yet deployed change to a process

Revision ID: 0007
Revises: 0006

Why: the editor in the browser saves work that is not live yet; deploying turns a draft into a
version. One draft per process, with the version it started from.
"""
import sqlalchemy as sa
from alembic import op

import service.persistence.types

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'process_drafts',
        sa.Column('process_id', sa.String(length=128), primary_key=True),
        sa.Column('base_version', sa.Integer(), nullable=True),
        sa.Column('files', sa.JSON(), nullable=False),
        sa.Column('forms', sa.JSON(), nullable=False),
        sa.Column('translations', sa.JSON(), nullable=False),
        sa.Column('updated_at', service.persistence.types.UtcDateTime(), nullable=False),
        sa.Column('updated_by', sa.String(length=64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('process_drafts')
