"""`flask import-data DIR` on the contract samples: exit 0 with a summary, or 1 with the errors."""
import shutil

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Teacher, TrainingRecord

from .conftest import SAMPLES


def test_the_plain_sample_imports_through_the_command_line(runner):
    outcome = runner.invoke(args=["import-data", str(SAMPLES / "county-small")])
    assert outcome.exit_code == 0, outcome.output
    assert "teachers.csv: 555 created, 0 updated, 0 unchanged" in outcome.stdout
    assert db.session.scalar(select(func.count(TrainingRecord.id))) == 6833
    again = runner.invoke(args=["import-data", str(SAMPLES / "county-small")])
    assert again.exit_code == 0
    assert "training.csv: 0 created, 0 updated, 6833 unchanged" in again.stdout


def test_the_messy_sample_imports_through_the_command_line(runner):
    outcome = runner.invoke(args=["import-data", str(SAMPLES / "county-small-messy")])
    assert outcome.exit_code == 0, outcome.output
    assert "school_stats.xlsx: 60 created" in outcome.stdout
    names = db.session.scalars(select(Teacher.name).where(Teacher.staff_no == "T000001")).all()
    assert names == ["教师1"]


def test_a_broken_copy_exits_1_with_its_error_lines(runner, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(SAMPLES / "county-small-messy", broken)
    teachers = (broken / "teachers.csv").read_bytes().decode("gb18030").splitlines(True)
    teachers[4] = teachers[4].replace(",5002310001,", ",5002319999,", 1)
    (broken / "teachers.csv").chmod(0o644)
    (broken / "teachers.csv").write_bytes("".join(teachers).encode("gb18030"))
    outcome = runner.invoke(args=["import-data", str(broken)])
    assert outcome.exit_code == 1
    assert "teachers.csv:5: 学校标识码: unknown school code '5002319999'" in outcome.stderr
    assert "nothing was written" in outcome.stderr
    assert db.session.scalar(select(func.count(Teacher.id))) == 0
