"""issuance window: the fee in force per copy, the 免除 reason, the 本人確認書類 checked (its
kind only), the 領収書's 発行番号 on each 交付履歴 row, and an index for the day's list and
the 日計表

Revision ID: 0013_issuance_window
Revises: 0012_support_screens
Create Date: 2026-12-02 18:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013_issuance_window'
down_revision: str | None = '0012_support_screens'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('registry_certificate_issuances', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_fee', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('fee_exemption', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('identity_document', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('receipt_no', sa.String(length=24), nullable=True))
    # every row before this revision was charged in full: fee = 1通の手数料 × 通数
    op.execute('UPDATE registry_certificate_issuances SET unit_fee = fee / copies')
    with op.batch_alter_table('registry_certificate_issuances', schema=None) as batch_op:
        batch_op.alter_column('unit_fee', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            op.f('fk_registry_certificate_issuances_tenant_code_receipt_no_issued_documents'), 'issued_documents',
            ['tenant_code', 'receipt_no'], ['tenant_code', 'issue_no'])
        batch_op.create_index('ix_registry_certificate_issuances_day', ['tenant_code', 'issued_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('registry_certificate_issuances', schema=None) as batch_op:
        batch_op.drop_index('ix_registry_certificate_issuances_day')
        batch_op.drop_constraint(
            op.f('fk_registry_certificate_issuances_tenant_code_receipt_no_issued_documents'), type_='foreignkey')
        batch_op.drop_column('receipt_no')
        batch_op.drop_column('identity_document')
        batch_op.drop_column('fee_exemption')
        batch_op.drop_column('unit_fee')
