"""The base of every form: WTForms' own messages in French."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField

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
