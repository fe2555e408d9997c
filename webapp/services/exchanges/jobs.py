"""The exchange jobs (webapp/jobs.py runs them): status roll-over by dates, the yearly list of
teachers reaching the rotation threshold, and ratio alerts to the bureau.

Each is idempotent: a second run on the same day changes nothing and tells nobody again
(notifications carry a key).
"""
from datetime import date

from sqlalchemy import func, select

from ...extensions import db
from ...models import County, Exchange, School, Teacher
from . import eligibility
from .workflow import complete, start
from ..indicators import compute_indicators
from ..messages import N_
from ..notifications import bureau_users, notify, school_users


def roll_over_statuses(today: date) -> dict:
    """Approved exchanges whose start date has come are under way; those under way whose end
    date has passed are completed (an approved one already over goes through both)."""
    started = list(db.session.scalars(
        select(Exchange).where(Exchange.status == "approved", Exchange.start_date <= today)
        .order_by(Exchange.id)))
    for exchange in started:
        start(exchange)
    finished = list(db.session.scalars(
        select(Exchange).where(Exchange.status == "active", Exchange.end_date.is_not(None),
                               Exchange.end_date < today)
        .order_by(Exchange.id)))
    for exchange in finished:
        complete(exchange)
    db.session.flush()
    return {"started": len(started), "completed": len(finished)}


ELIGIBLE_SCHOOL = N_("%(count)s teacher(s) of %(school)s reach %(years)s years at the school "
                     "by 1 September %(year)s and are due for rotation.")
ELIGIBLE_COUNTY = N_("%(count)s teacher(s) in %(county)s reach %(years)s years at their school "
                     "by 1 September %(year)s and are due for rotation (%(schools)s school(s)).")


def eligibility_list(today: date) -> dict:
    """Tell each school, and each county's bureau, who reaches the rotation threshold in the
    coming school year (the one starting next 1 September, or today if it is 1 September)."""
    year = today.year if today < date(today.year, 9, 2) else today.year + 1
    told = schools_told = 0
    for county in db.session.scalars(select(County).order_by(County.id)):
        teachers = list(db.session.scalars(eligibility.reaching_threshold(county, year)))
        if not teachers:
            continue
        by_school: dict[int, int] = {}
        for teacher in teachers:
            by_school[teacher.school_id] = by_school.get(teacher.school_id, 0) + 1
        for school_id, count in sorted(by_school.items()):
            school = db.session.get(School, school_id)
            told += notify(school_users(school_id), ELIGIBLE_SCHOOL,
                           {"count": count, "school": school.name, "year": year,
                            "years": county.exchange_years},
                           link=f"/exchanges/eligible?school={school_id}&year={year}",
                           key=f"exchange-eligible:{school_id}:{year}")
            schools_told += 1
        told += notify(bureau_users(county.id), ELIGIBLE_COUNTY,
                       {"count": len(teachers), "county": county.name, "year": year,
                        "years": county.exchange_years, "schools": len(by_school)},
                       link=f"/exchanges/eligible?year={year}",
                       key=f"exchange-eligible-county:{county.id}:{year}")
    return {"year": year, "schools": schools_told, "notified": told}


RATIO_ALERT = N_("Exchange ratio of %(county)s for %(year)s is %(value)s, under the standard of "
                 "%(threshold)s (%(numerator)s of %(denominator)s eligible teachers exchanged).")
SHARE_ALERT = N_("Backbone share of %(county)s's exchanges for %(year)s is %(value)s, under "
                 "the standard of %(threshold)s (%(numerator)s of %(denominator)s exchanged "
                 "teachers are backbone teachers).")


def alert_day(county: County, year: int) -> date:
    """The day of school year `year` from which the county's alerts fire."""
    month, day = (int(part) for part in county.exchange_alert_from.split("-"))
    calendar_year = year if (month, day) >= (9, 1) else year + 1
    try:
        return date(calendar_year, month, day)
    except ValueError:  # 02-29 in a common year
        return date(calendar_year, 3, 1)


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def ratio_alerts(today: date) -> dict:
    """Alert each county's bureau users, once a month from the county's alert day on, while
    the year's exchange ratio is under 10 % or the backbone share under 20 %. The figures are
    the indicator engine's own, so the alert and the dashboard never disagree."""
    year = eligibility.school_year_of(today)
    alerts = notified = 0
    for county in db.session.scalars(select(County).order_by(County.id)):
        if today < alert_day(county, year) or not _has_teachers(county):
            continue
        figures = compute_indicators(county.code, year)["indicators"]
        for indicator, message in (("exchange_ratio", RATIO_ALERT),
                                   ("backbone_exchange_share", SHARE_ALERT)):
            figure = figures[indicator]
            if figure["value"] is None or figure["pass"]:
                continue
            alerts += 1
            notified += notify(
                bureau_users(county.id), message,
                {"county": county.name, "year": f"{year}–{year + 1}",
                 "value": _percent(figure["value"]), "threshold": _percent(figure["threshold"]),
                 "numerator": figure["numerator"], "denominator": figure["denominator"]},
                link=f"/indicators/planner?year={year}",
                key=f"exchange-alert:{county.id}:{year}:{indicator}:{today:%Y-%m}")
    return {"year": year, "alerts": alerts, "notified": notified}


def _has_teachers(county: County) -> bool:
    return db.session.scalar(select(func.count(Teacher.id)).join(School)
                             .where(School.county_id == county.id)) > 0
