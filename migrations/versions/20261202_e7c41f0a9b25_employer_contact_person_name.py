"""employer contacts: the employer's person met (person_name)

Revision ID: e7c41f0a9b25
Revises: 6ea407151734
Create Date: 2026-12-02 02:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e7c41f0a9b25"
down_revision = "6ea407151734"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("employer_contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("person_name", sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table("employer_contacts", schema=None) as batch_op:
        batch_op.drop_column("person_name")
