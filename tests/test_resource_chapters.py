"""Chapter trees imported from CSV or XLSX by the bureau (county) or a group principal (group):
every row checked with its line, nothing stored on a problem, a second import adds nothing,
and teachers pick from their county's and their groups' trees."""
import io
from contextlib import closing
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models.resources import Chapter, TextbookEdition
from webapp.services.resources.samples import make_pdf

SAMPLE = Path(__file__).parent / "data" / "chapters.csv"


@pytest.fixture
def world(make):
    county = make.county()
    a, b = make.school(county=county), make.school(county=county)
    group = make.group(county=county, schools=[a])
    for position, name in enumerate(("统编版", "人教版")):
        db.session.add(TextbookEdition(county_id=county.id, name=name, position=position))
    users = {"bureau": make.user("bureau", county_id=county.id),
             "group": make.user("group", group_id=group.id, county_id=county.id),
             "school": make.user("school", school_id=a.id, county_id=county.id),
             "teacher_a": make.user("teacher", teacher_id=make.teacher(school=a).id),
             "teacher_b": make.user("teacher", teacher_id=make.teacher(school=b).id)}
    db.session.commit()
    return {"county": county, "group": group, "users": users}


def _send(client, data: bytes, name="chapters.csv"):
    return client.post("/resources/chapters", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _nodes() -> int:
    return db.session.scalar(select(func.count()).select_from(Chapter))


def test_the_bureau_imports_the_sample_as_a_tree_and_again_adds_nothing(world, client, auth):
    auth.login(world["users"]["bureau"])
    assert client.get("/resources/chapters").status_code == 200
    sent = _send(client, SAMPLE.read_bytes())
    assert sent.status_code == 303
    units = db.session.scalars(select(Chapter).where(Chapter.parent_id.is_(None))
                               .order_by(Chapter.id)).all()
    assert [u.title for u in units] == ["第一单元", "第二单元", "第一单元 时、分、秒",
                                        "第一章 有理数", "第二章 整式的加减"]
    assert all(u.county_id == world["county"].id and u.group_id is None for u in units)
    first = units[0]
    assert (first.stage, first.grade, first.subject, first.edition, first.volume) == \
        ("primary", 3, "chinese", "统编版", "上册")
    assert [(c.title, c.position) for c in first.children] == [("大青树下的小学", 0),
                                                                ("花的学校", 1)]
    assert units[3].grade == 7 and units[3].stage == "junior"
    assert _nodes() == 10
    again = _send(client, SAMPLE.read_bytes())
    assert again.status_code == 303 and _nodes() == 10
    page = client.get("/resources/chapters")
    assert "共 5 个单元、5 课" in page.text and "花的学校" in page.text


def test_every_wrong_row_is_named_by_line_and_nothing_is_stored(world, client, auth):
    auth.login(world["users"]["bureau"])
    text = ("学段,年级,学科,教材版本,册次,单元,课\n"
            "小学,3,语文,统编版,上册,第一单元,花的学校\n"      # line 2: good
            "小学,8,语文,统编版,上册,第一单元,秋天的雨\n"      # line 3: grade 8 is not primary
            "小学,3,天文,统编版,上册,第一单元,星空\n"          # line 4: no such subject
            "初中,7,数学,外星版,上册,第一章,有理数\n"          # line 5: not a county edition
            "初中,7,数学,人教版,上册,,有理数\n")               # line 6: no unit
    sent = _send(client, text.encode("utf-8"))
    assert sent.status_code == 422
    assert _nodes() == 0
    for line, column in ((3, "年级"), (4, "学科"), (5, "教材版本"), (6, "单元")):
        assert f"第 {line} 行，{column} 列" in sent.text, (line, column)
    assert "第 2 行" not in sent.text


def test_a_file_without_the_columns_or_not_a_table_is_refused(world, client, auth):
    auth.login(world["users"]["bureau"])
    missing = _send(client, "学段,年级,学科\n小学,3,语文\n".encode("utf-8"))
    assert missing.status_code == 422 and "教材版本" in missing.text
    pdf = _send(client, make_pdf(["x"]), name="chapters.csv")
    assert pdf.status_code == 422 and "application/pdf" in pdf.text
    gb = _send(client, SAMPLE.read_text("utf-8").encode("gb18030"))
    assert gb.status_code == 303 and _nodes() == 10
    assert _nodes() == 10


def test_a_group_principal_imports_xlsx_for_the_group_and_its_teachers_pick_from_it(
        world, client, auth, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["学段", "年级", "学科", "教材版本", "册次", "单元", "课"])
    sheet.append(["小学", 4, "数学", "人教版", "下册", "第一单元 四则运算", "加、减法的意义"])
    path = tmp_path / "chapters.xlsx"
    with closing(book):
        book.save(path)
    auth.login(world["users"]["group"])
    assert _send(client, path.read_bytes(), name="chapters.xlsx").status_code == 303
    lesson = db.session.scalar(select(Chapter).where(Chapter.title == "加、减法的意义"))
    assert lesson.group_id == world["group"].id and lesson.county_id is None
    assert lesson.parent.title == "第一单元 四则运算" and lesson.grade == 4
    auth.logout()
    auth.login(world["users"]["teacher_a"])      # a school of the group
    assert "加、减法的意义" in client.get("/resources/new").text
    auth.logout()
    auth.login(world["users"]["teacher_b"])      # a school outside it
    assert "加、减法的意义" not in client.get("/resources/new").text


@pytest.mark.parametrize("role", ["school", "teacher_a"])
def test_school_administrators_and_teachers_may_not_import(world, client, auth, role):
    auth.login(world["users"][role])
    assert client.get("/resources/chapters").status_code == 403
    assert _send(client, SAMPLE.read_bytes()).status_code == 403
    assert _nodes() == 0
    assert "/resources/chapters" not in client.get("/resources/").text
