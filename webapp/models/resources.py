"""The shared resource library: resources, their versions and files, chapters and their use."""
import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _p
from sqlalchemy import (DDL, BigInteger, CheckConstraint, ForeignKey, Index, String, Text,
                        UniqueConstraint, event)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .audit import utcnow
from .enums import SECTIONS, SUBJECTS, choice
from .org import County, EducationGroup, School
from .people import Teacher, User

# 教育资源建设技术规范 types, as teachers name them.
RESOURCE_KINDS = {"lesson_plan": _l("Lesson plan"),      # 教案
                  "courseware": _l("Courseware"),        # 课件
                  "video": _l("Micro-lesson or recorded lesson"),  # 微课/课堂实录
                  "study_guide": _l("Study guide"),      # 学案
                  "exam": _l("Exercises or test paper"),  # 试题/试卷
                  "case": _l("Teaching case"),           # 案例
                  "material": _l("Material")}            # 素材
LICENCES = {"school": _l("Use within the school"),      # 校内使用
            "group": _l("Shared within the group"),     # 集团内共享
            "cc_by": _p("licence", "CC BY")}
# Who may see a resource; "pairing" means both sides of a pairing active today.
RESOURCE_SCOPES = {"self": _l("Only me"), "school": _l("My school"),
                   "group": _l("My education group"), "pairing": _l("Paired schools"),
                   "county": _l("The whole county")}
PREVIEW_STATES = {"none": _l("No preview"), "pending": _l("Preview being made"),
                  "ready": _l("Preview ready"), "failed": _l("Preview failed"),
                  "download": _l("Download to view")}


