"""A small world for 集体备课 tests: a pairing (A helps B), an outside school C, a group G."""
from dataclasses import dataclass
from datetime import date

from webapp.services.lesson_prep.groups import create_group

TODAY = date(2026, 3, 10)


@dataclass
class World:
    county: object
    a: object
    b: object
    c: object
    pairing: object
    group: object
    leader: object      # 组长, teaches at A
    lead: object        # 主备人, teaches at B
    member: object      # another member at A
    outsider: object    # teaches at C, not a member
    users: dict
    prep: object


def build(make) -> World:
    county = make.county()
    a = make.school(county=county, name="城区小学")
    b = make.school(county=county, name="乡村小学", locale="rural")
    c = make.school(county=county, name="外校")
    pairing = make.pairing(a, b, start_date=date(2025, 9, 1))
    group = make.group(county=county, schools=[a, c])
    leader, lead = make.teacher(school=a, name="组长"), make.teacher(school=b, name="主备")
    member, outsider = make.teacher(school=a, name="组员"), make.teacher(school=c, name="外人")
    users = {
        "leader": make.user("teacher", teacher_id=leader.id),
        "lead": make.user("teacher", teacher_id=lead.id),
        "member": make.user("teacher", teacher_id=member.id),
        "outsider": make.user("teacher", teacher_id=outsider.id),
        "school_a": make.user("school", school_id=a.id),
        "school_b": make.user("school", school_id=b.id),
        "school_c": make.user("school", school_id=c.id),
        "group": make.user("group", group_id=group.id),
        "bureau": make.user("bureau", county_id=county.id),
        "other_bureau": make.user("bureau", county_id=make.county().id),
    }
    prep = create_group(users["school_a"], name="三年级语文备课组", subject="chinese",
                        section="primary", grade=3, leader=leader, owner_school=a,
                        pairing=pairing, member_ids=[lead.id, member.id], today=TODAY)
    return World(county, a, b, c, pairing, group, leader, lead, member, outsider, users, prep)
