"""The forms of discussions, moderation and reports (each with its CSRF token)."""

from __future__ import annotations

from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired

from cnig_share.discussions import fields
from cnig_share.forms import Form, VersionedForm
from cnig_share.models import REPORT_REASONS
from cnig_share.resources.forms import choices

MARKDOWN_HINT = (
    "Markdown accepté (**gras**, *italique*, listes, [liens](https://…)). "
    "10 000 caractères au plus."
)


class ThreadForm(Form):
    """A new discussion on a subject: its title and first message."""

    subject_type = HiddenField()
    subject_id = HiddenField()
    title = StringField("Titre de la discussion", validators=fields.TITLE.validators())
    body = TextAreaField(
        "Votre message", description=MARKDOWN_HINT, validators=fields.BODY.validators()
    )


class ReplyForm(Form):
    body = TextAreaField(
        "Votre réponse", description=MARKDOWN_HINT, validators=fields.BODY.validators()
    )


class EditForm(VersionedForm):
    body = TextAreaField(
        "Votre message", description=MARKDOWN_HINT, validators=fields.BODY.validators()
    )


class HideForm(Form):
    reason = StringField(
        "Raison du masquage",
        description="Affichée à la place du message, et envoyée à son auteur.",
        validators=fields.HIDE_REASON.validators(),
    )


class ReportForm(Form):
    reason = RadioField(
        "Motif du signalement",
        choices=choices(REPORT_REASONS.items()),
        validate_choice=True,
        validators=[InputRequired("Choisissez le motif du signalement.")],
    )
    comment = TextAreaField(
        "Commentaire (facultatif)",
        description="Ce qui pose problème, pour l'équipe du CNIG. 1 000 caractères au plus.",
        validators=fields.REPORT_COMMENT.validators(),
    )


class ButtonForm(Form):
    """A button's form (résolue, supprimer, classer): only its CSRF token."""
