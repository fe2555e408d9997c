"""Access rules for every role: what each may open, change and list, and what it is refused."""
import pytest

from sqlalchemy import func, select

from webapp import policy
from webapp.extensions import db
from webapp.models import AuditEvent, TrainingRecord

from .scoped_world import build_world


@pytest.fixture
def world(make):
    return build_world(make)


def count(model, **where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def fresh(obj):
    """The object as the database now holds it (the request used its own session)."""
    db.session.refresh(obj)
    return obj


def signed_in(client, auth, world, role):
    if role != "anonymous":
        auth.login(world.users[role])
    return client


SCHOOL_ACCESS = [
    # role, school, status
    ("admin", "b1", 200), ("admin", "a3", 200),
    ("bureau", "a1", 200), ("bureau", "a3", 200), ("bureau", "a4", 200),
    ("bureau", "b1", 403), ("bureau", "b2", 403),
    ("group", "a1", 200), ("group", "a2", 200), ("group", "b2", 200),
    ("group", "a3", 403), ("group", "a4", 403), ("group", "b1", 403),
    ("school", "a1", 200), ("school", "a2", 403), ("school", "b2", 403),
    ("teacher", "a1", 200), ("teacher", "a2", 403),
]


@pytest.mark.parametrize("role,school,status", SCHOOL_ACCESS)
def test_school_page_is_open_only_inside_scope(client, auth, world, role, school, status):
    signed_in(client, auth, world, role)
    assert client.get(f"/schools/{getattr(world, school).id}").status_code == status


TEACHER_ACCESS = [
    ("admin", "tb1", 200),
    ("bureau", "ta3", 200), ("bureau", "tb1", 403), ("bureau", "tb2", 403),
    ("group", "ta2", 200), ("group", "tb2", 200), ("group", "ta3", 403), ("group", "tb1", 403),
    ("school", "ta1b", 200), ("school", "ta2", 403),
    ("teacher", "ta1", 200), ("teacher", "ta1b", 403), ("teacher", "ta2", 403),
]


@pytest.mark.parametrize("role,teacher,status", TEACHER_ACCESS)
def test_teacher_page_is_open_only_inside_scope(client, auth, world, role, teacher, status):
    signed_in(client, auth, world, role)
    assert client.get(f"/teachers/{getattr(world, teacher).id}").status_code == status


GROUP_AND_PAIRING_ACCESS = [
    ("admin", "other_group", "group", 200),
    ("bureau", "group", "group", 200), ("bureau", "other_group", "group", 403),
    ("group", "group", "group", 200), ("group", "other_group", "group", 403),
    ("school", "group", "group", 200), ("school", "other_group", "group", 403),
    ("bureau", "pairing", "pairing", 200), ("bureau", "b_pairing", "pairing", 403),
    ("group", "pairing", "pairing", 200), ("group", "b_pairing", "pairing", 403),
    ("school", "old_pairing", "pairing", 403), ("teacher", "pairing", "pairing", 200),
]


@pytest.mark.parametrize("role,name,kind,status", GROUP_AND_PAIRING_ACCESS)
def test_group_and_pairing_pages_follow_scope(client, auth, world, role, name, kind, status):
    signed_in(client, auth, world, role)
    path = {"group": "/groups/", "pairing": "/pairings/"}[kind]
    assert client.get(f"{path}{getattr(world, name).id}").status_code == status


PROTECTED = ["/", "/schools/", "/teachers/", "/groups/", "/pairings/", "/training/pending"]


@pytest.mark.parametrize("path", PROTECTED)
def test_anonymous_is_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("path", PROTECTED)
def test_anonymous_htmx_request_gets_401_with_hx_redirect(client, path):
    response = client.get(path, headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login")
    assert response.get_data() == b""


def test_anonymous_object_pages_redirect_too(client, world):
    for path in (f"/schools/{world.a1.id}", f"/teachers/{world.ta1.id}",
                 f"/groups/{world.group.id}", f"/pairings/{world.pairing.id}"):
        assert client.get(path).headers["Location"].startswith("/login")


LIST_SCOPE = [
    # role, list path, names present, names absent
    ("bureau", "/schools/", ["甲城关一小", "甲镇三中", "甲退出四小"], ["乙城区一小", "乙山区二小"]),
    ("group", "/schools/", ["甲城关一小", "甲乡村二小", "乙山区二小"],
     ["甲镇三中", "甲退出四小", "乙城区一小"]),
    ("school", "/schools/", ["甲城关一小"], ["甲乡村二小", "乙山区二小"]),
    ("bureau", "/teachers/", ["甲一老师", "甲三老师"], ["乙一老师", "乙二老师"]),
    ("group", "/teachers/", ["甲一老师", "甲二老师", "乙二老师"], ["甲三老师", "乙一老师"]),
    ("school", "/teachers/", ["甲一老师", "甲一同事"], ["甲二老师", "乙二老师"]),
    ("teacher", "/teachers/", ["甲一老师"], ["甲一同事", "甲二老师"]),
    ("bureau", "/groups/", ["甲城乡共同体"], ["乙县集团"]),
    ("group", "/groups/", ["甲城乡共同体"], ["乙县集团"]),
    ("school", "/groups/", ["甲城乡共同体"], ["乙县集团"]),
    ("bureau", "/pairings/", ["甲城关一小", "甲镇三中"], ["乙城区一小"]),
    ("school", "/pairings/", ["乙山区二小"], ["甲镇三中", "乙城区一小"]),
]


@pytest.mark.parametrize("role,path,present,absent", LIST_SCOPE)
def test_lists_hold_only_rows_in_scope(client, auth, world, role, path, present, absent):
    signed_in(client, auth, world, role)
    response = client.get(path)
    assert response.status_code == 200
    table = response.get_data(as_text=True).split('class="table-wrap"', 1)[1]
    for name in present:
        assert name in table, name
    for name in absent:
        assert name not in table, name


def test_admin_finds_schools_and_teachers_of_every_county(client, auth, world):
    signed_in(client, auth, world, "admin")
    for path, name in ((f"/schools/?q={world.b1.code}", "乙城区一小"),
                       (f"/schools/?q={world.a1.code}", "甲城关一小"),
                       (f"/teachers/?q={world.tb2.staff_no}", "乙二老师")):
        assert name in client.get(path).get_data(as_text=True).split('class="table-wrap"', 1)[1]


def test_a_school_page_lists_only_the_teachers_the_user_may_see(client, auth, world):
    signed_in(client, auth, world, "teacher")
    page = client.get(f"/schools/{world.a1.id}").get_data(as_text=True)
    assert "甲一老师" in page and "甲一同事" not in page


# --- changes -------------------------------------------------------------------------


def test_a_school_admin_cannot_verify_another_schools_training(client, auth, world, make):
    record = make.training(world.ta2, verified=False)
    signed_in(client, auth, world, "school")
    assert client.post(f"/training/{record.id}/verify").status_code == 403
    assert client.post(f"/training/{record.id}/reject").status_code == 403
    assert fresh(record).verified is False
    assert count(AuditEvent, object_type="TrainingRecord", object_id=record.id) == 0


def test_a_school_admin_verifies_their_own_teachers_training(client, auth, world, make):
    record = make.training(world.ta1b, verified=False)
    signed_in(client, auth, world, "school")
    assert client.post(f"/training/{record.id}/verify").status_code == 302
    assert fresh(record).verified is True


@pytest.mark.parametrize("role", ["teacher", "group"])
def test_teachers_and_group_principals_cannot_verify(client, auth, world, make, role):
    record = make.training(world.ta1, verified=False)
    signed_in(client, auth, world, role)
    assert client.post(f"/training/{record.id}/verify").status_code == 403
    assert fresh(record).verified is False


def test_a_teacher_cannot_touch_another_teachers_records(client, auth, world, make):
    record = make.training(world.ta1b, verified=False)
    signed_in(client, auth, world, "teacher")
    form = {"date": "2025-10-01", "title": "x", "category": "school", "hours": "2"}
    assert client.get(f"/teachers/{world.ta1b.id}/training/new").status_code == 403
    assert client.post(f"/teachers/{world.ta1b.id}/training/new", data=form).status_code == 403
    assert client.get(f"/training/{record.id}/edit").status_code == 403
    assert client.post(f"/training/{record.id}/edit", data=form).status_code == 403
    assert client.post(f"/training/{record.id}/delete").status_code == 403
    assert count(TrainingRecord, teacher_id=world.ta1b.id) == 1
    assert fresh(record).title != "x"


def test_a_teacher_cannot_change_their_own_verified_record(client, auth, world, make):
    record = make.training(world.ta1, verified=True)
    signed_in(client, auth, world, "teacher")
    assert client.post(f"/training/{record.id}/delete").status_code == 403
    assert client.get(f"/training/{record.id}/edit").status_code == 403


@pytest.mark.parametrize("role,allowed", [("admin", True), ("bureau", True), ("school", True),
                                          ("group", False), ("teacher", False)])
def test_can_verify_by_role(world, make, role, allowed):
    record = make.training(world.ta1b, verified=False)
    assert policy.can_verify(world.users[role], record) is allowed


def test_a_bureau_cannot_verify_another_county(world, make):
    assert not policy.can_verify(world.users["bureau"], make.training(world.tb1, verified=False))


ODD_QUERIES = ["page=%00", "q=%00", "q=a%00b", "q=%27%20OR%201%3D1%20--", "q=" + "长" * 300,
               "page=1&page=2", "stage=primary&stage=junior", "group=%00", "school=-1",
               "state=%00", "backbone=%00", "q=%E2%80%8B", "per_page=100000", "page=1e9"]
LISTS = ["/schools/", "/teachers/", "/groups/", "/pairings/", "/training/pending"]


@pytest.mark.parametrize("role", ["admin", "bureau", "group", "school", "teacher"])
def test_odd_query_strings_never_break_a_list(client, auth, world, role):
    signed_in(client, auth, world, role)
    for path in LISTS:
        for query in ODD_QUERIES:
            for headers in ({}, {"HX-Request": "true"}):
                status = client.get(f"{path}?{query}", headers=headers).status_code
                assert status in (200, 400), (path, query, status)
