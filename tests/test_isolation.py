"""The fixtures keep tests apart: what one test commits, the next does not see."""
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import County


def test_a_commit_inside_a_test(make):
    make.county(code="999991", name="隔离县")
    db.session.commit()
    assert db.session.scalar(select(func.count()).where(County.code == "999991")) == 1


def test_is_gone_in_the_next_test():
    assert db.session.scalar(select(func.count()).where(County.code == "999991")) == 0
