"""Uploaded files checked before they are kept: name, size per kind, type by content, sound PDF."""
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import filetype
import pypdfium2
from flask import current_app
from flask_babel import lazy_gettext as _

from .storage import Storage, TooLarge

MB = 1024 * 1024
# Per kind; a video may be long, a lesson plan is a document. RESOURCE_SIZE_LIMITS overrides.
SIZE_LIMITS = {"video": 500 * MB, "courseware": 200 * MB, "material": 200 * MB}
DEFAULT_LIMIT = 50 * MB
# The types a resource file may have, decided from the content (filetype's magic numbers).
ACCEPTED = {
    "application/pdf", "video/mp4", "video/quicktime", "image/jpeg", "image/png", "image/gif",
    "image/webp", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
    "application/x-ole-storage",
}
OFFICE = {m for m in ACCEPTED if "officedocument" in m or "ms-" in m or "msword" in m
          or m == "application/x-ole-storage"}


class UploadRefused(ValueError):
    """A file that will not be kept; the message names the file and why."""


@dataclass
class StagedFile:
    name: str
    sha256: str
    size: int
    media_type: str
    path: Path


def size_limit(kind: str) -> int:
    limits = {**SIZE_LIMITS, **current_app.config.get("RESOURCE_SIZE_LIMITS", {})}
    return limits.get(kind, DEFAULT_LIMIT)


def clean_name(name: str | None) -> str:
    """The original name as given, refused when it could point anywhere but at itself."""
    name = unicodedata.normalize("NFC", (name or "").strip())
    if not name:
        raise UploadRefused(_("A file has no name."))
    parts = name.replace("\\", "/").split("/")
    if len(parts) > 1 or name in (".", "..") or name.startswith("..") \
            or any(not ch.isprintable() for ch in name) or len(name) > 255:
        raise UploadRefused(_("File name %(name)s is not allowed: it must be a plain name "
                              "without folders.", name=repr(name)))
    return name


def _sniff(path: Path) -> str | None:
    with path.open("rb") as handle:
        head = handle.read(8192)
    kind = filetype.guess(head)
    return kind.mime if kind else None


def _pdf_opens(path: Path) -> bool:
    try:
        document = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError:
        return False
    try:
        return len(document) > 0
    finally:
        document.close()


def stage(store: Storage, stream: BinaryIO, name: str | None, kind: str) -> StagedFile:
    """Write the upload to the store's staging area and check it; refused files leave nothing."""
    name = clean_name(name)
    limit = size_limit(kind)
    try:
        sha256, size, path = store.put(stream, limit)
    except TooLarge:
        raise UploadRefused(_("%(name)s is larger than %(limit)s MB, the limit for this kind.",
                              name=name, limit=limit // MB)) from None
    try:
        if size == 0:
            raise UploadRefused(_("%(name)s is empty.", name=name))
        media_type = _sniff(path)
        if media_type not in ACCEPTED:
            raise UploadRefused(_("%(name)s is not a PDF, Office document, image or MP4 video "
                                  "(its content decides, not its name).", name=name))
        if media_type == "application/pdf" and not _pdf_opens(path):
            raise UploadRefused(_("%(name)s is a damaged PDF that cannot be opened.", name=name))
    except UploadRefused:
        store.discard(path)
        raise
    return StagedFile(name, sha256, size, media_type, path)
