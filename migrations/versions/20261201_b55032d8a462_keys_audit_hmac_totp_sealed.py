"""keys: the audit chain keyed (HMAC-SHA256), the clients a page showed, two-step secrets sealed

The existing chain (plain SHA-256) is checked first: a broken chain stops the upgrade, since
re-keying it would hide the break (run `audit verify` on the previous release and investigate).
An intact chain is re-keyed in place with the key store's audit key, so it verifies as one chain.
Existing two-step sign-in secrets are encrypted (AES-GCM, the key store's data key; 64 characters,
the column's width). The keys come
from the running app's key store (CASELOAD_KEYS_DIR, default instance/): back that folder up.

Revision ID: b55032d8a462
Revises: a8dd8b9b18cd
Create Date: 2026-12-01 22:45:00

"""

import base64
import hashlib
import hmac

import sqlalchemy as sa
from alembic import op

from caseload.security.keys import AUDIT_KEY, app_key, seal, unseal

# revision identifiers, used by Alembic.
revision = "b55032d8a462"
down_revision = "a8dd8b9b18cd"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
TOTP_PURPOSE = "totp-secret"
events = sa.table(
    "audit_events",
    sa.column("id", sa.Integer),
    sa.column("at", sa.DateTime),
    sa.column("user_id", sa.Integer),
    sa.column("action", sa.String),
    sa.column("client_id", sa.Integer),
    sa.column("target", sa.String),
    sa.column("shown", sa.Text),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
)
users = sa.table("users", sa.column("id", sa.Integer), sa.column("totp_secret", sa.String))


def _payload(prev, row, keyed: bool) -> bytes:
    stamp = row.at.replace(tzinfo=None).isoformat(timespec="microseconds")
    text = f"{prev}|{stamp}|{row.user_id}|{row.action}|{row.client_id}|{row.target}"
    return (text + f"|{getattr(row, 'shown', None)}" if keyed else text).encode()


def _plain(prev, row) -> str:
    return hashlib.sha256(_payload(prev, row, keyed=False)).hexdigest()


def _keyed(prev, row) -> str:
    return hmac.new(app_key(AUDIT_KEY), _payload(prev, row, keyed=True), hashlib.sha256).hexdigest()


def _checked(check, *, with_shown: bool) -> list:
    """Every event, after checking the chain with ``check`` (a broken chain stops the migration)."""
    columns = [c for c in events.c if with_shown or c.name != "shown"]
    rows = op.get_bind().execute(sa.select(*columns).order_by(events.c.id)).all()
    prev = GENESIS
    for row in rows:
        if row.prev_hash != prev or row.hash != check(row.prev_hash, row):
            raise RuntimeError(
                f"the audit chain is broken at event {row.id}: not re-keyed. Run `flask --app app audit "
                "verify` on the previous release and investigate before upgrading."
            )
        prev = row.hash
    return rows


def _rechain(rows, make) -> None:
    prev, changes = GENESIS, []
    for row in rows:
        new = make(prev, row)
        changes.append({"row_id": row.id, "new_prev": prev, "new_hash": new})
        prev = new
    if changes:
        op.get_bind().execute(
            events.update()
            .where(events.c.id == sa.bindparam("row_id"))
            .values(prev_hash=sa.bindparam("new_prev"), hash=sa.bindparam("new_hash")),
            changes,
        )


def _reseal(convert) -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(users.c.id, users.c.totp_secret).where(users.c.totp_secret.is_not(None))
    ).all()
    for user_id, secret in rows:
        conn.execute(users.update().where(users.c.id == user_id).values(totp_secret=convert(secret)))


def upgrade():
    rows = _checked(_plain, with_shown=False)
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shown", sa.Text(), nullable=True))
    _rechain(rows, _keyed)
    _reseal(lambda secret: seal(base64.b32decode(secret), TOTP_PURPOSE))


def downgrade():
    rows = _checked(_keyed, with_shown=True)
    _reseal(lambda sealed: base64.b32encode(unseal(sealed, TOTP_PURPOSE)).decode())
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_column("shown")
    _rechain(rows, _plain)
