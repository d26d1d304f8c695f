"""wearable sync: connections to providers, each activity's source and external id

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03

An athlete's link to intervals.icu, Strava or Oura is a `connection` row (credentials JSON,
encrypted at rest when a key is set: the column's database type is plain JSON). Each activity
says where its values came from (`source`, 'upload' for every row stored before) and the
provider's id of it, unique per person and source, so a re-sync finds it and changes nothing;
`synced_item` remembers provider items that were matched to a session another source had
already stored.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('connection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=16), nullable=False),
    sa.Column('external_athlete_id', sa.String(length=64), nullable=True),
    sa.Column('credentials', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('cursor', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_import_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_connection_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_connection')),
    sa.UniqueConstraint('person_id', 'provider', name=op.f('uq_connection_person_id'))
    )
    with op.batch_alter_table('connection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_connection_external_athlete_id'), ['external_athlete_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_connection_person_id'), ['person_id'], unique=False)

    op.create_table('synced_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('external_id', sa.String(length=64), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=12), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_synced_item_activity_id_activity'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_synced_item_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_synced_item')),
    sa.UniqueConstraint('person_id', 'source', 'external_id', name=op.f('uq_synced_item_person_id'))
    )
    with op.batch_alter_table('synced_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_synced_item_person_id'), ['person_id'], unique=False)

    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=16), server_default='upload', nullable=False))
        batch_op.add_column(sa.Column('external_id', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint('uq_activity_person_source_external', ['person_id', 'source', 'external_id'])



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_constraint('uq_activity_person_source_external', type_='unique')
        batch_op.drop_column('external_id')
        batch_op.drop_column('source')

    with op.batch_alter_table('synced_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_synced_item_person_id'))

    op.drop_table('synced_item')
    with op.batch_alter_table('connection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_connection_person_id'))
        batch_op.drop_index(batch_op.f('ix_connection_external_athlete_id'))

    op.drop_table('connection')
