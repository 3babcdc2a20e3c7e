"""per-case audit chains, checkpoints, incidents, claims, customer companies

Revision ID: 0003
Revises: 0002

The single global chain becomes one chain per case: existing events are re-chained (their hashes
recomputed in the new form) in their original order, and the case rows get their chain heads.
"""
from datetime import UTC

import sqlalchemy as sa
from alembic import op

import service.persistence.types

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def _create_tables() -> None:
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('chain', sa.String(length=32), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('occurred_at', service.persistence.types.UtcDateTime(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instances.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('chain', 'seq')
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_instance_id'), ['instance_id'], unique=False)
    op.create_table('audit_chains',
    sa.Column('chain', sa.String(length=32), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('chain')
    )
    op.create_table('audit_checkpoints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', service.persistence.types.UtcDateTime(), nullable=False),
    sa.Column('full', sa.Boolean(), nullable=False),
    sa.Column('heads', sa.JSON(), nullable=False),
    sa.Column('chain_count', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('prev_hash')
    )
    op.create_table('incidents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=False),
    sa.Column('timer_id', sa.Integer(), nullable=True),
    sa.Column('element_id', sa.String(length=128), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_retry_at', service.persistence.types.UtcDateTime(), nullable=True),
    sa.Column('created_at', service.persistence.types.UtcDateTime(), nullable=False),
    sa.Column('updated_at', service.persistence.types.UtcDateTime(), nullable=False),
    sa.Column('resolved_at', service.persistence.types.UtcDateTime(), nullable=True),
    sa.Column('resolved_by', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instances.id'], ),
    sa.ForeignKeyConstraint(['timer_id'], ['timers.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incidents_instance_id'), ['instance_id'], unique=False)
        batch_op.create_index('ix_incidents_retry', ['status', 'next_retry_at'], unique=False)


def _add_columns() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('company', sa.String(length=128), nullable=True))
    with op.batch_alter_table('process_instances', schema=None) as batch_op:
        batch_op.add_column(sa.Column('customer', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('chain_seq', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('chain_hash', sa.String(length=64), nullable=False,
                                      server_default=GENESIS))
        batch_op.create_index(batch_op.f('ix_process_instances_customer'), ['customer'], unique=False)
    with op.batch_alter_table('timers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_until', service.persistence.types.UtcDateTime(), nullable=True))
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_until', service.persistence.types.UtcDateTime(), nullable=True))


def _rechain_events() -> None:
    """Copy the old global chain into per-case chains, recomputing each hash in the new form."""
    from service.persistence.audit import SYSTEM_CHAIN, case_chain, event_hash

    conn = op.get_bind()
    old = sa.table('events', sa.column('seq', sa.Integer), sa.column('instance_id', sa.Integer),
                   sa.column('type', sa.String), sa.column('actor', sa.String),
                   sa.column('occurred_at', service.persistence.types.UtcDateTime()),
                   sa.column('payload', sa.JSON))
    new = sa.table('audit_events', sa.column('chain', sa.String), sa.column('seq', sa.Integer),
                   sa.column('instance_id', sa.Integer), sa.column('type', sa.String),
                   sa.column('actor', sa.String),
                   sa.column('occurred_at', service.persistence.types.UtcDateTime()),
                   sa.column('payload', sa.JSON), sa.column('prev_hash', sa.String), sa.column('hash', sa.String))
    heads: dict[str, tuple[int, str, int | None]] = {}
    for row in conn.execute(sa.select(old).order_by(old.c.seq)):
        chain = case_chain(row.instance_id) if row.instance_id is not None else SYSTEM_CHAIN
        seq, prev, _ = heads.get(chain, (0, GENESIS, None))
        digest = event_hash(chain=chain, seq=seq + 1, instance_id=row.instance_id, type=row.type,
                            actor=row.actor, occurred_at=row.occurred_at, payload=row.payload, prev_hash=prev)
        conn.execute(new.insert().values(chain=chain, seq=seq + 1, instance_id=row.instance_id, type=row.type,
                                         actor=row.actor, occurred_at=row.occurred_at, payload=row.payload,
                                         prev_hash=prev, hash=digest))
        heads[chain] = (seq + 1, digest, row.instance_id)
    instances = sa.table('process_instances', sa.column('id', sa.Integer), sa.column('chain_seq', sa.Integer),
                         sa.column('chain_hash', sa.String))
    chains = sa.table('audit_chains', sa.column('chain', sa.String), sa.column('seq', sa.Integer),
                      sa.column('hash', sa.String))
    for chain, (seq, digest, instance_id) in heads.items():
        if instance_id is None:
            conn.execute(chains.insert().values(chain=chain, seq=seq, hash=digest))
        else:
            conn.execute(instances.update().where(instances.c.id == instance_id)
                         .values(chain_seq=seq, chain_hash=digest))


def upgrade() -> None:
    _create_tables()
    _add_columns()
    _rechain_events()
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_instance_id'))
    op.drop_table('events')
    op.drop_table('audit_head')


def _old_hash(body: dict) -> str:
    import hashlib
    import json
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                          .encode("utf-8")).hexdigest()


def downgrade() -> None:
    """Back to one global chain, in the order the events were written (hashes in the old form)."""

    op.create_table('audit_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    events = op.create_table('events',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('occurred_at', service.persistence.types.UtcDateTime(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instances.id'], ),
    sa.PrimaryKeyConstraint('seq')
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_instance_id'), ['instance_id'], unique=False)
    conn = op.get_bind()
    new = sa.table('audit_events', sa.column('id', sa.Integer), sa.column('instance_id', sa.Integer),
                   sa.column('type', sa.String), sa.column('actor', sa.String),
                   sa.column('occurred_at', service.persistence.types.UtcDateTime()), sa.column('payload', sa.JSON))
    prev, seq = GENESIS, 0
    for row in conn.execute(sa.select(new).order_by(new.c.id)):
        seq += 1
        digest = _old_hash({"seq": seq, "instance_id": row.instance_id, "type": row.type, "actor": row.actor,
                            "occurred_at": row.occurred_at.astimezone(UTC).isoformat(
                                timespec="microseconds"), "payload": row.payload, "prev_hash": prev})
        conn.execute(events.insert().values(seq=seq, instance_id=row.instance_id, type=row.type, actor=row.actor,
                                            occurred_at=row.occurred_at, payload=row.payload, prev_hash=prev,
                                            hash=digest))
        prev = digest
    conn.execute(sa.table('audit_head', sa.column('id'), sa.column('seq'), sa.column('hash')).insert()
                 .values(id=1, seq=seq, hash=prev))
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_column('claimed_until')
    with op.batch_alter_table('timers', schema=None) as batch_op:
        batch_op.drop_column('claimed_until')
    with op.batch_alter_table('process_instances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_process_instances_customer'))
        batch_op.drop_column('chain_hash')
        batch_op.drop_column('chain_seq')
        batch_op.drop_column('customer')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('company')
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_index('ix_incidents_retry')
        batch_op.drop_index(batch_op.f('ix_incidents_instance_id'))
    op.drop_table('incidents')
    op.drop_table('audit_checkpoints')
    op.drop_table('audit_chains')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_instance_id'))
    op.drop_table('audit_events')
