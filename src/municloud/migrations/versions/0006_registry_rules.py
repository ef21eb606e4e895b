"""registry rules: 届出期間経過 flag, 転出予定 carried out on its 予定日, 転出予定年月日

* ``registry_notifications.late_notice`` — the 届出 was made after its 届出期間
  (住民基本台帳法第22条〜第25条); existing rows are not flagged (false).
* ``registry_notifications.due_on`` / ``plan`` / ``carries_out`` — a 転出予定 waits for its
  予定日 (the daily job), with what it will do to the household; the entry that carried it out.
* ``registry_resident_history.move_out_planned_on`` — 転出予定年月日.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('registry_notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('late_notice', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('plan', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('carries_out', sa.Integer(), nullable=True))
        batch_op.create_index('ix_registry_notifications_due', ['tenant_code', 'due_on'], unique=False)
        batch_op.create_index('ix_registry_notifications_late', ['tenant_code', 'late_notice', 'todoke_date'],
                              unique=False)
    with op.batch_alter_table('registry_resident_history', schema=None) as batch_op:
        batch_op.add_column(sa.Column('move_out_planned_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('registry_resident_history', schema=None) as batch_op:
        batch_op.drop_column('move_out_planned_on')
    with op.batch_alter_table('registry_notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_registry_notifications_late')
        batch_op.drop_index('ix_registry_notifications_due')
        batch_op.drop_column('carries_out')
        batch_op.drop_column('plan')
        batch_op.drop_column('due_on')
        batch_op.drop_column('late_notice')
