"""The county's textbook editions in use: the bureau adds, orders and removes them; the
resource form offers exactly that list and refuses any other edition."""
import io

import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import AuditEvent
from webapp.models.resources import Resource, TextbookEdition
from webapp.services.resources.samples import make_pdf

from .resources_helpers import resource_store  # noqa: F401


@pytest.fixture
def world(make):
    county, other = make.county(), make.county()
    school = make.school(county=county)
    group = make.group(county=county, schools=[school])
    for position, name in enumerate(("统编版", "人教版")):
        db.session.add(TextbookEdition(county_id=county.id, name=name, position=position))
    users = {"bureau": make.user("bureau", county_id=county.id),
             "other_bureau": make.user("bureau", county_id=other.id),
             "group": make.user("group", group_id=group.id, county_id=county.id),
             "school": make.user("school", school_id=school.id, county_id=county.id),
             "teacher": make.user("teacher", teacher_id=make.teacher(school=school).id)}
    db.session.commit()
    return {"county": county, "users": users}


def _names(county_id):
    return list(db.session.scalars(select(TextbookEdition.name)
                                   .where(TextbookEdition.county_id == county_id)
                                   .order_by(TextbookEdition.position)))


def _edition(name):
    return db.session.scalar(select(TextbookEdition).where(TextbookEdition.name == name))


def test_the_bureau_adds_orders_and_removes_editions(world, client, auth):
    county_id = world["county"].id
    auth.login(world["users"]["bureau"])
    page = client.get("/resources/editions")
    assert page.status_code == 200 and "人教版" in page.text
    assert client.post("/resources/editions", data={"name": "  北师大版 "}).status_code == 303
    assert _names(county_id) == ["统编版", "人教版", "北师大版"]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "edition_added"))
    moved = client.post(f"/resources/editions/{_edition('北师大版').id}/move",
                        data={"direction": "up"})
    assert moved.status_code == 303 and _names(county_id) == ["统编版", "北师大版", "人教版"]
    # At the top, up changes nothing; a direction that is neither is refused.
    client.post(f"/resources/editions/{_edition('统编版').id}/move", data={"direction": "up"})
    assert _names(county_id) == ["统编版", "北师大版", "人教版"]
    assert client.post(f"/resources/editions/{_edition('统编版').id}/move",
                       data={"direction": "left"}).status_code == 400
    assert client.post(f"/resources/editions/{_edition('统编版').id}/remove"
                       ).status_code == 303
    assert _names(county_id) == ["北师大版", "人教版"]
    positions = list(db.session.scalars(select(TextbookEdition.position).where(
        TextbookEdition.county_id == county_id).order_by(TextbookEdition.position)))
    assert positions == [0, 1]


@pytest.mark.parametrize("name, message", [("", "请填写教材版本名称"), ("人教版", "已在列表中"),
                                           (" 人教版 ", "已在列表中"), ("版" * 51, "最多 50"),
                                           ("人教,北师", "不能含逗号")])
def test_a_wrong_name_is_refused_with_its_reason(world, client, auth, name, message):
    auth.login(world["users"]["bureau"])
    refused = client.post("/resources/editions", data={"name": name})
    assert refused.status_code == 422 and message in refused.text
    assert _names(world["county"].id) == ["统编版", "人教版"]


@pytest.mark.parametrize("role", ["group", "school", "teacher"])
def test_others_may_not_change_the_list(world, client, auth, role):
    auth.login(world["users"][role])
    assert client.get("/resources/editions").status_code == 403
    assert client.post("/resources/editions", data={"name": "北师大版"}).status_code == 403
    assert client.post(f"/resources/editions/{_edition('人教版').id}/remove").status_code == 403
    assert _names(world["county"].id) == ["统编版", "人教版"]


def test_another_countys_bureau_may_not_touch_this_list(world, client, auth):
    auth.login(world["users"]["other_bureau"])
    edition = _edition("人教版")
    assert client.post(f"/resources/editions/{edition.id}/remove").status_code == 403
    assert client.post(f"/resources/editions/{edition.id}/move",
                       data={"direction": "up"}).status_code == 403
    assert client.get("/resources/editions").status_code == 200
    assert "人教版" not in client.get("/resources/editions").text


def test_the_resource_form_offers_the_list_and_refuses_another_edition(
        world, client, auth, resource_store):  # noqa: F811
    auth.login(world["users"]["bureau"])
    client.post("/resources/editions", data={"name": "西南大学版"})
    auth.logout()
    auth.login(world["users"]["teacher"])
    page = client.get("/resources/new").text
    form = page[page.index('name="edition"'):]
    form = form[:form.index("</select>")]
    assert form.index("统编版") < form.index("人教版") < form.index("西南大学版")

    def send(edition):
        return client.post("/resources/new", data={
            "title": "分数的初步认识", "kind": "lesson_plan", "scope": "school",
            "licence": "school", "edition": edition,
            "files": [(io.BytesIO(make_pdf(["fenshu"])), "教案.pdf")]},
            content_type="multipart/form-data")
    assert send("外星版").status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Resource)) == 0
    assert send("西南大学版").status_code == 302
    assert db.session.scalar(select(Resource.edition)) == "西南大学版"
