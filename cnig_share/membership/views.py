"""/ctd/<slug>/membres: a CTD's members, and its join requests; /ctd/<slug>/rejoindre.

Every page here needs a signed-in person: a visitor is sent to sign in. A signed-in
person outside the CTD gets a 403 (the CTD itself is public, so nothing leaks by
saying the page exists), with the way to ask to join.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy import select

from cnig_share import permissions
from cnig_share.admin.forms import MembershipRoleForm
from cnig_share.extensions import db
from cnig_share.htmx import redirect_after_success
from cnig_share.invitations import services as invitation_services
from cnig_share.invitations.forms import InvitationForm
from cnig_share.membership import services
from cnig_share.membership.forms import AcceptForm, DeclineForm, JoinRequestForm
from cnig_share.models import MEMBERSHIP_ROLES, Ctd, JoinRequest
from cnig_share.pagination import page_argument

bp = Blueprint("membership", __name__, url_prefix="/ctd")

MEMBERS_PAGE = 50
NOT_A_MEMBER = (
    "La liste des membres du {ctd} est réservée à ses membres. "
    "Vous pouvez demander à rejoindre le comité depuis sa page."
)
NOT_A_COORDINATOR = (
    "Seuls les animateurs et animatrices du {ctd} (et l'équipe du CNIG) "
    "gèrent ses membres et ses demandes d'adhésion."
)


@bp.before_request
@login_required
def _signed_in_only():
    """Each page below is for a signed-in person (a visitor goes to /connexion)."""


def _ctd_or_404(slug: str) -> Ctd:
    return db.first_or_404(select(Ctd).where(Ctd.slug == slug))


def _managed_ctd(slug: str) -> Ctd:
    """The CTD, when the signed-in person manages its members; 403 otherwise."""
    ctd = _ctd_or_404(slug)
    if not permissions.can_manage_members(current_user, ctd):
        abort(403, NOT_A_COORDINATOR.format(ctd=ctd.name))
    return ctd


# --- the members page --------------------------------------------------------------------


@bp.get("/<slug>/membres")
def members(slug: str):
    ctd = _ctd_or_404(slug)
    if not permissions.can_see_members(current_user, ctd):
        abort(403, NOT_A_MEMBER.format(ctd=ctd.name))
    return _members_page(ctd)


def _members_page(
    ctd: Ctd,
    refusal: str = "",
    status: int = 200,
    failed: tuple[int, DeclineForm] | None = None,
) -> ResponseReturnValue:
    """The page; `failed` is a decline form that came back with errors, and its request."""
    page = db.paginate(
        services.members(ctd),
        page=page_argument(request.args),
        per_page=MEMBERS_PAGE,
        error_out=False,
    )
    manage = permissions.can_manage_members(current_user, ctd)
    body = render_template(
        "membership/members.html",
        ctd=ctd,
        page=page,
        args=request.args,
        manage=manage,
        requests=services.pending_requests(ctd) if manage else [],
        invitations=invitation_services.pending_in(ctd) if manage else [],
        invite_form=InvitationForm() if manage else None,
        reviewers_are_team=manage and not services.active_coordinators(ctd),
        roles=MEMBERSHIP_ROLES,
        refusal=refusal,
        failed=failed,
    )
    return body, status


def _decide(ctd: Ctd, decision: Callable[[], object], done: str) -> ResponseReturnValue:
    """Apply a decision and commit, or show the page again with the rule it broke."""
    try:
        decision()
    except services.MembershipError as error:
        db.session.rollback()
        return _members_page(ctd, refusal=str(error), status=error.status)
    db.session.commit()
    flash(done, "success")
    # Someone who just left the CTD may no longer see its members: back to its page.
    if permissions.can_see_members(current_user, ctd):
        return redirect_after_success(url_for(".members", slug=ctd.slug))
    return redirect_after_success(url_for("ctds.show", slug=ctd.slug))


@bp.post("/<slug>/membres/<id:user_id>/role")
def change_role(slug: str, user_id: int):
    ctd = _managed_ctd(slug)
    membership = services.membership_of(ctd, user_id) or abort(404)
    form = MembershipRoleForm()
    if not form.validate():
        return _members_page(ctd, refusal=services.UNKNOWN_ROLE, status=422)
    role = form.role.data
    done = f"{membership.user.display_name} est désormais {MEMBERSHIP_ROLES[role].lower()}."
    return _decide(ctd, lambda: services.change_role(membership, role, current_user), done)


@bp.post("/<slug>/membres/<id:user_id>/retirer")
def remove(slug: str, user_id: int):
    ctd = _managed_ctd(slug)
    membership = services.membership_of(ctd, user_id) or abort(404)
    done = f"{membership.user.display_name} ne fait plus partie du {ctd.name}."
    return _decide(ctd, lambda: services.remove(membership, current_user), done)


# --- answering requests ------------------------------------------------------------------


def _join_request_or_404(ctd: Ctd, request_id: int) -> JoinRequest:
    return services.request_of(ctd, request_id) or abort(404)


@bp.post("/<slug>/membres/demandes/<id:request_id>/accepter")
def accept(slug: str, request_id: int):
    ctd = _managed_ctd(slug)
    join_request = _join_request_or_404(ctd, request_id)
    form = AcceptForm()
    if not form.validate():
        return _members_page(ctd, refusal=services.UNKNOWN_ROLE, status=422)
    role = form.role.data
    done = f"{join_request.user.display_name} a rejoint le {ctd.name} ; un courriel l'en informe."
    return _decide(ctd, lambda: services.accept(join_request, role, current_user), done)


@bp.post("/<slug>/membres/demandes/<id:request_id>/refuser")
def decline(slug: str, request_id: int):
    ctd = _managed_ctd(slug)
    join_request = _join_request_or_404(ctd, request_id)
    form = DeclineForm()
    if not form.validate():
        return _members_page(ctd, status=422, failed=(join_request.id, form))
    reason = form.reason.data or ""
    done = f"La demande de {join_request.user.display_name} est refusée ; un courriel l'en informe."
    return _decide(ctd, lambda: services.decline(join_request, reason, current_user), done)


# --- asking to join ----------------------------------------------------------------------


@bp.route("/<slug>/rejoindre", methods=["GET", "POST"])
def ask_to_join(slug: str):
    ctd = _ctd_or_404(slug)
    form = JoinRequestForm()
    refusal = services.refusal_to_ask(current_user, ctd)
    if refusal is not None:
        return _ask_page(
            ctd, form, str(refusal), refusal.status if request.method == "POST" else 200
        )
    if request.method == "GET":
        return _ask_page(ctd, form)
    if not form.validate():
        return _ask_page(ctd, form, status=422)
    try:
        services.request_to_join(current_user, ctd, form.message.data)
    except services.MembershipError as error:
        db.session.rollback()
        return _ask_page(ctd, form, str(error), error.status)
    db.session.commit()
    flash(
        f"Votre demande est envoyée au {ctd.name}. Vous recevrez la réponse par courriel.",
        "success",
    )
    return redirect_after_success(url_for("ctds.show", slug=ctd.slug))


def _ask_page(
    ctd: Ctd, form: JoinRequestForm, refusal: str = "", status: int = 200
) -> ResponseReturnValue:
    body = render_template(
        "membership/ask.html",
        ctd=ctd,
        form=form,
        refusal=refusal,
        waiting=services.request_waiting(current_user, ctd),
    )
    return body, status
