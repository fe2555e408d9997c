"""Exchange classes, bookings with a waiting list, 送教 requests, per-school class settings

Revision ID: 122a658817c2
Revises: 557a7c2d7506
Create Date: 2026-11-23 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '122a658817c2'
down_revision = '557a7c2d7506'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('class_school_settings',
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('approval_required', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_class_school_settings_school_id_schools')),
    sa.PrimaryKeyConstraint('school_id', name=op.f('pk_class_school_settings'))
    )

    op.create_table('class_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('partner_school_id', sa.Integer(), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.Enum('chinese', 'math', 'english', 'science', 'physics', 'chemistry', 'biology', 'history', 'geography', 'politics', 'music', 'art', 'pe', 'it', 'psychology', 'labor', 'other', name='request_subject', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('grade', sa.Integer(), nullable=False),
    sa.Column('earliest', sa.Date(), nullable=False),
    sa.Column('latest', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('open', 'scheduled', 'declined', 'withdrawn', name='request_status', native_enum=False, create_constraint=True), server_default='open', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('reason', sa.String(length=300), nullable=True),
    sa.CheckConstraint('(partner_school_id IS NULL) <> (group_id IS NULL)', name=op.f('ck_class_requests_one_partner')),
    sa.CheckConstraint('grade BETWEEN 1 AND 9', name=op.f('ck_class_requests_grade_range')),
    sa.CheckConstraint('latest >= earliest', name=op.f('ck_class_requests_latest_after_earliest')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_class_requests_created_by_id_users')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_class_requests_decided_by_id_users')),
    sa.ForeignKeyConstraint(['group_id'], ['education_groups.id'], name=op.f('fk_class_requests_group_id_education_groups')),
    sa.ForeignKeyConstraint(['partner_school_id'], ['schools.id'], name=op.f('fk_class_requests_partner_school_id_schools')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_class_requests_school_id_schools')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_class_requests'))
    )

    with op.batch_alter_table('class_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_class_requests_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_class_requests_partner_school_id'), ['partner_school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_class_requests_school_id'), ['school_id'], unique=False)

    op.create_table('exchange_classes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('open', 'demonstration', 'same_topic', 'sent_teaching', 'delivery', 'master', 'online', name='class_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('subject', sa.Enum('chinese', 'math', 'english', 'science', 'physics', 'chemistry', 'biology', 'history', 'geography', 'politics', 'music', 'art', 'pe', 'it', 'psychology', 'labor', 'other', name='class_subject', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('grade', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('host_teacher_id', sa.Integer(), nullable=False),
    sa.Column('host_school_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('online_url', sa.String(length=300), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('visibility', sa.Enum('school', 'group', 'county', name='class_visibility', native_enum=False, create_constraint=True), server_default='county', nullable=False),
    sa.Column('status', sa.Enum('pending', 'open', 'rejected', 'cancelled', name='class_status', native_enum=False, create_constraint=True), server_default='open', nullable=False),
    sa.Column('needs_approval', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('sequence', sa.Integer(), server_default='0', nullable=False),
    sa.Column('checkin_code', sa.String(length=8), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('status_reason', sa.String(length=300), nullable=True),
    sa.CheckConstraint('capacity >= 0', name=op.f('ck_exchange_classes_capacity_non_negative')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_exchange_classes_ends_after_start')),
    sa.CheckConstraint('grade BETWEEN 1 AND 9', name=op.f('ck_exchange_classes_grade_range')),
    sa.CheckConstraint('sequence >= 0', name=op.f('ck_exchange_classes_sequence_non_negative')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_exchange_classes_created_by_id_users')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_exchange_classes_decided_by_id_users')),
    sa.ForeignKeyConstraint(['host_school_id'], ['schools.id'], name=op.f('fk_exchange_classes_host_school_id_schools')),
    sa.ForeignKeyConstraint(['host_teacher_id'], ['teachers.id'], name=op.f('fk_exchange_classes_host_teacher_id_teachers')),
    sa.ForeignKeyConstraint(['request_id'], ['class_requests.id'], name=op.f('fk_exchange_classes_request_id_class_requests')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_exchange_classes_school_id_schools')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_classes'))
    )

    with op.batch_alter_table('exchange_classes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exchange_classes_host_school_id'), ['host_school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_classes_host_teacher_id'), ['host_teacher_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_classes_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_classes_school_id'), ['school_id'], unique=False)
        batch_op.create_index('ix_exchange_classes_status_start', ['status', 'starts_at'], unique=False)

    op.create_table('class_bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('teacher_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('confirmed', 'waitlisted', 'cancelled', name='booking_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('queued_at', sa.DateTime(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('sequence', sa.Integer(), server_default='0', nullable=False),
    sa.Column('attended_at', sa.DateTime(), nullable=True),
    sa.Column('checked_in_by_id', sa.Integer(), nullable=True),
    sa.Column('training_record_id', sa.Integer(), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=True),
    sa.Column('feedback_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('rating IS NULL OR rating BETWEEN 1 AND 5', name=op.f('ck_class_bookings_rating_range')),
    sa.CheckConstraint('sequence >= 0', name=op.f('ck_class_bookings_sequence_non_negative')),
    sa.ForeignKeyConstraint(['checked_in_by_id'], ['users.id'], name=op.f('fk_class_bookings_checked_in_by_id_users')),
    sa.ForeignKeyConstraint(['class_id'], ['exchange_classes.id'], name=op.f('fk_class_bookings_class_id_exchange_classes')),
    sa.ForeignKeyConstraint(['teacher_id'], ['teachers.id'], name=op.f('fk_class_bookings_teacher_id_teachers')),
    sa.ForeignKeyConstraint(['training_record_id'], ['training_records.id'], name=op.f('fk_class_bookings_training_record_id_training_records'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_class_bookings')),
    sa.UniqueConstraint('class_id', 'teacher_id', name=op.f('uq_class_bookings_class_id_teacher_id'))
    )

    with op.batch_alter_table('class_bookings', schema=None) as batch_op:
        batch_op.create_index('ix_class_bookings_class_status', ['class_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_class_bookings_teacher_id'), ['teacher_id'], unique=False)


def downgrade():
    with op.batch_alter_table('class_bookings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_class_bookings_teacher_id'))
        batch_op.drop_index('ix_class_bookings_class_status')

    op.drop_table('class_bookings')

    with op.batch_alter_table('exchange_classes', schema=None) as batch_op:
        batch_op.drop_index('ix_exchange_classes_status_start')
        batch_op.drop_index(batch_op.f('ix_exchange_classes_school_id'))
        batch_op.drop_index(batch_op.f('ix_exchange_classes_request_id'))
        batch_op.drop_index(batch_op.f('ix_exchange_classes_host_teacher_id'))
        batch_op.drop_index(batch_op.f('ix_exchange_classes_host_school_id'))

    op.drop_table('exchange_classes')

    with op.batch_alter_table('class_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_class_requests_school_id'))
        batch_op.drop_index(batch_op.f('ix_class_requests_partner_school_id'))
        batch_op.drop_index(batch_op.f('ix_class_requests_group_id'))

    op.drop_table('class_requests')

    op.drop_table('class_school_settings')
