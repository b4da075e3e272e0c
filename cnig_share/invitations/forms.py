"""Invitation forms (Flask-WTF: each carries its CSRF token)."""

from __future__ import annotations

import re

from sqlalchemy import select
from wtforms import HiddenField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, ValidationError

from cnig_share.accounts.services import (
    MIN_PASSWORD_LENGTH,
    AccountError,
    check_password_strength,
    normalize_email,
)
from cnig_share.extensions import db
from cnig_share.forms import Form
from cnig_share.models import MEMBERSHIP_ROLES, ROLES, Ctd
from cnig_share.resources.forms import choices
from cnig_share.rules import PersonalMessage

MAX_ADDRESSES = 50
# People paste lists from mail clients: lines, but commas and semicolons too.
_SEPARATORS = re.compile(r"[\n,;]+")


def parse_addresses(text: str) -> list[str]:
    """The distinct, normalized addresses of a list; raises ValueError (French)
    naming every address that is not one."""
    addresses, invalid = [], []
    for item in _SEPARATORS.split(text or ""):
        item = item.strip()
        if not item:
            continue
        try:
            address = normalize_email(item)
        except AccountError:
            invalid.append(item[:80])
            continue
        if address not in addresses:
            addresses.append(address)
    if invalid:
        raise ValueError(
            "Ces adresses ne sont pas valides : " + ", ".join(invalid) + ". Une adresse par "
            "ligne, par exemple nom@domaine.fr."
        )
    if not addresses:
        raise ValueError("Saisissez au moins une adresse électronique.")
    if len(addresses) > MAX_ADDRESSES:
        raise ValueError(f"{MAX_ADDRESSES} adresses au plus à la fois.")
    return addresses


class InvitationForm(Form):
    """A CTD's coordinators invite into their CTD."""

    addresses = TextAreaField(
        "Adresses électroniques",
        description="Une adresse par ligne, par exemple nom@domaine.fr.",
        validators=[
            DataRequired("Saisissez au moins une adresse électronique."),
            Length(max=MAX_ADDRESSES * 260, message="La liste d'adresses est trop longue."),
        ],
    )
    role = SelectField(
        "Rôle dans le CTD",
        choices=choices(MEMBERSHIP_ROLES.items()),
        validate_choice=True,
        id="invitation-role",
    )
    message = TextAreaField(
        "Message (facultatif)",
        description="Texte simple, 500 caractères au plus, sans lien : il est cité dans le "
        "courriel, sous votre nom.",
        validators=PersonalMessage().validators(),
    )
    # Where to come back to: the page that showed the form (members or invitations).
    next = HiddenField()

    def validate_addresses(self, field) -> None:
        try:
            self.parsed_addresses = parse_addresses(field.data)
        except ValueError as error:
            raise ValidationError(str(error)) from None


class AdminInvitationForm(InvitationForm):
    """Admins invite into any CTD, or none, and to a site role."""

    ctd = SelectField("CTD", validate_choice=True, id="invitation-ctd")
    site_role = SelectField(
        "Rôle sur le site",
        choices=choices(ROLES.items()),
        validate_choice=True,
        id="invitation-site-role",
        validators=[InputRequired("Choisissez un rôle sur le site.")],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        ctds = db.session.scalars(select(Ctd).order_by(Ctd.name))
        self.ctd.choices = choices([("", "Aucun CTD"), *((c.slug, c.name) for c in ctds)])

    def chosen_ctd(self) -> Ctd | None:
        if not self.ctd.data:
            return None
        return db.session.scalar(select(Ctd).where(Ctd.slug == self.ctd.data))


def _strong_enough(form: Form, field) -> None:
    try:
        check_password_strength(field.data or "")
    except AccountError as error:
        raise ValidationError(str(error)) from None


class JoinForm(Form):
    """A newcomer's account, made from the invitation for its address."""

    name = StringField(
        "Nom et prénom",
        description="Tel qu'il s'affiche aux autres membres.",
        validators=[
            DataRequired("Saisissez votre nom."),
            Length(max=200, message="Le nom compte au plus 200 caractères."),
        ],
    )
    password = PasswordField(
        "Mot de passe",
        description=f"Au moins {MIN_PASSWORD_LENGTH} caractères ; une phrase facile à retenir "
        "convient très bien.",
        validators=[
            DataRequired("Choisissez un mot de passe."),
            Length(max=1024, message="Le mot de passe compte au plus 1 024 caractères."),
            _strong_enough,
        ],
    )
    confirm = PasswordField(
        "Confirmez le mot de passe",
        validators=[
            DataRequired("Saisissez de nouveau le mot de passe."),
            EqualTo("password", "Les deux mots de passe ne sont pas identiques."),
        ],
    )
