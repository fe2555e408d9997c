"""Shared pieces of the resource library tests: a county with paired and grouped schools."""
import io
from dataclasses import dataclass
from datetime import date

import pytest

from webapp.extensions import db
from webapp.services.resources import ResourceFields, Upload, create_resource
from webapp.services.resources.samples import make_pdf


@pytest.fixture
def resource_store(app, tmp_path, monkeypatch):
    """Every test its own file store, so 'nothing stored' can be checked."""
    monkeypatch.setitem(app.config, "RESOURCE_FOLDER", str(tmp_path / "store"))
    return tmp_path / "store"


@dataclass
class World:
    users: dict
    schools: dict


def build(make) -> World:
    county, other_county = make.county(), make.county()
    a, b, d, e, f = (make.school(county=county) for _ in range(5))
    g = make.school(county=other_county)
    group = make.group(county=county, schools=(a, e))
    make.pairing(a, b)                                   # active
    make.pairing(d, a, start_date=date(2019, 9, 1), end_date=date(2021, 7, 1))  # ended
    users = {}
    for name, school in (("ta", a), ("ta2", a), ("tb", b), ("td", d), ("te", e), ("tf", f),
                         ("tg", g)):
        teacher = make.teacher(school=school)
        users[name] = make.user("teacher", teacher_id=teacher.id, school_id=school.id,
                                county_id=school.county_id)
    users["sa"] = make.user("school", school_id=a.id, county_id=county.id)
    users["sb"] = make.user("school", school_id=b.id, county_id=county.id)
    users["bureau"] = make.user("bureau", county_id=county.id)
    users["bureau_other"] = make.user("bureau", county_id=other_county.id)
    users["group"] = make.user("group", group_id=group.id, county_id=county.id)
    users["admin"] = make.user("admin")
    db.session.flush()
    return World(users, {"a": a, "b": b, "d": d, "e": e, "f": f, "g": g})


def pdf_upload(name="教案.pdf", text="shuxue"):
    return Upload(name, io.BytesIO(make_pdf([text])))


def share(user, title="有理数的加法", scope="school", **kw):
    fields = ResourceFields(title=title, kind=kw.pop("kind", "lesson_plan"), scope=scope, **kw)
    return create_resource(user, fields, [pdf_upload()])
