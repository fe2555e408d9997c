"""The files of 集体备课 (初稿, 定稿, 二次备课, the file of a 反思): type decided by content, streamed
to disk under a name of ours with their sha256, never read whole into memory."""
import hashlib
import uuid
from pathlib import Path, PurePosixPath, PureWindowsPath

import filetype
from flask import current_app

from ...extensions import db
from ...models import User
from ...models.lesson_prep import PrepDocument, PrepSession
from .. import audit
from ..messages import N_
from . import PrepError
from .workflow import check_upload, check_reflection

# What lesson documents are: PDF, Office files, images and recorded lessons (课堂实录).
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg", "png": "image/png", "mp4": "video/mp4",
}
MAX_BYTES = {"mp4": 500 * 1024 * 1024}
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
CHUNK = 1024 * 1024
HEAD = 8192


def folder() -> Path:
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "lesson-prep"
    path.mkdir(parents=True, exist_ok=True)
    return path


def original_name(filename: str) -> str:
    """The file's own name without any directory a browser or a crafted request put in front."""
    name = PureWindowsPath(PurePosixPath(filename or "").name).name.strip()
    return name[-200:] or "file"


def store_document(user: User, session: PrepSession, kind: str, upload) -> PrepDocument:
    """Store `upload` (a FileStorage) as the session's document of `kind`. The step is checked
    first and the content after, so a refused upload leaves nothing behind."""
    if kind == "reflection":
        check_reflection(user, session)
    else:
        check_upload(user, session, kind)
    stream = upload.stream
    head = stream.read(HEAD)
    if not head:
        raise PrepError(N_("File: the file is empty."))
    guessed = filetype.guess(head)
    extension = guessed.extension if guessed else None
    extension = "jpg" if extension == "jpeg" else extension
    if extension not in MEDIA_TYPES:
        raise PrepError(N_("File: only PDF, Word, PowerPoint, Excel, JPEG, PNG and MP4 files "
                           "are kept, recognised by their content."))
    limit = MAX_BYTES.get(extension, DEFAULT_MAX_BYTES)
    stored = f"{uuid.uuid4().hex}.{extension}"
    target = folder() / stored
    digest, size = hashlib.sha256(), 0
    try:
        with target.open("wb") as out:
            chunk = head
            while chunk:
                size += len(chunk)
                if size > limit:
                    raise PrepError(N_("File: videos may be at most 500 MB, other files 50 MB."))
                digest.update(chunk)
                out.write(chunk)
                chunk = stream.read(CHUNK)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    document = PrepDocument(session_id=session.id, teacher_id=user.teacher_id, kind=kind,
                            name=original_name(upload.filename), path=stored,
                            media_type=MEDIA_TYPES[extension], size=size,
                            sha256=digest.hexdigest())
    db.session.add(document)
    db.session.flush()
    audit.record(user.id, "prep_document.stored", document, session=session.id, kind=kind,
                 name=document.name, size=size, sha256=document.sha256)
    return document


def document_path(document: PrepDocument) -> Path | None:
    """Where the document is stored (None when the file has gone missing)."""
    path = folder() / document.path
    return path if path.is_file() else None
