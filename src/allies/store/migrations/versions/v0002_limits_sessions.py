"""Rate limits and admin sessions kept in the database (shared by every worker process).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("bucket", sa.String(32), nullable=False),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_rate_events"),
    )
    op.create_index("ix_rate_events_bucket_client_at", "rate_events", ["bucket", "client", "at"])
    op.create_index("ix_rate_events_bucket_at", "rate_events", ["bucket", "at"])
    op.create_table(
        "admin_sessions",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_admin_sessions"),
    )


def downgrade() -> None:
    op.drop_table("admin_sessions")
    op.drop_index("ix_rate_events_bucket_at", table_name="rate_events")
    op.drop_index("ix_rate_events_bucket_client_at", table_name="rate_events")
    op.drop_table("rate_events")
