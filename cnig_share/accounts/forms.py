"""Account forms (Flask-WTF: each carries its CSRF token)."""

from __future__ import annotations

from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from cnig_share.forms import Form


class LoginForm(Form):
    email = EmailField(
        "Adresse électronique",
        validators=[DataRequired("Saisissez votre adresse électronique."), Length(max=254)],
        description="Format attendu : nom@domaine.fr",
    )
    password = PasswordField(
        "Mot de passe",
        validators=[DataRequired("Saisissez votre mot de passe."), Length(max=1024)],
    )
    next = HiddenField()


class LogoutForm(Form):
    """Empty: sign-out is a POST, and the form brings the CSRF token."""


class TokenForm(Form):
    name = StringField(
        "Nom du jeton",
        description="À quoi il servira, par exemple « portail de la région ».",
        validators=[DataRequired("Donnez un nom au jeton."), Length(max=100)],
    )
