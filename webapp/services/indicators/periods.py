"""The dates of one school year that CONTRACT §3 counts from (R, Z, W and the cut-offs)."""
from dataclasses import dataclass
from datetime import date, timedelta


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier (29 February falls back to the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class SchoolYear:
    """School year Y: R = Y-09-01 (reference date), Z = (Y+1)-08-31 (year end)."""
    year: int

    @property
    def reference(self) -> date:
        return date(self.year, 9, 1)

    @property
    def end(self) -> date:
        return date(self.year + 1, 8, 31)

    @property
    def after_end(self) -> date:
        """Z plus one day: the day training requirements are measured to."""
        return self.end + timedelta(days=1)

    @property
    def training_start(self) -> date:
        """W = Z minus 5 years plus 1 day: the first day of the 5-year training window."""
        return years_before(self.end, 5) + timedelta(days=1)

    def exchange_cutoff(self, exchange_years: int) -> date:
        """Teachers who joined their school on or before this day have served long enough."""
        return years_before(self.reference, exchange_years)

    @property
    def new_teacher_cutoff(self) -> date:
        """Teachers who started teaching after this day (R minus 3 years) are new teachers."""
        return years_before(self.reference, 3)

    def anniversaries(self, years: int) -> list[date]:
        """Z+1 minus k years for k = 1..years: starting on or before the k-th one means
        at least k whole years of service by Z+1."""
        return [years_before(self.after_end, k) for k in range(1, years + 1)]
