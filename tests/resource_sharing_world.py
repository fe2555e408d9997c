"""A small world for the resource-sharing figures: A helps B (a pairing), A and C form a
group, and resources of every visibility shared in and around school year 2025, each with
its creation day set by hand and uses recorded by teachers of the same or another school.

Counted in 2025 (shared beyond the school, created 2025-09-01..2026-08-31):
  秋天的雨 (A, 结对学校, autumn)  used by B's teacher           -> used elsewhere
  日月潭   (A, 全县,     spring)  used only by A's own teacher   -> not used elsewhere
  葡萄沟   (B, 全县,     autumn)  used by C's teacher in 2026-27 -> not used in 2025
  小蝌蚪   (C, 本集团,   spring)  used by A's teacher            -> used elsewhere
Never counted: 本校 and 仅自己 resources (even when another school used them), and 荷花
(A, 全县) created in the next school year.
"""
from dataclasses import dataclass
from datetime import date, datetime

from webapp.extensions import db
from webapp.models import Teacher
from webapp.models.resources import ResourceUse

from .resources_helpers import share


@dataclass
class World:
    county: object
    a: object
    b: object
    c: object
    pairing: object
    group: object
    users: dict
    resources: dict


def _use(user, resource, on: date) -> None:
    teacher = db.session.get(Teacher, user.teacher_id)
    db.session.add(ResourceUse(resource_id=resource.id, user_id=user.id, teacher_id=teacher.id,
                               school_id=teacher.school_id, used_on=on))


def build(make) -> World:
    county = make.county()
    a = make.school(county=county, name="城区小学")
    b = make.school(county=county, name="乡村小学", locale="rural")
    c = make.school(county=county, name="外校")
    pairing = make.pairing(a, b, start_date=date(2025, 9, 1))
    group = make.group(county=county, schools=[a, c], name="城区教育集团")
    users = {}
    for name, school in (("ta", a), ("ta2", a), ("tb", b), ("tc", c)):
        teacher = make.teacher(school=school)
        users[name] = make.user("teacher", teacher_id=teacher.id, school_id=school.id,
                                county_id=county.id)
    users["sa"] = make.user("school", school_id=a.id, county_id=county.id)
    users["bureau"] = make.user("bureau", county_id=county.id)
    users["group"] = make.user("group", group_id=group.id, county_id=county.id)
    db.session.flush()
    made = {}
    for title, author, scope, day in (
            ("秋天的雨", "ta", "pairing", date(2025, 10, 10)),
            ("日月潭", "ta", "county", date(2026, 3, 5)),
            ("葡萄沟", "tb", "county", date(2025, 12, 1)),
            ("小蝌蚪", "tc", "group", date(2026, 2, 10)),
            ("本校教案", "ta", "school", date(2025, 10, 1)),
            ("私人草稿", "ta", "self", date(2025, 10, 2)),
            ("荷花", "ta", "county", date(2026, 9, 5))):
        resource = share(users[author], title=title, scope=scope)
        resource.created_at = datetime.combine(day, datetime.min.time()).replace(hour=9)
        made[title] = resource
    db.session.flush()
    _use(users["tb"], made["秋天的雨"], date(2025, 11, 3))
    _use(users["ta2"], made["秋天的雨"], date(2025, 11, 4))   # own school: not "elsewhere"
    _use(users["ta2"], made["日月潭"], date(2026, 3, 9))
    _use(users["tc"], made["葡萄沟"], date(2026, 9, 10))      # next school year
    _use(users["ta"], made["小蝌蚪"], date(2026, 3, 1))
    _use(users["tb"], made["本校教案"], date(2025, 11, 1))    # private resources never count
    _use(users["tc"], made["私人草稿"], date(2025, 11, 1))
    db.session.flush()
    return World(county, a, b, c, pairing, group, users, made)
