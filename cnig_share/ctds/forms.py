"""The form that sets where a CTD stands."""

from __future__ import annotations

from wtforms import DateField, RadioField
from wtforms.validators import InputRequired, Optional

from cnig_share.forms import VersionedForm
from cnig_share.models import CTD_STAGES
from cnig_share.resources.forms import choices


class StageForm(VersionedForm):
    stage = RadioField(
        "Étape du comité",
        choices=choices((value, label.capitalize()) for value, label in CTD_STAGES.items()),
        validators=[InputRequired("Choisissez une étape.")],
    )
    installed_on = DateField(
        "Date d'installation (facultatif)",
        description="Pour un comité constitué : le jour de sa séance d'installation.",
        validators=[Optional()],
    )
