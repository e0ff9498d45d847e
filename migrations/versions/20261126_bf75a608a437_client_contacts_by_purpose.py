"""client contacts by client, purpose and date (the home's first disclosure contact since entry)

Revision ID: bf75a608a437
Revises: 4fc52ba79088
Create Date: 2026-11-26 07:30:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "bf75a608a437"
down_revision = "4fc52ba79088"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("client_contacts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_client_contacts_client_purpose_date", ["client_id", "purpose", "contact_date"], unique=False
        )


def downgrade():
    with op.batch_alter_table("client_contacts", schema=None) as batch_op:
        batch_op.drop_index("ix_client_contacts_client_purpose_date")
