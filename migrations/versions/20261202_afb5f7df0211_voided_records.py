"""Voided records: voided_on, void_reason and who voided, on every record file of the bundle

Revision ID: afb5f7df0211
Revises: 54211b9b91fa
Create Date: 2026-12-02 02:10:10.132616

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "afb5f7df0211"
down_revision = "54211b9b91fa"
branch_labels = None
depends_on = None

TABLES = (
    "benefits_sessions",
    "client_contacts",
    "employer_contacts",
    "job_hours",
    "jobs",
    "outcome_measures",
    "referrals",
    "weekly_reviews",
)


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("voided_on", sa.Date(), nullable=True))
            batch_op.add_column(sa.Column("void_reason", sa.Text(), nullable=True))
            batch_op.add_column(sa.Column("voided_by_id", sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f(f"ix_{table}_voided_by_id"), ["voided_by_id"], unique=False)
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_voided_by_id_users"), "users", ["voided_by_id"], ["id"]
            )


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"fk_{table}_voided_by_id_users"), type_="foreignkey")
            batch_op.drop_index(batch_op.f(f"ix_{table}_voided_by_id"))
            batch_op.drop_column("voided_by_id")
            batch_op.drop_column("void_reason")
            batch_op.drop_column("voided_on")
