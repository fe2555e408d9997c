"""Shared fixtures: one schema per run, one rolled-back transaction per test.

TEST_DATABASE_URL selects PostgreSQL; without it the suite runs on a SQLite file.
"""
import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from webapp import create_app
from webapp.extensions import db

from .factories import Factory

# The contract's samples with their expected figures, copied into the repository (see its README).
SAMPLES = Path(__file__).resolve().parent / "data" / "samples"


def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url(tmp_path_factory),
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "test",
        "UPLOAD_FOLDER": str(tmp_path_factory.mktemp("uploads")),
        "PAGE_SIZE": 10,
    })
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@contextmanager
def sent_statements():
    """Collects the SQL statements sent to the database inside the block (a list, filled as
    they go): for tests that a piece of work costs a fixed number of queries, or no writes."""
    from sqlalchemy import event

    statements: list[str] = []
    engine = db.session.get_bind().engine

    def listener(conn, cursor, statement, *rest):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)


@contextmanager
def rolled_back(app):
    """An app context whose every session works inside one transaction, rolled back at the end.

    Commits become savepoints. Flask-SQLAlchemy's Session.get_bind answers db.engines[None]
    whatever the session was bound to, so the connection stands in for the engine as well.
    """
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        db.session = db._make_scoped_session(
            {"bind": connection, "join_transaction_mode": "create_savepoint"})
        engines = db.engines
        engine, engines[None] = engines[None], connection
        try:
            yield connection
        finally:
            engines[None] = engine
            db.session.remove()
            outer.rollback()
            connection.close()


@contextmanager
def seeded_database(app, seed):
    """For a module's fixture: the database emptied and filled once by `seed()` inside one
    transaction, rolled back when the module is done; yields (connection, seed's result).

    Rows other modules left behind are deleted first, in that same transaction, since the
    demo is only seeded into an empty database."""
    with rolled_back(app) as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())
        result = seed()
        db.session.remove()
        yield connection, result


@contextmanager
def savepoint_in(app, connection):
    """For a module's per-test fixture: a savepoint inside its seeded transaction."""
    with app.app_context():
        savepoint = connection.begin_nested()
        db.session = db._make_scoped_session({"join_transaction_mode": "create_savepoint"})
        try:
            yield
        finally:
            db.session.remove()
            savepoint.rollback()


@pytest.fixture(autouse=True)
def _transaction(app):
    """Each test runs inside a transaction that is rolled back."""
    with rolled_back(app):
        yield


class FreshContextClient(FlaskClient):
    """Each request gets its own app context, as in production.

    The test's own app context would otherwise be reused, carrying `g` (the signed-in
    user, the chosen locale) from one request into the next.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = FreshContextClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make(app):
    """Factory of domain objects: make.school(), make.teacher(school=...), make.user(...)."""
    return Factory(db.session)


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, user, password="secret"):
        return self.client.post("/login", data={"username": user.username, "password": password})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)
