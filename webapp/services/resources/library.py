"""Putting resources in the library: create one from uploaded files, add and restore versions."""
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO

from flask_babel import lazy_gettext as _
from sqlalchemy import select

from ...extensions import db
from ...models import GroupMembership, User
from ...models.resources import (RESOURCE_KINDS, RESOURCE_SCOPES, LICENCES, Chapter, Resource,
                                 ResourceBlob, ResourceFile, ResourceVersion)
from ...policy import home_county_id, home_school_id
from .. import audit
from . import previews
from .storage import storage
from .uploads import StagedFile, UploadRefused, stage


@dataclass
class Upload:
    """A file as it arrives: its name as the user's machine called it, and its content."""
    name: str | None
    stream: BinaryIO


@dataclass
class ResourceFields:
    title: str
    kind: str
    scope: str = "school"
    licence: str = "school"
    description: str = ""
    stage: str | None = None
    grade: int | None = None
    subject: str | None = None
    edition: str | None = None
    volume: str | None = None
    chapter_id: int | None = None
    chapter_text: str | None = None
    tags: list[str] = field(default_factory=list)


def search_text(resource: Resource) -> str:
    chapter = resource.chapter or (db.session.get(Chapter, resource.chapter_id)
                                   if resource.chapter_id else None)
    parts = [resource.title, resource.description, chapter.title if chapter else None,
             resource.chapter_text, " ".join(resource.tag_list)]
    return " ".join(p for p in parts if p).lower()


def _group_of(school_id: int | None, user: User) -> int | None:
    if user.role == "group":
        return user.group_id
    if school_id is None:
        return None
    today = date.today()
    return db.session.scalar(select(GroupMembership.group_id).where(
        GroupMembership.school_id == school_id, GroupMembership.joined_on <= today,
        (GroupMembership.left_on.is_(None)) | (GroupMembership.left_on > today)).limit(1))


def _check(fields: ResourceFields) -> None:
    if not fields.title.strip():
        raise UploadRefused(_("Title: please give the resource a title."))
    if fields.kind not in RESOURCE_KINDS:
        raise UploadRefused(_("Kind: not one of the choices."))
    if fields.scope not in RESOURCE_SCOPES:
        raise UploadRefused(_("Visibility: not one of the choices."))
    if fields.licence not in LICENCES:
        raise UploadRefused(_("Licence: not one of the choices."))


def stage_all(uploads: list[Upload], kind: str) -> list[StagedFile]:
    """Check every file; when one is refused, none is kept."""
    store, staged = storage(), []
    try:
        for upload in uploads:
            staged.append(stage(store, upload.stream, upload.name, kind))
        if not staged:
            raise UploadRefused(_("Files: choose at least one file."))
    except UploadRefused:
        for item in staged:
            store.discard(item.path)
        raise
    return staged


def _keep(staged: list[StagedFile], version: ResourceVersion) -> None:
    store = storage()
    for position, item in enumerate(staged):
        if db.session.get(ResourceBlob, item.sha256) is None:
            db.session.add(ResourceBlob(sha256=item.sha256, size=item.size,
                                        media_type=item.media_type))
        store.commit(item.sha256, item.path)
        file = ResourceFile(name=item.name, blob_sha256=item.sha256, size=item.size,
                            media_type=item.media_type, position=position)
        version.files.append(file)
        db.session.flush()
        previews.make(file)


def create_resource(user: User, fields: ResourceFields, uploads: list[Upload],
                    note: str | None = None) -> Resource:
    """A new resource with its first version from the uploaded files, in the user's school,
    group and county; raises UploadRefused (nothing stored) when a field or a file is wrong."""
    _check(fields)
    county_id = home_county_id(user)
    if county_id is None:
        raise UploadRefused(_("Only people of a county can share resources."))
    staged = stage_all(uploads, fields.kind)
    school_id = home_school_id(user)
    resource = Resource(
        title=fields.title.strip(), description=(fields.description or "").strip() or None,
        kind=fields.kind, scope=fields.scope, licence=fields.licence, stage=fields.stage,
        grade=fields.grade, subject=fields.subject, edition=fields.edition or None,
        volume=fields.volume or None, chapter_id=fields.chapter_id,
        chapter_text=(fields.chapter_text or "").strip() or None,
        tags=",".join(t.strip() for t in fields.tags if t.strip()) or None,
        author_id=user.id, author_teacher_id=user.teacher_id, school_id=school_id,
        group_id=_group_of(school_id, user), county_id=county_id)
    resource.search_text = search_text(resource)
    db.session.add(resource)
    version = ResourceVersion(number=1, note=note, author_id=user.id)
    resource.versions.append(version)
    db.session.flush()
    _keep(staged, version)
    resource.current_version = version
    audit.record(user.id, "resource_created", resource, title=resource.title,
                 scope=resource.scope, files=[s.name for s in staged])
    return resource


def _next_number(resource: Resource) -> int:
    return (db.session.scalar(select(db.func.max(ResourceVersion.number))
                              .where(ResourceVersion.resource_id == resource.id)) or 0) + 1


def add_version(user: User, resource: Resource, uploads: list[Upload],
                note: str | None = None) -> ResourceVersion:
    """A new upload is a new version; the earlier ones stay listed and downloadable."""
    staged = stage_all(uploads, resource.kind)
    version = ResourceVersion(resource=resource, number=_next_number(resource), note=note,
                              author_id=user.id)
    db.session.add(version)
    db.session.flush()
    _keep(staged, version)
    resource.current_version = version
    audit.record(user.id, "resource_version_added", resource, version=version.number,
                 files=[s.name for s in staged])
    return version


def restore_version(user: User, old: ResourceVersion) -> ResourceVersion:
    """Restoring an old version makes a new one with the same files (history is never lost)."""
    resource = old.resource
    version = ResourceVersion(resource=resource, number=_next_number(resource),
                              author_id=user.id, restored_from=old)
    db.session.add(version)
    for file in old.files:
        version.files.append(ResourceFile(
            name=file.name, blob_sha256=file.blob_sha256, size=file.size,
            media_type=file.media_type, position=file.position, preview=file.preview,
            thumbnail_sha256=file.thumbnail_sha256, preview_pdf_sha256=file.preview_pdf_sha256))
    db.session.flush()
    resource.current_version = version
    audit.record(user.id, "resource_version_restored", resource, version=version.number,
                 restored_from=old.number)
    return version


def authoring_school_id(resource: Resource) -> int | None:
    """The school that authored the resource (None for a group principal's own resource)."""
    return resource.school_id
