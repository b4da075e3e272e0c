"""The workspace forms: roadmap, governance, project, costs, national actor."""

from __future__ import annotations

import wtforms
from wtforms import (
    DateField,
    DecimalField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError

from cnig_share.forms import FRENCH, Form, VersionedForm
from cnig_share.models import ACTOR_ROLES, ACTOR_TYPES, PROJECT_STATUSES
from cnig_share.resources.forms import choices
from cnig_share.workspace.fields import (
    ACTOR_DESCRIPTION,
    ACTOR_NAME,
    ACTOR_WEBSITE,
    AVOIDED_COST_METHOD,
    CHAIR,
    COST_NOTE,
    MAX_PROJECT_ACTORS,
    MEMBER_NAMES,
    PARTNERS,
    PROJECT_DESCRIPTION,
    PROJECT_RESOURCES,
    PROJECT_TITLE,
    ROADMAP_BODY,
    ROADMAP_NOTE,
)

ACTOR_ROWS = 2  # empty rows offered below a project's actors
MAX_EUROS = 1_000_000_000
FIRST_YEAR, LAST_YEAR = 2000, 2100


class FrenchDecimalField(DecimalField):
    """A decimal typed the French way too: 1,5 as well as 1.5."""

    def process_formdata(self, valuelist: list) -> None:
        super().process_formdata([value.replace(",", ".").strip() for value in valuelist])


class RoadmapForm(VersionedForm):
    body = TextAreaField(
        "Feuille de route territoriale",
        description="En Markdown : axes, actions, calendrier. Chaque enregistrement garde une "
        "version.",
        validators=ROADMAP_BODY.validators(),
    )
    note = StringField(
        "Ce qui change (facultatif)",
        description="Une ligne, affichée dans l'historique.",
        validators=ROADMAP_NOTE.validators(),
    )


class GovernanceForm(VersionedForm):
    region_chair = StringField(
        "Coprésidence pour la Région",
        description="Personne ou fonction.",
        validators=CHAIR.validators(),
    )
    state_chair = StringField(
        "Coprésidence pour l'État",
        description="Personne ou fonction (préfecture de région, SGAR…).",
        validators=CHAIR.validators(),
    )
    organisations = TextAreaField(
        "Organisations membres", description="Une par ligne.", validators=MEMBER_NAMES.validators()
    )
    groups = TextAreaField(
        "Groupes thématiques", description="Un par ligne.", validators=MEMBER_NAMES.validators()
    )


def _text(value) -> str:
    return "" if value is None else str(value)


class ActorRoleForm(wtforms.Form):
    """One national actor with its part in the project (nested: no CSRF of its own)."""

    class Meta:
        locales = FRENCH

    # A row left out of the request is an empty row, not a bad choice.
    actor = SelectField("Acteur national", coerce=_text, validate_choice=False)
    role = SelectField(
        "Rôle",
        choices=choices([("", "Choisir un rôle"), *ACTOR_ROLES.items()]),
        coerce=_text,
        validate_choice=False,
    )

    def validate_actor(self, field: SelectField) -> None:
        if field.data and field.data not in {choice.value for choice in field.choices}:
            raise ValidationError("Choisissez un acteur de la liste.")

    def validate_role(self, field: SelectField) -> None:
        if self.actor.data and field.data not in ACTOR_ROLES:
            raise ValidationError("Choisissez le rôle de cet acteur.")
        if field.data and not self.actor.data:
            raise ValidationError("Choisissez l'acteur qui tient ce rôle, ou effacez le rôle.")


class ProjectForm(VersionedForm):
    title = StringField("Titre du projet", validators=PROJECT_TITLE.validators())
    description = TextAreaField(
        "Description", description="En Markdown.", validators=PROJECT_DESCRIPTION.validators()
    )
    status = SelectField("Avancement", choices=choices(PROJECT_STATUSES.items()), default="idee")
    start_date = DateField("Début", validators=[Optional()])
    end_date = DateField("Fin", validators=[Optional()])
    partners = TextAreaField(
        "Partenaires", description="Une organisation par ligne.", validators=PARTNERS.validators()
    )
    actors = FieldList(
        FormField(ActorRoleForm), min_entries=ACTOR_ROWS, max_entries=MAX_PROJECT_ACTORS
    )
    terms = SelectMultipleField("Termes du glossaire", coerce=int, validate_choice=True)
    resources = StringField(
        "Ressources liées",
        description="Numéros ou adresses de ressources publiées, séparés par des virgules "
        "(par exemple 12, /ressources/40).",
        validators=PROJECT_RESOURCES.validators(),
    )
    shared_with = SelectMultipleField(
        "Mutualisé avec d'autres CTD", coerce=str, validate_choice=True
    )
    avoided_cost_eur = IntegerField(
        "Coûts évités par la mutualisation (€)",
        description="Une estimation, en euros.",
        validators=[Optional(), NumberRange(0, MAX_EUROS, "Un montant entre 0 et 1 milliard.")],
    )
    avoided_cost_year = IntegerField(
        "Année de l'estimation",
        validators=[
            Optional(),
            NumberRange(FIRST_YEAR, LAST_YEAR, "Une année entre 2000 et 2100."),
        ],
    )
    avoided_cost_method = TextAreaField(
        "Méthode d'estimation",
        description="Comment le montant a été calculé : ce qu'aurait coûté chaque CTD seul, "
        "moins le coût partagé.",
        validators=AVOIDED_COST_METHOD.validators(),
    )

    def validate_end_date(self, field: DateField) -> None:
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError("La fin ne peut pas précéder le début.")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Checked here: the year's Optional() ends its own checks when it is empty.
        estimated = self.avoided_cost_eur.data is not None
        if estimated and self.avoided_cost_year.data is None and not self.avoided_cost_year.errors:
            self.avoided_cost_year.errors = [
                *self.avoided_cost_year.errors,
                "Indiquez l'année à laquelle ce montant se rapporte.",
            ]
            valid = False
        return valid

    def validate_avoided_cost_method(self, field: TextAreaField) -> None:
        if self.avoided_cost_eur.data is not None and not (field.data or "").strip():
            raise ValidationError("Expliquez comment ce montant a été estimé.")

    def actor_roles(self) -> list[tuple[str, str]]:
        """(actor slug, role) pairs filled in, without repeats."""
        pairs = [(e.actor.data, e.role.data) for e in self.actors if e.actor.data and e.role.data]
        return list(dict.fromkeys(pairs))


class CostForm(Form):
    year = IntegerField(
        "Année",
        validators=[
            DataRequired("Indiquez l'année."),
            NumberRange(FIRST_YEAR, LAST_YEAR, "Une année entre 2000 et 2100."),
        ],
    )
    staff_fte = FrenchDecimalField(
        "Temps de travail (ETP)",
        description="Équivalents temps plein consacrés au CTD, par exemple 1,5.",
        places=2,
        validators=[Optional(), NumberRange(0, 1000, "Entre 0 et 1 000 ETP.")],
    )
    day_rate_eur = IntegerField(
        "Coût d'une journée de travail (€)",
        validators=[Optional(), NumberRange(0, 100_000, "Entre 0 et 100 000 €.")],
    )
    days_per_fte = IntegerField(
        "Jours travaillés par ETP et par an",
        validators=[Optional(), NumberRange(1, 366, "Entre 1 et 366 jours.")],
    )
    tools_eur = IntegerField(
        "Outils (€)",
        description="Licences, hébergement, plateformes.",
        validators=[Optional(), NumberRange(0, MAX_EUROS, "Un montant entre 0 et 1 milliard.")],
    )
    events_eur = IntegerField(
        "Événements (€)",
        description="Réunions plénières, ateliers, communication.",
        validators=[Optional(), NumberRange(0, MAX_EUROS, "Un montant entre 0 et 1 milliard.")],
    )
    note = TextAreaField("Remarques", validators=COST_NOTE.validators())
    # "2025:1 2026:3": each recorded year's version when the form was loaded, so
    # a year someone recorded since then is not silently replaced.
    versions = HiddenField()

    def loaded_versions(self) -> dict[int, int] | None:
        """Year → version as loaded; None when the form sent none (older pages)."""
        if self.versions.data is None:
            return None
        pairs = (item.partition(":") for item in str(self.versions.data).split()[:200])
        return {
            int(year): int(version)
            for year, _, version in pairs
            if year.isdigit() and version.isdigit() and len(year + version) < 15
        }

    def keep_versions(self, versions: dict[int, int]) -> None:
        self.versions.data = " ".join(f"{year}:{version}" for year, version in versions.items())


class ActorForm(Form):
    name = StringField("Nom de l'organisation", validators=ACTOR_NAME.validators())
    type = SelectField(
        "Type",
        choices=choices([("", "Choisir un type"), *ACTOR_TYPES.items()]),
        validators=[DataRequired("Choisissez le type d'acteur.")],
    )
    website = StringField("Site web", validators=ACTOR_WEBSITE.validators())
    description = TextAreaField(
        "Description", description="En Markdown.", validators=ACTOR_DESCRIPTION.validators()
    )

    def validate_type(self, field: SelectField) -> None:
        if field.data not in ACTOR_TYPES:
            raise ValidationError("Choisissez le type d'acteur.")
