"""several bot processes: the inbox's ordering keys in the clear, reminders sent once

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03

Bot processes behind one webhook URL share the inbox. An update's chat and sender are kept
beside its (encrypted) payload, so a process holding a chat finds that chat's earlier pending
updates; a daily reminder is claimed by a row per user and day, so only one process sends it.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('processed_update', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chat_id', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('user_id', sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f('ix_processed_update_chat_id'), ['chat_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_processed_update_user_id'), ['user_id'],
                              unique=False)
    op.create_table('sent_reminder',
    sa.Column('telegram_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('telegram_id', 'day', name=op.f('pk_sent_reminder'))
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('sent_reminder')
    with op.batch_alter_table('processed_update', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_processed_update_user_id'))
        batch_op.drop_index(batch_op.f('ix_processed_update_chat_id'))
        batch_op.drop_column('user_id')
        batch_op.drop_column('chat_id')
