"""Sign-in, sign-out and password reset (the profile page is in profile_views)."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from cnig_share.accounts import attempts, password_reset
from cnig_share.accounts.forms import ForgotPasswordForm, LoginForm, NewPasswordForm
from cnig_share.accounts.services import authenticate, safe_next_url
from cnig_share.extensions import client_address, db, limiter
from cnig_share.proconnect import sessions as proconnect_sessions

bp = Blueprint("accounts", __name__)

LOGIN_FAILED = "Adresse électronique ou mot de passe incorrect."
TOO_MANY_ATTEMPTS = (
    "Trop de tentatives de connexion échouées. Pour protéger les comptes, la "
    "connexion est suspendue une minute : patientez avant de réessayer."
)
TOO_MANY_ATTEMPTS_ON_ACCOUNT = (
    "Trop de tentatives de connexion échouées pour cette adresse électronique. Pour "
    "protéger le compte, la connexion est suspendue pour une heure au plus ; vous "
    "pouvez dès maintenant réinitialiser votre mot de passe."
)
TOO_MANY_RESETS = (
    "Trop de demandes de réinitialisation du mot de passe en peu de temps. Pour protéger "
    "les comptes, patientez avant de réessayer ; le lien déjà envoyé reste valable."
)


def _reset_limit() -> str:
    return current_app.config["PASSWORD_RESET_RATE_LIMIT"]


def _submitted_email() -> str:
    return "email:" + request.form.get("email", "").strip().lower()


def _submitted_email_and_client() -> str:
    return f"{_submitted_email()}:client:{client_address()}"


# Failures count per (address typed, client) and per client, at
# LOGIN_RATE_LIMIT: a guesser is slowed wherever they aim. Per address typed
# they count only at the far higher LOGIN_ACCOUNT_RATE_LIMIT, so that a
# stranger's failures cannot lock the owner out from their own client, yet
# guessers spread over many clients still meet a ceiling (README, *Accounts*).
@bp.route("/connexion", methods=["GET", "POST"])
@attempts.failed_attempts(_submitted_email_and_client, TOO_MANY_ATTEMPTS)
@attempts.failed_attempts(client_address, TOO_MANY_ATTEMPTS)
@attempts.failed_attempts(
    _submitted_email, TOO_MANY_ATTEMPTS_ON_ACCOUNT, limit=attempts.account_login_limit
)
def login():
    next_url = safe_next_url(request.values.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("accounts.profile"), 303)
    form = LoginForm(next=next_url or "")
    if form.validate_on_submit():
        user = authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            proconnect_sessions.forget()
            login_user(user)
            db.session.commit()
            flash(f"Bienvenue, {user.display_name}. Vous êtes connecté·e.", "success")
            return redirect(safe_next_url(form.next.data) or url_for("accounts.profile"), 303)
        form.form_errors.append(LOGIN_FAILED)
    status = 422 if request.method == "POST" else 200
    return render_template("accounts/login.html", form=form), status


@bp.route("/mot-de-passe-oublie", methods=["GET", "POST"])
@limiter.limit(
    _reset_limit, key_func=client_address, methods=["POST"], error_message=TOO_MANY_RESETS
)
@limiter.limit(
    _reset_limit, key_func=_submitted_email, methods=["POST"], error_message=TOO_MANY_RESETS
)
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        password_reset.request_reset(form.email.data or "")
        db.session.commit()
        # The same page whether the address has an account, an inactive one or none.
        return render_template("accounts/reset_requested.html", validity=password_reset.validity())
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/forgot_password.html", form=form), status


@bp.route("/mot-de-passe/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Opening the link only shows the form (mail scanners open links);
    submitting it sets the password, which spends the link."""
    form = NewPasswordForm()
    try:
        user = password_reset.user_from_token(token, for_update=request.method == "POST")
        changed = form.validate_on_submit()
        if changed:  # unless another submission of the link changed it first (410)
            password_reset.reset_password(user, form.password.data or "")
    except password_reset.ResetLinkError as error:
        db.session.rollback()
        page = render_template("accounts/reset_link_error.html", message=error.message)
        return page, error.status
    if changed:
        logout_user()
        db.session.commit()
        flash("Votre mot de passe est changé. Connectez-vous avec le nouveau.", "success")
        return redirect(url_for(".login"), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/reset_password.html", form=form, user=user), status


@bp.after_request
def _keep_reset_link_private(response: Response) -> Response:
    """Every answer at a reset link, error pages included: the address holds
    the token, so no Referer carries it away and no cache keeps the page."""
    if request.endpoint == "accounts.reset_password":
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/deconnexion")
def logout():
    at_provider = proconnect_sessions.end()  # a ProConnect session ends there too
    logout_user()
    if at_provider:
        return redirect(at_provider, 303)
    flash("Vous êtes déconnecté·e.", "info")
    return redirect(url_for("pages.home"), 303)
