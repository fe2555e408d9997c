"""The files of 集体备课 (初稿, 定稿, 二次备课, the file of a 反思): written by the one upload
writer (services/uploads.py: type decided by content, streamed to disk under a name of ours with
their sha256, never read whole into memory)."""
from pathlib import Path

from ...extensions import db
from ...models import User
from ...models.lesson_prep import PrepDocument, PrepSession
from .. import audit, uploads
from . import PrepFileError
from .workflow import check_reflection, check_upload

WHERE = "lesson-prep"
# What lesson documents are: PDF, Office files, images and recorded lessons (课堂实录).
MEDIA_TYPES = {"application/pdf", uploads.DOCX, uploads.PPTX, uploads.XLSX, "image/jpeg",
               "image/png", "video/mp4"}
VIDEO_LIMIT = 500 * uploads.MB
LIMIT = 50 * uploads.MB


def store_document(user: User, session: PrepSession, kind: str, upload) -> PrepDocument:
    """Store `upload` (a FileStorage) as the session's document of `kind`. The step is checked
    first and the content after, so a refused upload leaves nothing behind."""
    if kind == "reflection":
        check_reflection(user, session)
    else:
        check_upload(user, session, kind)
    try:
        stored = uploads.write(upload, WHERE, MEDIA_TYPES, LIMIT, {"video/mp4": VIDEO_LIMIT})
    except uploads.UploadError as error:
        raise PrepFileError(error.args[0]) from None
    document = PrepDocument(session_id=session.id, teacher_id=user.teacher_id, kind=kind,
                            name=stored.name, path=stored.path, media_type=stored.media_type,
                            size=stored.size, sha256=stored.sha256)
    db.session.add(document)
    db.session.flush()
    audit.record(user.id, "prep_document.stored", document, session=session.id, kind=kind,
                 name=document.name, size=document.size, sha256=document.sha256)
    return document


def document_path(document: PrepDocument) -> Path | None:
    """Where the document is stored (None when the file has gone missing)."""
    return uploads.path_of(WHERE, document.path)
