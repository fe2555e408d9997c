"""The address people reach the app at, for links that leave the page (calendar apps, e-mail)."""
from flask import current_app, has_request_context, request

# Only when neither a setting nor a request says better (jobs sending e-mail from the console).
FALLBACK = "http://127.0.0.1:5000"


def site_url() -> str:
    """BASE_URL when set; otherwise the host this request came to, so a link copied from a page
    reached at another address still leads back to it."""
    configured = current_app.config.get("BASE_URL")
    if configured:
        return configured
    if has_request_context():
        return request.host_url.rstrip("/")
    return FALLBACK
