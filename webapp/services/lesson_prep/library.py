"""集体备课 files that join the resource library: the 定稿, shared with the schools the 备课组
spans (本集团 for a group's, 结对学校 for a pairing's), revised later as new versions of that
resource in the library; and each member's 二次备课, a resource of their own school that names
the 定稿 it was derived from (a new one is a new version). The 初稿 stays with the session, for
the members only."""
from datetime import date

from sqlalchemy import or_, select

from ...extensions import db
from ...models import User
from ...models.lesson_prep import PrepAdaptation, PrepDocument, PrepSession
from ...models.resources import Resource, ResourceVersion
from .. import uploads
from ..resources import ResourceFields, Upload, UploadRefused, add_version, create_resource
from . import PrepFileError, files, workflow

TAG = "集体备课"


def _fields(session: PrepSession, title: str, scope: str, description: str) -> ResourceFields:
    group = session.prep_group
    return ResourceFields(title=title, kind="lesson_plan", scope=scope, licence="group",
                          description=description, stage=group.section, grade=group.grade,
                          subject=group.subject, chapter_text=session.chapter or None,
                          tags=[TAG])


def _to_library(user: User, document: PrepDocument, resource: Resource | None,
                fields: ResourceFields, note: str) -> ResourceVersion:
    """The stored document as a new version of `resource`, or as a new resource. Refused by
    the library (a damaged PDF): the document's file goes and the error is the file's."""
    path = files.document_path(document)
    try:
        with path.open("rb") as handle:
            upload = [Upload(document.name, handle)]
            if resource is not None:
                version = add_version(user, resource, upload, note)
            else:
                version = create_resource(user, fields, upload, note).current_version
    except UploadRefused as refused:
        uploads.remove(files.WHERE, document.path)
        raise PrepFileError(refused.args[0]) from None
    document.resource_version_id = version.id
    return version


def publish_final(user: User, session: PrepSession, upload,
                  today: date | None = None) -> PrepSession:
    """The 主备人 uploads the 定稿: kept with the session, published in the library to the
    group's or the pairing's schools, and the session moves on (hours, members told)."""
    workflow.check_upload(user, session, "final")
    document = files.store_document(user, session, "final", upload)
    scope = "group" if session.prep_group.education_group_id else "pairing"
    version = _to_library(
        user, document, None,
        _fields(session, session.title, scope, f"{TAG}定稿 · {session.prep_group.name}"),
        note=f"{TAG}定稿")
    return workflow.publish_final(user, session, version.id, today)


def adapt(user: User, session: PrepSession, upload, note: str) -> PrepAdaptation:
    """A member's 二次备课: kept with the session and put in the library for their school."""
    workflow.check_upload(user, session, "adaptation")
    document = files.store_document(user, session, "adaptation", upload)
    mine = db.session.scalar(select(PrepAdaptation).where(
        PrepAdaptation.session_id == session.id, PrepAdaptation.teacher_id == user.teacher_id))
    earlier = db.session.get(ResourceVersion, mine.version_id) if mine and mine.version_id \
        else None
    version = _to_library(
        user, document, earlier.resource if earlier else None,
        _fields(session, f"{session.title}（二次备课）", "school",
                f"二次备课，源自{TAG}定稿《{session.title}》"),
        note="二次备课")
    return workflow.adapt(user, session, version.id, note)


def session_of(resource: Resource) -> PrepSession | None:
    """The 集体备课 session a library resource came from (its 定稿 or a 二次备课), if any."""
    versions = select(ResourceVersion.id).where(ResourceVersion.resource_id == resource.id)
    adapted = select(PrepAdaptation.session_id).where(PrepAdaptation.version_id.in_(versions))
    return db.session.scalar(select(PrepSession).where(or_(
        PrepSession.final_version_id.in_(versions), PrepSession.id.in_(adapted))).limit(1))
