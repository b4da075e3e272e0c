"""Account forms (Flask-WTF: each carries its CSRF token)."""

from __future__ import annotations

from wtforms import EmailField, Field, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from cnig_share.accounts.services import MIN_PASSWORD_LENGTH, AccountError, check_password_strength
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


class ForgotPasswordForm(Form):
    email = EmailField(
        "Adresse électronique",
        description="Celle de votre compte. Format attendu : nom@domaine.fr",
        validators=[
            DataRequired("Saisissez l'adresse électronique de votre compte."),
            Length(max=254, message="Une adresse électronique compte au plus 254 caractères."),
            Email("Saisissez une adresse électronique valide, par exemple nom@domaine.fr."),
        ],
    )


def _strong_enough(form: Form, field: Field) -> None:
    try:
        check_password_strength(field.data or "")
    except AccountError as error:
        raise ValidationError(str(error)) from None


class NewPasswordForm(Form):
    password = PasswordField(
        "Nouveau mot de passe",
        description=f"Au moins {MIN_PASSWORD_LENGTH} caractères ; une phrase facile à retenir "
        "convient très bien.",
        validators=[
            DataRequired("Saisissez un nouveau mot de passe."),
            Length(max=1024, message="Le mot de passe compte au plus 1 024 caractères."),
            _strong_enough,
        ],
    )
    confirm = PasswordField(
        "Confirmez le nouveau mot de passe",
        validators=[
            DataRequired("Saisissez de nouveau le mot de passe."),
            EqualTo("password", "Les deux mots de passe ne sont pas identiques."),
        ],
    )


class LogoutForm(Form):
    """Empty: sign-out is a POST, and the form brings the CSRF token."""


class TokenForm(Form):
    name = StringField(
        "Nom du jeton",
        description="À quoi il servira, par exemple « portail de la région ».",
        validators=[DataRequired("Donnez un nom au jeton."), Length(max=100)],
    )


class ProfileForm(Form):
    name = StringField(
        "Nom",
        description="Tel qu'il s'affiche aux autres membres.",
        validators=[Length(max=200, message="Le nom compte au plus 200 caractères.")],
    )
    organisation = StringField(
        "Organisation",
        description="Par exemple : DREAL Bretagne, conseil départemental du Gers.",
        validators=[Length(max=200, message="L'organisation compte au plus 200 caractères.")],
    )


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(
        "Mot de passe actuel",
        validators=[DataRequired("Saisissez votre mot de passe actuel."), Length(max=1024)],
    )


class DeleteAccountForm(Form):
    password = PasswordField(
        "Votre mot de passe",
        description="Pour confirmer que c'est bien vous.",
        validators=[DataRequired("Saisissez votre mot de passe pour confirmer."), Length(max=1024)],
    )
