"""support screens: the 相談機関's opinion on a 支援措置 and the reason it was ended

* ``registry_support_measures.consult_agency`` / ``opinion_on`` / ``opinion`` — the
  相談機関 (警察・配偶者暴力相談支援センター・児童相談所 …) whose opinion confirmed the need
  for support (住民基本台帳事務処理要領 第5-10); required for a 本 measure, so existing
  rows (started before it was recorded) stay empty.
* ``registry_support_measures.end_note`` — why a measure was ended on request (終了の理由).

Revision ID: 0012_support_screens
Revises: 0011_seal_screens
Create Date: 2026-12-02 18:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012_support_screens'
down_revision: str | None = '0011_seal_screens'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('registry_support_measures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('end_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('consult_agency', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('opinion_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('opinion', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('registry_support_measures', schema=None) as batch_op:
        batch_op.drop_column('opinion')
        batch_op.drop_column('opinion_on')
        batch_op.drop_column('consult_agency')
        batch_op.drop_column('end_note')
