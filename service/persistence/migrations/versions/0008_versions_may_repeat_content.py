"""a version may repeat an older version's content (going back is a new version)

Revision ID: 0008
Revises: 0007

Why: a process owner who goes back to an earlier diagram deploys it as the newest version, so new
cases start on it. Only "the same as the latest version" is no new version; the unique
(process_id, content_hash) pair would refuse the going back.
"""
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# SQLite keeps the constraint unnamed: batch mode names it by this convention to drop it
NAMING = {"uq": "uq_%(table_name)s_%(column_0_N_name)s"}
SQLITE_NAME = "uq_process_definitions_process_id_content_hash"
POSTGRES_NAME = "process_definitions_process_id_content_hash_key"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("process_definitions", naming_convention=NAMING, recreate="always") as batch_op:
            batch_op.drop_constraint(SQLITE_NAME, type_="unique")
    else:
        op.drop_constraint(POSTGRES_NAME, "process_definitions", type_="unique")


def downgrade() -> None:
    with op.batch_alter_table("process_definitions") as batch_op:
        batch_op.create_unique_constraint(POSTGRES_NAME, ["process_id", "content_hash"])
