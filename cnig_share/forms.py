"""The base of every form: WTForms' own messages in French."""

from __future__ import annotations

import wtforms
from flask_wtf import FlaskForm
from wtforms.validators import ValidationError

from cnig_share import markdown

FRENCH = ("fr_FR", "fr")


class Form(FlaskForm):
    """A Flask-WTF form (CSRF included) whose built-in messages are French."""

    class Meta:
        locales = FRENCH


def renders_in_time(form: wtforms.Form, field: wtforms.Field) -> None:
    """A Markdown field: its text must render within MARKDOWN_RENDER_BUDGET."""
    if field.errors:  # already refused (too long): not worth a render
        return
    message = markdown.refusal(field.data)
    if message:
        raise ValidationError(message)
