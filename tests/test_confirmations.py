"""Every irreversible action asks first and says what will happen (issue 17.9).

htmx asks the question (`hx-confirm`) only for a request it makes itself, so a form must also
be an htmx form (`hx-post`) or boosted (`hx-boost`); a plain form may ask through static/app.js
(`data-confirm`) instead; a plan is published through a page that shows what changes."""
import html
import re
from pathlib import Path

import pytest

from webapp.extensions import db
from webapp.models.itinerant import Plan, PlanLesson

from .test_itinerant_world import world  # noqa: F401  (fixture)

TEMPLATES = Path(__file__).resolve().parent.parent / "webapp" / "templates"

IRREVERSIBLE = {
    "org.leave_group", "itinerant.remove_lesson", "itinerant.delete_demand",
    "itinerant.delete_blocked", "itinerant.delete_term_day", "itinerant.cancel_run",
    "mentoring.withdraw", "mentoring.delete_session", "mentoring.end_pair",
    "classes.unbook", "classes.cancel", "classes.reject", "classes.withdraw_request",
    "classes.decline_request", "exchanges.cancel", "people.delete_training",
    "people.reject_training", "calendar.revoke", "org.answer_pairing", "lesson_prep.close",
}
ONLY = {"org.answer_pairing": "answer='decline'"}  # accepting is no loss
FORM = re.compile(r"<form\b[^>]*>", re.S)
ACTION = re.compile(r"""action="\{\{ url_for\('([\w.]+)'""")


def forms():
    for path in sorted(TEMPLATES.rglob("*.html")):
        for tag in FORM.findall(path.read_text(encoding="utf-8")):
            found = ACTION.search(tag)
            if found:
                yield path.relative_to(TEMPLATES), found.group(1), tag


def test_every_irreversible_form_asks_first_through_htmx():
    seen = set()
    for path, endpoint, tag in forms():
        if endpoint in IRREVERSIBLE and ONLY.get(endpoint, "") in tag:
            seen.add(endpoint)
            if "data-confirm=" in tag:  # static/app.js asks before the form is submitted
                continue
            assert "hx-confirm=" in tag, f"{path}: {endpoint} does not ask first"
            assert "hx-post=" in tag or 'hx-boost="true"' in tag, \
                f"{path}: {endpoint} asks through htmx but is not an htmx request"
    assert seen == IRREVERSIBLE  # every one of them is in a template: the test cannot pass empty


def test_no_question_is_asked_with_inline_javascript():
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        assert "confirm(" not in text, f"{path} asks with inline JavaScript"


def test_publishing_is_a_step_of_its_own_and_no_button_publishes_at_once():
    posting = [(path, tag) for path, endpoint, tag in forms() if endpoint == "itinerant.publish"]
    assert posting == []


@pytest.fixture
def draft(world) -> Plan:
    plan = Plan(term_id=world.term.id, group_id=world.group.id)
    plan.lessons = [PlanLesson(demand_id=world.demand_a.id, teacher_id=world.teacher.id, day=1,
                               period=1)]
    db.session.add(plan)
    db.session.flush()
    return plan


def questions(response) -> list[str]:
    return [html.unescape(q) for q in re.findall(r'hx-confirm="([^"]*)"',
                                                 response.get_data(as_text=True))]


def test_the_plan_page_links_to_the_publish_step_and_asks_before_removing_a_lesson(
        client, auth, world, draft):
    auth.login(world.users["group"])
    page = client.get(f"/itinerant/plans/{draft.id}")
    text = page.get_data(as_text=True)
    assert f'href="/itinerant/plans/{draft.id}/publish"' in text
    [question] = questions(page)
    assert world.teacher.name in question and world.a.name in question


def test_the_group_page_asks_before_a_school_leaves_and_names_it(client, auth, world):
    auth.login(world.users["group"])
    page = client.get(f"/groups/{world.group.id}")
    assert page.status_code == 200
    asked = questions(page)
    assert asked and all(any(s.name in q for q in asked) for s in (world.a, world.b))
