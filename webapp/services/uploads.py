"""Uploaded files kept under UPLOAD_FOLDER by a name of ours, their type read from their content.

The one place where a file that is not a library resource (pairing evidence, 集体备课 documents,
patrol photos, rectification proof) is checked and written: streamed to disk in chunks and
hashed on the way (never whole in memory), its type decided by its first bytes, refused with
nothing left behind. Library resources are stored by content hash in resources/storage.py.
"""
import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

import filetype
from flask import current_app
from flask_babel import lazy_gettext as _l

MB = 1024 * 1024
MAX_BYTES = 10 * MB
CHUNK = 1024 * 1024
# Enough of the head for filetype to find the part that tells Word, Excel and PowerPoint
# files apart inside their zip (it looks up to about 6,000 bytes in).
HEAD = 8192
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
# What evidence and photos may be: media types as `filetype` reads them from the bytes.
EVIDENCE_TYPES = {"image/jpeg", "image/png", "image/heic", "image/webp", "application/pdf",
                  DOCX, XLSX, PPTX}
PHOTO_TYPES = {"image/jpeg", "image/png", "image/heic", "image/webp"}


class UploadError(ValueError):
    """The file is refused; the message (a lazy string, translated when shown) says why."""


@dataclass
class Stored:
    name: str           # the original name, without any folder in front
    path: str           # ours, in the folder given
    media_type: str
    size: int
    sha256: str

    def columns(self) -> dict:
        """The columns of the models that keep a file as file_name/_path/_type/_size."""
        return {"file_name": self.name, "file_path": self.path, "file_type": self.media_type,
                "file_size": self.size}


def folder(name: str) -> Path:
    """A folder of UPLOAD_FOLDER (the pairing evidence lives in its own, 'pairing-evidence')."""
    path = Path(current_app.config["UPLOAD_FOLDER"]) / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def original_name(filename: str | None, fallback: str) -> str:
    """The file's own name without any directory a browser or a crafted request put in front."""
    name = PureWindowsPath(PurePosixPath(filename or "").name).name.strip()
    return name[-200:] or fallback


def _megabytes(limit: int) -> str:
    return f"{limit / MB:.0f}" if limit >= MB else f"{limit / MB:.2f}"


def write(upload, where: str, allowed: set[str] = EVIDENCE_TYPES, limit: int | None = None,
          type_limits: Mapping[str, int] | None = None, refusal=None) -> Stored:
    """Copy an uploaded file (FileStorage) in chunks into the folder `where`. The type is
    decided by the first bytes, never by the name or the browser; `type_limits` gives some
    types (a video) a size limit other than `limit`; `refusal` is the message for a type not
    `allowed` (by default a general one)."""
    stream = upload.stream
    head = stream.read(HEAD)
    if not head:
        raise UploadError(_l("The file is empty."))
    kind = filetype.guess(head)
    if kind is None or kind.mime not in allowed:
        raise UploadError(refusal or _l("This kind of file is not accepted here (its content "
                                        "decides, not its name)."))
    limit = (type_limits or {}).get(kind.mime, limit or MAX_BYTES)
    stored = f"{uuid.uuid4().hex}.{kind.extension}"
    target = folder(where) / stored
    digest, size = hashlib.sha256(), 0
    try:
        with target.open("wb") as out:
            chunk = head
            while chunk:
                size += len(chunk)
                if size > limit:
                    raise UploadError(_l("Files of this kind may be at most %(limit)s MB.",
                                         limit=_megabytes(limit)))
                digest.update(chunk)
                out.write(chunk)
                chunk = stream.read(CHUNK)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return Stored(original_name(upload.filename, stored), stored, kind.mime, size,
                  digest.hexdigest())


def store(upload, where: str, allowed: set[str] = EVIDENCE_TYPES, refusal=None) -> dict:
    """As write(), returning the columns of a model keeping file_name/_path/_type/_size."""
    return write(upload, where, allowed, refusal=refusal).columns()


def path_of(where: str, stored: str | None) -> Path | None:
    """Where a stored file is (None when there is none or it is missing)."""
    if not stored:
        return None
    path = folder(where) / stored
    return path if path.is_file() else None


def remove(where: str, stored: str | None) -> None:
    if stored:
        (folder(where) / stored).unlink(missing_ok=True)
