"""programmes' full-time week (V13's scheduled hours)

Revision ID: c3d1a7e2f901
Revises: bf75a608a437
Create Date: 2026-12-01 23:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c3d1a7e2f901"
down_revision = "bf75a608a437"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("programs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("full_time_hours", sa.Numeric(4, 2), server_default="37.5", nullable=False)
        )
        batch_op.create_check_constraint(
            op.f("ck_programs_full_time_hours_range"), "full_time_hours > 0 AND full_time_hours <= 60"
        )


def downgrade():
    with op.batch_alter_table("programs", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_programs_full_time_hours_range"), type_="check")
        batch_op.drop_column("full_time_hours")
