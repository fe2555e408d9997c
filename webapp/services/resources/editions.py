"""The textbook editions in use in a county (统编版, 人教版, 北师大版, 西南大学版 ...): a county
setting the bureau keeps, in the order the resource form offers them. Removing an edition
takes it off the form; resources and chapters that name it keep their text."""
from sqlalchemy import func, select

from ...extensions import db
from ...models.resources import TextbookEdition
from .. import audit
from ..messages import N_, english

MAX_LENGTH = 50


class EditionError(Exception):
    """A refused change; msgid and params give the message in the reader's language."""

    def __init__(self, msgid: str, /, **params):
        super().__init__(english(msgid, params))
        self.msgid, self.params = msgid, params


def editions(county_id: int | None) -> list[TextbookEdition]:
    if county_id is None:
        return []
    return list(db.session.scalars(select(TextbookEdition)
                                   .where(TextbookEdition.county_id == county_id)
                                   .order_by(TextbookEdition.position, TextbookEdition.id)))


def edition_names(county_id: int | None) -> list[str]:
    return [edition.name for edition in editions(county_id)]


def clean_name(name: str) -> str:
    """The name as stored: trimmed, inner runs of spaces made one; refused when empty, too
    long or holding a character that is not printable."""
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise EditionError(N_("Name: enter the edition's name, e.g. 人教版."))
    if len(cleaned) > MAX_LENGTH:
        raise EditionError(N_("Name: at most %(length)s characters."), length=MAX_LENGTH)
    if not cleaned.isprintable() or any(ch in cleaned for ch in ",/"):
        raise EditionError(N_("Name: no commas, slashes or control characters."))
    return cleaned


def add_edition(county_id: int, name: str, user) -> TextbookEdition:
    """Append an edition to the county's list; a name already there (any case) is refused."""
    cleaned = clean_name(name)
    taken = db.session.scalar(select(TextbookEdition.id).where(
        TextbookEdition.county_id == county_id,
        func.lower(TextbookEdition.name) == cleaned.lower()))
    if taken is not None:
        raise EditionError(N_("Name: %(name)s is already in the list."), name=cleaned)
    last = db.session.scalar(select(func.max(TextbookEdition.position))
                             .where(TextbookEdition.county_id == county_id))
    edition = TextbookEdition(county_id=county_id, name=cleaned,
                              position=0 if last is None else last + 1)
    db.session.add(edition)
    db.session.flush()
    audit.record(user.id, "edition_added", edition, name=cleaned)
    return edition


def remove_edition(edition: TextbookEdition, user) -> None:
    audit.record(user.id, "edition_removed", edition, name=edition.name)
    db.session.delete(edition)
    db.session.flush()
    _renumber(edition.county_id)


def move_edition(edition: TextbookEdition, step: int, user) -> None:
    """Move one place up (step -1) or down (+1); at either end nothing changes."""
    ordered = editions(edition.county_id)
    index = ordered.index(edition)
    target = index + step
    if step not in (-1, 1) or not 0 <= target < len(ordered):
        return
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, item in enumerate(ordered):
        item.position = position
    db.session.flush()
    audit.record(user.id, "edition_moved", edition, position=target)


def _renumber(county_id: int) -> None:
    for position, item in enumerate(editions(county_id)):
        item.position = position
    db.session.flush()
