"""The evaluation workbook downloaded from the indicators page (issue 17.3): the same sheets as
`flask indicators --format xlsx`, for the units the user may see."""
import io

import pytest
from openpyxl import load_workbook

from webapp.services.indicators import compute_indicators
from webapp.services.indicators.workbook import write_workbook

from .scoped_world import build_world

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def world(make):
    return build_world(make)


def sheets(data: bytes) -> dict:
    book = load_workbook(io.BytesIO(data))
    return {name: [list(row) for row in book[name].iter_rows(values_only=True)]
            for name in book.sheetnames}


def test_the_bureau_downloads_the_county_workbook_the_command_line_writes(client, auth, world):
    auth.login(world.users["bureau"])
    page = client.get("/indicators/?year=2025").get_data(as_text=True)
    assert 'id="workbook-download"' in page and 'value="county"' in page
    assert f'value="group-{world.group.id}"' in page and f'value="school-{world.a3.id}"' in page
    response = client.get("/indicators/workbook?year=2025&unit=county")
    assert response.status_code == 200 and response.mimetype == XLSX
    assert "attachment" in response.headers["Content-Disposition"]
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    expected = io.BytesIO()
    write_workbook(compute_indicators(world.county_a.code, 2025), expected)
    assert sheets(response.data) == sheets(expected.getvalue())
    school = client.get(f"/indicators/workbook?year=2025&unit=school-{world.a3.id}")
    assert school.status_code == 200 and sheets(school.data) != sheets(expected.getvalue())
    # A school of the other county is not the bureau's.
    assert client.get(f"/indicators/workbook?year=2025&unit=school-{world.b1.id}").status_code == 403


def test_a_group_principal_downloads_the_group_not_the_county(client, auth, world):
    auth.login(world.users["group"])
    page = client.get("/indicators/?year=2025").get_data(as_text=True)
    assert 'value="county"' not in page and f'value="group-{world.group.id}"' in page
    assert client.get("/indicators/workbook?year=2025&unit=county").status_code == 403
    assert client.get(f"/indicators/workbook?year=2025&unit=group-{world.group.id}").status_code == 200
    assert client.get(f"/indicators/workbook?year=2025&unit=school-{world.a2.id}").status_code == 200
    # a3 is in the county but not in the group.
    assert client.get(f"/indicators/workbook?year=2025&unit=school-{world.a3.id}").status_code == 403


def test_a_school_downloads_its_own_workbook_only(client, auth, world):
    auth.login(world.users["school"])
    assert client.get(f"/indicators/workbook?year=2025&unit=school-{world.a1.id}").status_code == 200
    assert client.get(f"/indicators/workbook?year=2025&unit=school-{world.a2.id}").status_code == 403
    assert client.get(f"/indicators/workbook?year=2025&unit=group-{world.group.id}").status_code == 403
    assert client.get("/indicators/workbook?year=2025&unit=county").status_code == 403
    assert client.get("/indicators/workbook?year=2025&unit=nonsense").status_code == 400
