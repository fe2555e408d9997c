"""Uploaded files kept under UPLOAD_FOLDER by a name of ours, their type read from their content."""
import uuid
from pathlib import Path

import filetype
from flask import current_app
from flask_babel import lazy_gettext as _l

MAX_BYTES = 10 * 1024 * 1024
# What evidence and photos may be: media types as `filetype` reads them from the bytes.
EVIDENCE_TYPES = {"image/jpeg", "image/png", "image/heic", "image/webp", "application/pdf",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  "application/vnd.openxmlformats-officedocument.presentationml.presentation"}
PHOTO_TYPES = {"image/jpeg", "image/png", "image/heic", "image/webp"}


class UploadError(ValueError):
    """The file is refused; the message says why and is shown to the user."""


def folder(name: str) -> Path:
    """A folder of UPLOAD_FOLDER (the pairing evidence lives in its own, 'pairing-evidence')."""
    path = Path(current_app.config["UPLOAD_FOLDER"]) / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(upload, where: str, allowed: set[str] = EVIDENCE_TYPES, refused=None) -> dict:
    """Copy an uploaded file (FileStorage) in chunks into `where`; returns the columns of
    StoredFile. The type is decided by the first bytes, never by the name or the browser;
    `refused` is the message for a type outside `allowed` (it names what is accepted)."""
    head = upload.stream.read(262)
    kind = filetype.guess(head) if head else None
    if not head:
        raise UploadError(_l("The file is empty."))
    if kind is None or kind.mime not in allowed:
        raise UploadError(refused or _l("This kind of file is not accepted (PDF, image, Word, "
                                        "Excel or PowerPoint by its content)."))
    stored = f"{uuid.uuid4().hex}.{kind.extension}"
    target = folder(where) / stored
    size = len(head)
    with target.open("wb") as out:
        out.write(head)
        while chunk := upload.stream.read(64 * 1024):
            size += len(chunk)
            if size > MAX_BYTES:
                out.close()
                target.unlink(missing_ok=True)
                raise UploadError(_l("Files may be at most 10 MB."))
            out.write(chunk)
    return {"file_name": Path(upload.filename or stored).name[-200:], "file_path": stored,
            "file_type": kind.mime, "file_size": size}


def path_of(where: str, stored: str | None) -> Path | None:
    """Where a stored file is (None when there is none or it is missing)."""
    if not stored:
        return None
    path = folder(where) / stored
    return path if path.is_file() else None


def remove(where: str, stored: str | None) -> None:
    if stored:
        (folder(where) / stored).unlink(missing_ok=True)


