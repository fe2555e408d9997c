"""Sign in, sign out, and the user's own account settings."""
import math

from flask import (Blueprint, flash, make_response, redirect, render_template, request, session,
                   url_for)
from flask_babel import format_time
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ...extensions import db
from ...models.audit import utcnow
from ...services import signin
from ...services.accounts import authenticate, change_password, update_account
from ...services.audit import record
from ...web import safe_next
from .forms import AccountForm, ButtonForm, LoginForm, PasswordForm

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        address = request.remote_addr or ""
        until = signin.blocked_until(form.username.data, address)
        if until:
            return _throttled(form, until)
        user = authenticate(form.username.data, form.password.data)
        if user:
            signin.forget_failures(form.username.data)
            login_user(user)
            return redirect(safe_next(request.args.get("next"), url_for("main.home")))
        signin.record_failure(form.username.data, address)
        # The failure must outlast the 422 below, whose response rolls the session back.
        db.session.commit()
        flash(_("Wrong user name or password."), "error")
    status = 422 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


def _throttled(form: LoginForm, until):
    minutes = max(1, math.ceil((until - utcnow()).total_seconds() / 60))
    flash(_("Too many failed sign-ins. Try again after %(time)s (in %(minutes)s min).",
            time=format_time(until, "HH:mm"), minutes=minutes), "error")
    response = make_response(render_template("auth/login.html", form=form), 429)
    response.headers["Retry-After"] = str(minutes * 60)
    return response


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    if ButtonForm().validate_on_submit():
        # A copy of this cookie, or any other session of the user, must stop working too.
        current_user.end_sessions()
        record(current_user.id, "account.signed_out", current_user)
        logout_user()
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = AccountForm(obj=current_user, prefix="account")
    password = PasswordForm(prefix="password")
    status = 200
    if "account-locale" in request.form:
        if form.validate_on_submit():
            update_account(current_user, form.email.data, form.locale.data)
            session["lang"] = form.locale.data
            flash(_("Your settings are saved."), "success")
            return redirect(url_for("auth.account"))
        status = 422
    elif "password-current" in request.form:
        if password.validate_on_submit():
            if change_password(current_user, password.current.data, password.new.data):
                record(current_user.id, "account.password_changed", current_user)
                # change_password ended every session; this one carries on under the new token.
                login_user(current_user._get_current_object())
                flash(_("Your password is changed."), "success")
                return redirect(url_for("auth.account"))
            password.current.errors.append(_("This is not your current password."))
        status = 422
    return render_template("auth/account.html", form=form, password=password), status
