"""coach_override.note as TEXT, so it can hold an encrypted value

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

A coach's note about an athlete ("knee rehab week") is health information: with
ENCRYPTION_KEY set it is stored encrypted, and a Fernet token of a 500-character note does not
fit VARCHAR(500). The note's length is still limited to 500 characters by the dialogue.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: Union[str, Sequence[str], None] = "0004"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """VARCHAR(500) -> TEXT."""
    with op.batch_alter_table("coach_override", schema=None) as batch_op:
        batch_op.alter_column("note", existing_type=sa.String(length=500), type_=sa.Text(),
                              existing_nullable=True)


def downgrade() -> None:
    """TEXT -> VARCHAR(500) (encrypted notes must be decrypted first: `db rotate-key`)."""
    with op.batch_alter_table("coach_override", schema=None) as batch_op:
        batch_op.alter_column("note", existing_type=sa.Text(), type_=sa.String(length=500),
                              existing_nullable=True)
