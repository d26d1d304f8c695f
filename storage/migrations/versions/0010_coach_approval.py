"""coach approval: approval settings, plan drafts and replaced plans, once-a-day claims

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03

A coach may review an athlete's new plans before they reach the athlete: the setting per
athlete or team, the drafts waiting (and the plans a newer one replaced, which /undo
restores) live in the database, so a restart or another bot process sees the same state. A
coach's digest time sits on the person; the digest and the nudges are claimed once a day.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0010'
down_revision: Union[str, Sequence[str], None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('daily_claim',
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('telegram_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'telegram_id', 'day', name=op.f('pk_daily_claim'))
    )
    op.create_table('approval_setting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('mode', sa.String(length=8), nullable=False),
    sa.Column('threshold', sa.Float(), nullable=False),
    sa.Column('set_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['chat_group.id'], name=op.f('fk_approval_setting_group_id_chat_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_approval_setting_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['set_by'], ['person.id'], name=op.f('fk_approval_setting_set_by_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approval_setting')),
    sa.UniqueConstraint('group_id', name=op.f('uq_approval_setting_group_id')),
    sa.UniqueConstraint('person_id', name=op.f('uq_approval_setting_person_id'))
    )
    op.create_table('plan_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('session', sa.JSON(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by'], ['person.id'], name=op.f('fk_plan_revision_decided_by_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_plan_revision_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_revision'))
    )
    with op.batch_alter_table('plan_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_revision_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_revision_status'), ['status'], unique=False)

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digest_time', sa.String(length=5), nullable=True))



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('digest_time')

    with op.batch_alter_table('plan_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_revision_status'))
        batch_op.drop_index(batch_op.f('ix_plan_revision_person_id'))

    op.drop_table('plan_revision')
    op.drop_table('approval_setting')
    op.drop_table('daily_claim')
