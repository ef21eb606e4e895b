"""seal screens: how a seal registration's applicant was confirmed (本人／代理人, 本人確認の
方法: 書類・保証人・照会書と回答書, the 保証人's 宛名番号, the 照会書's date)

Revision ID: 0011_seal_screens
Revises: 0010_tax_screens
Create Date: 2026-12-02 18:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011_seal_screens'
down_revision: str | None = '0010_tax_screens'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('seal_registrations') as batch:
        batch.add_column(sa.Column('requester', sa.String(length=4), nullable=True))
        batch.add_column(sa.Column('identity_method', sa.String(length=12), nullable=True))
        batch.add_column(sa.Column('guarantor_atena_no', sa.String(length=12), nullable=True))
        batch.add_column(sa.Column('inquiry_sent_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('seal_registrations') as batch:
        batch.drop_column('inquiry_sent_on')
        batch.drop_column('guarantor_atena_no')
        batch.drop_column('identity_method')
        batch.drop_column('requester')
