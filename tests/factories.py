"""Factories of domain objects with sensible defaults; tests override what they test."""
import functools
from datetime import date
from itertools import count

from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from webapp.models import (County, EducationGroup, Exchange, GroupMembership, MentorPair,
                           Pairing, School, SchoolYearStats, Teacher, TrainingRecord, User)

_serial = count(1)


class Factory:
    def __init__(self, session: Session):
        self.session = session

    def _add(self, obj):
        self.session.add(obj)
        self.session.flush()
        return obj

    def county(self, **kw):
        n = next(_serial)
        kw.setdefault("code", f"{500000 + n % 100000:06d}")
        kw.setdefault("name", f"测试县{n}")
        return self._add(County(**kw))

    def school(self, county=None, **kw):
        n = next(_serial)
        county = county or self.county()
        kw.setdefault("code", f"{county.code}{n % 10000:04d}")
        kw.setdefault("name", f"测试学校{n}")
        kw.setdefault("stage", "primary")
        kw.setdefault("locale", "urban")
        return self._add(School(county=county, **kw))

    def stats(self, school, year=2025, primary=0, junior=0):
        return self._add(SchoolYearStats(school=school, year=year, primary_students=primary,
                                         junior_students=junior))

    def teacher(self, school=None, **kw):
        n = next(_serial)
        kw.setdefault("staff_no", f"T{n:07d}")
        kw.setdefault("name", f"教师{n}")
        kw.setdefault("section", "primary")
        kw.setdefault("subject", "chinese")
        kw.setdefault("joined_school_on", date(2015, 9, 1))
        kw.setdefault("started_teaching_on", date(2010, 9, 1))
        return self._add(Teacher(school=school or self.school(), **kw))

    def group(self, county=None, schools=(), joined_on=date(2020, 9, 1), **kw):
        n = next(_serial)
        county = county or self.county()
        kw.setdefault("code", f"G{n:05d}")
        kw.setdefault("name", f"测试集团{n}")
        group = self._add(EducationGroup(county=county, **kw))
        for school in schools:
            self.membership(group, school, joined_on=joined_on)
        return group

    def membership(self, group, school, joined_on=date(2020, 9, 1), left_on=None):
        return self._add(GroupMembership(group=group, school=school, joined_on=joined_on,
                                         left_on=left_on))

    def pairing(self, helper, helped, start_date=date(2020, 9, 1), end_date=None):
        return self._add(Pairing(helper_school=helper, helped_school=helped,
                                 start_date=start_date, end_date=end_date))

    def exchange(self, teacher, to_school=None, **kw):
        kw.setdefault("kind", "rotation")
        kw.setdefault("start_date", date(2025, 9, 1))
        kw.setdefault("status", "approved")
        return self._add(Exchange(teacher=teacher, from_school=kw.pop("from_school", teacher.school),
                                  to_school=to_school, **kw))

    def mentorship(self, mentor, mentee, start_date=date(2025, 9, 1), end_date=None):
        return self._add(MentorPair(mentor=mentor, mentee=mentee, start_date=start_date,
                                    end_date=end_date))

    def training(self, teacher, on=date(2025, 10, 1), hours=8, verified=True, **kw):
        kw.setdefault("title", f"研修{next(_serial)}")
        return self._add(TrainingRecord(teacher=teacher, date=on, hours=hours, verified=verified,
                                        **kw))

    def user(self, role="admin", password="secret", **kw):
        n = next(_serial)
        kw.setdefault("username", f"{role}{n}")
        kw.setdefault("display_name", kw["username"])
        user = User(role=role, **kw)
        user.password_hash = _cheap_hash(password)
        return self._add(user)


@functools.cache
def _cheap_hash(password: str) -> str:
    # The default scrypt costs a tenth of a second per account; tests make thousands.
    return generate_password_hash(password, method="pbkdf2:sha256:1000")
