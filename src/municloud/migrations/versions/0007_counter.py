"""counter: 支援措置 holds (requests held for a supervisor's review) and the end reason of a
measure (終了 / 期間満了)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('registry_support_holds',
    sa.Column('tenant_code', sa.String(length=6), nullable=False),
    sa.Column('hold_no', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('requester_type', sa.String(length=20), nullable=False),
    sa.Column('atena_nos', sa.JSON(), nullable=False),
    sa.Column('request', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('held_by', sa.String(length=64), nullable=False),
    sa.Column('held_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by', sa.String(length=64), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('issue_no', sa.String(length=24), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('tenant_code', 'hold_no', name=op.f('pk_registry_support_holds'))
    )
    with op.batch_alter_table('registry_support_measures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('end_reason', sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('registry_support_measures', schema=None) as batch_op:
        batch_op.drop_column('end_reason')

    op.drop_table('registry_support_holds')
