"""The dashboard's figures are computed once per data version: a hit while nothing changed,
recomputed after any write the indicators read (ORM changes and bulk statements alike)."""
from datetime import date

import pytest
from sqlalchemy import insert

from webapp.extensions import db
from webapp.models import TrainingRecord
from webapp.services.indicators import cache
from webapp.services.indicators import dashboard as board


@pytest.fixture
def counted(monkeypatch):
    calls = []
    real = board.compute_indicators

    def compute(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)
    monkeypatch.setattr(board, "compute_indicators", compute)
    return calls


@pytest.fixture
def scope(make):
    county = make.county()
    school = make.school(county=county)
    make.teacher(school=school)
    db.session.commit()
    return board.DashboardScope(county, None, county.name)


def test_a_second_request_is_a_hit(scope, counted):
    first = board.scope_indicators(scope, 2025)
    second = board.scope_indicators(scope, 2025)
    assert first == second and len(counted) == 1
    second["indicators"].clear()  # a caller's copy: the cache keeps its own
    assert board.scope_indicators(scope, 2025)["indicators"] and len(counted) == 1


def test_an_orm_write_makes_the_figures_old(scope, counted, make):
    board.scope_indicators(scope, 2025)
    before = cache.current_token()
    make.teacher(school=make.school(county=scope.county))
    db.session.commit()
    assert cache.current_token() != before
    board.scope_indicators(scope, 2025)
    assert len(counted) == 2


def test_a_bulk_insert_makes_the_figures_old(scope, counted, make):
    teacher = make.teacher(school=make.school(county=scope.county))
    db.session.commit()
    board.scope_indicators(scope, 2025)
    db.session.execute(insert(TrainingRecord), [{
        "teacher_id": teacher.id, "date": date(2025, 10, 1), "title": "校本研修",
        "category": "school", "hours": 8, "verified": True}])
    db.session.commit()
    board.scope_indicators(scope, 2025)
    assert len(counted) == 2


def test_a_rolled_back_write_never_reuses_a_token(scope, make):
    before = cache.current_token()
    make.teacher(school=make.school(county=scope.county))
    db.session.flush()
    during = cache.current_token()
    db.session.rollback()
    assert cache.current_token() == before != during
    make.teacher(school=make.school(county=scope.county))
    db.session.commit()
    assert cache.current_token() not in (before, during)


def test_unrelated_writes_keep_the_cache(scope, counted, make):
    board.scope_indicators(scope, 2025)
    make.user(role="admin")
    db.session.commit()
    board.scope_indicators(scope, 2025)
    assert len(counted) == 1


def test_a_transaction_never_reads_figures_cached_before_its_own_writes(scope, counted, make):
    """Each flush gives the writing session a new private token: figures it computed between two
    of its writes are not served after the second, and none computed under a private token is
    served after the commit (another transaction may have committed meanwhile)."""
    board.scope_indicators(scope, 2025)
    make.teacher(school=scope.county.schools[0])
    db.session.flush()
    mid = board.scope_indicators(scope, 2025)
    private = cache.current_token()
    make.teacher(school=scope.county.schools[0])
    db.session.flush()
    late = board.scope_indicators(scope, 2025)
    assert len(counted) == 3 and mid != late and cache.current_token() != private
    db.session.commit()
    assert cache.current_token() not in (private, "")
    assert board.scope_indicators(scope, 2025) == late and len(counted) == 4


def test_a_savepoint_rolled_back_keeps_the_transactions_earlier_writes_counted(scope, make):
    before = cache.current_token()
    make.teacher(school=scope.county.schools[0])
    db.session.flush()
    with db.session.begin_nested() as savepoint:
        make.teacher(school=scope.county.schools[0])
        db.session.flush()
        savepoint.rollback()
    db.session.commit()
    assert cache.current_token() != before
