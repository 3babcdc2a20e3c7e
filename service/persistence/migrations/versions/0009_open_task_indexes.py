"""indexes for long inboxes and the case search: open tasks by role and by holder, text search

Revision ID: 0009
Revises: 0008

Why: with a hundred thousand open tasks, "my open tasks by deadline" read every open task to show
fifty. The inbox and `GET /api/v1/tasks` now read each part of the list (held by me; each of my
roles, unclaimed) as a range of one of these partial indexes, already in deadline order: only the
open rows are indexed, so they stay small however many tasks are done. The case search by business
key or customer (`*` wildcards, any part of the text) gets a trigram index on PostgreSQL (pg_trgm,
used by ILIKE); SQLite gets case-insensitive (NOCASE) indexes, which its LIKE uses for a search
from the start of the text (`欧*`).
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

OPEN_TASKS = (
    ('ix_human_tasks_open_unclaimed', ['role', 'due_at', 'id'], "status = 'open' AND assignee IS NULL"),
    ('ix_human_tasks_open_held', ['assignee', 'due_at', 'id'], "status = 'open'"),
)
TEXT_SEARCH = (
    ('ix_process_instances_key_search', 'business_key'),
    ('ix_process_instances_customer_search', 'customer'),
)


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == 'postgresql'
    for name, columns, where in OPEN_TASKS:
        op.create_index(name, 'human_tasks', columns, unique=False, sqlite_where=sa.text(where),
                        postgresql_where=sa.text(where))
    if postgres:
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    for name, column in TEXT_SEARCH:
        if postgres:
            op.create_index(name, 'process_instances', [column], unique=False, postgresql_using='gin',
                            postgresql_ops={column: 'gin_trgm_ops'})
        else:
            op.create_index(name, 'process_instances', [sa.text(f'{column} COLLATE NOCASE')], unique=False)


def downgrade() -> None:
    for name, _column in reversed(TEXT_SEARCH):
        op.drop_index(name, table_name='process_instances')
    for name, _columns, _where in reversed(OPEN_TASKS):
        op.drop_index(name, table_name='human_tasks')
