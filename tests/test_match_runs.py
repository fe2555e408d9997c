"""Mentor matching runs off the web workers: the matching page queues a run, the scheduler's
job computes it, and the run's page (polled with htmx) shows the same suggestions as the
direct computation; only the principal who asked sees them."""
from datetime import date, timedelta

import pytest

from webapp.extensions import db
from webapp.jobs import JOBS, mentor_matching
from webapp.models.audit import utcnow
from webapp.models.mentoring import MatchRun
from webapp.services.mentoring import candidates, match_runs

from .scoped_world import build_world

TODAY = date.today()


@pytest.fixture
def world(make):
    w = build_world(make)
    w.mentees = [make.teacher(school=w.a2, name=f"新教师{n}", subject=subject,
                              started_teaching_on=TODAY - timedelta(days=60))
                 for n, subject in enumerate(("math", "chinese", "music", "math"))]
    w.mentors = [make.teacher(school=school, name=f"骨干{n}", subject=subject, backbone="county",
                              started_teaching_on=date(2000, 9, 1))
                 for n, (school, subject) in enumerate(((w.a1, "math"), (w.a1, "chinese"),
                                                        (w.a2, "math")))]
    w.other_principal = make.user(role="group", group_id=w.other_group.id)
    db.session.commit()
    return w


def ask(client, auth, world, capacity="1"):
    auth.login(world.users["group"])
    response = client.post("/mentoring/match", data={
        "mentee": [t.id for t in world.mentees], "mentor": [t.id for t in world.mentors],
        "capacity": capacity})
    assert response.status_code == 302
    return response.location


def the_run() -> MatchRun:
    return db.session.scalars(db.select(MatchRun).order_by(MatchRun.id.desc())).first()


def test_the_scheduler_runs_the_matching_job():
    assert any(spec.func == "webapp.jobs:mentor_matching" and spec.trigger == "interval"
               for spec in JOBS)


def test_the_request_only_queues(client, auth, world, monkeypatch):
    def never(*_args, **_kwargs):
        raise AssertionError("matching ran inside the web request")
    monkeypatch.setattr(candidates, "run_matching", never)
    url = ask(client, auth, world)
    run = the_run()
    assert url.endswith(f"/mentoring/match/runs/{run.id}") and run.status == "queued"
    page = client.get(url + "?lang=en").get_data(as_text=True)
    assert 'data-run-status="queued"' in page and 'hx-trigger="every 1s"' in page
    assert "number 1 in the queue" in page


def test_queued_then_done_with_the_direct_result(client, auth, world):
    url = ask(client, auth, world)
    run = the_run()
    assert match_runs.position(run) == 1
    assert mentor_matching() == [run.id]
    db.session.refresh(run)
    assert run.status == "done" and run.started_at and run.finished_at
    direct = candidates.run_matching(world.mentees, world.mentors, TODAY, 1)
    assert run.result == match_runs.to_json(direct)
    again = match_runs.result_of(run)
    assert [(s.mentee.id, s.mentor.id if s.mentor else None, s.score) for s in again.suggestions] \
        == [(s.mentee.id, s.mentor.id if s.mentor else None, s.score) for s in direct.suggestions]
    assert again.total == direct.total and again.capacity == direct.capacity
    page = client.get(url)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="suggestions"' in text and 'data-status="optimal"' in text
    for suggestion in direct.suggestions:
        row = text.split(f'data-mentee="{suggestion.mentee.id}"', 1)[1].split("</tr>", 1)[0]
        if suggestion.mentor:
            assert f'value="{suggestion.mentor.id}" selected' in row
    # The polling fragment, once done, reloads the page that then shows the suggestions.
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 204 and fragment.headers["HX-Refresh"] == "true"


def test_the_polling_fragment_while_waiting(client, auth, world):
    url = ask(client, auth, world)
    fragment = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert '<section id="match-run"' in fragment and "<html" not in fragment


def test_only_the_principal_who_asked_sees_the_run(client, auth, world):
    url = ask(client, auth, world)
    mentor_matching()
    auth.logout()
    for user in (world.other_principal, world.users["school"], world.users["teacher"],
                 world.users["bureau"]):
        auth.login(user)
        assert client.get(url).status_code == 403, user.role
        assert client.get(url, headers={"HX-Request": "true"}).status_code == 403
        auth.logout()
    assert client.get("/mentoring/match/runs/99999999").status_code in (302, 401)
    auth.login(world.users["group"])
    assert client.get(url).status_code == 200
    assert client.get("/mentoring/match/runs/99999999").status_code == 404


def test_a_failing_matching_is_shown_failed(client, auth, world, monkeypatch):
    url = ask(client, auth, world)

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")
    monkeypatch.setattr(candidates, "run_matching", broken)
    mentor_matching()
    run = the_run()
    db.session.refresh(run)
    assert run.status == "failed" and run.result is None
    page = client.get(url + "?lang=en").get_data(as_text=True)
    assert 'data-run-status="failed"' in page and "Start it again" in page
    assert 'hx-trigger' not in page.split('id="match-run"', 1)[1].split(">", 1)[0]


def test_a_run_whose_process_died_is_failed(client, auth, world):
    url = ask(client, auth, world)
    run = the_run()
    run.status, run.started_at = "running", utcnow() - timedelta(minutes=10)
    db.session.commit()
    page = client.get(url + "?lang=en").get_data(as_text=True)
    assert 'data-run-status="failed"' in page and "stopped before it finished" in page
