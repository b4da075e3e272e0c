"""The curators' selection forms."""

from __future__ import annotations

from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from cnig_share.forms import Form, VersionedForm, renders_in_time


class SelectionForm(VersionedForm):
    title = StringField(
        "Titre",
        validators=[DataRequired("Le titre est obligatoire."), Length(max=300)],
    )
    introduction = TextAreaField(
        "Introduction",
        description="En Markdown : ce que la veille a retenu ce mois-ci, et pourquoi.",
        validators=[Length(max=20_000), renders_in_time],
    )
    published_on = DateField(
        "Date de publication",
        description="Vide : la sélection reste en préparation, visible de l'équipe seulement.",
        validators=[Optional()],
    )


class ItemForm(Form):
    resource = StringField(
        "Ressource à ajouter",
        description="Son numéro ou son adresse, par exemple /ressources/42.",
        validators=[DataRequired("Indiquez la ressource à ajouter."), Length(max=500)],
    )
    note = TextAreaField(
        "Note (facultative)", description="Pourquoi cette ressource figure dans la sélection.",
        validators=[Length(max=1000)],
    )  # fmt: skip
