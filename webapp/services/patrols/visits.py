"""A patrol visit: the lessons expected at a school on a day, and recording what was seen."""
from dataclasses import dataclass, field
from datetime import date, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from ...extensions import db
from ...models import Exchange, School, Teacher, User
from ...models.itinerant import Demand
from ...models.patrols import OUTCOMES, Patrol, PatrolObservation, PatrolPhoto
from .. import uploads
from ..audit import record
from ..itinerant.data import current_term, teaching_days
from ..itinerant.delivery import occurrences

PHOTOS = "patrol-photos"
MAX_PHOTOS = 6   # per lesson observed: enough to show a room, few enough to upload on site
ON_SITE = ("approved", "active")


class PatrolError(ValueError):
    """The visit is refused; the message says which field and why."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


@dataclass
class Expected:
    """One lesson the patrol may look at: a 走教 lesson or an exchange teacher's class."""
    key: str
    kind: str
    teacher_id: int
    teacher_name: str
    label: str
    subject: str | None = None
    starts: time | None = None
    period: int | None = None
    weekday: int | None = None
    demand_id: int | None = None
    exchange_id: int | None = None


def expected(school: School, on: date) -> list[Expected]:
    """The published plan's 走教 lessons at the school that day, then the exchange teachers
    expected there (an approved or active exchange to the school covering the day)."""
    found = []
    term = current_term(school.county_id, on)
    if term is not None and term.first_day <= on <= term.last_day:
        lessons = occurrences(term, on, on, school_ids={school.id})
        weekday = teaching_days(term).get(on)
        demands = {d.id: d for d in db.session.scalars(select(Demand).where(
            Demand.id.in_({o.demand_id for o in lessons})))}
        names = dict(db.session.execute(select(Teacher.id, Teacher.name).where(
            Teacher.id.in_({o.teacher_id for o in lessons}))).all())
        for o in lessons:
            demand = demands[o.demand_id]
            found.append(Expected(f"i-{o.demand_id}-{o.period}", "itinerant", o.teacher_id,
                                  names.get(o.teacher_id, ""), demand.class_name,
                                  demand.subject, o.starts, o.period, weekday,
                                  demand_id=o.demand_id))
    for exchange in db.session.scalars(select(Exchange).where(
            Exchange.to_school_id == school.id, Exchange.status.in_(ON_SITE),
            # a 走教 teacher's exchange is seen through their lessons above
            Exchange.kind != "itinerant",
            Exchange.start_date <= on,
            or_(Exchange.end_date.is_(None), Exchange.end_date >= on)).order_by(Exchange.id)):
        found.append(Expected(f"e-{exchange.id}", "exchange", exchange.teacher_id,
                              exchange.teacher.name, "", exchange.teacher.subject,
                              exchange_id=exchange.id))
    return found


@dataclass
class Mark:
    """What the patroller says about one expected lesson."""
    key: str
    outcome: str
    note: str = ""
    photos: list = field(default_factory=list)   # uploaded files (FileStorage)


def narrowed(stmt, school_id: int | None = None, with_findings: bool = False):
    """The patrols of `stmt` (a scoped SELECT of Patrol), narrowed to the school when one is
    given and to those with a lesson not held or taught by someone else when asked; latest
    first."""
    if school_id is not None:
        stmt = stmt.where(Patrol.school_id == school_id)
    if with_findings:
        stmt = stmt.where(Patrol.observations.any(PatrolObservation.outcome != "as_planned"))
    return stmt.order_by(Patrol.on.desc(), Patrol.id.desc())


def record_patrol(user: User, school: School, on: date | None, marks: list[Mark],
                  note: str = "", today: date | None = None) -> Patrol:
    """Record a visit; refuses a day in the future, a lesson not expected at this school that
    day, a file that is not a photo and more than MAX_PHOTOS photos of a lesson (the error's
    field is then "photo-<key>", beside that lesson's upload); nothing is kept when anything
    is refused."""
    today = today or date.today()
    if on is None:
        raise PatrolError(_l("Give the day of the visit."), "on")
    if on > today:
        raise PatrolError(_l("A patrol cannot be recorded for a day in the future."), "on")
    if not marks:
        raise PatrolError(_l("Mark at least one lesson."), "lessons")
    offered = {e.key: e for e in expected(school, on)}
    patrol = Patrol(county_id=school.county_id, school_id=school.id, on=on,
                    patroller_id=user.id, note=note.strip() or None)
    stored = []
    try:
        for mark in marks:
            if mark.key not in offered:
                raise PatrolError(_l("That lesson is not one planned at this school on this "
                                     "day."), "lessons")
            if mark.outcome not in OUTCOMES:
                raise PatrolError(_l("Choose what was seen for every marked lesson."),
                                  "lessons")
            lesson = offered[mark.key]
            observation = PatrolObservation(
                kind=lesson.kind, demand_id=lesson.demand_id, period=lesson.period,
                weekday=lesson.weekday,
                exchange_id=lesson.exchange_id, teacher_id=lesson.teacher_id,
                outcome=mark.outcome, note=(mark.note or "").strip() or None)
            for photo in _photos(mark, stored):
                observation.photos.append(photo)
            patrol.observations.append(observation)
    except PatrolError:
        for path in stored:
            uploads.remove(PHOTOS, path)
        raise
    db.session.add(patrol)
    db.session.flush()
    record(user.id, "patrol.recorded", patrol, school=school.id, on=on.isoformat(),
           observed=len(marks), not_held=sum(m.outcome == "not_held" for m in marks))
    from .findings import flag_discrepancies
    flag_discrepancies(patrol.county_id)
    return patrol


def _photos(mark: Mark, stored: list[str]) -> list[PatrolPhoto]:
    """Store the mark's photos (each typed by its content), noting each stored name in
    `stored` so that a later refusal removes them all."""
    files = [f for f in mark.photos if f is not None and getattr(f, "filename", "")]
    if len(files) > MAX_PHOTOS:
        raise PatrolError(_l("At most %(n)d photos per lesson.", n=MAX_PHOTOS),
                          f"photo-{mark.key}")
    found = []
    for upload in files:
        try:
            columns = uploads.store(upload, PHOTOS, uploads.PHOTO_TYPES, _l(
                "%(name)s is not a photo: only JPEG, PNG, HEIC or WebP images, by their "
                "content.", name=upload.filename))
        except uploads.UploadError as error:
            raise PatrolError(error.args[0], f"photo-{mark.key}") from error
        stored.append(columns["file_path"])
        found.append(PatrolPhoto(**columns))
    return found


def photo_file(photo: PatrolPhoto):
    return uploads.path_of(PHOTOS, photo.file_path)
