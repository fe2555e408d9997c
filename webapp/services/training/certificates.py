"""A training record's certificate: attached by the teacher, checked by its content, kept in
the upload store under our name and downloaded under its own."""
from pathlib import Path

from flask_babel import lazy_gettext as _l

from ...extensions import db
from ...models import TrainingRecord, User
from .. import audit, uploads
from .records import CERTIFICATES as FOLDER
from .records import TrainingError

TYPES = {"application/pdf"} | uploads.PHOTO_TYPES
REFUSED = _l("A certificate must be a PDF or an image (JPEG, PNG, HEIC or WebP), recognised by "
             "its content, not by its name.")


def attach(record: TrainingRecord, user: User, upload) -> TrainingRecord:
    """Attach (or replace) the certificate of a record not yet verified; a rejected record goes
    back for verification with its proof. Nothing changes when the file is refused."""
    if record.verified:
        raise TrainingError(_l("This record is already verified."))
    if upload is None or not upload.filename:
        raise TrainingError(_l("Choose the certificate file."))
    try:
        columns = uploads.store(upload, FOLDER, TYPES, REFUSED)
    except uploads.UploadError as error:
        raise TrainingError(error.args[0]) from error
    replaced = record.certificate_path
    record.certificate_name, record.certificate_path = columns["file_name"], columns["file_path"]
    record.certificate_type, record.certificate_size = columns["file_type"], columns["file_size"]
    resubmitted = record.rejected
    record.rejected_at = record.rejected_by_id = record.rejection_reason = None
    audit.record(user.id, "training.certificate", record, file=record.certificate_name,
                 size=record.certificate_size, resubmitted=resubmitted)
    db.session.flush()
    uploads.remove(FOLDER, replaced)
    return record


def path(record: TrainingRecord) -> Path | None:
    """Where the record's certificate file is (None when it has none or it is missing)."""
    return uploads.path_of(FOLDER, record.certificate_path)
