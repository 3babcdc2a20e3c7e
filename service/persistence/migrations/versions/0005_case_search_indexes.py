"""indexes for the case lists: open tasks by case, completed by a person, cases by start and change

Revision ID: 0005
Revises: 0004

Why: the case search pages through ten thousand cases and more. Without these, SQLite sorts every
case to show 25 (started_at, updated_at), reads all open tasks of the company to find those of
one page (instance_id + status: the planner otherwise takes the inbox index on status), and reads
every task to find the cases one person worked on (completed_by: the 已办 tab).
"""
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

INDEXES = (
    ('ix_human_tasks_open_by_case', 'human_tasks', ['instance_id', 'status', 'due_at']),
    ('ix_human_tasks_completed_by', 'human_tasks', ['completed_by']),
    ('ix_process_instances_started_at', 'process_instances', ['started_at']),
    ('ix_process_instances_updated_at', 'process_instances', ['updated_at']),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(name, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(name)
