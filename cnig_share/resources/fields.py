"""A resource's fields, defined once: the form, the import and API checks
(resources/exchange.py) and the OpenAPI schemas read their limits and rules here."""

from __future__ import annotations

from cnig_share.models import DEFAULT_LICENCE
from cnig_share.rules import Text, WebUrl

TITLE = Text(
    300,
    required="Donnez un titre à la ressource.",
    too_long="Le titre ne doit pas dépasser 300 caractères.",
)
SUMMARY = Text(1000, too_long="Le résumé ne doit pas dépasser 1 000 caractères.")
BODY = Text(
    200_000,
    too_long="Le contenu est trop long (200 000 caractères au plus).",
    markdown=True,
    description="Markdown",
)
# The form offers LICENCES; an import may name any other licence (an
# imported resource keeps it when edited), within the column's length.
LICENCE = Text(200)
LICENCES = [DEFAULT_LICENCE, "ODbL 1.0", "CC BY 4.0", "CC BY-SA 4.0", "Tous droits réservés"]
TEXTS = {"title": TITLE, "summary": SUMMARY, "body": BODY, "licence": LICENCE}

LINK_TITLE = Text(300)
LINK_URL = WebUrl(2000)
# The form shows this many link rows at most; an import with more would
# leave a resource whose edit form cannot hold its links.
MAX_LINKS = 20

REQUIRED = ("title", "kind", "ctd")  # on creation; a PATCH requires nothing
FIELDS = {
    "title", "summary", "body", "kind", "ctd", "terms", "status", "published_at",
    "featured", "links", "licence", "attachments",
}  # fmt: skip
EXPORT_ONLY = {"id", "url", "created_at", "updated_at"}  # read back without complaint
