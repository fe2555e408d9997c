"""The menu follows the role, and marks only the section the page belongs to."""
import re

import pytest


def active_entries(html: str) -> list[str]:
    menu = html.split('class="mainnav"')[1].split("</nav>")[0]
    return re.findall(r'<a href="([^"]+)" aria-current="page"', menu)


@pytest.mark.parametrize("path, expected", [
    ("/schools/", ["/schools/"]),
    ("/groups/", ["/groups/"]),
    ("/pairings/", ["/groups/"]),
    ("/teachers/", ["/teachers/"]),
    ("/training/pending", ["/training/pending"]),
    ("/", ["/"]),
])
def test_one_entry_is_marked_for_the_section(client, make, auth, path, expected):
    auth.login(make.user(role="admin"))
    response = client.get(path)
    assert response.status_code == 200
    assert active_entries(response.get_data(as_text=True)) == expected


@pytest.mark.parametrize("role, sees, does_not_see", [
    ("bureau", ["/imports/", "/training/pending", "/indicators/"], []),
    ("group", ["/indicators/", "/groups/"], ["/imports/", "/training/pending"]),
    ("school", ["/training/pending", "/teachers/"], ["/imports/"]),
])
def test_menu_entries_follow_the_role(client, make, auth, role, sees, does_not_see):
    school = make.school()
    scope = {"bureau": {"county_id": school.county_id},
             "group": {"group_id": make.group(county=school.county, schools=[school]).id},
             "school": {"school_id": school.id}}[role]
    auth.login(make.user(role=role, **scope))
    menu = client.get("/").get_data(as_text=True).split("</nav>")[0]
    for url in sees:
        assert f'href="{url}"' in menu
    for url in does_not_see:
        assert f'href="{url}"' not in menu
