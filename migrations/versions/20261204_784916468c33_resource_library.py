"""Resource library: resources, versions, files by hash, chapters, favourites, ratings, uses

Revision ID: 784916468c33
Revises: 12bc411948a4
Create Date: 2026-12-04 04:38:59.641865

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '784916468c33'
down_revision = '12bc411948a4'
branch_labels = None
depends_on = None


# The resource's current version points into resource_versions, created after resources:
# SQLite takes the forward reference inline; PostgreSQL gets the key once both tables exist.
def current_version_fk() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ['current_version_id'], ['resource_versions.id'],
        name=op.f('fk_resources_current_version_id_resource_versions'), ondelete='SET NULL')

# The one column searched, resources.search_text: FTS5 trigram on SQLite (kept in step by
# triggers) for queries of 3 characters or more, pg_trgm GIN on PostgreSQL for any length.
SQLITE_SEARCH = [
    "CREATE VIRTUAL TABLE resources_fts USING fts5(search_text, content='resources', "
    "content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER resources_fts_insert AFTER INSERT ON resources BEGIN "
    "INSERT INTO resources_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER resources_fts_delete AFTER DELETE ON resources BEGIN "
    "INSERT INTO resources_fts(resources_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER resources_fts_update AFTER UPDATE OF search_text ON resources BEGIN "
    "INSERT INTO resources_fts(resources_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO resources_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
]
# The operator class is named with the extension's own schema: a database whose search_path
# leaves out the schema pg_trgm was installed in (one schema per county, a test schema) finds it.
POSTGRES_SEARCH = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "DO $$ DECLARE trgm text; BEGIN "
    "SELECT extnamespace::regnamespace::text INTO trgm FROM pg_extension WHERE extname = 'pg_trgm'; "
    "EXECUTE format('CREATE INDEX IF NOT EXISTS ix_resources_search_trgm ON resources "
    "USING gin (search_text %s.gin_trgm_ops)', trgm); END $$",
]


def upgrade():
    postgres = op.get_bind().dialect.name == 'postgresql'
    op.create_table('resource_blobs',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('size > 0', name=op.f('ck_resource_blobs_size_positive')),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_resource_blobs'))
    )
    op.create_table('textbook_editions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], name=op.f('fk_textbook_editions_county_id_counties')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_textbook_editions')),
    sa.UniqueConstraint('county_id', 'name', name=op.f('uq_textbook_editions_county_id_name'))
    )
    op.create_table('chapters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('stage', sa.Enum('primary', 'junior', name='resource_stage', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('grade', sa.Integer(), nullable=True),
    sa.Column('subject', sa.Enum('chinese', 'math', 'english', 'science', 'physics', 'chemistry', 'biology', 'history', 'geography', 'politics', 'music', 'art', 'pe', 'it', 'psychology', 'labor', 'other', name='resource_subject', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('edition', sa.String(length=50), nullable=True),
    sa.Column('volume', sa.String(length=30), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.CheckConstraint('county_id IS NOT NULL OR group_id IS NOT NULL', name=op.f('ck_chapters_has_owner')),
    sa.CheckConstraint('grade IS NULL OR (grade >= 1 AND grade <= 12)', name=op.f('ck_chapters_grade_range')),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], name=op.f('fk_chapters_county_id_counties')),
    sa.ForeignKeyConstraint(['group_id'], ['education_groups.id'], name=op.f('fk_chapters_group_id_education_groups')),
    sa.ForeignKeyConstraint(['parent_id'], ['chapters.id'], name=op.f('fk_chapters_parent_id_chapters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chapters'))
    )
    with op.batch_alter_table('chapters', schema=None) as batch_op:
        batch_op.create_index('ix_chapters_book', ['subject', 'grade', 'edition', 'volume'], unique=False)
        batch_op.create_index(batch_op.f('ix_chapters_county_id'), ['county_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_chapters_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_chapters_parent_id'), ['parent_id'], unique=False)

    op.create_table('resources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('kind', sa.Enum('lesson_plan', 'courseware', 'video', 'study_guide', 'exam', 'case', 'material', name='resource_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('stage', sa.Enum('primary', 'junior', name='resource_stage', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('grade', sa.Integer(), nullable=True),
    sa.Column('subject', sa.Enum('chinese', 'math', 'english', 'science', 'physics', 'chemistry', 'biology', 'history', 'geography', 'politics', 'music', 'art', 'pe', 'it', 'psychology', 'labor', 'other', name='resource_subject', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('edition', sa.String(length=50), nullable=True),
    sa.Column('volume', sa.String(length=30), nullable=True),
    sa.Column('chapter_id', sa.Integer(), nullable=True),
    sa.Column('chapter_text', sa.String(length=200), nullable=True),
    sa.Column('tags', sa.String(length=500), nullable=True),
    sa.Column('licence', sa.Enum('school', 'group', 'cc_by', name='resource_licence', native_enum=False, create_constraint=True), server_default='school', nullable=False),
    sa.Column('scope', sa.Enum('self', 'school', 'group', 'pairing', 'county', name='resource_scope', native_enum=False, create_constraint=True), server_default='school', nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_teacher_id', sa.Integer(), nullable=True),
    sa.Column('school_id', sa.Integer(), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('current_version_id', sa.Integer(), nullable=True),
    sa.Column('search_text', sa.Text(), server_default='', nullable=False),
    sa.Column('views', sa.Integer(), server_default='0', nullable=False),
    sa.Column('downloads', sa.Integer(), server_default='0', nullable=False),
    sa.Column('uses', sa.Integer(), server_default='0', nullable=False),
    sa.Column('favourites', sa.Integer(), server_default='0', nullable=False),
    sa.Column('rating_sum', sa.Integer(), server_default='0', nullable=False),
    sa.Column('rating_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('grade IS NULL OR (grade >= 1 AND grade <= 12)', name=op.f('ck_resources_grade_range')),
    sa.CheckConstraint('rating_count >= 0 AND rating_sum >= 0', name=op.f('ck_resources_ratings_non_negative')),
    sa.CheckConstraint('views >= 0 AND downloads >= 0 AND uses >= 0', name=op.f('ck_resources_counters_non_negative')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_resources_author_id_users')),
    sa.ForeignKeyConstraint(['author_teacher_id'], ['teachers.id'], name=op.f('fk_resources_author_teacher_id_teachers')),
    sa.ForeignKeyConstraint(['chapter_id'], ['chapters.id'], name=op.f('fk_resources_chapter_id_chapters'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], name=op.f('fk_resources_county_id_counties')),
    *([] if postgres else [current_version_fk()]),
    sa.ForeignKeyConstraint(['group_id'], ['education_groups.id'], name=op.f('fk_resources_group_id_education_groups')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_resources_school_id_schools')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resources'))
    )
    with op.batch_alter_table('resources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resources_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resources_author_teacher_id'), ['author_teacher_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resources_chapter_id'), ['chapter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resources_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resources_kind'), ['kind'], unique=False)
        batch_op.create_index('ix_resources_listing', ['county_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_resources_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resources_subject'), ['subject'], unique=False)

    op.create_table('resource_daily_counts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('views', sa.Integer(), server_default='0', nullable=False),
    sa.Column('downloads', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['resource_id'], ['resources.id'], name=op.f('fk_resource_daily_counts_resource_id_resources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resource_daily_counts')),
    sa.UniqueConstraint('resource_id', 'day', name=op.f('uq_resource_daily_counts_resource_id_day'))
    )
    with op.batch_alter_table('resource_daily_counts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resource_daily_counts_day'), ['day'], unique=False)

    op.create_table('resource_favourites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['resource_id'], ['resources.id'], name=op.f('fk_resource_favourites_resource_id_resources'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_resource_favourites_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resource_favourites')),
    sa.UniqueConstraint('resource_id', 'user_id', name=op.f('uq_resource_favourites_resource_id_user_id'))
    )
    with op.batch_alter_table('resource_favourites', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resource_favourites_user_id'), ['user_id'], unique=False)

    op.create_table('resource_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('stars', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('stars >= 1 AND stars <= 5', name=op.f('ck_resource_ratings_stars_range')),
    sa.ForeignKeyConstraint(['resource_id'], ['resources.id'], name=op.f('fk_resource_ratings_resource_id_resources'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_resource_ratings_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resource_ratings')),
    sa.UniqueConstraint('resource_id', 'user_id', name=op.f('uq_resource_ratings_resource_id_user_id'))
    )
    with op.batch_alter_table('resource_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resource_ratings_user_id'), ['user_id'], unique=False)

    op.create_table('resource_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('restored_from_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('number >= 1', name=op.f('ck_resource_versions_number_positive')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_resource_versions_author_id_users')),
    sa.ForeignKeyConstraint(['resource_id'], ['resources.id'], name=op.f('fk_resource_versions_resource_id_resources'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['restored_from_id'], ['resource_versions.id'], name=op.f('fk_resource_versions_restored_from_id_resource_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resource_versions')),
    sa.UniqueConstraint('resource_id', 'number', name=op.f('uq_resource_versions_resource_id_number'))
    )
    with op.batch_alter_table('resource_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resource_versions_resource_id'), ['resource_id'], unique=False)
    if postgres:
        op.create_foreign_key(op.f('fk_resources_current_version_id_resource_versions'),
                              'resources', 'resource_versions', ['current_version_id'], ['id'],
                              ondelete='SET NULL')

    op.create_table('resource_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('blob_sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('preview', sa.Enum('none', 'pending', 'ready', 'failed', 'download', name='resource_preview', native_enum=False, create_constraint=True), server_default='none', nullable=False),
    sa.Column('thumbnail_sha256', sa.String(length=64), nullable=True),
    sa.Column('preview_pdf_sha256', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['blob_sha256'], ['resource_blobs.sha256'], name=op.f('fk_resource_files_blob_sha256_resource_blobs')),
    sa.ForeignKeyConstraint(['preview_pdf_sha256'], ['resource_blobs.sha256'], name=op.f('fk_resource_files_preview_pdf_sha256_resource_blobs')),
    sa.ForeignKeyConstraint(['thumbnail_sha256'], ['resource_blobs.sha256'], name=op.f('fk_resource_files_thumbnail_sha256_resource_blobs')),
    sa.ForeignKeyConstraint(['version_id'], ['resource_versions.id'], name=op.f('fk_resource_files_version_id_resource_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resource_files'))
    )
    with op.batch_alter_table('resource_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resource_files_blob_sha256'), ['blob_sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_resource_files_version_id'), ['version_id'], unique=False)

    op.create_table('resource_uses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('teacher_id', sa.Integer(), nullable=True),
    sa.Column('school_id', sa.Integer(), nullable=True),
    sa.Column('used_on', sa.Date(), nullable=False),
    sa.Column('exchange_class_id', sa.Integer(), nullable=True),
    sa.Column('lesson_event_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['exchange_class_id'], ['exchange_classes.id'], name=op.f('fk_resource_uses_exchange_class_id_exchange_classes')),
    sa.ForeignKeyConstraint(['lesson_event_id'], ['itinerant_lesson_events.id'], name=op.f('fk_resource_uses_lesson_event_id_itinerant_lesson_events')),
    sa.ForeignKeyConstraint(['resource_id'], ['resources.id'], name=op.f('fk_resource_uses_resource_id_resources'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_resource_uses_school_id_schools')),
    sa.ForeignKeyConstraint(['teacher_id'], ['teachers.id'], name=op.f('fk_resource_uses_teacher_id_teachers')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_resource_uses_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resource_uses'))
    )
    with op.batch_alter_table('resource_uses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resource_uses_resource_id'), ['resource_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resource_uses_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resource_uses_teacher_id'), ['teacher_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resource_uses_used_on'), ['used_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_resource_uses_user_id'), ['user_id'], unique=False)

    for statement in POSTGRES_SEARCH if postgres else SQLITE_SEARCH:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP INDEX IF EXISTS ix_resources_search_trgm")
        op.drop_constraint(op.f('fk_resources_current_version_id_resource_versions'),
                           'resources', type_='foreignkey')
    else:
        op.execute("DROP TABLE IF EXISTS resources_fts")
    with op.batch_alter_table('resource_uses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resource_uses_user_id'))
        batch_op.drop_index(batch_op.f('ix_resource_uses_used_on'))
        batch_op.drop_index(batch_op.f('ix_resource_uses_teacher_id'))
        batch_op.drop_index(batch_op.f('ix_resource_uses_school_id'))
        batch_op.drop_index(batch_op.f('ix_resource_uses_resource_id'))

    op.drop_table('resource_uses')
    with op.batch_alter_table('resource_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resource_files_version_id'))
        batch_op.drop_index(batch_op.f('ix_resource_files_blob_sha256'))

    op.drop_table('resource_files')
    with op.batch_alter_table('resource_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resource_versions_resource_id'))

    op.drop_table('resource_versions')
    with op.batch_alter_table('resource_ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resource_ratings_user_id'))

    op.drop_table('resource_ratings')
    with op.batch_alter_table('resource_favourites', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resource_favourites_user_id'))

    op.drop_table('resource_favourites')
    with op.batch_alter_table('resource_daily_counts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resource_daily_counts_day'))

    op.drop_table('resource_daily_counts')
    with op.batch_alter_table('resources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resources_subject'))
        batch_op.drop_index(batch_op.f('ix_resources_school_id'))
        batch_op.drop_index('ix_resources_listing')
        batch_op.drop_index(batch_op.f('ix_resources_kind'))
        batch_op.drop_index(batch_op.f('ix_resources_group_id'))
        batch_op.drop_index(batch_op.f('ix_resources_chapter_id'))
        batch_op.drop_index(batch_op.f('ix_resources_author_teacher_id'))
        batch_op.drop_index(batch_op.f('ix_resources_author_id'))

    op.drop_table('resources')
    with op.batch_alter_table('chapters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chapters_parent_id'))
        batch_op.drop_index(batch_op.f('ix_chapters_group_id'))
        batch_op.drop_index(batch_op.f('ix_chapters_county_id'))
        batch_op.drop_index('ix_chapters_book')

    op.drop_table('chapters')
    op.drop_table('textbook_editions')
    op.drop_table('resource_blobs')
