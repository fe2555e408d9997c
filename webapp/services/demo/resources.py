"""The demo county's resource library: 300+ resources with small PDFs, a few videos, versions,
chapters, ratings and classroom uses, shared in every scope."""
import io
import random
from pathlib import Path
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from ...extensions import db
from ...models import GroupMembership, School, Teacher, User
from ...models.resources import (Chapter, Resource, ResourceBlob, ResourceFile, ResourceRating,
                                 ResourceUse, ResourceVersion, TextbookEdition)
from ..resources import previews
from ..resources.library import search_text
from ..resources.samples import make_pdf
from ..resources.storage import storage

EDITIONS = ("统编版", "人教版", "北师大版", "西南大学版")
# (subject, grades, edition, topics): what the county's teachers prepare.
TOPICS = [
    ("chinese", range(1, 10), "统编版", ["古诗两首", "静夜思", "春晓", "荷塘月色", "背影",
                                        "写作：记一件事", "口语交际", "阅读理解训练", "文言文断句"]),
    ("math", range(1, 7), "西南大学版", ["十以内的加法", "乘法口诀", "分数的初步认识",
                                       "长方形的面积", "小数的加减法", "圆的周长"]),
    ("math", range(7, 10), "人教版", ["有理数的加法", "有理数的乘法", "一元一次方程",
                                    "全等三角形", "勾股定理", "二次函数的图像"]),
    ("english", range(3, 10), "人教版", ["Unit 1 Hello", "字母歌", "一般现在时", "阅读策略"]),
    ("science", range(1, 7), "北师大版", ["植物的生长", "水的三态", "简单电路"]),
    ("physics", range(8, 10), "人教版", ["光的反射", "欧姆定律", "浮力"]),
    ("history", range(7, 10), "统编版", ["秦统一中国", "丝绸之路"]),
    ("music", range(1, 7), "人教版", ["音乐欣赏：茉莉花"]),
    ("art", range(1, 7), "人教版", ["水墨画入门"]),
]
KIND_WORDS = {"lesson_plan": "教案", "courseware": "课件", "study_guide": "学案",
              "exam": "练习题", "case": "教学案例", "material": "素材"}
VOLUMES = ("上册", "下册")
COMMENTS = ["思路清晰，拿来就能用。", "练习设计有梯度，学生反馈不错。", "课件很实用，谢谢分享！",
            "导入部分很有启发。", "适合农村学校的学情。"]


# The hashes stored so far, read once per seeding: a lookup per file would cost seconds.
_blobs: set[str] = set()


def _put(data: bytes, media_type: str) -> str:
    store = storage()
    sha256, size, path = store.put(io.BytesIO(data), limit=len(data) + 1)
    if sha256 not in _blobs:
        db.session.add(ResourceBlob(sha256=sha256, size=size, media_type=media_type))
    _blobs.add(sha256)
    store.commit(sha256, path)
    return sha256


def add_file(version: ResourceVersion, name: str, data: bytes, media_type: str) -> ResourceFile:
    sha256 = _put(data, media_type)
    file = ResourceFile(name=name, blob_sha256=sha256, size=len(data), media_type=media_type)
    version.files.append(file)
    return file


def _chapters(county_id: int) -> dict[tuple, list[Chapter]]:
    """A small table of contents for 七年级数学上册 (人教版) and 三年级语文上册 (统编版)."""
    books = {("math", 7, "人教版"): {"第一章 有理数": ["正数和负数", "有理数的加法", "有理数的乘法"],
                                   "第二章 整式的加减": ["整式", "整式的加减"]},
             ("chinese", 3, "统编版"): {"第一单元": ["大青树下的小学", "花的学校"],
                                      "第六单元": ["古诗三首", "富饶的西沙群岛"]}}
    made = {}
    for (subject, grade, edition), units in books.items():
        leaves = []
        for u, (unit, lessons) in enumerate(units.items()):
            parent = Chapter(county_id=county_id, stage="junior" if grade > 6 else "primary",
                             grade=grade, subject=subject, edition=edition, volume="上册",
                             title=unit, position=u)
            db.session.add(parent)
            for n, lesson in enumerate(lessons):
                leaf = Chapter(county_id=county_id, stage=parent.stage, grade=grade,
                               subject=subject, edition=edition, volume="上册", title=lesson,
                               position=n, parent=parent)
                db.session.add(leaf)
                leaves.append(leaf)
        made[(subject, grade, edition)] = leaves
    db.session.flush()
    return made


