"""What teachers do with a resource: favourite it, rate and comment on it, use it in class."""
from datetime import date

from flask_babel import lazy_gettext as _
from sqlalchemy import func, select

from ...extensions import db
from ...models import User
from ...models.classes import ExchangeClass
from ...models.resources import Resource, ResourceFavourite, ResourceRating, ResourceUse
from ...policy import home_school_id
from .. import audit


class EngagementError(ValueError):
    """Refused, with the field and the reason in the message."""


def is_favourite(user: User, resource: Resource) -> bool:
    return db.session.scalar(select(ResourceFavourite.id).where(
        ResourceFavourite.resource_id == resource.id,
        ResourceFavourite.user_id == user.id)) is not None


def toggle_favourite(user: User, resource: Resource) -> bool:
    """Add or remove the favourite; returns whether it is now a favourite."""
    found = db.session.scalar(select(ResourceFavourite).where(
        ResourceFavourite.resource_id == resource.id, ResourceFavourite.user_id == user.id))
    if found:
        db.session.delete(found)
        resource.favourites = max(resource.favourites - 1, 0)
    else:
        db.session.add(ResourceFavourite(resource_id=resource.id, user_id=user.id))
        resource.favourites += 1
    audit.record(user.id, "resource_favourite" if not found else "resource_unfavourite", resource)
    return not found


def rate(user: User, resource: Resource, stars: int, comment: str | None) -> ResourceRating:
    """One rating per person: a second one replaces the first."""
    if not 1 <= stars <= 5:
        raise EngagementError(_("Stars: choose from 1 to 5."))
    rating = db.session.scalar(select(ResourceRating).where(
        ResourceRating.resource_id == resource.id, ResourceRating.user_id == user.id))
    if rating is None:
        rating = ResourceRating(resource_id=resource.id, user_id=user.id, stars=stars)
        db.session.add(rating)
    rating.stars, rating.comment = stars, (comment or "").strip() or None
    db.session.flush()
    total, count = db.session.execute(select(
        func.coalesce(func.sum(ResourceRating.stars), 0), func.count())
        .where(ResourceRating.resource_id == resource.id)).one()
    resource.rating_sum, resource.rating_count = int(total), int(count)
    audit.record(user.id, "resource_rated", resource, stars=stars)
    return rating


def ratings(resource: Resource) -> list[ResourceRating]:
    return list(db.session.scalars(select(ResourceRating).where(
        ResourceRating.resource_id == resource.id).order_by(ResourceRating.created_at.desc())
        .limit(100)))


def record_use(user: User, resource: Resource, used_on: date, note: str | None = None,
               exchange_class_id: int | None = None,
               lesson_event_id: int | None = None) -> ResourceUse:
    """我在课堂上用了: counted for the user's school (use beyond the author's school shows)."""
    if used_on > date.today():
        raise EngagementError(_("Date: a use cannot be recorded before it happens."))
    if exchange_class_id is not None and db.session.get(ExchangeClass, exchange_class_id) is None:
        raise EngagementError(_("Exchange class: there is no class with this number."))
    use = ResourceUse(resource_id=resource.id, user_id=user.id, teacher_id=user.teacher_id,
                      school_id=home_school_id(user), used_on=used_on, note=note or None,
                      exchange_class_id=exchange_class_id, lesson_event_id=lesson_event_id)
    db.session.add(use)
    resource.uses += 1
    audit.record(user.id, "resource_used", resource, used_on=used_on.isoformat())
    return use
