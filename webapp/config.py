"""Settings read from the environment; SQLite under instance/ unless DATABASE_URL says otherwise."""
import os
from pathlib import Path


def _database_url(instance_path: str) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{Path(instance_path) / 'gongxiang.db'}"
    # psycopg 3 is the driver; accept the plain postgres:// forms people paste.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _flag(name: str) -> bool | None:
    value = os.environ.get(name)
    return None if value is None else value.strip().lower() in ("1", "true", "yes", "on")


def from_environment(instance_path: str) -> dict:
    """The configuration of a running installation."""
    # Unset, links follow the host of the request (webapp.urls.site_url).
    base_url = os.environ.get("BASE_URL", "").rstrip("/") or None
    https = (base_url or "").startswith("https://") or os.environ.get("PREFERRED_URL_SCHEME") == "https"
    secure = _flag("SESSION_COOKIE_SECURE")
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY", "dev-only-change-me"),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "BABEL_DEFAULT_LOCALE": "zh_CN",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
        "LANGUAGES": ["zh_CN", "en"],
        "UPLOAD_FOLDER": os.environ.get("UPLOAD_FOLDER", str(Path(instance_path) / "uploads")),
        "MAX_CONTENT_LENGTH": 64 * 1024 * 1024,
        # Resource library: files by sha256 under RESOURCE_FOLDER ("local" is the one backend),
        # and SOFFICE, LibreOffice's soffice, to preview Office files as PDF (unset: download).
        "RESOURCE_STORAGE": os.environ.get("RESOURCE_STORAGE", "local"),
        "RESOURCE_FOLDER": os.environ.get("RESOURCE_FOLDER",
                                          str(Path(instance_path) / "resources")),
        "SOFFICE": os.environ.get("SOFFICE"),
        "PAGE_SIZE": 25,
        "MAIL_SERVER": os.environ.get("MAIL_SERVER"),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "noreply@localhost"),
        # The address people reach the app at: links in e-mail and webcal:// subscriptions.
        "BASE_URL": base_url,
        # The session cookie is never sent by another site's request (Lax), and only over
        # https when the site is served so (or SESSION_COOKIE_SECURE=1 says so).
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SECURE": https if secure is None else secure,
        "PREFERRED_URL_SCHEME": "https" if https else "http",
        # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are trusted.
        "PROXIES": int(os.environ.get("PROXIES", "0") or 0),
        # 走教 solves at once in the scheduler's children: each takes a whole core.
        "ITINERANT_MAX_SOLVES": int(os.environ.get("ITINERANT_MAX_SOLVES")
                                    or max(1, (os.cpu_count() or 1) // 2)),
        # Seconds without a heartbeat after which a running solve counts as dead.
        "ITINERANT_HEARTBEAT_TIMEOUT": int(os.environ.get("ITINERANT_HEARTBEAT_TIMEOUT") or 60),
    }
