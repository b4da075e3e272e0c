"""The forms of consultations: the curators' consultation and synthesis, a CTD's
answer to one question, its decline. Each carries its CSRF token."""

from __future__ import annotations

import re

import wtforms
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Optional, ValidationError

from cnig_share.consultations import fields
from cnig_share.forms import FRENCH, Form, VersionedForm
from cnig_share.models import POSITIONS, QUESTION_TYPES, VISIBILITIES
from cnig_share.resources.forms import choices

QUESTION_ROW = re.compile(r"questions-\d+-text")


class QuestionForm(wtforms.Form):
    """One question row, nested in the consultation form."""

    class Meta:
        locales = FRENCH

    text = TextAreaField("Question", validators=fields.QUESTION.validators())
    kind = SelectField("Réponse attendue", choices=choices(QUESTION_TYPES.items()), default="text")


class ConsultationForm(VersionedForm):
    title = StringField("Titre", validators=fields.TITLE.validators())
    context = TextAreaField(
        "Contexte",
        description="En Markdown : ce qui est soumis aux CTD, pourquoi, et ce qu'on attend d'eux.",
        validators=fields.CONTEXT.validators(),
    )
    questions = FieldList(
        FormField(QuestionForm),
        min_entries=fields.MAX_QUESTIONS,
        max_entries=fields.MAX_QUESTIONS,
    )
    all_ctds = BooleanField("Consulter tous les CTD")
    ctds = SelectMultipleField("CTD consultés", coerce=int, validate_choice=True)
    actors = SelectMultipleField(
        "Acteurs nationaux qui portent le projet ou sont concernés",
        coerce=int,
        validate_choice=True,
    )
    terms = SelectMultipleField("Termes du glossaire", coerce=int, validate_choice=True)
    opens_on = DateField(
        "Date d'ouverture",
        description="Laisser vide tant que la consultation est en préparation.",
        validators=[Optional()],
    )
    closes_on = DateField(
        "Date de clôture",
        description="La consultation ferme à 23 h 59 min 59 s (heure de Paris) ce jour-là.",
        validators=[DataRequired("Indiquez la date de clôture (jj/mm/aaaa ou aaaa-mm-jj).")],
    )
    visibility = RadioField(
        "Les contributions deviennent publiques",
        choices=choices(VISIBILITIES.items()),
        default="closing",
    )
    documents = MultipleFileField(
        "Documents",
        description="PDF, ODT, DOCX, tableurs, CSV, TXT ou images ; 25 Mo au plus par fichier.",
    )

    # Once opened, questions and consulted CTDs are fixed: the form leaves them out.
    locked = False
    # Question rows filled in as posted: the FieldList keeps the first MAX_QUESTIONS
    # and drops the others silently, so an eleventh would be lost, not refused.
    posted_questions = 0

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        posted = self.meta.wrap_formdata(self, formdata)
        if posted is not None:
            # A file is a document or nothing: a file part named like a text field
            # would reach code that reads text.
            posted = MultiDict(
                (key, value)
                for key, value in posted.items(multi=True)
                if isinstance(value, str) or key == "documents"
            )
            self.posted_questions = sum(
                1
                for key in posted
                if QUESTION_ROW.fullmatch(key) and (posted.get(key) or "").strip()
            )
        super().process(posted, obj, data=data, extra_filters=extra_filters, **kwargs)

    def question_pairs(self) -> list[tuple[str, str]]:
        """The filled-in questions, in order."""
        return [
            (entry.text.data.strip(), entry.kind.data)
            for entry in self.questions
            if (entry.text.data or "").strip()
        ]

    def validate_questions(self, field: FieldList) -> None:
        if self.locked:
            return
        if self.posted_questions > fields.MAX_QUESTIONS:
            raise ValidationError(f"Posez {fields.MAX_QUESTIONS} questions au plus.")
        if not self.question_pairs():
            raise ValidationError("Posez au moins une question.")

    def chosen_ctds(self, every_ctd: list[int]) -> list[int]:
        return every_ctd if self.all_ctds.data else list(self.ctds.data or [])

    def validate_ctds(self, field: SelectMultipleField) -> None:
        if not self.locked and not self.all_ctds.data and not field.data:
            raise ValidationError("Choisissez les CTD consultés, ou « tous les CTD ».")

    def validate_closes_on(self, field: DateField) -> None:
        if field.data and self.opens_on.data and field.data < self.opens_on.data:
            raise ValidationError("La date de clôture doit suivre la date d'ouverture.")


class AnswerForm(Form):
    """A CTD's answer to one question; `version` is the answer's, as loaded."""

    version = HiddenField()
    position = RadioField(
        "Position du comité",
        choices=choices(POSITIONS.items()),
        validators=[Optional()],
        validate_choice=True,
    )
    text = TextAreaField("Réponse", validators=fields.ANSWER.validators())


class DeclineForm(Form):
    reason = TextAreaField(
        "Pourquoi le comité ne répond pas",
        description="Affiché dans le tableau de la synthèse.",
        validators=fields.DECLINE_REASON.validators(),
    )


class SynthesisForm(VersionedForm):
    synthesis = TextAreaField(
        "Synthèse",
        description="En Markdown. Publiée, elle est lue avec les positions agrégées.",
        validators=fields.SYNTHESIS.validators(),
    )
