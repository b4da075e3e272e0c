"""ProConnect's forms (Flask-WTF: each carries its CSRF token)."""

from __future__ import annotations

from wtforms import PasswordField
from wtforms.validators import DataRequired, Length

from cnig_share.forms import Form


class LinkPasswordForm(Form):
    password = PasswordField(
        "Mot de passe de votre compte CNIG Partage",
        description="Demandé une seule fois : ensuite, ProConnect suffira.",
        validators=[DataRequired("Saisissez le mot de passe de votre compte."), Length(max=1024)],
    )


class ConfirmDeletionForm(Form):
    """Empty: the button confirms, and the form brings the CSRF token."""
