"""走教 subsidy rates in force from a date: a county keeps its earlier rates

Revision ID: 6b1f0c2d9e41
Revises: 122a658817c2
Create Date: 2026-11-23 20:20:00

"""
import datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6b1f0c2d9e41'
down_revision = '122a658817c2'
branch_labels = None
depends_on = None

# Rates set before they had dates applied to every day: they stay in force from long before
# any term, so no subsidy already owed changes with this migration.
SINCE_EVER = datetime.date(2000, 1, 1)


def upgrade():
    with op.batch_alter_table('itinerant_subsidy_rates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('effective_from', sa.Date(), nullable=True))
    op.execute(sa.text("UPDATE itinerant_subsidy_rates SET effective_from = :since")
               .bindparams(sa.bindparam("since", SINCE_EVER, type_=sa.Date())))
    with op.batch_alter_table('itinerant_subsidy_rates', schema=None) as batch_op:
        batch_op.alter_column('effective_from', existing_type=sa.Date(), nullable=False)
        batch_op.drop_constraint('uq_itinerant_subsidy_rates_county_id', type_='unique')
        batch_op.create_unique_constraint(
            batch_op.f('uq_itinerant_subsidy_rates_county_id_effective_from'),
            ['county_id', 'effective_from'])


def downgrade():
    # Each county keeps only its latest rates, as before dates existed.
    op.execute(sa.text(
        "DELETE FROM itinerant_subsidy_rates WHERE effective_from < ("
        "SELECT MAX(later.effective_from) FROM itinerant_subsidy_rates AS later "
        "WHERE later.county_id = itinerant_subsidy_rates.county_id)"))
    with op.batch_alter_table('itinerant_subsidy_rates', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('uq_itinerant_subsidy_rates_county_id_effective_from'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_itinerant_subsidy_rates_county_id'),
                                          ['county_id'])
        batch_op.drop_column('effective_from')
