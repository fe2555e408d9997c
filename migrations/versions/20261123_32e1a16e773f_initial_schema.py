"""initial schema

Revision ID: 32e1a16e773f
Revises: 
Create Date: 2026-11-23 13:52:35.076217

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '32e1a16e773f'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('counties',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('province', sa.String(length=50), nullable=True),
    sa.Column('city', sa.String(length=50), nullable=True),
    sa.Column('exchange_years', sa.Integer(), server_default='6', nullable=False),
    sa.CheckConstraint('exchange_years > 0', name=op.f('ck_counties_exchange_years_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_counties')),
    sa.UniqueConstraint('code', name=op.f('uq_counties_code'))
    )
    op.create_table('schools',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Enum('primary', 'junior', 'nine_year', name='stage', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('locale', sa.Enum('urban', 'town', 'rural', name='locale', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('weak', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], name=op.f('fk_schools_county_id_counties')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schools')),
    sa.UniqueConstraint('code', name=op.f('uq_schools_code'))
    )
    with op.batch_alter_table('schools', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_schools_county_id'), ['county_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_schools_name'), ['name'], unique=False)

    op.create_table('education_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('lead_school_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('tight', 'loose', 'urban_rural', 'district', name='group_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], name=op.f('fk_education_groups_county_id_counties')),
    sa.ForeignKeyConstraint(['lead_school_id'], ['schools.id'], name=op.f('fk_education_groups_lead_school_id_schools')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_education_groups')),
    sa.UniqueConstraint('code', name=op.f('uq_education_groups_code'))
    )
    with op.batch_alter_table('education_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_education_groups_county_id'), ['county_id'], unique=False)

    op.create_table('pairings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('helper_school_id', sa.Integer(), nullable=False),
    sa.Column('helped_school_id', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.CheckConstraint('end_date IS NULL OR end_date >= start_date', name=op.f('ck_pairings_end_after_start')),
    sa.CheckConstraint('helper_school_id <> helped_school_id', name=op.f('ck_pairings_distinct_schools')),
    sa.ForeignKeyConstraint(['helped_school_id'], ['schools.id'], name=op.f('fk_pairings_helped_school_id_schools')),
    sa.ForeignKeyConstraint(['helper_school_id'], ['schools.id'], name=op.f('fk_pairings_helper_school_id_schools')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pairings')),
    sa.UniqueConstraint('helper_school_id', 'helped_school_id', 'start_date', name=op.f('uq_pairings_helper_school_id_helped_school_id_start_date'))
    )
    with op.batch_alter_table('pairings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pairings_helped_school_id'), ['helped_school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pairings_helper_school_id'), ['helper_school_id'], unique=False)

    op.create_table('school_year_stats',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('primary_students', sa.Integer(), server_default='0', nullable=False),
    sa.Column('junior_students', sa.Integer(), server_default='0', nullable=False),
    sa.CheckConstraint('junior_students >= 0', name=op.f('ck_school_year_stats_junior_students_non_negative')),
    sa.CheckConstraint('primary_students >= 0', name=op.f('ck_school_year_stats_primary_students_non_negative')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_school_year_stats_school_id_schools')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_school_year_stats')),
    sa.UniqueConstraint('school_id', 'year', name=op.f('uq_school_year_stats_school_id_year'))
    )
    op.create_table('teachers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_no', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('gender', sa.Enum('M', 'F', name='gender', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('section', sa.Enum('primary', 'junior', name='section', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('subject', sa.Enum('chinese', 'math', 'english', 'science', 'physics', 'chemistry', 'biology', 'history', 'geography', 'politics', 'music', 'art', 'pe', 'it', 'psychology', 'labor', 'other', name='subject', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('full_time', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('education', sa.Enum('postgraduate', 'bachelor', 'associate', 'secondary', name='education', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('certified', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('backbone', sa.Enum('none', 'school', 'county', 'city', 'province', 'national', name='backbone', native_enum=False, create_constraint=True), server_default='none', nullable=False),
    sa.Column('joined_school_on', sa.Date(), nullable=True),
    sa.Column('started_teaching_on', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('active', 'retired', 'left', name='teacher_status', native_enum=False, create_constraint=True), server_default='active', nullable=False),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('exempt', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.CheckConstraint('left_on IS NULL OR joined_school_on IS NULL OR left_on >= joined_school_on', name=op.f('ck_teachers_left_after_joined')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_teachers_school_id_schools')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teachers')),
    sa.UniqueConstraint('staff_no', name=op.f('uq_teachers_staff_no'))
    )
    with op.batch_alter_table('teachers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_teachers_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_teachers_school_id'), ['school_id'], unique=False)

    op.create_table('group_memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('joined_on', sa.Date(), nullable=False),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.CheckConstraint('left_on IS NULL OR left_on >= joined_on', name=op.f('ck_group_memberships_left_after_joined')),
    sa.ForeignKeyConstraint(['group_id'], ['education_groups.id'], name=op.f('fk_group_memberships_group_id_education_groups')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_group_memberships_school_id_schools')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_memberships')),
    sa.UniqueConstraint('group_id', 'school_id', 'joined_on', name=op.f('uq_group_memberships_group_id_school_id_joined_on'))
    )
    with op.batch_alter_table('group_memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_memberships_school_id'), ['school_id'], unique=False)

    op.create_table('mentor_pairs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('mentee_id', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('tier', sa.String(length=20), nullable=True),
    sa.Column('goals', sa.Text(), nullable=True),
    sa.CheckConstraint('end_date IS NULL OR end_date >= start_date', name=op.f('ck_mentor_pairs_end_after_start')),
    sa.CheckConstraint('mentor_id <> mentee_id', name=op.f('ck_mentor_pairs_distinct_teachers')),
    sa.ForeignKeyConstraint(['mentee_id'], ['teachers.id'], name=op.f('fk_mentor_pairs_mentee_id_teachers')),
    sa.ForeignKeyConstraint(['mentor_id'], ['teachers.id'], name=op.f('fk_mentor_pairs_mentor_id_teachers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_pairs')),
    sa.UniqueConstraint('mentor_id', 'mentee_id', 'start_date', name=op.f('uq_mentor_pairs_mentor_id_mentee_id_start_date'))
    )
    with op.batch_alter_table('mentor_pairs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_pairs_mentee_id'), ['mentee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_pairs_mentor_id'), ['mentor_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=100), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('role', sa.Enum('admin', 'bureau', 'group', 'school', 'teacher', name='role', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('school_id', sa.Integer(), nullable=True),
    sa.Column('teacher_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('locale', sa.String(length=10), nullable=True),
    sa.CheckConstraint("(role = 'admin') OR (role = 'bureau' AND county_id IS NOT NULL) OR (role = 'group' AND group_id IS NOT NULL) OR (role = 'school' AND school_id IS NOT NULL) OR (role = 'teacher' AND teacher_id IS NOT NULL)", name=op.f('ck_users_scope_matches_role')),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], name=op.f('fk_users_county_id_counties')),
    sa.ForeignKeyConstraint(['group_id'], ['education_groups.id'], name=op.f('fk_users_group_id_education_groups')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_users_school_id_schools')),
    sa.ForeignKeyConstraint(['teacher_id'], ['teachers.id'], name=op.f('fk_users_teacher_id_teachers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=50), nullable=False),
    sa.Column('object_type', sa.String(length=50), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_user_id'), ['user_id'], unique=False)

    op.create_table('exchanges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('teacher_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('rotation', 'itinerant', 'support', 'sent_teaching', name='exchange_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('from_school_id', sa.Integer(), nullable=True),
    sa.Column('to_school_id', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('proposed', 'approved', 'active', 'completed', 'cancelled', name='exchange_status', native_enum=False, create_constraint=True), server_default='proposed', nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('end_date IS NULL OR end_date >= start_date', name=op.f('ck_exchanges_end_after_start')),
    sa.ForeignKeyConstraint(['from_school_id'], ['schools.id'], name=op.f('fk_exchanges_from_school_id_schools')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_exchanges_proposed_by_id_users')),
    sa.ForeignKeyConstraint(['teacher_id'], ['teachers.id'], name=op.f('fk_exchanges_teacher_id_teachers')),
    sa.ForeignKeyConstraint(['to_school_id'], ['schools.id'], name=op.f('fk_exchanges_to_school_id_schools')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchanges')),
    sa.UniqueConstraint('teacher_id', 'kind', 'start_date', name=op.f('uq_exchanges_teacher_id_kind_start_date'))
    )
    with op.batch_alter_table('exchanges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exchanges_from_school_id'), ['from_school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchanges_start_date'), ['start_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchanges_teacher_id'), ['teacher_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchanges_to_school_id'), ['to_school_id'], unique=False)

    op.create_table('import_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('status', sa.String(length=10), server_default='queued', nullable=False),
    sa.Column('county_code', sa.String(length=6), nullable=True),
    sa.Column('files', sa.JSON(), nullable=True),
    sa.Column('done_rows', sa.Integer(), server_default='0', nullable=False),
    sa.Column('total_rows', sa.Integer(), server_default='0', nullable=False),
    sa.Column('message', sa.String(length=200), nullable=True),
    sa.Column('report', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_import_runs_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_runs'))
    )
    with op.batch_alter_table('import_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_runs_user_id'), ['user_id'], unique=False)

    op.create_table('indicator_snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('taken_at', sa.DateTime(), nullable=False),
    sa.Column('trigger', sa.String(length=10), nullable=False),
    sa.Column('taken_by_id', sa.Integer(), nullable=True),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], name=op.f('fk_indicator_snapshots_county_id_counties')),
    sa.ForeignKeyConstraint(['taken_by_id'], ['users.id'], name=op.f('fk_indicator_snapshots_taken_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_snapshots'))
    )
    with op.batch_alter_table('indicator_snapshots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_snapshots_county_id'), ['county_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_snapshots_taken_at'), ['taken_at'], unique=False)

    op.create_table('training_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('teacher_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('category', sa.Enum('national', 'provincial', 'city', 'county', 'school', 'group', 'mentoring', 'observation', 'other', name='training_category', native_enum=False, create_constraint=True), server_default='other', nullable=False),
    sa.Column('hours', sa.Double(), server_default='0', nullable=False),
    sa.Column('verified', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('source', sa.String(length=20), server_default='import', nullable=False),
    sa.Column('verified_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('hours >= 0', name=op.f('ck_training_records_hours_non_negative')),
    sa.ForeignKeyConstraint(['teacher_id'], ['teachers.id'], name=op.f('fk_training_records_teacher_id_teachers')),
    sa.ForeignKeyConstraint(['verified_by_id'], ['users.id'], name=op.f('fk_training_records_verified_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_records')),
    sa.UniqueConstraint('teacher_id', 'date', 'title', name=op.f('uq_training_records_teacher_id_date_title'))
    )
    with op.batch_alter_table('training_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_records_date'), ['date'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_records_teacher_id'), ['teacher_id'], unique=False)




def downgrade():

    with op.batch_alter_table('training_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_records_teacher_id'))
        batch_op.drop_index(batch_op.f('ix_training_records_date'))

    op.drop_table('training_records')
    with op.batch_alter_table('indicator_snapshots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_snapshots_taken_at'))
        batch_op.drop_index(batch_op.f('ix_indicator_snapshots_county_id'))

    op.drop_table('indicator_snapshots')
    with op.batch_alter_table('import_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_runs_user_id'))

    op.drop_table('import_runs')
    with op.batch_alter_table('exchanges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exchanges_to_school_id'))
        batch_op.drop_index(batch_op.f('ix_exchanges_teacher_id'))
        batch_op.drop_index(batch_op.f('ix_exchanges_start_date'))
        batch_op.drop_index(batch_op.f('ix_exchanges_from_school_id'))

    op.drop_table('exchanges')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_user_id'))
        batch_op.drop_index(batch_op.f('ix_audit_events_at'))

    op.drop_table('audit_events')
    op.drop_table('users')
    with op.batch_alter_table('mentor_pairs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_pairs_mentor_id'))
        batch_op.drop_index(batch_op.f('ix_mentor_pairs_mentee_id'))

    op.drop_table('mentor_pairs')
    with op.batch_alter_table('group_memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_memberships_school_id'))

    op.drop_table('group_memberships')
    with op.batch_alter_table('teachers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_teachers_school_id'))
        batch_op.drop_index(batch_op.f('ix_teachers_name'))

    op.drop_table('teachers')
    op.drop_table('school_year_stats')
    with op.batch_alter_table('pairings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pairings_helper_school_id'))
        batch_op.drop_index(batch_op.f('ix_pairings_helped_school_id'))

    op.drop_table('pairings')
    with op.batch_alter_table('education_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_education_groups_county_id'))

    op.drop_table('education_groups')
    with op.batch_alter_table('schools', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_schools_name'))
        batch_op.drop_index(batch_op.f('ix_schools_county_id'))

    op.drop_table('schools')
    op.drop_table('counties')

