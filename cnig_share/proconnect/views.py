"""ProConnect's routes: start, redirect URI, the password asked once before linking,
the welcome page of a new account, sign-out's return, and the re-authentication
that lets an account without a password delete itself."""

from __future__ import annotations

import time

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import IntegrityError

from cnig_share.accounts import self_service
from cnig_share.accounts.attempts import failed_attempts
from cnig_share.accounts.services import AccountError, safe_next_url
from cnig_share.extensions import client_address, db
from cnig_share.models import User
from cnig_share.proconnect import client, services, sessions
from cnig_share.proconnect.client import Flow, Identity, ProConnectError
from cnig_share.proconnect.forms import ConfirmDeletionForm, LinkPasswordForm

bp = Blueprint("proconnect", __name__)

PENDING_LINK_KEY = "proconnect_pending_link"
REAUTHENTICATED_KEY = "proconnect_reauthenticated"
# Seconds to type the password after ProConnect, and for a re-authentication to count.
PENDING_LINK_TTL = 600
REAUTHENTICATION_TTL = 600
# Clock difference tolerated between ProConnect and this server.
CLOCK_SKEW = 120

CONCURRENT_SIGN_IN = (
    "Une autre connexion avec cette identité vient d'ouvrir le compte au même moment. "
    "Recommencez la connexion : elle aboutira."
)
PENDING_LINK_EXPIRED = (
    "La confirmation a expiré ou n'a pas été commencée depuis ce navigateur. Recommencez "
    "la connexion avec ProConnect."
)
WRONG_ACCOUNT = (
    "La connexion ProConnect a été commencée depuis un autre compte, ou vous n'êtes plus "
    "connecté·e. Connectez-vous, puis recommencez depuis votre profil."
)
NOT_YOUR_IDENTITY = (
    "L'identité ProConnect avec laquelle vous venez de vous authentifier n'est pas celle "
    "reliée à votre compte : la suppression n'est pas confirmée."
)
NOT_FRESH = (
    "ProConnect n'a pas confirmé une authentification toute récente : la suppression n'est "
    "pas confirmée. Recommencez depuis votre profil."
)
LOGOUT_UNVERIFIED = (
    "Vous êtes déconnecté·e de CNIG Partage. La réponse de ProConnect n'a pas pu être "
    "vérifiée : fermez votre navigateur pour terminer aussi votre session ProConnect."
)
TOO_MANY_ATTEMPTS = (
    "Trop de mots de passe incorrects. Pour protéger le compte, patientez une minute avant "
    "de réessayer."
)


@bp.before_request
def _only_when_configured() -> None:
    if not client.is_enabled():
        abort(404)


@bp.errorhandler(ProConnectError)
def _failed(error: ProConnectError):
    db.session.rollback()
    page = render_template("proconnect/error.html", message=error.message, back=error.next_url)
    return page, error.status


@bp.get("/connexion/proconnect")
def start():
    next_url = safe_next_url(request.args.get("next"))
    return redirect(client.authorization_url("sign_in", next_url), 303)


@bp.get("/connexion/proconnect/retour")
def callback():
    flow, identity = client.finish()
    with flow.failures_lead_back():
        return PURPOSES[flow.purpose](flow, identity)


def _sign_in_flow(flow: Flow, identity: Identity) -> Response:
    decision = services.decide(identity)
    if decision.action == "confirm_password":
        session[PENDING_LINK_KEY] = {
            "user_id": decision.user.id,
            "issuer": identity.issuer,
            "subject": identity.subject,
            "name": identity.name,
            "id_token": identity.id_token,
            "next": flow.next_url,
            "expires": time.time() + PENDING_LINK_TTL,
        }
        return redirect(url_for(".confirm_password"), 303)
    user = decision.user
    try:
        if decision.action == "create":
            user = services.create_account(identity)
        elif decision.action == "link":
            services.link(user, identity)
        return _sign_in(user, identity, flow.next_url, welcome=decision.action == "create")
    except IntegrityError:  # the same identity or address, signed in twice at once
        raise ProConnectError(CONCURRENT_SIGN_IN, 409) from None


def _sign_in(
    user: User, identity: Identity, next_url: str | None, welcome: bool = False
) -> Response:
    services.record_sign_in(user, identity)
    db.session.commit()
    login_user(user)
    sessions.remember(identity.id_token)  # sign-out ends the ProConnect session too
    flash(f"Bienvenue, {user.display_name}. Vous êtes connecté·e avec ProConnect.", "success")
    if next_url:
        return redirect(next_url, 303)
    return redirect(url_for(".welcome" if welcome else "accounts.profile"), 303)


def _pending_link() -> dict | None:
    pending = session.get(PENDING_LINK_KEY)
    if not pending or pending["expires"] < time.time():
        return None
    return pending


def _pending_account_key() -> str:
    pending = session.get(PENDING_LINK_KEY) or {}
    return f"proconnect-link:{pending.get('user_id')}"


