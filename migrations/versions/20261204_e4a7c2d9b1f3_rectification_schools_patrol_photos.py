"""Rectification items name several schools; a patrol observation keeps several photos.

An item's single school moves into rectification_item_schools, an observation's single photo
into patrol_photos; the downgrade moves them back (the first school by code, the first photo).

Revision ID: e4a7c2d9b1f3
Revises: e4b1c7d2a9f3
Create Date: 2026-12-04 06:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4a7c2d9b1f3'
down_revision = 'e4b1c7d2a9f3'
branch_labels = None
depends_on = None

PHOTO_COLUMNS = ("file_name", "file_path", "file_type", "file_size")
def upgrade():
    op.create_table('rectification_item_schools',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['rectification_items.id'], name=op.f('fk_rectification_item_schools_item_id_rectification_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_rectification_item_schools_school_id_schools')),
    sa.PrimaryKeyConstraint('item_id', 'school_id', name=op.f('pk_rectification_item_schools'))
    )
    with op.batch_alter_table('rectification_item_schools', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectification_item_schools_school_id'), ['school_id'], unique=False)
    op.execute("INSERT INTO rectification_item_schools (item_id, school_id) "
               "SELECT id, school_id FROM rectification_items WHERE school_id IS NOT NULL")
    # Rebuilt on SQLite: migrations/env.py turns foreign keys off for it, so the steps that
    # cascade from an item stay.
    with op.batch_alter_table('rectification_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rectification_items_school_id'))
        batch_op.drop_constraint(batch_op.f('fk_rectification_items_school_id_schools'), type_='foreignkey')
        batch_op.drop_column('school_id')

    op.create_table('patrol_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('observation_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('file_path', sa.String(length=100), nullable=False),
    sa.Column('file_type', sa.String(length=100), nullable=False),
    sa.Column('file_size', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['observation_id'], ['patrol_observations.id'], name=op.f('fk_patrol_photos_observation_id_patrol_observations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_patrol_photos'))
    )
    with op.batch_alter_table('patrol_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_patrol_photos_observation_id'), ['observation_id'], unique=False)
    op.execute("INSERT INTO patrol_photos (observation_id, file_name, file_path, file_type, "
               "file_size) SELECT id, COALESCE(file_name, file_path), file_path, "
               "COALESCE(file_type, 'application/octet-stream'), COALESCE(file_size, 0) "
               "FROM patrol_observations WHERE file_path IS NOT NULL")
    # Plain columns: dropped in place (SQLite 3.35+), so patrol_observations is not rebuilt and
    # the rows that point at it (photos, items raised from a finding) are left alone.
    for column in PHOTO_COLUMNS:
        op.drop_column('patrol_observations', column)


def downgrade():
    op.add_column('patrol_observations', sa.Column('file_name', sa.String(length=200), nullable=True))
    op.add_column('patrol_observations', sa.Column('file_path', sa.String(length=100), nullable=True))
    op.add_column('patrol_observations', sa.Column('file_type', sa.String(length=100), nullable=True))
    op.add_column('patrol_observations', sa.Column('file_size', sa.Integer(), nullable=True))
    # The first photo of each observation goes back to its columns; the others are lost.
    first = ("(SELECT {column} FROM patrol_photos WHERE patrol_photos.id = (SELECT MIN(p.id) "
             "FROM patrol_photos p WHERE p.observation_id = patrol_observations.id))")
    op.execute("UPDATE patrol_observations SET " + ", ".join(
        f"{column} = {first.format(column=column)}" for column in PHOTO_COLUMNS))
    with op.batch_alter_table('patrol_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_patrol_photos_observation_id'))
    op.drop_table('patrol_photos')

    # Rebuilt on SQLite: migrations/env.py turns foreign keys off for it, so the steps that
    # cascade from an item stay.
    with op.batch_alter_table('rectification_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('school_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_rectification_items_school_id_schools'), 'schools', ['school_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_rectification_items_school_id'), ['school_id'], unique=False)
    # An item of several schools keeps the first by code.
    op.execute("UPDATE rectification_items SET school_id = (SELECT s.id FROM "
               "rectification_item_schools l JOIN schools s ON s.id = l.school_id "
               "WHERE l.item_id = rectification_items.id ORDER BY s.code LIMIT 1)")
    with op.batch_alter_table('rectification_item_schools', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rectification_item_schools_school_id'))
    op.drop_table('rectification_item_schools')
