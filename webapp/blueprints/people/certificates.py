"""A training record's certificate: the teacher attaches it, the teacher and the verifiers
download it (as an attachment, under the name it was uploaded with)."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ... import policy
from ...models import TrainingRecord
from ...policy import training as rules
from ...services.training import certificates
from ...services.training.records import TrainingError
from ..listing import get_or_404, send_upload
from .common import bp
from .forms import CertificateForm


@bp.route("/training/<int:record_id>/certificate", methods=["GET", "POST"])
def certificate(record_id: int):
    record = get_or_404(TrainingRecord, record_id)
    policy.require(rules.can_attach_certificate(current_user, record))
    form = CertificateForm()
    if form.validate_on_submit():
        try:
            certificates.attach(record, current_user, form.certificate.data)
        except TrainingError as error:
            form.certificate.errors = [str(error)]
        else:
            flash(_("The certificate was attached; your school sees it when verifying."),
                  "success")
            return redirect(url_for("people.teacher", teacher_id=record.teacher_id))
    status = 422 if form.is_submitted() else 200
    return render_template("people/certificate.html", record=record, form=form), status


@bp.get("/training/<int:record_id>/certificate/file")
def certificate_file(record_id: int):
    record = get_or_404(TrainingRecord, record_id)
    policy.require(rules.can_download_certificate(current_user, record))
    return send_upload(certificates.path(record), record.certificate_type,
                       record.certificate_name)
