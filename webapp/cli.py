"""The flask commands of CONTRACT §1: each parses its arguments and calls a service."""
import json
import sys
from pathlib import Path

import click
from flask import Flask


def register_commands(app: Flask) -> None:
    from .backup import backup, restore

    for command in (demo, import_data, indicators, ics, solve_itinerant, scheduler, snapshot,
                    backup, restore):
        app.cli.add_command(command)


@click.command("demo")
@click.option("--seed", default=2025, show_default=True, help="Random seed of the generated county.")
def demo(seed: int) -> None:
    """Fill an empty database with a demo county, users and a year of activity."""
    from .services.demo import database_is_empty, seed_demo

    if not database_is_empty():
        click.echo("The database already holds data; the demo county is only seeded into an empty one.")
        return
    result = seed_demo(seed=seed, progress=lambda message: click.echo(message, err=True))
    # The dashboard's trends read snapshots: take tonight's and the past years' at once.
    from .jobs import nightly_snapshots
    nightly_snapshots()
    click.echo(f"Demo county {result.county_name} ({result.county_code}) is ready. Sign in with:")
    for account in result.accounts:
        click.echo(f"  {account.role:<8} {account.username:<16} password: {account.password}"
                   f"   ({account.scope})")


@click.command("ics")
@click.option("--teacher", "staff_no", required=True, help="The teacher's staff number.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the feed to this file instead of standard output.")
def ics(staff_no: str, output: Path | None) -> None:
    """Print a teacher's calendar feed: the events their subscription link serves."""
    from .services.calendar.teacher import teacher_by_staff_no, teacher_calendar

    teacher = teacher_by_staff_no(staff_no)
    if teacher is None:
        click.echo(f"Unknown teacher: {staff_no}", err=True)
        sys.exit(1)
    body = teacher_calendar(teacher)
    if output:
        output.write_bytes(body)
    else:
        sys.stdout.buffer.write(body)


@click.command("import-data")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
def import_data(directory: Path) -> None:
    """Import every contract file present in DIRECTORY, all or nothing."""
    from .services.imports.importer import import_directory

    report = import_directory(directory)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    if not report.ok:
        for error in report.errors:
            click.echo(str(error), err=True)
        click.echo(f"Rejected: {len(report.errors)} error(s); nothing was written.", err=True)
        sys.exit(1)
    for name, summary in report.summaries.items():
        click.echo(f"{name}: {summary.created} created, {summary.updated} updated, "
                   f"{summary.unchanged} unchanged")


@click.command("indicators")
@click.option("--county", "county_code", required=True, help="6-digit division code.")
@click.option("--year", required=True, type=int, help="First calendar year of the school year.")
@click.option("--format", "fmt", type=click.Choice(["json", "xlsx"]), default="json",
              show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (required for xlsx; json goes to stdout without it).")
def indicators(county_code: str, year: int, fmt: str, output: Path | None) -> None:
    """Compute the county evaluation indicators (CONTRACT §3) for one school year."""
    from .services.indicators import UnknownCounty, compute_indicators, write_workbook

    try:
        result = compute_indicators(county_code, year)
    except UnknownCounty as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    if fmt == "xlsx":
        if output is None:
            click.echo("--output FILE is required with --format xlsx", err=True)
            sys.exit(2)
        write_workbook(result, output)
        click.echo(f"Wrote {output}", err=True)
        return
    text = json.dumps(result, ensure_ascii=False, indent=1, sort_keys=True)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
    else:
        click.echo(text)


@click.command("solve-itinerant")
@click.argument("instance_file", metavar="INSTANCE.json")
@click.option("--time-limit", default=10.0, show_default=True, type=click.FloatRange(min=0),
              help="Seconds the solver may search.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(min=1),
              help="Parallel search workers.")
def solve_itinerant(instance_file: str, time_limit: float, workers: int) -> None:
    """Solve a 走教 timetable instance (CONTRACT §5) and print the solution JSON."""
    from .services.itinerant import InvalidInstance, load_instance, solve

    try:
        with open(instance_file, encoding="utf-8-sig") as handle:
            instance = load_instance(json.load(handle))
    except (OSError, UnicodeDecodeError) as error:
        click.echo(f"Cannot read {instance_file}: {error}", err=True)
        sys.exit(1)
    except json.JSONDecodeError as error:
        click.echo(f"{instance_file} is not valid JSON: {error}", err=True)
        sys.exit(1)
    except InvalidInstance as error:
        click.echo(f"Invalid instance {instance_file}: {error}", err=True)
        sys.exit(1)
    solution = solve(instance, time_limit, workers=workers)
    click.echo(json.dumps(solution.to_json(), ensure_ascii=False))


@click.command("scheduler")
def scheduler() -> None:
    """Run the one scheduler process (webapp.jobs.JOBS) until interrupted."""
    import signal

    from flask import current_app

    from .jobs import JOBS, build_scheduler

    runner = build_scheduler(current_app._get_current_object())
    # A service manager stops the process with SIGTERM: let a running job finish first.
    signal.signal(signal.SIGTERM, lambda *_: runner.shutdown())
    click.echo(f"Scheduler running {len(JOBS)} job(s): {', '.join(j.id for j in JOBS)}", err=True)
    try:
        runner.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    click.echo("Scheduler stopped.", err=True)


@click.command("snapshot")
@click.option("--county", "county_code", required=True, help="6-digit division code.")
@click.option("--year", type=int, help="First calendar year of the school year (default: current).")
def snapshot(county_code: str, year: int | None) -> None:
    """Store a snapshot of a county's indicators now (as the nightly job does)."""
    from datetime import date

    from .extensions import db
    from .services.indicators import UnknownCounty
    from .services.indicators.snapshots import current_school_year, take_snapshot

    year = year or current_school_year(date.today())
    try:
        taken = take_snapshot(county_code, year, "manual")
    except UnknownCounty as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"Snapshot {taken.id} of {county_code} for school year {year} stored.")
