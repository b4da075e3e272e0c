"""The resource form: what a member types, checked field by field in French."""

from __future__ import annotations

import wtforms
from wtforms import (
    FieldList,
    FormField,
    MultipleFileField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from cnig_share.forms import FRENCH, Form, VersionedForm
from cnig_share.models import DEFAULT_LICENCE, KINDS
from cnig_share.resources.fields import (
    BODY,
    LICENCES,
    LINK_TITLE,
    LINK_URL,
    MAX_LINKS,
    SUMMARY,
    TITLE,
)
from cnig_share.rules import web_url as web_url  # the workspace forms import it from here

LINK_ROWS = 3
# The preview checks the length before it renders.
BODY_LIMIT = BODY.max_length
BODY_TOO_LONG = BODY.too_long


def choices(pairs) -> list[SelectChoice]:
    """WTForms options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class LinkForm(wtforms.Form):
    """One link row, nested in the resource form (which carries the CSRF token)."""

    class Meta:
        locales = FRENCH

    title = StringField("Intitulé du lien", validators=LINK_TITLE.validators())
    url = StringField("Adresse du lien", validators=LINK_URL.validators())

    def validate_title(self, field: StringField) -> None:
        if field.data and field.data.strip() and not (self.url.data or "").strip():
            raise ValidationError("Ajoutez l'adresse de ce lien, ou effacez son intitulé.")


class ResourceForm(VersionedForm):
    title = StringField("Titre", validators=TITLE.validators())
    summary = TextAreaField(
        "Résumé",
        description=(
            "Deux ou trois phrases, affichées dans les listes et les résultats de recherche."
        ),
        validators=SUMMARY.validators(),
    )
    body = TextAreaField(
        "Contenu",
        description=(
            "En Markdown : ## pour un intertitre, - pour une liste, "
            "[texte](https://…) pour un lien."
        ),
        validators=BODY.validators(),
    )
    kind = SelectField(
        "Type de ressource",
        choices=choices([("", "Choisir un type"), *KINDS.items()]),
        validators=[DataRequired("Choisissez le type de ressource.")],
    )
    ctd = SelectField(
        "CTD", validators=[DataRequired("Choisissez le CTD qui partage la ressource.")]
    )
    terms = SelectMultipleField("Termes du glossaire", coerce=int, validate_choice=True)
    links = FieldList(FormField(LinkForm), min_entries=LINK_ROWS, max_entries=MAX_LINKS)
    licence = SelectField(
        "Licence", choices=choices((name, name) for name in LICENCES), default=DEFAULT_LICENCE
    )
    attachments = MultipleFileField(
        "Pièces jointes",
        description="PDF, ODT, DOCX, tableurs, CSV, TXT ou images ; 25 Mo au plus par fichier.",
    )

    def validate_kind(self, field: SelectField) -> None:
        if field.data not in KINDS:
            raise ValidationError("Choisissez le type de ressource.")

    def link_pairs(self) -> list[tuple[str, str]]:
        """The filled-in links, in order."""
        return [
            ((entry.title.data or "").strip(), entry.url.data.strip())
            for entry in self.links
            if (entry.url.data or "").strip()
        ]


class ReturnForm(Form):
    comment = TextAreaField(
        "Commentaire pour les auteurs",
        validators=[
            DataRequired("Expliquez aux auteurs ce qui doit être revu."),
            Length(max=5000),
        ],
    )


class RelayForm(Form):
    note = TextAreaField(
        "Note de relais",
        description="Une ou deux phrases : pourquoi le CNIG recommande cette ressource.",
        validators=[
            DataRequired("Dites en une phrase pourquoi le CNIG relaie cette ressource."),
            Length(max=500),
        ],
    )
