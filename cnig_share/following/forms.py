"""The email preferences: a mode per kind of event, and the digest's period."""

from __future__ import annotations

from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from cnig_share.following import notifications, services, sources
from cnig_share.forms import Form
from cnig_share.models import NOTIFICATION_MODES, PERIODS, User


def preferences_form(user: User, submitted: bool = False):
    """A form with one radio group per source in the registry, filled with the
    person's choices; with the request's values when it is the one submitted."""

    class PreferencesForm(Form):
        period = RadioField(
            "Fréquence du résumé",
            choices=[SelectChoice(value, label.capitalize()) for value, label in PERIODS.items()],
            validators=[DataRequired("Choisissez une fréquence.")],
        )

    for name, source in sources.SOURCES.items():
        setattr(
            PreferencesForm,
            f"mode_{name}",
            RadioField(
                source.label,
                choices=[SelectChoice(value, label) for value, label in NOTIFICATION_MODES.items()],
                validators=[DataRequired("Choisissez un mode.")],
            ),
        )
    settings = services.settings_of(user)
    data = {f"mode_{name}": mode for name, mode in notifications.modes_of(settings).items()}
    data["period"] = settings.period if settings else "weekly"
    if submitted:
        return PreferencesForm(data=data)
    return PreferencesForm(formdata=None, data=data)
