"""The rules of what people write in discussions and reports, defined once for
the forms, the services and the OpenAPI document."""

from __future__ import annotations

import re

from cnig_share.rules import Text

TITLE = Text(
    200,
    required="Donnez un titre à la discussion.",
    too_long="Le titre ne doit pas dépasser 200 caractères.",
)
BODY = Text(
    10_000,
    required="Écrivez votre message.",
    too_long="Le message ne doit pas dépasser 10 000 caractères.",
    markdown=True,
    description="Markdown (rendu et nettoyé à l'enregistrement)",
)
REPORT_COMMENT = Text(1_000, too_long="Le commentaire ne doit pas dépasser 1 000 caractères.")
HIDE_REASON = Text(
    300,
    required="Donnez la raison : elle est affichée à la place du message.",
    too_long="La raison ne doit pas dépasser 300 caractères.",
)

# Accounts without a CTD membership may put this many links in a message (spam).
MAX_LINKS_WITHOUT_CTD = 5
TOO_MANY_LINKS = (
    f"Un message peut contenir au plus {MAX_LINKS_WITHOUT_CTD} liens tant que votre compte "
    "n'est membre d'aucun CTD."
)
# A link in the rendered message, or an address the reader's mail client or
# browser would make one of.
_ANCHOR = re.compile(r"<a\s", re.IGNORECASE)
_ADDRESS = re.compile(r"(?i)\b(?:[a-z][a-z0-9+.-]{1,15}://|www\.)")


def link_count(body: str, body_html: str) -> int:
    """How many links a message holds: the rendered anchors, or the addresses
    typed, whichever is more (an address in code is still a link to copy)."""
    return max(len(_ANCHOR.findall(body_html)), len(_ADDRESS.findall(body)))
