"""The library's list: facet counts in one pass, a count that stops at a cap, scope kept."""
from webapp.extensions import db
from webapp.services.paging import paginate
from webapp.services.resources.search import ResourceFilters, facet_counts, search

from .resources_helpers import build, resource_store, share  # noqa: F401


def test_facets_count_only_what_the_user_may_see(make, resource_store):  # noqa: F811
    world = build(make)
    share(world.users["ta"], title="数学教案一", scope="county", subject="math", grade=3)
    share(world.users["ta"], title="数学教案二", scope="county", subject="math", grade=4)
    share(world.users["tb"], title="数学学案", scope="county", subject="chinese", grade=3,
          kind="study_guide")
    share(world.users["ta"], title="数学校内", scope="school", subject="math", grade=3)
    share(world.users["tg"], title="数学外县", scope="county", subject="math", grade=3)
    db.session.flush()

    facets = facet_counts(world.users["tf"], ResourceFilters(q="数学"),
                          ("kind", "subject", "grade"))
    assert facets["kind"] == [("lesson_plan", 2), ("study_guide", 1)]
    assert facets["subject"] == [("math", 2), ("chinese", 1)]
    assert facets["grade"] == [("3", 2), ("4", 1)]
    # The school's own colleague also sees the school-only plan.
    assert dict(facet_counts(world.users["ta2"], ResourceFilters(q="数学"),
                             ("subject",))["subject"]) == {"math": 3, "chinese": 1}


def test_a_fields_own_filter_is_left_out_of_its_counts(make, resource_store):  # noqa: F811
    world = build(make)
    share(world.users["ta"], title="数学一", scope="county", subject="math", grade=3)
    share(world.users["ta"], title="数学二", scope="county", subject="math", grade=4)
    share(world.users["ta"], title="数学三", scope="county", subject="chinese", grade=3)
    db.session.flush()

    facets = facet_counts(world.users["tf"], ResourceFilters(q="数学", subject="math"),
                          ("subject", "grade"))
    # Other subjects stay choosable; the grades are those of the math resources only.
    assert facets["subject"] == [("math", 2), ("chinese", 1)]
    assert facets["grade"] == [("3", 1), ("4", 1)]


def test_the_count_stops_at_the_cap_but_always_sees_the_next_page(make,
                                                                   resource_store):  # noqa: F811
    world = build(make)
    for n in range(5):
        share(world.users["ta"], title=f"古诗{n}", scope="county")
    db.session.flush()
    user = world.users["tf"]

    first = paginate(search(user, ResourceFilters(q="古诗")), 1, 2, count_cap=3)
    assert (first.total, first.capped, first.has_next) == (4, True, True)
    assert [r.title for r in first.items] == ["古诗4", "古诗3"]
    last = paginate(search(user, ResourceFilters(q="古诗")), 3, 2, count_cap=3)
    assert (last.total, last.capped, last.has_next) == (5, False, False)
    assert [r.title for r in last.items] == ["古诗0"]


def test_the_list_says_more_than_when_the_count_was_capped(app, client, auth, make,
                                                           resource_store, monkeypatch):  # noqa: F811
    from webapp.blueprints.resources import routes
    world = build(make)
    for n in range(4):
        share(world.users["ta"], title=f"古诗{n}", scope="county")
    db.session.commit()
    monkeypatch.setattr(routes, "COUNT_CAP", 2)
    auth.login(world.users["tf"])
    monkeypatch.setitem(app.config, "PAGE_SIZE", 1)
    page = client.get("/resources/?q=古诗")
    assert page.status_code == 200
    assert "第 1 页 · 超过 2 条" in page.text and "第 1 / " not in page.text