def _scope_and_group(rng: random.Random, school_id: int, groups: dict[int, int]) -> tuple:
    scope = rng.choices(("county", "group", "pairing", "school", "self"),
                        weights=(45, 20, 20, 12, 3))[0]
    group_id = groups.get(school_id)
    if scope == "group" and group_id is None:
        scope = "county"
    return scope, group_id


def seed(county_id: int, today: date, rng: random.Random) -> None:
    # Hundreds of objects are added before one flush: flushing at each lookup would cost
    # seconds.
    with db.session.no_autoflush:
        _seed(county_id, today, rng)


def load_blobs() -> None:
    """Read the stored hashes once, before a seeding adds files (集体备课's 定稿 do too)."""
    _blobs.clear()
    _blobs.update(db.session.scalars(select(ResourceBlob.sha256)))


def _seed(county_id: int, today: date, rng: random.Random) -> None:
    load_blobs()
    for position, name in enumerate(EDITIONS):
        db.session.add(TextbookEdition(county_id=county_id, name=name, position=position))
    chapters = _chapters(county_id)
    teachers = list(db.session.execute(select(Teacher.id, Teacher.school_id, Teacher.subject)
                                       .join(School).where(School.county_id == county_id)))
    by_subject: dict[str, list] = {}
    for row in teachers:
        by_subject.setdefault(row.subject, []).append(row)
    groups = dict(db.session.execute(select(GroupMembership.school_id, GroupMembership.group_id)
                                     .where(GroupMembership.left_on.is_(None))).all())
    users = {u.username: u for u in db.session.scalars(select(User))}
    demo_teacher = users.get("teacher")
    raters = [u for u in users.values() if u.role != "admin"]
    made = []
    for subject, grades, edition, topics in TOPICS:
        for grade in grades:
            for topic in topics:
                # Chinese and mathematics are where most is shared: a plan and a courseware.
                for _ in range(2 if subject in ("chinese", "math") else 1):
                    made.append(_resource(rng, county_id, today, subject, grade, edition,
                                          topic, by_subject.get(subject) or teachers, groups,
                                          chapters))
    _videos(rng, county_id, today, teachers, groups, made)
    _own_resources(rng, county_id, today, demo_teacher, groups, made)
    db.session.flush()
    _engagement(rng, today, made, raters, demo_teacher)


def _resource(rng, county_id, today, subject, grade, edition, topic, authors, groups, chapters):
    author = rng.choice(authors)
    kind = rng.choice(list(KIND_WORDS))
    scope, group_id = _scope_and_group(rng, author.school_id, groups)
    leaves = chapters.get((subject, grade, edition), [])
    chapter = next((c for c in leaves if c.title in topic or topic in c.title), None)
    created = datetime.combine(today - timedelta(days=rng.randint(1, 400)), time(9))
    resource = Resource(
        title=f"{topic}{KIND_WORDS[kind]}", kind=kind, subject=subject, grade=grade,
        stage="junior" if grade > 6 else "primary", edition=edition, volume=rng.choice(VOLUMES),
        chapter=chapter, chapter_text=None if chapter else topic,
        description=f"{grade}年级{topic}的{KIND_WORDS[kind]}，含教学目标、重难点和课堂练习。",
        tags=",".join(rng.sample(["公开课", "复习", "新授课", "分层作业", "农村学校", "双减"], 2)),
        licence=rng.choice(("school", "group", "cc_by")), scope=scope, county_id=county_id,
        author_teacher_id=author.id, school_id=author.school_id, group_id=group_id,
        created_at=created, updated_at=created)
    resource.search_text = search_text(resource)
    db.session.add(resource)
    versions = 2 if rng.random() < 0.2 else 1
    for number in range(1, versions + 1):
        version = ResourceVersion(number=number, created_at=created + timedelta(days=number - 1),
                                  note="根据集体研讨意见修改" if number > 1 else None)
        resource.versions.append(version)
        pdf = make_pdf([f"{subject} grade {grade}", f"resource {len(topic)}-{rng.random():.8f}",
                        f"version {number}"])
        file = add_file(version, f"{resource.title}（第{number}稿）.pdf", pdf, "application/pdf")
        file.preview = "pending"
        resource.current_version = version
    return resource


