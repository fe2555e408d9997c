"""Travel minutes between schools, as entered or imported (symmetric; same school is 0)."""
from sqlalchemy import select

from ...extensions import db
from ...models.itinerant import TravelTime


def minutes_between(school_id: int, other_id: int) -> int | None:
    """Minutes from one school to the other, or None when the pair is not known."""
    if school_id == other_id:
        return 0
    a, b = sorted((school_id, other_id))
    return db.session.scalar(select(TravelTime.minutes).where(
        TravelTime.school_a_id == a, TravelTime.school_b_id == b))


def minutes_from(school_id: int) -> dict[int, int]:
    """Every known travel time from this school: {other school id: minutes}."""
    rows = db.session.execute(select(TravelTime.school_a_id, TravelTime.school_b_id,
                                     TravelTime.minutes).where(
        (TravelTime.school_a_id == school_id) | (TravelTime.school_b_id == school_id)))
    return {(b if a == school_id else a): minutes for a, b, minutes in rows}
