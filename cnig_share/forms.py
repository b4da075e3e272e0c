"""The base of every form: WTForms' own messages in French."""

from __future__ import annotations

from flask_wtf import FlaskForm

FRENCH = ("fr_FR", "fr")


class Form(FlaskForm):
    """A Flask-WTF form (CSRF included) whose built-in messages are French."""

    class Meta:
        locales = FRENCH
