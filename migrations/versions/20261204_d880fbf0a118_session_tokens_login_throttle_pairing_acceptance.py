"""Hardening: per-user session tokens (sign-out ends every session), failed sign-ins kept
for throttling, data versions for the dashboard cache, pairings that wait for acceptance

Revision ID: d880fbf0a118
Revises: 750f29712712
Create Date: 2026-12-04 03:47:39.475397

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd880fbf0a118'
down_revision = '750f29712712'
branch_labels = None
depends_on = None


def upgrade():
    data_versions = op.create_table('data_versions',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_data_versions'))
    )
    # The row exists from the start, so concurrent first writers only ever update it.
    op.bulk_insert(data_versions, [{"name": "indicators", "token": "initial"}])
    op.create_table('login_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failures'))
    )
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_failures_address'), ['address'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_failures_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_failures_username'), ['username'], unique=False)

    with op.batch_alter_table('pairings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.Enum('proposed', 'accepted', 'declined', name='pairing_status', native_enum=False, create_constraint=True), server_default='accepted', nullable=False))
        batch_op.add_column(sa.Column('awaiting_school_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_pairings_awaiting_school_id_schools'), 'schools', ['awaiting_school_id'], ['id'])

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=32), server_default='', nullable=False))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_token')

    with op.batch_alter_table('pairings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_pairings_awaiting_school_id_schools'), type_='foreignkey')
        batch_op.drop_column('awaiting_school_id')
        batch_op.drop_constraint(batch_op.f('ck_pairings_pairing_status'), type_='check')
        batch_op.drop_column('status')

    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_failures_username'))
        batch_op.drop_index(batch_op.f('ix_login_failures_at'))
        batch_op.drop_index(batch_op.f('ix_login_failures_address'))

    op.drop_table('login_failures')
    op.drop_table('data_versions')
