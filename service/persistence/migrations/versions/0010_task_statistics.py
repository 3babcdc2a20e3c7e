"""statistics of open tasks by role and holder, for the planner of long lists (PostgreSQL)

Revision ID: 0010
Revises: 0009

Why: PostgreSQL estimates "open AND held by X" as (share of open tasks) × (share of X's tasks). A
director who held many finished tasks and holds no open one was thought to hold thousands, so the
count of his inbox read every task instead of the empty range of `ix_human_tasks_open_held`; and the
open unclaimed tasks of a role were thought three times fewer than they are, so the case list's
待办 count gathered all of them before counting. Statistics of the three columns together (most
common combinations) give the planner the real numbers. SQLite's planner needs no such statistics.
"""
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

NAME = 'st_human_tasks_status_role_assignee'


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(f'CREATE STATISTICS {NAME} (mcv) ON status, role, assignee FROM human_tasks')
    op.execute('ANALYZE human_tasks')


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(f'DROP STATISTICS IF EXISTS {NAME}')