@bp.route("/connexion/proconnect/mot-de-passe", methods=["GET", "POST"])
@failed_attempts(_pending_account_key, TOO_MANY_ATTEMPTS)
@failed_attempts(client_address, TOO_MANY_ATTEMPTS)
def confirm_password():
    """The account with this address has a password: its owner types it once, then
    ProConnect is linked and later sign-ins go straight in."""
    pending = _pending_link()
    user = db.session.get(User, pending["user_id"]) if pending else None
    if user is None or not user.active:
        session.pop(PENDING_LINK_KEY, None)
        raise ProConnectError(PENDING_LINK_EXPIRED)
    form = LinkPasswordForm()
    if form.validate_on_submit():
        if self_service.password_matches(user, form.password.data or ""):
            session.pop(PENDING_LINK_KEY)
            identity = Identity(
                issuer=pending["issuer"],
                subject=pending["subject"],
                email=user.email,
                given_name=pending["name"],
                usual_name="",
                id_token=pending["id_token"],
                auth_time=None,
            )
            try:
                services.link(user, identity)
                return _sign_in(user, identity, pending["next"])
            except IntegrityError:
                raise ProConnectError(CONCURRENT_SIGN_IN, 409) from None
        form.password.errors = [self_service.WRONG_PASSWORD]
    status = 422 if form.is_submitted() else 200
    return render_template("proconnect/confirm_password.html", form=form, user=user), status


@bp.get("/bienvenue")
@login_required
def welcome():
    return render_template("proconnect/welcome.html", user=current_user)


@bp.get("/profil/proconnect/relier")
@login_required
def link():
    """Start linking the signed-in account to a ProConnect identity: the only way a
    curator's or admin's account is linked. A link cannot act for anyone: the
    callback checks that the same account, in the same browser, began the flow."""
    return redirect(client.authorization_url("link", user_id=current_user.id), 303)


def _link_flow(flow: Flow, identity: Identity) -> Response:
    user = _flow_owner(flow)
    services.link(user, identity)
    db.session.commit()
    sessions.remember(identity.id_token)
    flash("Votre identité ProConnect est reliée : vous pouvez vous connecter avec elle.", "success")
    return redirect(url_for("accounts.profile") + "#connexion", 303)


def _flow_owner(flow: Flow) -> User:
    if not current_user.is_authenticated or current_user.id != flow.user_id:
        raise ProConnectError(WRONG_ACCOUNT, 403)
    return current_user._get_current_object()


@bp.get("/profil/supprimer/proconnect")
@login_required
def reauthenticate():
    """An account without a password confirms its deletion by authenticating again at
    ProConnect (prompt=login); the answer counts only if its auth_time is not older
    than this request."""
    return redirect(
        client.authorization_url("reauthenticate", user_id=current_user.id, reauthenticate=True),
        303,
    )


def _reauthentication_flow(flow: Flow, identity: Identity) -> Response:
    user = _flow_owner(flow)
    linked = user.identity_from(identity.issuer)
    if linked is None or linked.subject != identity.subject:
        raise ProConnectError(NOT_YOUR_IDENTITY, 403)
    if identity.auth_time is None or identity.auth_time < flow.started_at - CLOCK_SKEW:
        raise ProConnectError(NOT_FRESH, 403)
    session[REAUTHENTICATED_KEY] = {"user_id": user.id, "at": time.time()}
    return redirect(url_for(".confirm_deletion"), 303)


@bp.route("/profil/supprimer/confirmer", methods=["GET", "POST"])
@login_required
def confirm_deletion():
    proof = session.get(REAUTHENTICATED_KEY) or {}
    fresh = (
        proof.get("user_id") == current_user.id
        and time.time() - proof.get("at", 0) < REAUTHENTICATION_TTL
    )
    if not fresh:
        flash("Confirmez d'abord votre identité avec ProConnect.", "warning")
        return redirect(url_for("accounts.profile") + "#suppression", 303)
    form = ConfirmDeletionForm()
    if form.validate_on_submit():
        try:
            self_service.delete_account(current_user._get_current_object(), reauthenticated=True)
        except AccountError as error:
            db.session.rollback()
            return render_template(
                "proconnect/confirm_deletion.html", form=form, refusal=str(error)
            ), 409
        db.session.commit()
        session.pop(REAUTHENTICATED_KEY, None)
        logout_user()
        flash("Votre compte est supprimé. Vos ressources restent à leur CTD.", "success")
        return redirect(url_for("pages.home"), 303)
    return render_template("proconnect/confirm_deletion.html", form=form, refusal=None)


@bp.get("/deconnexion/proconnect")
def logged_out():
    """The post-logout redirect URI: ProConnect sends the browser back here."""
    if not client.finish_logout():
        return render_template("proconnect/error.html", message=LOGOUT_UNVERIFIED), 400
    flash("Vous êtes déconnecté·e de CNIG Partage et de ProConnect.", "info")
    return redirect(url_for("pages.home"), 303)


PURPOSES = {
    "sign_in": _sign_in_flow,
    "link": _link_flow,
    "reauthenticate": _reauthentication_flow,
}
