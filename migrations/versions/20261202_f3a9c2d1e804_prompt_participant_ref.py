"""Prompts: the trial participant's study ref (assessment prompts, never keyed by a client)

Revision ID: f3a9c2d1e804
Revises: afb5f7df0211
Create Date: 2026-12-02 03:40:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "f3a9c2d1e804"
down_revision = "afb5f7df0211"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("prompts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("participant_ref", sa.String(length=20), nullable=True))
        batch_op.create_index(batch_op.f("ix_prompts_participant_ref"), ["participant_ref"], unique=False)


def downgrade():
    with op.batch_alter_table("prompts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prompts_participant_ref"))
        batch_op.drop_column("participant_ref")
