"""training_hours, kept by triggers, equals the verified hours summed from training_records
after every kind of write: ORM, bulk INSERT, UPDATE of hours, dates, teacher or verification,
DELETE; and the migration's rebuild gives the same table."""
from datetime import date

from sqlalchemy import func, insert, select, text, update

from webapp.extensions import db
from webapp.models import TrainingHours, TrainingRecord
from webapp.models.training_hours import rebuild_sql
from webapp.services.indicators.periods import SchoolYear

YEARS = range(2016, 2031)


def summed(teacher_id: int, year: int) -> float | None:
    """The figure the table must hold: verified hours dated in the year's window."""
    window = SchoolYear(year)
    return db.session.scalar(select(func.sum(TrainingRecord.hours)).where(
        TrainingRecord.teacher_id == teacher_id, TrainingRecord.verified.is_(True),
        TrainingRecord.date.between(window.training_start, window.end)))


def kept(teacher_id: int) -> dict[int, float]:
    return dict(db.session.execute(select(TrainingHours.year, TrainingHours.hours)
                                   .where(TrainingHours.teacher_id == teacher_id)).all())


def assert_consistent(*teachers) -> None:
    db.session.flush()
    for teacher in teachers:
        expected = {year: summed(teacher.id, year) for year in YEARS}
        assert kept(teacher.id) == {y: h for y, h in expected.items() if h is not None}


def test_an_orm_record_counts_in_the_five_windows_of_its_school_year(make):
    teacher = make.teacher()
    make.training(teacher, on=date(2022, 8, 31), hours=8)   # school year 2021
    make.training(teacher, on=date(2022, 9, 1), hours=4.5)  # school year 2022
    make.training(teacher, on=date(2023, 3, 1), hours=100, verified=False)
    db.session.flush()
    assert kept(teacher.id) == {2021: 8, 2022: 12.5, 2023: 12.5, 2024: 12.5, 2025: 12.5,
                                2026: 4.5}
    assert_consistent(teacher)


def test_updates_of_hours_date_teacher_and_verification_and_deletes(make):
    first, second = make.teacher(), make.teacher()
    record = make.training(first, on=date(2020, 10, 1), hours=10)
    other = make.training(first, on=date(2024, 10, 1), hours=6, verified=False)
    assert_consistent(first, second)
    record.hours = 12.25
    assert_consistent(first, second)
    record.date = date(2025, 5, 1)
    assert_consistent(first, second)
    other.verified = True
    assert_consistent(first, second)
    record.teacher_id = second.id
    assert_consistent(first, second)
    db.session.delete(other)
    assert_consistent(first, second)
    assert kept(first.id) == {}


def test_bulk_statements_keep_it_too(make):
    teachers = [make.teacher() for _ in range(3)]
    db.session.execute(insert(TrainingRecord), [
        {"teacher_id": t.id, "date": date(2019 + n, 11, 1), "title": f"t{n}", "hours": 1.5 * n,
         "verified": n % 2 == 0} for t in teachers for n in range(6)])
    assert_consistent(*teachers)
    db.session.execute(update(TrainingRecord).where(TrainingRecord.teacher_id == teachers[0].id)
                       .values(verified=True))
    assert_consistent(*teachers)
    db.session.execute(TrainingRecord.__table__.delete()
                       .where(TrainingRecord.teacher_id == teachers[1].id))
    assert_consistent(*teachers)


def test_the_rebuild_gives_the_table_the_triggers_keep(make):
    teachers = [make.teacher() for _ in range(2)]
    for n, teacher in enumerate(teachers):
        make.training(teacher, on=date(2021, 2, 1), hours=3 + n)
        make.training(teacher, on=date(2024, 12, 1), hours=7)
    db.session.flush()
    before = {t.id: kept(t.id) for t in teachers}
    for statement in rebuild_sql(db.session.get_bind().dialect.name):
        db.session.execute(text(statement))
    assert {t.id: kept(t.id) for t in teachers} == before
    assert_consistent(*teachers)


def test_verifying_in_bulk_and_every_mix_of_changes_keep_it(make):
    """A record only verified adds its hours (SQLite's fast path); verified with another change,
    unverified, or rejected (nothing that counts) are kept right as well."""
    teachers = [make.teacher() for _ in range(3)]
    for teacher in teachers:
        for n in range(4):
            make.training(teacher, on=date(2020 + n, 10, 1), hours=2 + n, verified=False)
    assert_consistent(*teachers)
    db.session.execute(update(TrainingRecord).where(TrainingRecord.teacher_id == teachers[0].id)
                       .values(verified=True))
    assert_consistent(*teachers)
    db.session.execute(update(TrainingRecord).where(TrainingRecord.teacher_id == teachers[1].id)
                       .values(verified=True, hours=TrainingRecord.hours + 1))
    assert_consistent(*teachers)
    db.session.execute(update(TrainingRecord).where(TrainingRecord.teacher_id == teachers[0].id,
                                                    TrainingRecord.hours > 3)
                       .values(verified=False))
    assert_consistent(*teachers)
    db.session.execute(update(TrainingRecord).where(TrainingRecord.teacher_id == teachers[2].id)
                       .values(rejection_reason="缺少证书", certificate_name="x.pdf"))
    assert_consistent(*teachers)
    db.session.execute(update(TrainingRecord).where(TrainingRecord.teacher_id == teachers[2].id)
                       .values(verified=True, date=date(2025, 3, 1)))
    assert_consistent(*teachers)
