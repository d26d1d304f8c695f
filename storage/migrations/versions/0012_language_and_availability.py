"""a person's own language, and their availability (weekday minutes, kinds, blackout days)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04

`person.language` is the athlete's own choice of interface language (`/language`), a base
code such as "es"; None falls back to Telegram's language_code. `person.availability` holds
what the week scheduler must plan around: per weekday the minutes and kinds of work allowed
and how many sessions, plus blackout day ranges (their reason encrypted, it can be health data).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0012'
down_revision: Union[str, Sequence[str], None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('availability', sa.JSON(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('availability')
        batch_op.drop_column('language')
