"""Verified training hours per teacher and 5-year window, kept by database triggers.

training_completion sums each teacher's verified hours over the window W..Z of school year
Y (1 September Y-4 to 31 August Y+1). Summed at read time, a province roll-up aggregated
1.3 million rows per request; this table holds the sum of every (Y, teacher) instead, so
the indicator reads one row per teacher.

Triggers on training_records keep it on every write, whatever writes (the ORM, bulk INSERTs
of imports and the demo, COPY, hand-written SQL). A record of school year s counts in the
windows of Y = s .. s+4. An insert adds its hours to those five sums (a bulk load must not
re-read the table per row); an update or a delete recomputes the touched windows from
training_records itself, so no sum drifts by subtracting what was once added. PostgreSQL
does it once per statement from its transition tables; SQLite once per row, except for a
record that is only verified, whose hours are added as an insert's are.
"""
from sqlalchemy import DDL, ForeignKey, event
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

WINDOW_YEARS = 5


class TrainingHours(db.Model):
    """Verified hours of one teacher dated in the training window of school year `year`."""
    __tablename__ = "training_hours"

    # The key leads with the year: a county looks its teachers up in it, a province reads the
    # year's range; and the triggers recompute by (year, teacher).
    year: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teachers.id", ondelete="CASCADE"),
                                            primary_key=True)
    hours: Mapped[float]


def _school_year(date_sql: str, dialect: str) -> str:
    """The school year (its first calendar year) of a date column, as SQL."""
    if dialect == "postgresql":
        return (f"(EXTRACT(YEAR FROM {date_sql})::int"
                f" - CASE WHEN EXTRACT(MONTH FROM {date_sql}) < 9 THEN 1 ELSE 0 END)")
    return (f"(CAST(substr({date_sql}, 1, 4) AS INTEGER)"
            f" - (CAST(substr({date_sql}, 6, 2) AS INTEGER) < 9))")


_OFFSETS = " UNION ALL ".join(f"SELECT {k} AS k" for k in range(WINDOW_YEARS))


def rebuild_sql(dialect: str) -> list[str]:
    """Statements that recompute the whole table from training_records (the migration's
    backfill, and a repair should anyone ever disable the triggers)."""
    year = _school_year("r.date", dialect)
    return ["DELETE FROM training_hours",
            f"INSERT INTO training_hours (year, teacher_id, hours) "
            f"SELECT {year} + o.k, r.teacher_id, SUM(r.hours) "
            f"FROM training_records r CROSS JOIN ({_OFFSETS}) o "
            f"WHERE r.verified GROUP BY {year} + o.k, r.teacher_id"]


# -- PostgreSQL: one statement-level trigger per event, on its transition tables ------------

def _pg_refresh(changed: str) -> str:
    """The body that recomputes the windows touched by the rows of `changed` (SQL)."""
    keys = (f"SELECT DISTINCT c.teacher_id, {_school_year('c.date', 'postgresql')} + o.k AS year "
            f"FROM ({changed}) c CROSS JOIN generate_series(0, {WINDOW_YEARS - 1}) AS o(k)")
    return f"""
  DELETE FROM training_hours h USING ({keys}) keys
   WHERE h.teacher_id = keys.teacher_id AND h.year = keys.year;
  INSERT INTO training_hours (year, teacher_id, hours)
  SELECT keys.year, keys.teacher_id, SUM(r.hours)
    FROM ({keys}) keys JOIN training_records r ON r.teacher_id = keys.teacher_id
     AND r.verified AND r.date BETWEEN make_date(keys.year - {WINDOW_YEARS - 1}, 9, 1)
                                   AND make_date(keys.year + 1, 8, 31)
   GROUP BY keys.year, keys.teacher_id;
  RETURN NULL;"""


def _pg_add() -> str:
    year = _school_year("n.date", "postgresql")
    return f"""
  INSERT INTO training_hours (year, teacher_id, hours)
  SELECT {year} + o.k, n.teacher_id, SUM(n.hours)
    FROM new_rows n CROSS JOIN generate_series(0, {WINDOW_YEARS - 1}) AS o(k)
   WHERE n.verified GROUP BY {year} + o.k, n.teacher_id
  ON CONFLICT (year, teacher_id) DO UPDATE SET hours = training_hours.hours + EXCLUDED.hours;
  RETURN NULL;"""


_PG_EVENTS = {  # event: (transition tables, the changed rows; None: the added ones)
    "insert": ("NEW TABLE AS new_rows", None),
    "delete": ("OLD TABLE AS old_rows", "SELECT teacher_id, date FROM old_rows"),
    "update": ("NEW TABLE AS new_rows OLD TABLE AS old_rows",
               "SELECT teacher_id, date FROM new_rows UNION SELECT teacher_id, date FROM old_rows"),
}


