"""address master: the tenant's 町字 (住所マスター) with 郵便番号, attributes and periods

Revision ID: 0014_address_master
Revises: 0013_issuance_window
Create Date: 2026-12-02 17:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014_address_master'
down_revision: str | None = '0013_issuance_window'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('registry_towns',
    sa.Column('tenant_code', sa.String(length=6), nullable=False),
    sa.Column('machiaza_id', sa.String(length=7), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('machiaza_type', sa.String(length=1), nullable=True),
    sa.Column('ward', sa.String(length=24), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kana', sa.String(length=240), nullable=False),
    sa.Column('name_key', sa.String(length=120), nullable=False),
    sa.Column('kana_key', sa.String(length=240), nullable=False),
    sa.Column('postal_code', sa.String(length=7), nullable=True),
    sa.Column('attributes', sa.JSON(), nullable=False),
    sa.Column('source_line', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('tenant_code', 'machiaza_id', 'valid_from', name=op.f('pk_registry_towns'))
    )
    with op.batch_alter_table('registry_towns', schema=None) as batch_op:
        batch_op.create_index('ix_registry_towns_key', ['tenant_code', 'name_key'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('registry_towns', schema=None) as batch_op:
        batch_op.drop_index('ix_registry_towns_key')

    op.drop_table('registry_towns')
