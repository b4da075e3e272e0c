"""The alert form: an address and a frequency, nothing else."""

from __future__ import annotations

from wtforms import EmailField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length

from cnig_share.forms import Form
from cnig_share.models import PERIODS


class SubscribeForm(Form):
    email = EmailField(
        "Adresse électronique",
        description="Format attendu : nom@domaine.fr",
        validators=[
            DataRequired("Indiquez l'adresse qui recevra les alertes."),
            Length(max=320),
            Email("Saisissez une adresse électronique valide, par exemple nom@domaine.fr."),
        ],
    )
    period = RadioField(
        "Fréquence",
        choices=[SelectChoice(value, label.capitalize()) for value, label in PERIODS.items()],
        default="weekly",
        validators=[DataRequired("Choisissez une fréquence.")],
    )