def postgresql_ddl() -> list[str]:
    statements = []
    for event_name, (tables, changed) in _PG_EVENTS.items():
        function = f"training_hours_after_{event_name}"
        statements += [
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN{_pg_refresh(changed) if changed else _pg_add()}\nEND $$",
            f"DROP TRIGGER IF EXISTS {function} ON training_records",
            f"CREATE TRIGGER {function} AFTER {event_name.upper()} ON training_records "
            f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"]
    statements += [
        "CREATE OR REPLACE FUNCTION training_hours_after_truncate() RETURNS trigger "
        "LANGUAGE plpgsql AS $$\nBEGIN\n  DELETE FROM training_hours;\n  RETURN NULL;\nEND $$",
        "DROP TRIGGER IF EXISTS training_hours_after_truncate ON training_records",
        "CREATE TRIGGER training_hours_after_truncate AFTER TRUNCATE ON training_records "
        "FOR EACH STATEMENT EXECUTE FUNCTION training_hours_after_truncate()"]
    return statements


def postgresql_drop_ddl() -> list[str]:
    return ([f"DROP TRIGGER IF EXISTS training_hours_after_{e} ON training_records"
             for e in (*_PG_EVENTS, "truncate")]
            + [f"DROP FUNCTION IF EXISTS training_hours_after_{e}()"
               for e in (*_PG_EVENTS, "truncate")])


# -- SQLite: row-level triggers ------------------------------------------------------------

def _sqlite_refresh(row: str) -> str:
    """Recompute the five windows of one row's school year (`row` is NEW or OLD)."""
    first = _school_year(f"{row}.date", "sqlite")
    year = _school_year("r.date", "sqlite")
    return f"""
  DELETE FROM training_hours WHERE teacher_id = {row}.teacher_id
     AND year BETWEEN {first} AND {first} + {WINDOW_YEARS - 1};
  INSERT INTO training_hours (year, teacher_id, hours)
  SELECT {year} + o.k, r.teacher_id, SUM(r.hours)
    FROM training_records r CROSS JOIN ({_OFFSETS}) o
   WHERE r.teacher_id = {row}.teacher_id AND r.verified
     AND {year} + o.k BETWEEN {first} AND {first} + {WINDOW_YEARS - 1}
   GROUP BY {year} + o.k, r.teacher_id;"""


def _sqlite_add() -> str:
    first = _school_year("NEW.date", "sqlite")
    return f"""
  INSERT INTO training_hours (year, teacher_id, hours)
  SELECT {first} + o.k, NEW.teacher_id, NEW.hours FROM ({_OFFSETS}) o WHERE NEW.verified
  ON CONFLICT (year, teacher_id) DO UPDATE SET hours = hours + excluded.hours;"""


# A row whose verification is all that changed (false to true, same teacher, date and hours)
# only adds its hours, as an insert does: a bulk verification of thousands of records must
# not recompute five windows per row. Any other change of what counts recomputes; a change of
# nothing that counts (a rejection, a certificate) fires nothing.
_SQLITE_VERIFIED_ONLY = ("NEW.verified AND NOT OLD.verified AND NEW.teacher_id = OLD.teacher_id"
                         " AND NEW.date = OLD.date AND NEW.hours = OLD.hours")
_SQLITE_COUNTS_CHANGED = ("(NEW.verified IS NOT OLD.verified OR NEW.teacher_id IS NOT "
                          "OLD.teacher_id OR NEW.date IS NOT OLD.date OR NEW.hours IS NOT "
                          "OLD.hours)")


def sqlite_ddl() -> list[str]:
    triggers = {
        "insert": ("INSERT", "", _sqlite_add()),
        "delete": ("DELETE", "", _sqlite_refresh("OLD")),
        "update": ("UPDATE", f" WHEN {_SQLITE_COUNTS_CHANGED} AND NOT ({_SQLITE_VERIFIED_ONLY})",
                   _sqlite_refresh("OLD") + _sqlite_refresh("NEW")),
        "verify": ("UPDATE OF verified", f" WHEN {_SQLITE_VERIFIED_ONLY}", _sqlite_add()),
    }
    statements = []
    for event_name, (on, when, body) in triggers.items():
        name = f"training_hours_after_{event_name}"
        statements += [f"DROP TRIGGER IF EXISTS {name}",
                       f"CREATE TRIGGER {name} AFTER {on} ON training_records "
                       f"FOR EACH ROW{when} BEGIN{body}\nEND"]
    return statements


def sqlite_drop_ddl() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS training_hours_after_{e}"
            for e in ("insert", "delete", "update", "verify")]


def trigger_ddl(dialect: str) -> list[str]:
    return postgresql_ddl() if dialect == "postgresql" else sqlite_ddl()


# create_all (tests, a new database) makes the triggers once every table exists.
for _statement in postgresql_ddl():
    event.listen(db.metadata, "after_create", DDL(_statement).execute_if(dialect="postgresql"))
for _statement in sqlite_ddl():
    event.listen(db.metadata, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
