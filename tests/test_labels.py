"""Labels that mean one thing (issue 17.2): an English word used in two senses has a context
for each, and stored values are shown through their translation, never raw (zh_CN)."""
import re
from types import SimpleNamespace

import pytest
from flask_babel import gettext, pgettext

from webapp.models import enums
from webapp.services.itinerant.checker import Violation
from webapp.services.itinerant.editing import describe

from .scoped_world import build_world


@pytest.fixture
def world(make):
    return build_world(make)


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)  # attribute values (ids, classes) are not read
    return re.sub(r"\s+", " ", html)


def head_of(html: str, table_marker: str) -> str:
    return html.split(table_marker, 1)[1].split("</thead>", 1)[0]


def test_ambiguous_words_read_in_their_own_sense(app):
    with app.test_request_context("/?lang=zh_CN"):
        assert gettext("Period") == "起止日期" and pgettext("lesson", "Period") == "节次"
        assert gettext("Confirmed") == "已确认"  # a state: a booking, a proposal
        assert pgettext("column", "Confirmed") == "确认情况"  # a column heading
        assert pgettext("import", "Running") == "正在导入"
        assert gettext("Name") == "姓名" and pgettext("organisation", "Name") == "名称"


def test_school_and_group_lists_say_name_not_person_name(client, auth, world):
    auth.login(world.users["bureau"])
    schools = client.get("/schools/").get_data(as_text=True)
    groups = client.get("/groups/").get_data(as_text=True)
    for page in (schools, groups):
        head = head_of(page, "<thead")
        assert "名称" in head and "姓名" not in head


def test_a_refusal_names_the_weekday_without_day_number_phrasing(app):
    built = SimpleNamespace(schools={}, teachers={}, demands={})
    violation = Violation(1, "Teacher %(teacher)s is unavailable on day %(day)s.",
                          {"teacher": "王老师", "day": 2})
    with app.test_request_context("/?lang=zh_CN"):
        text = describe(violation, built)
    assert "周二" in text and "第 周二" not in text and "周二 天" not in text


@pytest.mark.parametrize("source", sorted(enums.TRAINING_SOURCES))
def test_training_sources_are_shown_translated(client, auth, world, make, source):
    make.training(world.ta1, verified=False, source=source, title="来源测试")
    auth.login(world.users["school"])
    for url in (f"/teachers/{world.ta1.id}", "/training/pending"):
        response = client.get(url)
        if response.status_code == 404:
            continue
        text = visible_text(response.get_data(as_text=True))
        row = text.split("来源测试", 1)[1][:200] if "来源测试" in text else text
        assert not re.search(rf"(?<![\w/.-]){re.escape(source)}(?![\w/.-])", row), (url, row)
