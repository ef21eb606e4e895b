"""verification: 確認コード hash in the register, per-day counts of public verifications

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # documents issued before this revision keep a NULL hash: only their very file verifies them
    with op.batch_alter_table('issued_documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code_hash', sa.String(length=64), nullable=True))
    op.create_table('document_verifications',
    sa.Column('tenant_code', sa.String(length=6), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('issue_no', sa.String(length=24), nullable=False),
    sa.Column('confirmed', sa.Integer(), nullable=False),
    sa.Column('matched', sa.Integer(), nullable=False),
    sa.Column('mismatched', sa.Integer(), nullable=False),
    sa.Column('refused', sa.Integer(), nullable=False),
    sa.Column('first_at', sa.DateTime(), nullable=False),
    sa.Column('last_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('tenant_code', 'day', 'issue_no', name=op.f('pk_document_verifications'))
    )


def downgrade() -> None:
    op.drop_table('document_verifications')
    with op.batch_alter_table('issued_documents', schema=None) as batch_op:
        batch_op.drop_column('code_hash')
