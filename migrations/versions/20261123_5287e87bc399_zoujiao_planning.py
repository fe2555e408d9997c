"""走教 planning: bell schedules, terms, itinerant teachers, demand, plans, solve runs,
calendar events, delivery and subsidy rates

Revision ID: 5287e87bc399
Revises: 43507d8a1f1e
Create Date: 2026-11-23 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5287e87bc399'
down_revision = '43507d8a1f1e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('itinerant_terms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=False),
    sa.CheckConstraint('last_day >= first_day', name=op.f('ck_itinerant_terms_last_after_first')),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], name=op.f('fk_itinerant_terms_county_id_counties')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_itinerant_terms')),
    sa.UniqueConstraint('county_id', 'first_day', name=op.f('uq_itinerant_terms_county_id_first_day'))
    )

    with op.batch_alter_table('itinerant_terms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_itinerant_terms_county_id'), ['county_id'], unique=False)

    op.create_table('bell_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('starts', sa.Time(), nullable=False),
    sa.Column('ends', sa.Time(), nullable=False),
    sa.CheckConstraint('ends > starts', name=op.f('ck_bell_periods_ends_after_start')),
    sa.CheckConstraint('number > 0', name=op.f('ck_bell_periods_number_positive')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_bell_periods_school_id_schools')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bell_periods')),
    sa.UniqueConstraint('school_id', 'number', name=op.f('uq_bell_periods_school_id_number'))
    )

    with op.batch_alter_table('bell_periods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bell_periods_school_id'), ['school_id'], unique=False)

    op.create_table('itinerant_blocked_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('class_name', sa.String(length=30), nullable=False),
    sa.Column('day', sa.Integer(), nullable=False),
    sa.Column('period', sa.Integer(), nullable=False),
    sa.CheckConstraint('day BETWEEN 1 AND 7', name=op.f('ck_itinerant_blocked_slots_weekday')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_itinerant_blocked_slots_school_id_schools')),
    sa.ForeignKeyConstraint(['term_id'], ['itinerant_terms.id'], name=op.f('fk_itinerant_blocked_slots_term_id_itinerant_terms')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_itinerant_blocked_slots')),
    sa.UniqueConstraint('term_id', 'school_id', 'class_name', 'day', 'period', name=op.f('uq_itinerant_blocked_slots_term_id_school_id_class_name_day_period'))
    )

    with op.batch_alter_table('itinerant_blocked_slots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_itinerant_blocked_slots_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_itinerant_blocked_slots_term_id'), ['term_id'], unique=False)

    op.create_table('itinerant_demands',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('class_name', sa.String(length=30), nullable=False),
    sa.Column('subject', sa.Enum('chinese', 'math', 'english', 'science', 'physics', 'chemistry', 'biology', 'history', 'geography', 'politics', 'music', 'art', 'pe', 'it', 'psychology', 'labor', 'other', name='demand_subject', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('periods_per_week', sa.Integer(), nullable=False),
    sa.CheckConstraint('periods_per_week > 0', name=op.f('ck_itinerant_demands_periods_positive')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_itinerant_demands_school_id_schools')),
    sa.ForeignKeyConstraint(['term_id'], ['itinerant_terms.id'], name=op.f('fk_itinerant_demands_term_id_itinerant_terms')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_itinerant_demands')),
    sa.UniqueConstraint('term_id', 'school_id', 'class_name', 'subject', name=op.f('uq_itinerant_demands_term_id_school_id_class_name_subject'))
    )

    with op.batch_alter_table('itinerant_demands', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_itinerant_demands_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_itinerant_demands_term_id'), ['term_id'], unique=False)

    op.create_table('itinerant_term_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.Enum('holiday', 'makeup', name='term_day_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('follows_weekday', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=50), nullable=True),
    sa.CheckConstraint("(kind = 'holiday' AND follows_weekday IS NULL) OR (kind = 'makeup' AND follows_weekday BETWEEN 1 AND 5)", name=op.f('ck_itinerant_term_days_makeup_follows_weekday')),
    sa.ForeignKeyConstraint(['term_id'], ['itinerant_terms.id'], name=op.f('fk_itinerant_term_days_term_id_itinerant_terms')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_itinerant_term_days')),
    sa.UniqueConstraint('term_id', 'day', name=op.f('uq_itinerant_term_days_term_id_day'))
    )

    with op.batch_alter_table('itinerant_term_days', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_itinerant_term_days_term_id'), ['term_id'], unique=False)

    op.create_table('itinerant_lesson_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('teacher_id', sa.Integer(), nullable=False),
    sa.Column('demand_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Integer(), nullable=False),
    sa.Column('period', sa.Integer(), nullable=False),
    sa.Column('starts', sa.Time(), nullable=False),
    sa.Column('ends', sa.Time(), nullable=False),
    sa.Column('summary', sa.String(length=200), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('sequence', sa.Integer(), server_default='0', nullable=False),
    sa.Column('cancelled', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['demand_id'], ['itinerant_demands.id'], name=op.f('fk_itinerant_lesson_events_demand_id_itinerant_demands')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_itinerant_lesson_events_school_id_schools')),
    sa.ForeignKeyConstraint(['teacher_id'], ['teachers.id'], name=op.f('fk_itinerant_lesson_events_teacher_id_teachers')),
    sa.ForeignKeyConstraint(['term_id'], ['itinerant_terms.id'], name=op.f('fk_itinerant_lesson_events_term_id_itinerant_terms')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_itinerant_lesson_events')),
    sa.UniqueConstraint('term_id', 'teacher_id', 'demand_id', 'day', 'period', name=op.f('uq_itinerant_lesson_events_term_id_teacher_id_demand_id_day_period'))
    )

    with op.batch_alter_table('itinerant_lesson_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_itinerant_lesson_events_demand_id'), ['demand_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_itinerant_lesson_events_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_itinerant_lesson_events_teacher_id'), ['teacher_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_itinerant_lesson_events_term_id'), ['term_id'], unique=False)

    op.create_table('itinerant_teachers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('teacher_id', sa.Integer(), nullable=False),
    sa.Column('home_school_id', sa.Integer(), nullable=False),
    sa.Column('subjects', sa.JSON(), nullable=False),
    sa.Column('max_periods_per_week', sa.Integer(), nullable=False),
    sa.Column('max_schools_per_day', sa.Integer(), server_default='2', nullable=False),
    sa.Column('unavailable_days', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.CheckConstraint('max_periods_per_week >= 0', name=op.f('ck_itinerant_teachers_week_non_negative')),
    sa.CheckConstraint('max_schools_per_day >= 1', name=op.f('ck_itinerant_teachers_schools_per_day_positive')),
    sa.ForeignKeyConstraint(['home_school_id'], ['schools.id'], name=op.f('fk_itinerant_teachers_home_school_id_schools')),
    sa.ForeignKeyConstraint(['teacher_id'], ['teachers.id'], name=op.f('fk_itinerant_teachers_teacher_id_teachers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_itinerant_teachers')),
    sa.UniqueConstraint('teacher_id', name=op.f('uq_itinerant_teachers_teacher_id'))
    )

    with op.batch_alter_table('itinerant_teachers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_itinerant_teachers_home_school_id'), ['home_school_id'], unique=False)

    op.create_table('itinerant_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('teacher_id', sa.Integer(), nullable=False),
    sa.Column('demand_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('period', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('taught', 'missed', name='delivery_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_itinerant_deliveries_confirmed_by_id_users')),
    sa.ForeignKeyConstraint(['demand_id'], ['itinerant_demands.id'], name=op.f('fk_itinerant_deliveries_demand_id_itinerant_demands')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_itinerant_deliveries_school_id_schools')),
    sa.ForeignKeyConstraint(['teacher_id'], ['teachers.id'], name=op.f('fk_itinerant_deliveries_teacher_id_teachers')),
    sa.ForeignKeyConstraint(['term_id'], ['itinerant_terms.id'], name=op.f('fk_itinerant_deliveries_term_id_itinerant_terms')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_itinerant_deliveries')),
    sa.UniqueConstraint('demand_id', 'on', 'period', name=op.f('uq_itinerant_deliveries_demand_id_on_period'))
    )

    with op.batch_alter_table('itinerant_deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_itinerant_deliveries_demand_id'), ['demand_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_itinerant_deliveries_on'), ['on'], unique=False)
        batch_op.create_index(batch_op.f('ix_itinerant_deliveries_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_itinerant_deliveries_teacher_id'), ['teacher_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_itinerant_deliveries_term_id'), ['term_id'], unique=False)

    op.create_table('itinerant_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('draft', 'published', 'superseded', name='plan_status', native_enum=False, create_constraint=True), server_default='draft', nullable=False),
    sa.Column('based_on_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('solver_status', sa.String(length=12), nullable=True),
    sa.Column('unmet', sa.Integer(), nullable=True),
    sa.Column('travel_minutes', sa.Integer(), nullable=True),
    sa.Column('bound_unmet', sa.Integer(), nullable=True),
    sa.Column('bound_travel', sa.Integer(), nullable=True),
    sa.Column('seconds', sa.Double(), nullable=True),
    sa.Column('moved', sa.Integer(), nullable=True),
    sa.Column('baseline_unmet', sa.Integer(), nullable=True),
    sa.Column('baseline_travel', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['based_on_id'], ['itinerant_plans.id'], name=op.f('fk_itinerant_plans_based_on_id_itinerant_plans')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_itinerant_plans_created_by_id_users')),
    sa.ForeignKeyConstraint(['group_id'], ['education_groups.id'], name=op.f('fk_itinerant_plans_group_id_education_groups')),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_itinerant_plans_published_by_id_users')),
    sa.ForeignKeyConstraint(['term_id'], ['itinerant_terms.id'], name=op.f('fk_itinerant_plans_term_id_itinerant_terms')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_itinerant_plans'))
    )

    with op.batch_alter_table('itinerant_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_itinerant_plans_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_itinerant_plans_term_id'), ['term_id'], unique=False)

    op.create_table('itinerant_subsidy_rates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('per_lesson', sa.Numeric(precision=8, scale=2), nullable=False),
    sa.Column('per_travel_day', sa.Numeric(precision=8, scale=2), nullable=False),
    sa.Column('per_travel_minute', sa.Numeric(precision=8, scale=2), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], name=op.f('fk_itinerant_subsidy_rates_county_id_counties')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_itinerant_subsidy_rates_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_itinerant_subsidy_rates')),
    sa.UniqueConstraint('county_id', name=op.f('uq_itinerant_subsidy_rates_county_id'))
    )

    op.create_table('itinerant_plan_lessons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('demand_id', sa.Integer(), nullable=False),
    sa.Column('teacher_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Integer(), nullable=False),
    sa.Column('period', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['demand_id'], ['itinerant_demands.id'], name=op.f('fk_itinerant_plan_lessons_demand_id_itinerant_demands')),
    sa.ForeignKeyConstraint(['plan_id'], ['itinerant_plans.id'], name=op.f('fk_itinerant_plan_lessons_plan_id_itinerant_plans')),
    sa.ForeignKeyConstraint(['teacher_id'], ['teachers.id'], name=op.f('fk_itinerant_plan_lessons_teacher_id_teachers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_itinerant_plan_lessons')),
    sa.UniqueConstraint('plan_id', 'demand_id', 'day', 'period', name=op.f('uq_itinerant_plan_lessons_plan_id_demand_id_day_period'))
    )

    with op.batch_alter_table('itinerant_plan_lessons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_itinerant_plan_lessons_demand_id'), ['demand_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_itinerant_plan_lessons_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_itinerant_plan_lessons_teacher_id'), ['teacher_id'], unique=False)

    op.create_table('itinerant_solve_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), server_default='queued', nullable=False),
    sa.Column('cancel_requested', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('time_limit', sa.Integer(), server_default='10', nullable=False),
    sa.Column('previous_plan_id', sa.Integer(), nullable=True),
    sa.Column('move_cost', sa.Integer(), server_default='0', nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('phase', sa.String(length=50), nullable=True),
    sa.Column('unmet', sa.Integer(), nullable=True),
    sa.Column('travel_minutes', sa.Integer(), nullable=True),
    sa.Column('bound_unmet', sa.Integer(), nullable=True),
    sa.Column('bound_travel', sa.Integer(), nullable=True),
    sa.Column('message', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('heartbeat_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['education_groups.id'], name=op.f('fk_itinerant_solve_runs_group_id_education_groups')),
    sa.ForeignKeyConstraint(['plan_id'], ['itinerant_plans.id'], name=op.f('fk_itinerant_solve_runs_plan_id_itinerant_plans')),
    sa.ForeignKeyConstraint(['previous_plan_id'], ['itinerant_plans.id'], name=op.f('fk_itinerant_solve_runs_previous_plan_id_itinerant_plans')),
    sa.ForeignKeyConstraint(['term_id'], ['itinerant_terms.id'], name=op.f('fk_itinerant_solve_runs_term_id_itinerant_terms')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_itinerant_solve_runs_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_itinerant_solve_runs'))
    )

    with op.batch_alter_table('itinerant_solve_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_itinerant_solve_runs_term_id'), ['term_id'], unique=False)


def downgrade():
    with op.batch_alter_table('itinerant_solve_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_itinerant_solve_runs_term_id'))

    op.drop_table('itinerant_solve_runs')

    with op.batch_alter_table('itinerant_plan_lessons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_itinerant_plan_lessons_teacher_id'))
        batch_op.drop_index(batch_op.f('ix_itinerant_plan_lessons_plan_id'))
        batch_op.drop_index(batch_op.f('ix_itinerant_plan_lessons_demand_id'))

    op.drop_table('itinerant_plan_lessons')

    op.drop_table('itinerant_subsidy_rates')

    with op.batch_alter_table('itinerant_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_itinerant_plans_term_id'))
        batch_op.drop_index(batch_op.f('ix_itinerant_plans_group_id'))

    op.drop_table('itinerant_plans')

    with op.batch_alter_table('itinerant_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_itinerant_deliveries_term_id'))
        batch_op.drop_index(batch_op.f('ix_itinerant_deliveries_teacher_id'))
        batch_op.drop_index(batch_op.f('ix_itinerant_deliveries_school_id'))
        batch_op.drop_index(batch_op.f('ix_itinerant_deliveries_on'))
        batch_op.drop_index(batch_op.f('ix_itinerant_deliveries_demand_id'))

    op.drop_table('itinerant_deliveries')

    with op.batch_alter_table('itinerant_teachers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_itinerant_teachers_home_school_id'))

    op.drop_table('itinerant_teachers')

    with op.batch_alter_table('itinerant_lesson_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_itinerant_lesson_events_term_id'))
        batch_op.drop_index(batch_op.f('ix_itinerant_lesson_events_teacher_id'))
        batch_op.drop_index(batch_op.f('ix_itinerant_lesson_events_school_id'))
        batch_op.drop_index(batch_op.f('ix_itinerant_lesson_events_demand_id'))

    op.drop_table('itinerant_lesson_events')

    with op.batch_alter_table('itinerant_term_days', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_itinerant_term_days_term_id'))

    op.drop_table('itinerant_term_days')

    with op.batch_alter_table('itinerant_demands', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_itinerant_demands_term_id'))
        batch_op.drop_index(batch_op.f('ix_itinerant_demands_school_id'))

    op.drop_table('itinerant_demands')

    with op.batch_alter_table('itinerant_blocked_slots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_itinerant_blocked_slots_term_id'))
        batch_op.drop_index(batch_op.f('ix_itinerant_blocked_slots_school_id'))

    op.drop_table('itinerant_blocked_slots')

    with op.batch_alter_table('bell_periods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bell_periods_school_id'))

    op.drop_table('bell_periods')

    with op.batch_alter_table('itinerant_terms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_itinerant_terms_county_id'))

    op.drop_table('itinerant_terms')
