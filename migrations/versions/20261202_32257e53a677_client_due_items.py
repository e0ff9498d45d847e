"""Client due items: each client's due items as the rules derive them on a date (the home reads them)

Revision ID: 32257e53a677
Revises: f3a9c2d1e804
Create Date: 2026-12-02 06:11:02.195633

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "32257e53a677"
down_revision = "f3a9c2d1e804"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "client_due_items",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("derived_on", sa.Date(), nullable=True),
        sa.Column("stamp", sa.Integer(), nullable=False),
        sa.Column("items", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name=op.f("fk_client_due_items_client_id_clients")),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_client_due_items")),
    )


def downgrade():
    op.drop_table("client_due_items")
