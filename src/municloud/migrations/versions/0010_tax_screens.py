"""tax screens: 課税資料の修正履歴 (every entry, correction or import of a person's 課税資料)

Revision ID: 0010_tax_screens
Revises: 0007
Create Date: 2026-12-02 18:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010_tax_screens'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('tax_input_revisions',
    sa.Column('tenant_code', sa.String(length=6), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('atena_no', sa.String(length=12), nullable=False),
    sa.Column('revision', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('tenant_code', 'year', 'atena_no', 'revision', name=op.f('pk_tax_input_revisions'))
    )


def downgrade() -> None:
    op.drop_table('tax_input_revisions')
