"""Initial schema: meta, submissions, and the search index.

Revision ID: 0001
Revises:
Create Date: 2025-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

FTS5 = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, names, body, content='search_documents', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')"
)


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_meta"),
    )
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("record", sa.String(200), nullable=True),
        sa.Column("client_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), server_default="open", nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("idempotency_key", sa.String(64), nullable=False),
        sa.CheckConstraint("status IN ('open', 'resolved')", name="ck_submissions_status"),
        sa.PrimaryKeyConstraint("id", name="pk_submissions"),
        sa.UniqueConstraint("idempotency_key", name="uq_submissions_idempotency_key"),
    )
    op.create_index("ix_submissions_status_id", "submissions", ["status", "id"])
    op.create_table(
        "search_documents",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("doc_id", sa.String(100), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("names", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_search_documents"),
    )
    op.create_table(
        "search_names",
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", "document_id", name="pk_search_names"),
    )
    op.create_table(
        "search_terms",
        sa.Column("term", sa.String(100), nullable=False),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("term", name="pk_search_terms"),
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute(FTS5)
    else:
        op.add_column("search_documents", sa.Column("tsv", postgresql.TSVECTOR(), nullable=True))
        op.create_index("ix_search_documents_tsv", "search_documents", ["tsv"], postgresql_using="gin")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_fts")
    op.drop_table("search_terms")
    op.drop_table("search_names")
    op.drop_table("search_documents")
    op.drop_index("ix_submissions_status_id", table_name="submissions")
    op.drop_table("submissions")
    op.drop_table("meta")
