"""The solve screen in plain words: time used and left, what the figures mean, the final stage
(issue 17.8). Rendered in Chinese, the language its users read."""
from datetime import timedelta

import pytest

from webapp.extensions import db
from webapp.models.audit import utcnow
from webapp.models.itinerant import Plan, SolveRun
from webapp.services.itinerant import ROUTING

from .test_itinerant_world import world  # noqa: F401  (fixture)

EXPLAINED = {  # what 已证明的下界, 路程差距 and 贪心基准 mean, as the screens say it
    "bound": "没有任何课表能比这更好",
    "gap": "0% 表示没有哪种课表路程更短",
}


def make_run(world, **values) -> SolveRun:
    values.setdefault("created_at", utcnow() - timedelta(seconds=4))
    run = SolveRun(term_id=world.term.id, group_id=world.group.id,
                   user_id=world.users["group"].id, time_limit=10, heartbeat_at=utcnow(),
                   phase=ROUTING, unmet=0, travel_minutes=200, bound_unmet=0, bound_travel=180,
                   **values)
    db.session.add(run)
    db.session.flush()
    return run


@pytest.fixture
def screen(client, auth, world):
    auth.login(world.users["group"])
    return lambda run: client.get(f"/itinerant/runs/{run.id}").get_data(as_text=True)


def test_a_running_solve_says_how_long_it_has_run_and_how_long_is_left(world, screen):
    text = screen(make_run(world, status="running"))
    assert "已运行 4 秒" in text and "最多还需 6 秒" in text
    assert 'value="40" max="100"' in text
    assert "正在缩短路程" in text  # the stage it is in
    for words in EXPLAINED.values():
        assert words in text


def test_a_finished_solve_shows_the_outcome_not_the_last_stage(world, screen):
    run = make_run(world, status="done", finished_at=utcnow())
    text = screen(run)
    assert "正在缩短路程" not in text
    assert "已完成：找到的最佳课表已保存为方案草稿" in text
    assert "用时 4 秒" in text and "最多还需" not in text and "<progress" not in text


def test_a_cancelled_solve_says_it_was_stopped(world, screen):
    text = screen(make_run(world, status="cancelled", finished_at=utcnow()))
    assert "正在缩短路程" not in text and "已按您的要求停止" in text


def test_the_plan_page_says_what_the_greedy_baseline_is(client, auth, world):
    plan = Plan(term_id=world.term.id, group_id=world.group.id, solver_status="feasible",
                unmet=0, travel_minutes=200, bound_unmet=0, bound_travel=180, seconds=10,
                baseline_unmet=2, baseline_travel=260)
    db.session.add(plan)
    db.session.flush()
    auth.login(world.users["group"])
    text = client.get(f"/itinerant/plans/{plan.id}").get_data(as_text=True)
    assert "贪心基准" in text and "简单方法" in text
    for words in EXPLAINED.values():
        assert words in text
