"""Invitation pages: a CTD's (/ctd/<slug>/membres/invitations), the admins'
(/admin/comptes/invitations), and the invitee's link (/invitation/<token>)."""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user
from sqlalchemy import select

from cnig_share import permissions
from cnig_share.accounts.services import AccountError, find_user_by_email, safe_next_url
from cnig_share.extensions import db
from cnig_share.invitations import links, quota, services
from cnig_share.invitations.forms import AdminInvitationForm, InvitationForm, JoinForm
from cnig_share.models import Ctd, Invitation, User, utcnow
from cnig_share.pagination import page_argument

bp = Blueprint("invitations", __name__)

ADMIN_PAGE = 50
NOT_A_MANAGER = (
    "Seuls les animateurs et animatrices du CTD, l'équipe du CNIG et les administrateurs "
    "gèrent ses invitations."
)
ADMINS_ONLY = "Cet espace est réservé aux administrateurs du site."
SITE_ROLE_INVITATION = (
    "Cette invitation donne aussi un rôle sur le site : seuls les administrateurs peuvent "
    "l'envoyer de nouveau ou la révoquer."
)


@bp.app_template_test("expired_invitation")
def _expired(invitation: Invitation) -> bool:
    return services.is_expired(invitation)


@bp.app_template_global("invitation_validity")
def _validity() -> str:
    return links.validity()


# --- a CTD's invitations ------------------------------------------------------------------


def _managed_ctd(slug: str) -> Ctd:
    ctd = db.first_or_404(select(Ctd).where(Ctd.slug == slug))
    if not permissions.can_manage_members(current_user, ctd):
        abort(403, NOT_A_MANAGER)
    return ctd


def _ctd_page(ctd: Ctd, form: InvitationForm, refusal: str = "", status: int = 200):
    page = render_template(
        "invitations/ctd.html",
        ctd=ctd,
        invitations=services.pending_in(ctd),
        form=form,
        refusal=refusal,
    )
    return page, status


@bp.route("/ctd/<slug>/membres/invitations", methods=["GET", "POST"])
@login_required
def ctd_invitations(slug: str):
    ctd = _managed_ctd(slug)
    form = InvitationForm()
    if not form.validate_on_submit():
        return _ctd_page(ctd, form, status=422 if form.is_submitted() else 200)
    offer = services.Offer(ctd=ctd, ctd_role=form.role.data)
    back = safe_next_url(form.next.data) or url_for(".ctd_invitations", slug=ctd.slug)
    return _invite(form, offer, back, lambda refusal, status: _ctd_page(ctd, form, refusal, status))


@bp.post("/ctd/<slug>/membres/invitations/<id:invitation_id>/renvoyer")
@login_required
def ctd_resend(slug: str, invitation_id: int):
    ctd = _managed_ctd(slug)
    invitation = _invitation_in(ctd, invitation_id)
    return _decide(
        lambda: services.resend(invitation, current_user),
        f"L'invitation de {invitation.email} est envoyée de nouveau.",
        _back(url_for(".ctd_invitations", slug=ctd.slug)),
        lambda refusal, status: _ctd_page(ctd, InvitationForm(), refusal, status),
    )


@bp.post("/ctd/<slug>/membres/invitations/<id:invitation_id>/revoquer")
@login_required
def ctd_revoke(slug: str, invitation_id: int):
    ctd = _managed_ctd(slug)
    invitation = _invitation_in(ctd, invitation_id)
    return _decide(
        lambda: services.revoke(invitation, current_user),
        f"L'invitation de {invitation.email} est révoquée.",
        _back(url_for(".ctd_invitations", slug=ctd.slug)),
        lambda refusal, status: _ctd_page(ctd, InvitationForm(), refusal, status),
    )


