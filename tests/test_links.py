"""Links that lead somewhere (issue 17.5): every link on the pages a role reaches opens for
that role — no 403, 404 or 500 behind a link shown."""
import re
from collections import deque
from datetime import date
from urllib.parse import urljoin, urlsplit

import pytest

from .scoped_world import build_world

# /itinerant/ is crawled too: this world has no 走教 term, and each of those pages shows its
# empty state rather than a refusal.
SKIP = ("/logout", "/static/", "/calendar/", "export", "download", "workbook", ".ics", ".xlsx",
        ".csv", "/lang/")
PAGE_CAP = 120


@pytest.fixture
def world(make):
    w = build_world(make)
    w.pair = make.mentorship(w.ta1b, w.ta2, start_date=date(2024, 9, 1))  # across a1 and a2
    w.a2_admin = make.user(role="school", school_id=w.a2.id)
    w.a2_teacher = make.user(role="teacher", teacher_id=w.ta2.id)
    return w


def pattern(path: str) -> str:
    """URLs that differ only in ids count as one page."""
    return re.sub(r"\d+", "N", urlsplit(path).path)


def crawl(client, starts: list[str]) -> list[tuple[str, int, str]]:
    """GET every same-site link breadth-first, one page per URL pattern; the broken ones."""
    seen, broken, queue = set(), [], deque((url, "start") for url in starts)
    pages = 0
    while queue and pages < PAGE_CAP:
        url, came_from = queue.popleft()
        key = pattern(url)
        if key in seen:
            continue
        seen.add(key)
        response = client.get(url)
        pages += 1
        refused = response.status_code in (403, 404) or response.status_code >= 500
        if refused and came_from != "start":  # a start page may be out of the role's reach
            broken.append((url, response.status_code, came_from))
        if refused:
            continue
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        for href in re.findall(r'<a\b[^>]*\bhref="([^"#]+)"', response.get_data(as_text=True)):
            href = href.replace("&amp;", "&")
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.netloc not in ("", "localhost") or any(s in target for s in SKIP):
                continue
            queue.append((parts.path + (f"?{parts.query}" if parts.query else ""), url))
    return broken


@pytest.mark.parametrize("who", ["admin", "bureau", "group", "school", "teacher", "a2_admin",
                                 "a2_teacher"])
def test_no_link_shown_leads_to_a_refusal(client, auth, world, who):
    user = world.users.get(who) or getattr(world, who)
    auth.login(user)
    starts = ["/", f"/groups/{world.group.id}", f"/mentoring/pairs/{world.pair.id}"]
    broken = crawl(client, starts)
    assert not broken, "\n".join(map(str, broken))


@pytest.mark.parametrize("who", ["admin", "bureau", "group", "school"])
def test_itinerant_pages_without_a_term_show_what_comes_first(client, auth, world, who):
    auth.login(world.users[who])
    for url in ("/itinerant/", "/itinerant/plans", "/itinerant/demand", "/itinerant/blocked",
                "/itinerant/delivery", "/itinerant/report"):
        response = client.get(url + "?lang=en")
        if response.status_code == 403:  # a page not in this role's tabs
            continue
        assert response.status_code == 200, url
        assert "No term is set up yet" in response.get_data(as_text=True), url
    page = client.get("/itinerant/demand?lang=en").get_data(as_text=True)
    assert ("Set up the term" in page) == (who in ("admin", "bureau"))
    assert client.post("/itinerant/plans/solve").status_code in (403, 409)


@pytest.mark.parametrize("who", ["admin", "bureau", "group", "school", "teacher"])
def test_every_itinerant_tab_shown_opens(client, auth, world, who):
    """The section's tabs offer a teacher their own lessons only, not the staff's data pages."""
    auth.login(world.users[who])
    page = client.get("/itinerant/report").get_data(as_text=True)
    nav = re.search(r'<nav class="tabs itinerant-tabs">(.*?)</nav>', page, re.S).group(1)
    links = re.findall(r'href="([^"]+)"', nav)
    assert "/itinerant/report" in links
    refused = {link: status for link in links
               if (status := client.get(link).status_code) in (403, 404)}
    assert refused == {}
    assert ("/itinerant/bells" in links) is (who != "teacher")
