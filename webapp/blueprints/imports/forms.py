"""The upload form of roster files."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms.validators import ValidationError

from ...services.imports.runs import contract_file_name
from ...services.imports.specs import FILE_NAMES


class UploadForm(FlaskForm):
    files = MultipleFileField(_l("Roster files (CSV or XLSX)"))

    def validate_files(self, field):
        uploads = [f for f in field.data or [] if f and f.filename]
        if not uploads:
            raise ValidationError(_l("Choose at least one file."))
        wrong = [f.filename for f in uploads if contract_file_name(f.filename) is None]
        if wrong:
            raise ValidationError(_l("These files are not import files: %(names)s. Name each "
                                     "file after its table, e.g. teachers.csv or schools.xlsx "
                                     "(tables: %(tables)s).", names=", ".join(wrong),
                                     tables=", ".join(FILE_NAMES)))
        names = [contract_file_name(f.filename) for f in uploads]
        if len(set(names)) < len(names):
            raise ValidationError(_l("The same file was chosen twice."))
        field.data = uploads
