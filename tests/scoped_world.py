"""Two counties with a group, a cross-county pairing and one user of each role (for scope tests)."""
from datetime import date
from types import SimpleNamespace


def build_world(make) -> SimpleNamespace:
    """county A: a1 (group lead, helps b2), a2 (rural, weak, group member), a3 (alone),
    a4 (left the group); county B: b1, b2, b3 (b1 helps b3). One teacher per school, two at a1."""
    w = SimpleNamespace()
    w.county_a, w.county_b = make.county(name="甲县"), make.county(name="乙县")
    w.a1 = make.school(county=w.county_a, name="甲城关一小", locale="urban")
    w.a2 = make.school(county=w.county_a, name="甲乡村二小", locale="rural", weak=True)
    w.a3 = make.school(county=w.county_a, name="甲镇三中", locale="town", stage="junior")
    w.a4 = make.school(county=w.county_a, name="甲退出四小", locale="rural")
    w.b1 = make.school(county=w.county_b, name="乙城区一小")
    w.b2 = make.school(county=w.county_b, name="乙山区二小", locale="rural", weak=True)
    w.b3 = make.school(county=w.county_b, name="乙偏远三小", locale="rural")
    w.group = make.group(county=w.county_a, schools=[w.a1, w.a2], lead_school=w.a1,
                         name="甲城乡共同体")
    make.membership(w.group, w.a4, joined_on=date(2018, 9, 1), left_on=date(2021, 8, 31))
    w.other_group = make.group(county=w.county_b, schools=[w.b1], name="乙县集团")
    w.pairing = make.pairing(w.a1, w.b2)
    w.old_pairing = make.pairing(w.a3, w.a2, start_date=date(2015, 9, 1),
                                 end_date=date(2018, 8, 31))
    w.b_pairing = make.pairing(w.b1, w.b3)
    w.ta1 = make.teacher(school=w.a1, name="甲一老师")
    w.ta1b = make.teacher(school=w.a1, name="甲一同事")
    w.ta2 = make.teacher(school=w.a2, name="甲二老师")
    w.ta3 = make.teacher(school=w.a3, name="甲三老师")
    w.tb1 = make.teacher(school=w.b1, name="乙一老师")
    w.tb2 = make.teacher(school=w.b2, name="乙二老师")
    w.users = {
        "admin": make.user(role="admin"),
        "bureau": make.user(role="bureau", county_id=w.county_a.id),
        "group": make.user(role="group", group_id=w.group.id),
        "school": make.user(role="school", school_id=w.a1.id),
        "teacher": make.user(role="teacher", teacher_id=w.ta1.id),
    }
    return w


def table(response) -> str:
    """The list part of a page (so that names in menus or filters do not count)."""
    text = response.get_data(as_text=True)
    return text.split('class="table-wrap"', 1)[1] if 'class="table-wrap"' in text else ""
