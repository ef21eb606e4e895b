"""legacy ledger: legacy 宛名番号 / 世帯番号 → ours, so a re-run of a legacy migration
recognises what it loaded before (also for vendors without 住民票コード)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 15:50:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('legacy_ledger',
    sa.Column('tenant_code', sa.String(length=6), nullable=False),
    sa.Column('system', sa.String(length=40), nullable=False),
    sa.Column('legacy_atena_no', sa.String(length=40), nullable=False),
    sa.Column('legacy_setai_no', sa.String(length=40), nullable=False),
    sa.Column('atena_no', sa.String(length=12), nullable=False),
    sa.Column('setai_no', sa.String(length=12), nullable=False),
    sa.Column('notification_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_code', 'notification_id'], ['registry_notifications.tenant_code', 'registry_notifications.notification_id'], name=op.f('fk_legacy_ledger_tenant_code_notification_id_registry_notifications')),
    sa.ForeignKeyConstraint(['tenant_code', 'setai_no'], ['registry_households.tenant_code', 'registry_households.setai_no'], name=op.f('fk_legacy_ledger_tenant_code_setai_no_registry_households')),
    sa.PrimaryKeyConstraint('tenant_code', 'system', 'legacy_atena_no', name=op.f('pk_legacy_ledger'))
    )
    with op.batch_alter_table('legacy_ledger', schema=None) as batch_op:
        batch_op.create_index('ix_legacy_ledger_legacy_setai', ['tenant_code', 'system', 'legacy_setai_no'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('legacy_ledger', schema=None) as batch_op:
        batch_op.drop_index('ix_legacy_ledger_legacy_setai')

    op.drop_table('legacy_ledger')
