"""Prompts: the late record (a record that would satisfy an open prompt had it been in time)

Revision ID: d4e5f6a7b801
Revises: e7c41f0a9b25
Create Date: 2026-12-02 02:30:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "d4e5f6a7b801"
down_revision = "e7c41f0a9b25"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("prompts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("late_record", sa.String(length=60), nullable=True))


def downgrade():
    with op.batch_alter_table("prompts", schema=None) as batch_op:
        batch_op.drop_column("late_record")
