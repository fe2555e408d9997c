"""共享共进: the application factory, the only place that wires things together."""
from pathlib import Path

from flask import Flask, request, session
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.engine import Engine

from . import config as settings
from .extensions import babel, csrf, db, htmx, login_manager, migrate


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(settings.from_environment(app.instance_path))
    if config:
        app.config.from_mapping(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    htmx.init_app(app)

    from . import models  # noqa: F401  (registers the tables with the metadata)
    from .services.indicators import cache  # noqa: F401  (writes replace the figures' token)
    from .blueprints import register_blueprints
    from .cli import register_commands
    from .security import register_security
    from .web import register_request_hooks

    register_blueprints(app)
    register_commands(app)
    register_request_hooks(app)
    register_security(app)
    return app


def _select_locale() -> str:
    languages = ["zh_CN", "en"]
    chosen = request.args.get("lang") or session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return "zh_CN"


def _is_sqlite(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """SQLite: enforce foreign keys and let readers work while an import writes."""
    if _is_sqlite(dbapi_connection):
        # SQLAlchemy, not the sqlite3 module, decides where transactions begin, so that
        # savepoints and transactional DDL behave as on PostgreSQL.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection):
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")
