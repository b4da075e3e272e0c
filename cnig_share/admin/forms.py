"""The forms of an account's page (Flask-WTF: each carries its CSRF token)."""

from __future__ import annotations

from sqlalchemy import select
from wtforms import SelectField
from wtforms.validators import InputRequired

from cnig_share.extensions import db
from cnig_share.forms import Form
from cnig_share.models import MEMBERSHIP_ROLES, ROLES, Ctd
from cnig_share.resources.forms import choices


class SiteRoleForm(Form):
    role = SelectField(
        "Rôle sur le site", choices=choices(ROLES.items()), validate_choice=True, id="role-site"
    )


class MembershipRoleForm(Form):
    role = SelectField(
        "Rôle dans le CTD", choices=choices(MEMBERSHIP_ROLES.items()), validate_choice=True
    )


class NewMembershipForm(MembershipRoleForm):
    # Own ids: the page has the site role's field and one role field per CTD too.
    role = SelectField(
        "Rôle dans le CTD",
        choices=choices(MEMBERSHIP_ROLES.items()),
        validate_choice=True,
        id="nouveau-ctd-role",
    )
    ctd = SelectField(
        "CTD",
        validators=[InputRequired("Choisissez un CTD.")],
        validate_choice=True,
        id="nouveau-ctd",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        ctds = db.session.scalars(select(Ctd).order_by(Ctd.name))
        self.ctd.choices = choices([("", "Choisissez un CTD"), *((c.slug, c.name) for c in ctds)])

    def chosen_ctd(self) -> Ctd | None:
        return db.session.scalar(select(Ctd).where(Ctd.slug == self.ctd.data))
