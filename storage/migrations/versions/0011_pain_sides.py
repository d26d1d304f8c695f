"""pain sites keep their side: a check-in's "left knee" stays left

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03

`checkin.pain_sites` holds canonical site names ("knee"), which every reader of pain already
understands; the side said of a site goes beside them, as a map site -> "left" / "right",
encrypted at rest like the sites. Rows without one read as "no side said".
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0011'
down_revision: Union[str, Sequence[str], None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pain_sides', sa.JSON(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.drop_column('pain_sides')
