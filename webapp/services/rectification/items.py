"""The life of a rectification item: 待整改 → 整改中 → 已提交 → 已销号, or back to 整改中.

Every change is audited. Closing needs evidence attached to the item's log and is the
bureau's (or, for an item a group raised, that group's); the policy says who, this module
refuses what the state does not allow whoever asks.
"""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...extensions import db
from ...models import School, User
from ...models.audit import utcnow
from ...models.rectification import RectificationItem, RectificationStep
from .. import uploads
from ..audit import record
from ..messages import N_
from ..notifications import bureau_users, notify, school_users

FILES = "rectification-evidence"
# Which state each move leaves from, and where it goes.
MOVES = {"start": ({"pending"}, "in_progress"),
         "submit": ({"in_progress"}, "submitted"),
         "return": ({"submitted"}, "in_progress"),
         "close": ({"submitted"}, "closed")}


class RectificationError(ValueError):
    """The change is refused; the message names the field or the reason."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


def create(user: User, *, county_id: int, title: str, problem: str, responsible: str,
           deadline: date | None, evidence_required: str, schools: list[School] = (),
           group_id: int | None = None, source: str = "manual", today: date | None = None,
           **origin) -> RectificationItem:
    """List (挂牌) an item for `schools` (none: the county or group level). `origin` carries
    indicator_key/value/threshold, evidence_link or observation_id when the item comes from an
    indicator or a patrol."""
    today = today or date.today()
    schools = _checked(county_id, title, problem, responsible, evidence_required, schools)
    if deadline is None:
        raise RectificationError(_l("Give a deadline."), "deadline")
    if deadline < today:
        raise RectificationError(_l("The deadline cannot be in the past."), "deadline")
    item = RectificationItem(
        county_id=county_id, group_id=group_id, schools=schools,
        title=title.strip()[:200], problem=problem.strip(), responsible=responsible.strip()[:100],
        deadline=deadline, evidence_required=evidence_required.strip(), source=source,
        raised_by_role=user.role if user.role in ("bureau", "group") else "bureau",
        raised_by_id=user.id, **origin)
    db.session.add(item)
    db.session.flush()
    record(user.id, "rectification.created", item, source=source,
           schools=sorted(item.school_ids), deadline=deadline.isoformat())
    if item.schools:
        notify(users_of_schools(item), N_("A rectification item was listed: %(title)s."),
               {"title": item.title}, link=f"/rectification/{item.id}",
               key=f"rectification-{item.id}-listed")
    return item


def _checked(county_id: int, title: str, problem: str, responsible: str,
             evidence_required: str, schools) -> list[School]:
    """Refuse an empty field or a school of another county; the schools, each once."""
    for value, field, message in ((title, "title", _l("Say what is wrong.")),
                                  (problem, "problem", _l("Describe the problem.")),
                                  (responsible, "responsible", _l("Name the responsible person.")),
                                  (evidence_required, "evidence_required",
                                   _l("Say what evidence closes the item."))):
        if not (value or "").strip():
            raise RectificationError(message, field)
    schools = list({school.id: school for school in schools}.values())
    if any(school.county_id != county_id for school in schools):
        raise RectificationError(_l("The school is not in this county."), "schools")
    return schools


def update(item: RectificationItem, user: User, *, title: str, problem: str, responsible: str,
           deadline: date | None, evidence_required: str, schools: list[School],
           today: date | None = None) -> RectificationItem:
    """Change what an open item says and which schools it names (audited; the schools newly
    named are told). A deadline already past may stay, but a new one cannot be in the past."""
    today = today or date.today()
    if item.status == "closed":
        raise RectificationError(_l("A closed item cannot be changed."))
    schools = _checked(item.county_id, title, problem, responsible, evidence_required, schools)
    if deadline is None:
        raise RectificationError(_l("Give a deadline."), "deadline")
    if deadline != item.deadline and deadline < today:
        raise RectificationError(_l("The deadline cannot be in the past."), "deadline")
    before = {"title": item.title, "responsible": item.responsible,
              "deadline": item.deadline.isoformat(), "schools": sorted(item.school_ids)}
    added = [school for school in schools if school.id not in item.school_ids]
    item.title, item.problem = title.strip()[:200], problem.strip()
    item.responsible, item.deadline = responsible.strip()[:100], deadline
    item.evidence_required, item.schools = evidence_required.strip(), schools
    db.session.flush()
    after = {"title": item.title, "responsible": item.responsible,
             "deadline": item.deadline.isoformat(), "schools": sorted(item.school_ids)}
    record(user.id, "rectification.edited", item,
           **{key: [before[key], after[key]] for key in before if before[key] != after[key]})
    for school in added:
        notify(school_users(school.id), N_("A rectification item was listed: %(title)s."),
               {"title": item.title}, link=f"/rectification/{item.id}",
               key=f"rectification-{item.id}-listed-{school.id}")
    return item


def users_of_schools(item: RectificationItem) -> list[User]:
    """The administrators of every school the item names, each once."""
    found = {}
    for school in item.schools:
        found.update((user.id, user) for user in school_users(school.id))
    return list(found.values())


def add_step(item: RectificationItem, user: User, note: str, upload=None,
             kind: str = "step") -> RectificationStep:
    """Log a step taken (with an optional evidence file); nothing is kept if the file is refused."""
    if item.status == "closed":
        raise RectificationError(_l("A closed item takes no more steps."))
    if not (note or "").strip() and not (upload is not None and upload.filename):
        raise RectificationError(_l("Describe the step or attach a file."), "note")
    step = RectificationStep(kind=kind, note=(note or "").strip() or None, user_id=user.id)
    if upload is not None and upload.filename:
        try:
            for column, value in uploads.store(upload, FILES).items():
                setattr(step, column, value)
        except uploads.UploadError as error:
            raise RectificationError(error.args[0], "file") from error
    item.steps.append(step)
    if item.status == "pending" and kind == "step":
        item.status = "in_progress"   # a step taken means work has started
    db.session.flush()
    record(user.id, "rectification.step", item, step=step.id, file=step.file_name)
    return step


def has_evidence(item: RectificationItem) -> bool:
    return any(step.file_path for step in item.steps)


def move(item: RectificationItem, user: User, action: str, reason: str = "") -> RectificationItem:
    """Start, submit, return (with a reason) or close (with evidence) the item."""
    if action not in MOVES:
        raise RectificationError(_l("Unknown action."))
    sources, target = MOVES[action]
    if item.status not in sources:
        raise RectificationError(_l("The item cannot do that in its present state."))
    if action == "return" and not reason.strip():
        raise RectificationError(_l("Say why the item goes back."), "reason")
    if action in ("submit", "close") and not has_evidence(item):
        raise RectificationError(_l("Attach evidence to the log before submitting or closing."),
                                 "file")
    before = item.status
    item.status = target
    if action == "close":
        item.closed_at, item.closed_by_id = utcnow(), user.id
    item.steps.append(RectificationStep(kind=action, note=reason.strip() or None,
                                        user_id=user.id))
    db.session.flush()
    record(user.id, f"rectification.{action}", item, before=before, after=target,
           reason=reason.strip() or None)
    if action == "submit":
        notify(bureau_users(item.county_id), N_("A rectification item was submitted for "
                                                "closing: %(title)s."),
               {"title": item.title}, link=f"/rectification/{item.id}")
    elif action in ("return", "close") and item.schools:
        notify(users_of_schools(item),
               N_("A rectification item was returned: %(title)s.") if action == "return"
               else N_("A rectification item was closed: %(title)s."),
               {"title": item.title}, link=f"/rectification/{item.id}")
    return item


def step_file(step: RectificationStep):
    return uploads.path_of(FILES, step.file_path)


def items_of_school(school_id: int) -> list[RectificationItem]:
    return list(db.session.scalars(select(RectificationItem).where(
        RectificationItem.schools.any(School.id == school_id)).order_by(
        RectificationItem.status == "closed", RectificationItem.deadline)))
