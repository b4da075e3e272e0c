"""The base of every form: WTForms' own messages in French."""

from __future__ import annotations

import wtforms
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import ValidationError

from cnig_share import markdown
from cnig_share.conflicts import parse_version

FRENCH = ("fr_FR", "fr")


class Form(FlaskForm):
    """A Flask-WTF form (CSRF included) whose built-in messages are French."""

    class Meta:
        locales = FRENCH


class VersionedForm(Form):
    """An edit form that carries the version of what it was loaded from, so a
    save made from a page someone else's save has outdated is refused (409)."""

    version = HiddenField()

    def loaded_version(self) -> int | None:
        return parse_version(self.version.data)


def renders_in_time(form: wtforms.Form, field: wtforms.Field) -> None:
    """A Markdown field: its text must render within MARKDOWN_RENDER_BUDGET."""
    if field.errors:  # already refused (too long): not worth a render
        return
    message = markdown.refusal(field.data)
    if message:
        raise ValidationError(message)
