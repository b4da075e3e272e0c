"""The curator's glossary forms, checked field by field in French."""

from __future__ import annotations

from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from cnig_share.forms import Form, VersionedForm
from cnig_share.glossary.fields import ALT_LABELS, DEFINITION, PREF_LABEL, SCOPE_NOTE, SOURCE
from cnig_share.models import GlossaryTerm


class TermForm(VersionedForm):
    pref_label = StringField(
        "Libellé préféré",
        description="Au singulier, en minuscules sauf nom propre : « donnée territoriale ».",
        validators=PREF_LABEL.validators(),
    )
    alt_labels = TextAreaField(
        "Autres appellations",
        description="Synonymes, sigles, anciens noms : un par ligne. Ils servent à la recherche.",
        validators=ALT_LABELS.validators(),
    )
    definition = TextAreaField(
        "Définition",
        description="En Markdown. La première phrase sert de définition courte.",
        validators=DEFINITION.validators(),
    )
    scope_note = TextAreaField(
        "Note d'application", description="Facultatif : quand employer ce terme.",
        validators=SCOPE_NOTE.validators(),
    )  # fmt: skip
    source = StringField(
        "Source", description="Facultatif : texte ou adresse de référence.",
        validators=SOURCE.validators(),
    )  # fmt: skip
    broader = SelectMultipleField("Termes génériques", coerce=int, validate_choice=True)
    related = SelectMultipleField("Termes associés", coerce=int, validate_choice=True)

    def set_term_choices(self, terms: list[GlossaryTerm], editing: GlossaryTerm | None) -> None:
        options = [SelectChoice(t.id, t.pref_label) for t in terms if t is not editing]
        self.broader.choices = options
        self.related.choices = options

    def labels(self) -> list[str]:
        return (self.alt_labels.data or "").splitlines()


def _term_id(value) -> int:
    """A term id; 0 for the empty first option or anything unreadable."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class MergeForm(Form):
    kept = SelectField(
        "Terme conservé",
        description="Ses ressources, ses appellations et son adresse iront à ce terme.",
        coerce=_term_id,
        validate_choice=True,
    )

    def set_term_choices(self, terms: list[GlossaryTerm], merged: GlossaryTerm) -> None:
        # No term chosen in advance: a merge cannot be undone.
        self.kept.choices = [
            SelectChoice(0, "Choisir le terme conservé"),
            *(SelectChoice(t.id, t.pref_label) for t in terms if t is not merged),
        ]

    def validate_kept(self, field: SelectField) -> None:
        if not field.data:
            raise ValidationError("Choisissez le terme conservé.")
