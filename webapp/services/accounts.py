"""Accounts: sign-in checks and creating users."""
from sqlalchemy import select

from ..extensions import db
from ..models import User


def authenticate(username: str, password: str) -> User | None:
    """The active user with this name and password, or None."""
    user = db.session.scalar(select(User).where(User.username == username.strip()))
    if user and user.active and user.check_password(password):
        return user
    return None


def create_user(username: str, password: str, role: str, display_name: str | None = None,
                **scope) -> User:
    """A new account holding `role` over the given scope (county_id, group_id, ...)."""
    user = User(username=username, display_name=display_name or username, role=role, **scope)
    user.set_password(password)
    db.session.add(user)
    return user


def update_account(user: User, email: str | None, locale: str) -> None:
    """The user's own settings: where notifications are e-mailed, and the language."""
    user.email = (email or "").strip() or None
    user.locale = locale


def change_password(user: User, current: str, new: str) -> bool:
    """Set a new password if `current` is the user's password (every session signed in with
    the old one ends); False otherwise."""
    if not user.check_password(current):
        return False
    user.set_password(new)
    user.end_sessions()
    return True
