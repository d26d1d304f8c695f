"""teams: coach overrides, readiness marks, broadcasts and their deliveries

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24

Additions only (no existing column changes), so the same script runs on SQLite and
PostgreSQL; indexes go through batch_alter_table as in 0001.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: Union[str, Sequence[str], None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Create the four tables of teams, classes, overrides and broadcasts."""
    op.create_table(
        "coach_override",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("intensity_factor", sa.Float(), nullable=False),
        sa.Column("volume_factor", sa.Float(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_coach_override_person_id_person"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["coach_id"], ["person.id"], name=op.f("fk_coach_override_coach_id_person"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["group_id"], ["chat_group.id"], name=op.f("fk_coach_override_group_id_chat_group"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coach_override")),
        sa.UniqueConstraint("person_id", "day", name=op.f("uq_coach_override_person_id")),
    )
    with op.batch_alter_table("coach_override", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coach_override_person_id"), ["person_id"], unique=False)

    op.create_table(
        "readiness_mark",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("readiness", sa.String(length=8), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_readiness_mark_person_id_person"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_readiness_mark")),
    )

    op.create_table(
        "broadcast",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["group_id"], ["chat_group.id"], name=op.f("fk_broadcast_group_id_chat_group"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["sender_id"], ["person.id"], name=op.f("fk_broadcast_sender_id_person"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_broadcast")),
    )
    with op.batch_alter_table("broadcast", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_broadcast_group_id"), ["group_id"], unique=False)

    op.create_table(
        "broadcast_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("broadcast_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("error", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["broadcast_id"], ["broadcast.id"], name=op.f("fk_broadcast_delivery_broadcast_id_broadcast"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_broadcast_delivery_person_id_person"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_broadcast_delivery")),
        sa.UniqueConstraint("broadcast_id", "person_id", name=op.f("uq_broadcast_delivery_broadcast_id")),
    )
    with op.batch_alter_table("broadcast_delivery", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_broadcast_delivery_broadcast_id"), ["broadcast_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_broadcast_delivery_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    """Drop the four tables (children first)."""
    with op.batch_alter_table("broadcast_delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_broadcast_delivery_person_id"))
        batch_op.drop_index(batch_op.f("ix_broadcast_delivery_broadcast_id"))
    op.drop_table("broadcast_delivery")
    with op.batch_alter_table("broadcast", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_broadcast_group_id"))
    op.drop_table("broadcast")
    op.drop_table("readiness_mark")
    with op.batch_alter_table("coach_override", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coach_override_person_id"))
    op.drop_table("coach_override")
