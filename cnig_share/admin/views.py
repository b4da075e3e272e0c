"""/admin/comptes: every account, and one account's role, memberships and state."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy import select

from cnig_share import permissions
from cnig_share.admin import listing, services
from cnig_share.admin.forms import MembershipRoleForm, NewMembershipForm, SiteRoleForm
from cnig_share.extensions import db
from cnig_share.htmx import redirect_after_success
from cnig_share.models import MEMBERSHIP_ROLES, ROLES, Ctd, User
from cnig_share.pagination import page_argument

bp = Blueprint("admin", __name__, url_prefix="/admin")

ACCOUNTS_PAGE = 50


@bp.before_request
@login_required
def _admins_only():
    if not permissions.can_administer_accounts(current_user):
        abort(403, "Cet espace est réservé aux administrateurs du site.")


@bp.get("/comptes")
def accounts():
    chosen = listing.filters(request.args)
    page = db.paginate(
        listing.accounts(chosen),
        page=page_argument(request.args),
        per_page=ACCOUNTS_PAGE,
        error_out=False,
    )
    return render_template(
        "admin/accounts.html",
        page=page,
        chosen=chosen,
        args=request.args,
        roles=ROLES,
        states=listing.STATES,
        methods=listing.SIGN_IN_METHODS,
        last_sign_ins=listing.LAST_SIGN_INS,
        sorts=listing.SORTS,
        ctds=db.session.scalars(select(Ctd).order_by(Ctd.name)).all(),
    )


@bp.get("/comptes/<id:user_id>")
def account(user_id: int):
    return _account_page(_user_or_404(user_id))


@bp.post("/comptes/<id:user_id>/role")
def change_role(user_id: int):
    user = _user_or_404(user_id)
    form = SiteRoleForm()
    if not form.validate():
        return _account_page(user, role_form=form, status=422)
    return _decide(user, lambda: services.change_role(user, form.role.data, current_user))


@bp.post("/comptes/<id:user_id>/ctd")
def add_membership(user_id: int):
    user = _user_or_404(user_id)
    form = NewMembershipForm()
    ctd = form.chosen_ctd() if form.validate() else None
    if ctd is None:
        return _account_page(user, membership_form=form, status=422)
    role = form.role.data
    return _decide(user, lambda: services.add_membership(user, ctd, role, current_user))


@bp.post("/comptes/<id:user_id>/ctd/<id:ctd_id>/role")
def change_membership_role(user_id: int, ctd_id: int):
    user = _user_or_404(user_id)
    membership = services.membership_of(user, ctd_id) or abort(404)
    form = MembershipRoleForm()
    if not form.validate():
        return _account_page(user, refusal="Choisissez un rôle de la liste.", status=422)
    role = form.role.data
    return _decide(user, lambda: services.change_membership_role(membership, role, current_user))


@bp.post("/comptes/<id:user_id>/ctd/<id:ctd_id>/retirer")
def remove_membership(user_id: int, ctd_id: int):
    user = _user_or_404(user_id)
    membership = services.membership_of(user, ctd_id) or abort(404)
    return _decide(user, lambda: services.remove_membership(membership, current_user))


@bp.post("/comptes/<id:user_id>/desactiver")
def deactivate(user_id: int):
    user = _user_or_404(user_id)
    return _decide(user, lambda: services.deactivate(user, current_user))


@bp.post("/comptes/<id:user_id>/reactiver")
def reactivate(user_id: int):
    user = _user_or_404(user_id)
    return _decide(user, lambda: services.reactivate(user, current_user))


def _user_or_404(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


def _decide(user: User, decision: Callable[[], object]) -> ResponseReturnValue:
    """Apply a decision and commit, or show the page again with the rule it broke."""
    try:
        decision()
    except services.AdminError as error:
        db.session.rollback()
        return _account_page(db.session.get(User, user.id), refusal=str(error), status=422)
    db.session.commit()
    flash(f"Le compte {user.display_name} est mis à jour.", "success")
    return redirect_after_success(url_for(".account", user_id=user.id))


def _account_page(
    user: User,
    role_form: SiteRoleForm | None = None,
    membership_form: NewMembershipForm | None = None,
    refusal: str = "",
    status: int = 200,
) -> ResponseReturnValue:
    membership_form = membership_form or NewMembershipForm()
    # Offered: the CTDs the account is not in yet (a stale page's choice is refused by the rule).
    member_of = {membership.ctd.slug for membership in user.memberships}
    membership_form.ctd.choices = [
        choice for choice in membership_form.ctd.choices if choice.value not in member_of
    ]
    page = render_template(
        "admin/account.html",
        user=user,
        role_form=role_form or SiteRoleForm(role=user.role),
        membership_form=membership_form,
        ctd_roles=MEMBERSHIP_ROLES,
        refusal=refusal,
    )
    return page, status