# Two-second H.264 clips that a browser plays and seeks (made by tools/make_demo_videos.py).
CLIPS = Path(__file__).resolve().parent / "videos"
VIDEOS = (("有理数的加法 课堂实录", "blackboard"), ("古诗朗读 微课", "classroom"),
          ("简单电路 实验微课", "experiment"))


def _videos(rng, county_id, today, teachers, groups, made):
    for topic, clip in VIDEOS:
        author = rng.choice(teachers)
        scope, group_id = _scope_and_group(rng, author.school_id, groups)
        resource = Resource(title=topic, kind="video", scope="county", county_id=county_id,
                            author_teacher_id=author.id, school_id=author.school_id,
                            group_id=group_id, description="课堂实录片段（演示用的两秒短视频）",
                            licence="cc_by", tags="微课,课堂实录")
        resource.search_text = search_text(resource)
        db.session.add(resource)
        version = ResourceVersion(number=1)
        resource.versions.append(version)
        add_file(version, f"{topic}.mp4", (CLIPS / f"{clip}.mp4").read_bytes(),
                 "video/mp4").preview = "ready"
        resource.current_version = version
        made.append(resource)


def _own_resources(rng, county_id, today, user, groups, made):
    """The demo teacher's own resources, so 'My resources' is not empty."""
    if user is None or user.teacher is None:
        return
    school_id = user.teacher.school_id
    for title, scope in (("我的教案：有理数的加法", "pairing"), ("我的课件：古诗两首", "school")):
        resource = Resource(title=title, kind="lesson_plan", scope=scope, county_id=county_id,
                            author_id=user.id, author_teacher_id=user.teacher_id,
                            school_id=school_id, group_id=groups.get(school_id),
                            subject="math", grade=7, licence="group")
        resource.search_text = search_text(resource)
        db.session.add(resource)
        version = ResourceVersion(number=1, author_id=user.id)
        resource.versions.append(version)
        add_file(version, f"{title}.pdf", make_pdf([f"demo teacher {title.encode().hex()[:12]}"]),
              "application/pdf").preview = "pending"
        resource.current_version = version
        made.append(resource)


def _engagement(rng, today, made, raters, demo_teacher):
    for resource in rng.sample(made, min(80, len(made))):
        for user in rng.sample(raters, min(len(raters), rng.randint(1, 3))):
            stars = rng.choice((3, 4, 4, 5, 5))
            db.session.add(ResourceRating(resource_id=resource.id, user_id=user.id, stars=stars,
                                          comment=rng.choice(COMMENTS)))
            resource.rating_sum += stars
            resource.rating_count += 1
        resource.views = rng.randint(5, 200)
        resource.downloads = rng.randint(0, resource.views // 3)
    if demo_teacher is not None:
        for resource in rng.sample(made, min(12, len(made))):
            db.session.add(ResourceUse(
                resource_id=resource.id, user_id=demo_teacher.id,
                teacher_id=demo_teacher.teacher_id,
                school_id=demo_teacher.teacher.school_id if demo_teacher.teacher else None,
                used_on=today - timedelta(days=rng.randint(1, 120)), note="课堂教学中使用"))
            resource.uses += 1
    db.session.flush()
    # Thumbnails for the first pages people open; the rest are made on first view.
    for resource in made[:12]:
        for file in resource.current_version.files:
            if file.preview == "pending":
                previews.make(file)
