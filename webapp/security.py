"""Response headers every page carries, and the proxy in front of the app."""
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.serving import WSGIRequestHandler

# The Server header names no software: gunicorn.conf.py says so for gunicorn, this for the
# development server (`make serve`), which would announce Werkzeug and Python with versions.
WSGIRequestHandler.version_string = lambda _handler: "gongxiang"

# Every script is a file under static/ (no inline <script>, no on…= attribute), every style a
# stylesheet: the pages keep working under this policy, and injected markup cannot run.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def register_security(app: Flask) -> None:
    @app.after_request
    def _security_headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    proxies = app.config.get("PROXIES", 0)
    if proxies:
        # Behind a reverse proxy: the client's address (sign-in throttling) and https come
        # from the X-Forwarded-* headers the `proxies` trusted hops set.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
