"""/profil: a signed-in person's own account: identity, password, alerts,
contributions, API tokens, the export of their data and the deletion of the account."""

from __future__ import annotations

import json

from flask import Response, abort, flash, make_response, redirect, render_template, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from cnig_share.accounts import keepers, self_service
from cnig_share.accounts.attempts import shared_failed_attempts
from cnig_share.accounts.forms import (
    ChangePasswordForm,
    DeleteAccountForm,
    NewPasswordForm,
    ProfileForm,
    TokenForm,
)
from cnig_share.accounts.services import AccountError
from cnig_share.accounts.views import bp
from cnig_share.alerts import services as alerts
from cnig_share.api import tokens
from cnig_share.extensions import client_address, db
from cnig_share.models import PERIODS, ApiToken, Resource, Subscription

TOO_MANY_PASSWORD_ATTEMPTS = (
    "Trop de mots de passe incorrects. Pour protéger votre compte, patientez une minute "
    "avant de réessayer."
)


def _account_key() -> str:
    # Limits are checked before login_required turns a stranger away.
    who = current_user.id if current_user.is_authenticated else client_address()
    return f"profile-password:{who}"


# A session left open must not let anyone guess the password it would need: the
# forms that check it share one count of failures per account.
password_attempts = shared_failed_attempts(
    "profile-password", _account_key, TOO_MANY_PASSWORD_ATTEMPTS
)


@bp.get("/profil")
@login_required
def profile():
    return _profile()


@bp.post("/profil/identite")
@login_required
def update_identity():
    form = ProfileForm()
    if not form.validate():
        return _profile(profile_form=form, status=422)
    self_service.update_profile(current_user, form.name.data or "", form.organisation.data or "")
    db.session.commit()
    flash("Votre nom et votre organisation sont enregistrés.", "success")
    return _back_to("identite")


@bp.post("/profil/mot-de-passe")
@login_required
@password_attempts
def change_password():
    form = _password_form()
    if form.validate():
        asked = form.current if isinstance(form, ChangePasswordForm) else None
        try:
            self_service.change_password(
                current_user, asked.data if asked else "", form.password.data or ""
            )
        except AccountError as error:
            (asked or form.password).errors = [str(error)]
        else:
            db.session.commit()
            login_user(current_user)  # this session follows the new key; the others end
            flash("Votre mot de passe est changé. Vos autres sessions sont fermées.", "success")
            return _back_to("mot-de-passe")
    return _profile(password_form=form, status=422)


@bp.post("/profil/alertes/<id:alert_id>/desabonner")
@login_required
def unsubscribe_alert(alert_id: int):
    alert = db.session.get(Subscription, alert_id)
    if alert is None or alert.email.lower() != current_user.email.lower():
        abort(404)
    label = alerts.label(alert)
    alerts.unsubscribe(alert)
    db.session.commit()
    flash(f"Vous ne recevrez plus d'alerte sur {label}.", "success")
    return _back_to("alertes")


@bp.get("/profil/mes-donnees.json")
@login_required
def export_data():
    body = json.dumps(self_service.export(current_user), ensure_ascii=False, indent=2)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="cnig-partage-mes-donnees.json"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/profil/supprimer")
@login_required
@password_attempts
def delete_account():
    form = DeleteAccountForm(prefix="suppression")
    if form.validate():
        try:
            self_service.delete_account(current_user._get_current_object(), form.password.data)
        except AccountError as error:
            form.password.errors = [str(error)]
        else:
            db.session.commit()
            logout_user()
            flash("Votre compte est supprimé. Vos ressources restent à leur CTD.", "success")
            return redirect(url_for("pages.home"), 303)
    return _profile(delete_form=form, status=422)


@bp.post("/profil/jetons")
@login_required
def create_token():
    form = TokenForm()
    if not form.validate():
        return _profile(token_form=form, status=422)
    _, secret = tokens.issue(current_user, form.name.data)
    db.session.commit()
    # Shown in this answer only: it is stored as a digest and cannot be shown again.
    return _profile(new_token=secret)


@bp.post("/profil/jetons/<id:token_id>/revoquer")
@login_required
def revoke_token(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    tokens.revoke(token, current_user)
    db.session.commit()
    flash(f"Le jeton « {token.name or token.prefix} » est révoqué.", "success")
    return _back_to("jetons")


def _password_form(**options: object) -> NewPasswordForm:
    """Asks for the current password, unless the account has none yet (ProConnect)."""
    form_class = ChangePasswordForm if current_user.has_password else NewPasswordForm
    return form_class(prefix="mdp", **options)


def _back_to(section: str) -> Response:
    return redirect(url_for(".profile") + "#" + section, 303)


def _profile(
    token_form: TokenForm | None = None,
    new_token: str | None = None,
    profile_form: ProfileForm | None = None,
    password_form: NewPasswordForm | None = None,
    delete_form: DeleteAccountForm | None = None,
    preferences_form=None,
    status: int = 200,
) -> Response:
    from cnig_share.following.forms import preferences_form as new_preferences_form
    from cnig_share.following.services import follows_of

    ctd_ids = [membership.ctd_id for membership in current_user.memberships]
    own = db.session.scalars(
        select(Resource)
        .where(Resource.ctd_id.in_(ctd_ids))
        .order_by(Resource.updated_at.desc())
        .limit(50)
    ).all()
    to_review = []
    if current_user.is_curator:
        to_review = db.session.scalars(
            select(Resource).where(Resource.status == "submitted").order_by(Resource.updated_at)
        ).all()
    response = make_response(
        render_template(
            "accounts/profile.html",
            user=current_user,
            own=own,
            to_review=to_review,
            contributions=self_service.contributions_of(current_user),
            alerts=[
                (alert, alerts.label(alert), PERIODS[alert.period])
                for alert in self_service.alerts_of(current_user)
            ],
            api_tokens=tokens.tokens_of(current_user),
            token_form=token_form or TokenForm(),
            new_token=new_token,
            profile_form=profile_form or ProfileForm(obj=current_user),
            password_form=password_form or _password_form(formdata=None),
            delete_form=delete_form or DeleteAccountForm(prefix="suppression", formdata=None),
            last_admin=keepers.is_last_active_admin(current_user),
            follows=follows_of(current_user),
            preferences_form=preferences_form or new_preferences_form(current_user),
        ),
        status,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
