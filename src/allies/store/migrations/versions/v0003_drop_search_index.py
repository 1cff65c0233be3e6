"""Drop the database's search index: search runs in memory over the registry (allies.search),
one engine for the CLI, the API and the pages. The database keeps the contact submissions, the
rate limits and the admin sessions.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

FTS5 = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, names, body, content='search_documents', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_fts")
    else:
        op.drop_index("ix_search_documents_tsv", table_name="search_documents")
    op.drop_table("search_terms")
    op.drop_table("search_names")
    op.drop_table("search_documents")
    op.execute("DELETE FROM meta WHERE key = 'search_index_version'")


def downgrade() -> None:
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
