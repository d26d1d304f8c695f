"""person.week_prefs: the athlete's own week (sessions per week, minutes, available days)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

One nullable column (no existing column changes): the same script runs on SQLite and
PostgreSQL. NULL means the PE paper's default week (4-6 sessions of 35-60 minutes, any day).
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: Union[str, Sequence[str], None] = "0002"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Add person.week_prefs."""
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("week_prefs", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Drop person.week_prefs."""
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("week_prefs")
