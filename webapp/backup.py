"""`flask backup FILE` and `flask restore FILE`: a consistent copy of the whole database while
the app runs (SQLite's online backup API; pg_dump for PostgreSQL), and putting one back."""
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import click
from flask import current_app
from sqlalchemy.engine import make_url

SQLITE_HEADER = b"SQLite format 3\x00"


def _url():
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _libpq(url) -> str:
    """The URL for pg_dump/pg_restore (libpq knows no '+psycopg' driver suffix)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _schemas(url) -> list[str]:
    """An installation kept in its own schema (search_path in the URL's options) is backed up
    alone, not the other tenants of the database."""
    options = url.query.get("options", "")
    options = options if isinstance(options, str) else " ".join(options)
    for part in options.split():
        if part.startswith("-csearch_path="):
            return [s.strip() for s in part.split("=", 1)[1].split(",") if s.strip()]
    return []


def _pg_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise click.ClickException(f"{name} is not installed (PostgreSQL client tools).")
    return tool


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise click.ClickException(done.stderr.strip() or f"{command[0]} failed")


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup(file: Path) -> None:
    """Write a consistent copy of the database to FILE, while the app keeps running."""
    url = _url()
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(url.database)
        target = sqlite3.connect(file)
        try:
            with target:
                source.backup(target)  # page by page, consistent even while others write
        finally:
            target.close()
            source.close()
    elif url.get_backend_name() == "postgresql":
        command = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={file}"]
        command += [f"--schema={schema}" for schema in _schemas(url)]
        _run(command + [f"--dbname={_libpq(url)}"])
    else:
        raise click.ClickException(f"no backup for {url.get_backend_name()} databases")
    click.echo(f"Backed up to {file} ({file.stat().st_size:,} bytes).")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask: the database is replaced by FILE.")
def restore(file: Path, yes: bool) -> None:
    """Replace the database with the backup in FILE (stop the web workers and the scheduler
    first: the data written since the backup is lost)."""
    url = _url()
    if not yes:
        click.confirm(f"Replace every record of the database with {file}?", abort=True)
    if url.get_backend_name() == "sqlite":
        with open(file, "rb") as handle:
            if handle.read(16) != SQLITE_HEADER:
                raise click.ClickException(f"{file} is not a SQLite backup.")
        source = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
        try:
            if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise click.ClickException(f"{file} is damaged; the database was not touched.")
            target = sqlite3.connect(url.database)
            try:
                source.backup(target)  # one write transaction: all of the backup or nothing
            finally:
                target.close()
        finally:
            source.close()
    elif url.get_backend_name() == "postgresql":
        _run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
              "--single-transaction", f"--dbname={_libpq(url)}", str(file)])
    else:
        raise click.ClickException(f"no restore for {url.get_backend_name()} databases")
    click.echo(f"Restored from {file}.", file=sys.stdout)
