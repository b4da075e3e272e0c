"""Field rules written once: a text's length limit, whether it is required or
Markdown, and the web-address rule. Each rule gives the WTForms validators of
a form, the French reason an import or the API refuses a value, and the JSON
Schema the OpenAPI document publishes, so the three cannot drift apart."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import wtforms
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from cnig_share import markdown
from cnig_share.forms import renders_in_time
from cnig_share.urls import WEB_URL_MESSAGE, WEB_URL_PATTERN, is_web_url

IMPORT_WEB_URL_MESSAGE = "adresse web complète attendue (https://…)"


def web_url(form: wtforms.Form, field: wtforms.Field) -> None:
    """Only http and https links: no javascript:, data: or file: URLs."""
    value = (field.data or "").strip()
    if value and not is_web_url(value):
        raise ValidationError(WEB_URL_MESSAGE)


@dataclass(frozen=True)
class Text:
    """A text field: at most `max_length` characters, counted as typed."""

    max_length: int
    required: str | None = None  # the form's sentence when it is missing; None: optional
    too_long: str | None = None  # the form's sentence when too long; None: WTForms' French one
    markdown: bool = False
    description: str | None = None  # for the OpenAPI document

    def validators(self) -> list[Any]:
        """The WTForms validators of this rule."""
        rules: list[Any] = [DataRequired(self.required)] if self.required else []
        rules.append(Length(max=self.max_length, message=self.too_long))
        return [*rules, renders_in_time] if self.markdown else rules

    def refusal(self, value: Any) -> str | None:
        """Why an imported value breaks the rule (French, for the API), or None."""
        if not isinstance(value, str):
            return "texte attendu"
        if len(value) > self.max_length:
            return f"{self.max_length} caractères au plus"
        if self.required and not value.strip():
            return "champ obligatoire"
        return markdown.refusal(value) if self.markdown else None

    def schema(self) -> dict[str, Any]:
        """The JSON Schema of this rule."""
        schema: dict[str, Any] = {"type": "string", "maxLength": self.max_length}
        return {**schema, "description": self.description} if self.description else schema


@dataclass(frozen=True)
class WebUrl:
    """An optional web address (http or https with a host), at most `max_length` characters."""

    max_length: int

    def validators(self) -> list[Any]:
        """The WTForms validators of this rule."""
        return [Optional(), Length(max=self.max_length), web_url]

    def refusal(self, value: Any) -> str | None:
        """Why an imported address breaks the rule (French), or None."""
        if not isinstance(value, str):
            return "texte attendu"
        if len(value) > self.max_length or not is_web_url(value.strip()):
            return IMPORT_WEB_URL_MESSAGE
        return None

    def schema(self) -> dict[str, Any]:
        """The JSON Schema of this rule, as far as a pattern can tell it."""
        return {
            "type": "string",
            "format": "uri",
            "pattern": WEB_URL_PATTERN,
            "maxLength": self.max_length,
        }


# What a mail client would turn into a link: a scheme ("https://", "mailto:") or "www.".
_LINK = re.compile(r"(?i)\b(?:[a-z][a-z0-9+.-]{1,15}://|www\.|mailto:)")
PERSONAL_MESSAGE_LINK = (
    "Le message ne peut pas contenir de lien : décrivez où trouver l'information."
)


def no_link(form: wtforms.Form, field: wtforms.Field) -> None:
    """Refuse a web address in a message sent to other people's inboxes."""
    if _LINK.search(field.data or ""):
        raise ValidationError(PERSONAL_MESSAGE_LINK)


@dataclass(frozen=True)
class PersonalMessage:
    """A note one person writes into other people's inboxes (an invitation's,
    a join request's): plain text, short, and without web addresses, since the
    site's name would vouch for a link it did not choose. `mail.quoted_message`
    defangs what still looks like a domain when it is sent."""

    max_length: int = 500

    def validators(self) -> list[Any]:
        """The WTForms validators of this rule."""
        too_long = f"Le message ne doit pas dépasser {self.max_length} caractères."
        return [Optional(), Length(max=self.max_length, message=too_long), no_link]

    def refusal(self, value: Any) -> str | None:
        """Why a message breaks the rule (French), or None."""
        if not isinstance(value, str):
            return "texte attendu"
        if len(value) > self.max_length:
            return f"{self.max_length} caractères au plus"
        return PERSONAL_MESSAGE_LINK if _LINK.search(value) else None
