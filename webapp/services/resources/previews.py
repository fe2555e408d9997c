"""Previews of resource files: a PNG of a PDF's first page, Office files as PDF via LibreOffice."""
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pypdfium2
from flask import current_app

from ...extensions import db
from ...models.resources import ResourceBlob, ResourceFile
from .storage import storage
from .uploads import OFFICE

THUMBNAIL_WIDTH = 480


def _store_bytes(data: bytes, media_type: str) -> str:
    store = storage()
    sha256, size, path = store.put(io.BytesIO(data), limit=len(data) + 1)
    if db.session.get(ResourceBlob, sha256) is None:
        db.session.add(ResourceBlob(sha256=sha256, size=size, media_type=media_type))
    store.commit(sha256, path)
    return sha256


def pdf_thumbnail(path: Path) -> bytes:
    """The first page as PNG, THUMBNAIL_WIDTH pixels wide."""
    document = pypdfium2.PdfDocument(str(path))
    try:
        page = document[0]
        scale = THUMBNAIL_WIDTH / max(page.get_width(), 1)
        image = page.render(scale=scale).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG", compress_level=3)
        return out.getvalue()
    finally:
        document.close()


def _soffice() -> str | None:
    configured = current_app.config.get("SOFFICE")
    return shutil.which(configured) if configured else None


def office_to_pdf(path: Path, soffice: str) -> bytes | None:
    """LibreOffice's PDF of an Office file (needs CJK fonts installed for Chinese text)."""
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "document"
        shutil.copyfile(path, source)
        try:
            subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", work,
                            str(source)], check=True, timeout=120, capture_output=True)
        except (subprocess.SubprocessError, OSError):
            return None
        made = Path(work) / "document.pdf"
        return made.read_bytes() if made.exists() else None


def make(file: ResourceFile) -> None:
    """Set the file's preview state, making the thumbnail or PDF it needs."""
    path = storage().path(file.blob_sha256)
    if file.media_type == "application/pdf":
        try:
            file.thumbnail_sha256 = _store_bytes(pdf_thumbnail(path), "image/png")
            file.preview = "ready"
        except pypdfium2.PdfiumError:
            file.preview = "failed"
    elif file.media_type.startswith(("image/", "video/")):
        file.preview = "ready"
    elif file.media_type in OFFICE:
        soffice = _soffice()
        pdf = office_to_pdf(path, soffice) if soffice else None
        if pdf:
            file.preview_pdf_sha256 = _store_bytes(pdf, "application/pdf")
            file.preview = "ready"
        else:
            file.preview = "download"
    else:
        file.preview = "download"


def ensure(files) -> None:
    """Make the previews still pending (the demo leaves most for their first view)."""
    for file in files:
        if file.preview == "pending":
            make(file)
