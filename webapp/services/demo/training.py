"""Demo training records: each teacher's hours over the five-year window, mostly verified."""
from datetime import date, timedelta

from . import data
from .plan import DemoTeacher


class TrainingPlanning:
    """Training hours of every teacher, year by year (the _Planner's step)."""

    def _training(self) -> None:
        """Five years of training records: most teachers short of 360 hours, some past it."""
        grouped = {m["school"] for m in self.plan.memberships}
        for teacher in self.plan.teachers:
            diligence = 0.15 if self.rng.random() < 0.05 else self.rng.gauss(0.95, 0.3)
            diligence = min(max(diligence, 0.2), 1.8)
            weights = self._training_weights(teacher, teacher.school in grouped)
            taken: set[tuple[date, str]] = set()
            for year in range(self.year - 5, self.year + 1):
                first = max(date(year, 9, 1), teacher.started_teaching_on)
                last = min(date(year + 1, 8, 31), self.today,
                           (teacher.left_on or self.today) - timedelta(days=1))
                if last < first:
                    continue
                target = 72 * diligence * ((last - first).days + 1) / 365
                self._training_year(teacher, first, last, target, weights, taken)

    def _training_weights(self, teacher: DemoTeacher, grouped: bool) -> dict[str, float]:
        weights = {category: spec[0] for category, spec in data.TRAINING.items()}
        weights["group"] *= grouped
        if teacher.locale == "rural":
            weights["national"] *= 2  # 国培 is aimed at rural teachers
        if teacher.experience(date(self.last, 9, 1)) > 5 and not teacher.is_backbone:
            weights["mentoring"] = 0
        return weights

    def _training_year(self, teacher: DemoTeacher, first: date, last: date, target: float,
                       weights: dict[str, float], taken: set) -> None:
        rng, subject = self.rng, data.SUBJECT_NAMES[teacher.subject]
        categories, shares = list(weights), list(weights.values())
        hours_so_far = 0.0
        while hours_so_far < target:
            category = rng.choices(categories, shares)[0]
            _, low, high, titles = data.TRAINING[category]
            step = 8 if high >= 40 else 4 if high >= 20 else 1
            hours = low + rng.randrange(0, high - low + 1, step)
            day = self._between(first, last)
            title = rng.choice(titles).format(y=day.year, s=subject)
            if (day, title) in taken:
                continue
            taken.add((day, title))
            recent = (self.today - day).days < 60
            self.plan.training.append({
                "teacher": teacher.staff_no, "date": day, "title": title, "category": category,
                "hours": float(hours), "verified": rng.random() < (0.35 if recent else 0.96)})
            hours_so_far += hours
