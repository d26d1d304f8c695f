"""chat_group.plan_template: a teacher's class plan (the template every student starts from)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

One nullable column: NULL means each student's own K-means group template.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: Union[str, Sequence[str], None] = "0003"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Add chat_group.plan_template."""
    with op.batch_alter_table("chat_group", schema=None) as batch_op:
        batch_op.add_column(sa.Column("plan_template", sa.String(length=64), nullable=True))


def downgrade() -> None:
    """Drop chat_group.plan_template."""
    with op.batch_alter_table("chat_group", schema=None) as batch_op:
        batch_op.drop_column("plan_template")
