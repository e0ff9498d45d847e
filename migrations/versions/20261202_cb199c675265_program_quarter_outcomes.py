"""Program quarter outcomes: each programme's last complete quarter as computed (the programme page reads it)

Revision ID: cb199c675265
Revises: 32257e53a677
Create Date: 2026-12-02 12:16:22.434186

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "cb199c675265"
down_revision = "32257e53a677"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "program_quarter_outcomes",
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.String(length=6), nullable=False),
        sa.Column("stamp", sa.Integer(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["program_id"], ["programs.id"], name=op.f("fk_program_quarter_outcomes_program_id_programs")
        ),
        sa.PrimaryKeyConstraint("program_id", name=op.f("pk_program_quarter_outcomes")),
    )


def downgrade():
    op.drop_table("program_quarter_outcomes")