class Chapter(db.Model):
    """A node of a textbook's table of contents (单元 → 课), owned by a county or a group."""
    __tablename__ = "chapters"
    __table_args__ = (
        CheckConstraint("county_id IS NOT NULL OR group_id IS NOT NULL", name="has_owner"),
        CheckConstraint("grade IS NULL OR (grade >= 1 AND grade <= 12)", name="grade_range"),
        Index("ix_chapters_book", "subject", "grade", "edition", "volume"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    county_id: Mapped[int | None] = mapped_column(ForeignKey("counties.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("education_groups.id"), index=True)
    stage: Mapped[str | None] = mapped_column(choice("resource_stage", SECTIONS))
    grade: Mapped[int | None]
    subject: Mapped[str | None] = mapped_column(choice("resource_subject", SUBJECTS))
    edition: Mapped[str | None] = mapped_column(String(50))
    volume: Mapped[str | None] = mapped_column(String(30))   # 册次: 上册, 下册, 必修一 ...
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("chapters.id", ondelete="CASCADE"),
                                                  index=True)
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0, server_default="0")

    parent: Mapped["Chapter | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Chapter"]] = relationship(back_populates="parent",
                                                     order_by="Chapter.position")

    def __str__(self):
        return self.title


class TextbookEdition(db.Model):
    """A textbook edition in use in a county (统编版, 人教版, 北师大版, 西南大学版 ...)."""
    __tablename__ = "textbook_editions"
    __table_args__ = (UniqueConstraint("county_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    name: Mapped[str] = mapped_column(String(50))
    position: Mapped[int] = mapped_column(default=0, server_default="0")


class ResourceBlob(db.Model):
    """File content stored once by its sha256, whatever name and resource it comes under."""
    __tablename__ = "resource_blobs"
    __table_args__ = (CheckConstraint("size > 0", name="size_positive"),)

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Resource(db.Model):
    """A lesson plan, courseware, recorded lesson ... shared within a scope."""
    __tablename__ = "resources"
    __table_args__ = (
        CheckConstraint("grade IS NULL OR (grade >= 1 AND grade <= 12)", name="grade_range"),
        CheckConstraint("views >= 0 AND downloads >= 0 AND uses >= 0", name="counters_non_negative"),
        CheckConstraint("rating_count >= 0 AND rating_sum >= 0", name="ratings_non_negative"),
        Index("ix_resources_listing", "county_id", "created_at"),
        # The resource-sharing indicators read a county's year of resources from the index
        # alone (services.indicators.resource_sharing).
        Index("ix_resources_shared", "county_id", "created_at", "scope", "school_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(choice("resource_kind", RESOURCE_KINDS), index=True)
    stage: Mapped[str | None] = mapped_column(choice("resource_stage", SECTIONS))
    grade: Mapped[int | None]
    subject: Mapped[str | None] = mapped_column(choice("resource_subject", SUBJECTS), index=True)
    edition: Mapped[str | None] = mapped_column(String(50))
    volume: Mapped[str | None] = mapped_column(String(30))
    chapter_id: Mapped[int | None] = mapped_column(ForeignKey("chapters.id", ondelete="SET NULL"),
                                                   index=True)
    chapter_text: Mapped[str | None] = mapped_column(String(200))   # when no tree node fits
    tags: Mapped[str | None] = mapped_column(String(500))           # comma-separated
    licence: Mapped[str] = mapped_column(choice("resource_licence", LICENCES), default="school",
                                         server_default="school")
    scope: Mapped[str] = mapped_column(choice("resource_scope", RESOURCE_SCOPES), default="school",
                                       server_default="school")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    author_teacher_id: Mapped[int | None] = mapped_column(ForeignKey("teachers.id"), index=True)
    # The authoring school: scope is measured from it, and indicators credit it.
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"), index=True)
    # The group the author's school belonged to when the resource was shared (scope "group");
    # None for a school in no group, or a group principal's own resource without a school.
    group_id: Mapped[int | None] = mapped_column(ForeignKey("education_groups.id"), index=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"))
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("resource_versions.id", use_alter=True, ondelete="SET NULL"))
    # Title, description, chapter and tags in one lower-cased text: the one column searched
    # (LIKE for short queries, FTS5 trigram on SQLite, pg_trgm GIN on PostgreSQL).
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Running totals; views and downloads arrive in batches (services.resources.counters).
    views: Mapped[int] = mapped_column(default=0, server_default="0")
    downloads: Mapped[int] = mapped_column(default=0, server_default="0")
    uses: Mapped[int] = mapped_column(default=0, server_default="0")
    favourites: Mapped[int] = mapped_column(default=0, server_default="0")
    rating_sum: Mapped[int] = mapped_column(default=0, server_default="0")
    rating_count: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    chapter: Mapped[Chapter | None] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    author_teacher: Mapped[Teacher | None] = relationship()
    school: Mapped[School | None] = relationship()
    group: Mapped[EducationGroup | None] = relationship()
    county: Mapped[County] = relationship()
    current_version: Mapped["ResourceVersion | None"] = relationship(
        foreign_keys=[current_version_id], post_update=True)
    versions: Mapped[list["ResourceVersion"]] = relationship(
        back_populates="resource", foreign_keys="ResourceVersion.resource_id",
        order_by="ResourceVersion.number.desc()", cascade="all, delete-orphan")

    @property
    def rating(self) -> float | None:
        return self.rating_sum / self.rating_count if self.rating_count else None

    @property
    def tag_list(self) -> list[str]:
        return [t for t in (self.tags or "").split(",") if t]

    def __str__(self):
        return self.title


class ResourceVersion(db.Model):
    """One upload of a resource's files; restoring an old one makes a new version copying it."""
    __tablename__ = "resource_versions"
    __table_args__ = (UniqueConstraint("resource_id", "number"),
                      CheckConstraint("number >= 1", name="number_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"),
                                             index=True)
    number: Mapped[int]
    note: Mapped[str | None] = mapped_column(String(500))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    restored_from_id: Mapped[int | None] = mapped_column(ForeignKey("resource_versions.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    resource: Mapped[Resource] = relationship(back_populates="versions",
                                              foreign_keys=[resource_id])
    author: Mapped[User | None] = relationship()
    restored_from: Mapped["ResourceVersion | None"] = relationship(remote_side=[id])
    files: Mapped[list["ResourceFile"]] = relationship(
        back_populates="version", order_by="ResourceFile.position", cascade="all, delete-orphan")


class ResourceFile(db.Model):
    """A file of a version: the original name kept, the content by hash in resource_blobs."""
    __tablename__ = "resource_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("resource_versions.id", ondelete="CASCADE"),
                                            index=True)
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    name: Mapped[str] = mapped_column(String(255))
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("resource_blobs.sha256"), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(100))
    preview: Mapped[str] = mapped_column(choice("resource_preview", PREVIEW_STATES),
                                         default="none", server_default="none")
    # PNG of the first page (PDF) or the PDF made by LibreOffice (Office files), by hash.
    thumbnail_sha256: Mapped[str | None] = mapped_column(ForeignKey("resource_blobs.sha256"))
    preview_pdf_sha256: Mapped[str | None] = mapped_column(ForeignKey("resource_blobs.sha256"))

    version: Mapped[ResourceVersion] = relationship(back_populates="files")
    blob: Mapped[ResourceBlob] = relationship(foreign_keys=[blob_sha256])


class ResourceFavourite(db.Model):
    __tablename__ = "resource_favourites"
    __table_args__ = (UniqueConstraint("resource_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ResourceRating(db.Model):
    """评价: stars and a comment, one per user and resource (a second one replaces it)."""
    __tablename__ = "resource_ratings"
    __table_args__ = (UniqueConstraint("resource_id", "user_id"),
                      CheckConstraint("stars >= 1 AND stars <= 5", name="stars_range"))

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    stars: Mapped[int]
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class ResourceUse(db.Model):
    """我在课堂上用了: a teacher used the resource in class, perhaps in an exchange class or a
    走教 lesson. school_id is the using school, so use beyond the author's school can be counted."""
    __tablename__ = "resource_uses"

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"),
                                             index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("teachers.id"), index=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"), index=True)
    used_on: Mapped[dt.date] = mapped_column(index=True)
    exchange_class_id: Mapped[int | None] = mapped_column(ForeignKey("exchange_classes.id"))
    lesson_event_id: Mapped[int | None] = mapped_column(ForeignKey("itinerant_lesson_events.id"))
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    resource: Mapped[Resource] = relationship()
    teacher: Mapped[Teacher | None] = relationship()
    school: Mapped[School | None] = relationship()


class ResourceDailyCount(db.Model):
    """Views and downloads of a resource on one day, upserted by the counter flush."""
    __tablename__ = "resource_daily_counts"
    __table_args__ = (UniqueConstraint("resource_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"))
    day: Mapped[dt.date] = mapped_column(index=True)
    views: Mapped[int] = mapped_column(default=0, server_default="0")
    downloads: Mapped[int] = mapped_column(default=0, server_default="0")


# The search structures differ by database, so they are not modelled as tables or indexes: the
# migration creates them, and these listeners do the same for create_all (tests, benchmarks).
SQLITE_SEARCH = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS resources_fts USING fts5(search_text, "
    "content='resources', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS resources_fts_insert AFTER INSERT ON resources BEGIN "
    "INSERT INTO resources_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS resources_fts_delete AFTER DELETE ON resources BEGIN "
    "INSERT INTO resources_fts(resources_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS resources_fts_update AFTER UPDATE OF search_text ON resources "
    "BEGIN INSERT INTO resources_fts(resources_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO resources_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
)
POSTGRES_SEARCH = (  # as the migration does it; % doubled for DDL's own formatting
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "DO $$ DECLARE trgm text; BEGIN "
    "SELECT extnamespace::regnamespace::text INTO trgm FROM pg_extension WHERE extname = 'pg_trgm'; "
    "EXECUTE format('CREATE INDEX IF NOT EXISTS ix_resources_search_trgm ON resources "
    "USING gin (search_text %%s.gin_trgm_ops)', trgm); END $$",
)
for _statement in SQLITE_SEARCH:
    event.listen(Resource.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in POSTGRES_SEARCH:
    event.listen(Resource.__table__, "after_create",
                 DDL(_statement).execute_if(dialect="postgresql"))
event.listen(Resource.__table__, "before_drop",
             DDL("DROP TABLE IF EXISTS resources_fts").execute_if(dialect="sqlite"))
