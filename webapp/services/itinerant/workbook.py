"""The 走教 delivery and subsidy workbook: planned against taught, and what each teacher is owed."""
import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import select

from ...extensions import db
from ...models import School, Teacher
from ...models.itinerant import Term
from ..patrols.findings import confirmed_on_site
from .delivery import planned_vs_taught
from .subsidies import monthly, rates_during


def workbook(term: Term, rows: list | None = None, owed: list | None = None,
             on_site: dict | None = None) -> bytes:
    """Both sheets; `rows` (planned_vs_taught), `owed` (subsidies.monthly) and `on_site` (the
    lessons a patrol confirmed, patrols.findings.confirmed_on_site) default to the whole
    term."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Planned and taught")[:31]
    rows = planned_vs_taught(term) if rows is None else rows
    teachers = _names(Teacher, {r.teacher_id for r in rows})
    schools = _names(School, {r.school_id for r in rows})
    on_site = confirmed_on_site(term) if on_site is None else on_site
    sheet.append([_("Month"), _("Teacher"), _("School"), _("Planned"), _("Taught"), _("Missed"),
                  _("Not confirmed"), _("Confirmed on site by a patrol")])
    for r in rows:
        sheet.append([r.month, teachers.get(r.teacher_id), schools.get(r.school_id), r.planned,
                      r.taught, r.missed, r.unconfirmed,
                      on_site.get((r.month, r.teacher_id, r.school_id), 0)])
    subsidies = book.create_sheet(_("Subsidies")[:31])
    for rates in rates_during(term):
        subsidies.append([_("Rates from %(date)s", date=rates.effective_from.isoformat()),
                          _("Per taught lesson"), float(rates.per_lesson),
                          _("Per travel day"), float(rates.per_travel_day),
                          _("Per travel minute"), float(rates.per_travel_minute)])
    subsidies.append([_("Month"), _("Teacher"), _("Lessons taught away"), _("Travel days"),
                      _("Travel minutes"), _("Class-hour subsidy"), _("Transport subsidy"),
                      _("Total")])
    rows = monthly(term) if owed is None else owed
    teachers = _names(Teacher, {r.teacher_id for r in rows})
    for r in rows:
        subsidies.append([r.month, teachers.get(r.teacher_id), r.lessons, r.travel_days,
                          r.travel_minutes, float(r.class_hours), float(r.transport),
                          float(r.total)])
    for ws, header_row in ((sheet, 1), (subsidies, 2)):
        for cell in ws[header_row]:
            cell.font = Font(bold=True)
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        for column in ws.columns:
            ws.column_dimensions[column[0].column_letter].width = 16
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _names(model, ids) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.session.execute(select(model.id, model.name).where(model.id.in_(ids))).all())
