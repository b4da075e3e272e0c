"""The forms of a CTD's members page and of a request to join (each with its CSRF token)."""

from __future__ import annotations

from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired

from cnig_share.forms import Form
from cnig_share.models import MEMBERSHIP_ROLES
from cnig_share.resources.forms import choices
from cnig_share.rules import PersonalMessage

MESSAGE = PersonalMessage()


class JoinRequestForm(Form):
    message = TextAreaField(
        "Votre message aux animateurs du comité",
        description=(
            "Qui vous êtes, votre organisation, et pourquoi vous souhaitez rejoindre ce "
            f"comité. Texte simple, {MESSAGE.max_length} caractères au plus, sans lien."
        ),
        validators=[
            DataRequired("Dites en quelques mots qui vous êtes et pourquoi vous demandez."),
            *MESSAGE.validators(),
        ],
    )


class AcceptForm(Form):
    role = SelectField(
        "Rôle dans le CTD", choices=choices(MEMBERSHIP_ROLES.items()), validate_choice=True
    )


class DeclineForm(Form):
    reason = TextAreaField(
        "Raison (facultative)",
        description="Envoyée à la personne. Texte simple, sans lien.",
        validators=MESSAGE.validators(),
    )
