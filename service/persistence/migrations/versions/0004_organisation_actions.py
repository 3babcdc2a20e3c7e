"""organisation (departments, superiors), 审批 actions on tasks, comments, copies (抄送)

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

import service.persistence.types

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('departments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('leader', sa.String(length=64), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['departments.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('parent_id', 'name')
    )
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_departments_parent_id'), ['parent_id'], unique=False)

    op.create_table('case_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('mentions', sa.JSON(), nullable=False),
    sa.Column('created_at', service.persistence.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instances.id'], ),
    sa.ForeignKeyConstraint(['task_id'], ['human_tasks.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('case_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_comments_instance_id'), ['instance_id'], unique=False)

    op.create_table('case_copies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('copied_by', sa.String(length=64), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('created_at', service.persistence.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instances.id'], ),
    sa.ForeignKeyConstraint(['task_id'], ['human_tasks.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('instance_id', 'username')
    )
    with op.batch_alter_table('case_copies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_copies_instance_id'), ['instance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_copies_username'), ['username'], unique=False)

    with op.batch_alter_table('human_tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), server_default='engine', nullable=False))
        batch_op.add_column(sa.Column('parent_task_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('signer_position', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('delegated_by', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('draft', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('last_urged_at', service.persistence.types.UtcDateTime(), nullable=True))
        batch_op.create_foreign_key('fk_human_tasks_parent_task', 'human_tasks', ['parent_task_id'], ['id'])

    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), server_default='procedure', nullable=False))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mobile', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('department_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('superior', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_users_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_users_superior'), ['superior'], unique=False)
        batch_op.create_foreign_key('fk_users_department', 'departments', ['department_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_column('kind')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint('fk_users_department', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_users_superior'))
        batch_op.drop_index(batch_op.f('ix_users_department_id'))
        batch_op.drop_column('superior')
        batch_op.drop_column('department_id')
        batch_op.drop_column('mobile')

    with op.batch_alter_table('human_tasks', schema=None) as batch_op:
        batch_op.drop_constraint('fk_human_tasks_parent_task', type_='foreignkey')
        batch_op.drop_column('last_urged_at')
        batch_op.drop_column('note')
        batch_op.drop_column('draft')
        batch_op.drop_column('delegated_by')
        batch_op.drop_column('signer_position')
        batch_op.drop_column('parent_task_id')
        batch_op.drop_column('kind')

    with op.batch_alter_table('case_copies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_copies_username'))
        batch_op.drop_index(batch_op.f('ix_case_copies_instance_id'))

    op.drop_table('case_copies')
    with op.batch_alter_table('case_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_comments_instance_id'))

    op.drop_table('case_comments')
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_departments_parent_id'))

    op.drop_table('departments')