def _invitation_in(ctd: Ctd, invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.ctd_id != ctd.id:
        abort(404)
    if not permissions.can_manage_invitation(current_user, invitation):
        abort(403, SITE_ROLE_INVITATION)
    return invitation


# --- the admins' invitations --------------------------------------------------------------


def _admins_only() -> None:
    if not permissions.can_invite_to_site_role(current_user):
        abort(403, ADMINS_ONLY)


def _admin_page(form: AdminInvitationForm, refusal: str = "", status: int = 200):
    page = db.paginate(
        services.pending(), page=page_argument(request.args), per_page=ADMIN_PAGE, error_out=False
    )
    html = render_template(
        "invitations/admin.html", page=page, args=request.args, form=form, refusal=refusal
    )
    return html, status


@bp.route("/admin/comptes/invitations", methods=["GET", "POST"])
@login_required
def admin_invitations():
    _admins_only()
    form = AdminInvitationForm()
    if not form.validate_on_submit():
        return _admin_page(form, status=422 if form.is_submitted() else 200)
    ctd = form.chosen_ctd()
    offer = services.Offer(ctd=ctd, ctd_role=form.role.data, site_role=form.site_role.data)
    back = url_for(".admin_invitations")
    return _invite(form, offer, back, lambda refusal, status: _admin_page(form, refusal, status))


@bp.post("/admin/comptes/invitations/<id:invitation_id>/renvoyer")
@login_required
def admin_resend(invitation_id: int):
    _admins_only()
    invitation = db.session.get(Invitation, invitation_id) or abort(404)
    return _decide(
        lambda: services.resend(invitation, current_user),
        f"L'invitation de {invitation.email} est envoyée de nouveau.",
        url_for(".admin_invitations"),
        lambda refusal, status: _admin_page(AdminInvitationForm(), refusal, status),
    )


@bp.post("/admin/comptes/invitations/<id:invitation_id>/revoquer")
@login_required
def admin_revoke(invitation_id: int):
    _admins_only()
    invitation = db.session.get(Invitation, invitation_id) or abort(404)
    return _decide(
        lambda: services.revoke(invitation, current_user),
        f"L'invitation de {invitation.email} est révoquée.",
        url_for(".admin_invitations"),
        lambda refusal, status: _admin_page(AdminInvitationForm(), refusal, status),
    )


# --- shared by both -----------------------------------------------------------------------

Refused = Callable[[str, int], ResponseReturnValue]


def _back(default: str) -> str:
    """The page a button was pressed on (members or invitations), when it is ours."""
    return safe_next_url(request.form.get("next")) or default


def _invite(
    form: InvitationForm, offer: services.Offer, back: str, refused: Refused
) -> ResponseReturnValue:
    def send() -> None:
        services.invite(form.parsed_addresses, offer, form.message.data or "", current_user)

    count = len(form.parsed_addresses)
    done = "Invitation envoyée." if count == 1 else f"{count} invitations envoyées."
    return _decide(send, done, back, refused)


def _decide(
    decision: Callable[[], object], done: str, back: str, refused: Refused
) -> ResponseReturnValue:
    """Apply a decision and commit (the emails leave then), or show the page
    again with the rule it broke: 422, or 429 past the sender's limit."""
    try:
        decision()
    except services.InvitationError as error:
        db.session.rollback()
        return refused(str(error), 422)
    except quota.QuotaExceeded as error:
        db.session.rollback()
        return refused(str(error), 429)
    db.session.commit()
    flash(done, "success")
    return redirect(back, 303)


# --- the invitee's link -------------------------------------------------------------------


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept(token: str):
    """Opening the link only shows the page (mail scanners open links); its
    button (POST) accepts. Only the account of the invited address may."""
    try:
        invitation = links.invitation_from_token(token, for_update=request.method == "POST")
    except links.LinkError as error:
        db.session.rollback()
        return _link_error(error)
    account = find_user_by_email(invitation.email)
    if current_user.is_authenticated:
        return _accept_signed_in(invitation)
    if account is not None and not account.active:
        return _invitation_page(invitation, account=account, status=403)
    if account is not None:
        if request.method == "POST":  # accepting is for its owner, signed in
            return redirect(url_for("accounts.login", next=request.path), 303)
        return _invitation_page(invitation, account=account)
    return _join(invitation)


def _accept_signed_in(invitation: Invitation) -> ResponseReturnValue:
    user: User = current_user
    if user.email.lower() != invitation.email.lower():
        # A forwarded link: it is not this account's to accept.
        return _invitation_page(invitation, wrong_account=True, status=403)
    if request.method == "GET":
        return _invitation_page(invitation)
    try:
        services.accept(invitation, user)
    except links.LinkError as error:  # the other of two submissions
        db.session.rollback()
        return _link_error(error)
    db.session.commit()
    return _welcome(invitation)


def _join(invitation: Invitation) -> ResponseReturnValue:
    """No account has the invited address: choose a password to make it."""
    form = JoinForm()
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return _invitation_page(invitation, join_form=form, status=status)
    try:
        user = services.join_with_password(
            invitation, form.name.data or "", form.password.data or ""
        )
    except AccountError as error:  # made meanwhile, by another tab or ProConnect
        db.session.rollback()
        form.form_errors.append(str(error))
        return _invitation_page(invitation, join_form=form, status=422)
    except links.LinkError as error:
        db.session.rollback()
        return _link_error(error)
    user.last_login_at = utcnow()  # signed in below, as a sign-in would record
    login_user(user)
    db.session.commit()
    return _welcome(invitation)


def _welcome(invitation: Invitation) -> Response:
    if invitation.ctd is not None:
        welcome = f"Bienvenue dans le {invitation.ctd.name} : l'invitation est acceptée."
        flash(welcome, "success")
        return redirect(url_for("ctds.show", slug=invitation.ctd.slug), 303)
    flash("L'invitation est acceptée : votre rôle sur le site est mis à jour.", "success")
    return redirect(url_for("accounts.profile"), 303)


def _invitation_page(
    invitation: Invitation,
    *,
    account: User | None = None,
    join_form: JoinForm | None = None,
    wrong_account: bool = False,
    status: int = 200,
) -> ResponseReturnValue:
    page = render_template(
        "invitations/accept.html",
        invitation=invitation,
        account=account,
        join_form=join_form,
        wrong_account=wrong_account,
        proconnect=bool(current_app.config.get("PROCONNECT_DISCOVERY_URL")),
        validity=links.validity(),
    )
    return page, status


def _link_error(error: links.LinkError) -> ResponseReturnValue:
    page = render_template("invitations/link_error.html", title=error.title, message=error.message)
    return page, error.status


@bp.after_request
def _keep_invitation_link_private(response: Response) -> Response:
    """Every answer at an invitation link: the address holds the token, so no
    Referer carries it away and no cache keeps the page."""
    if request.endpoint == "invitations.accept":
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
    return response
