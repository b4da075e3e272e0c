"""The workspace's fields, defined once: its forms and its JSON Lines import
(workspace/exchange.py) read their limits and rules here."""

from __future__ import annotations

from cnig_share.rules import Text, WebUrl

ACTOR_NAME = Text(200, required="Indiquez le nom de l'organisation.")
ACTOR_WEBSITE = WebUrl(500)
ACTOR_DESCRIPTION = Text(20_000, markdown=True)

ROADMAP_BODY = Text(100_000, too_long="100 000 caractères au plus.", markdown=True)
ROADMAP_NOTE = Text(300, too_long="300 caractères au plus.")

CHAIR = Text(300)  # a governance co-chair: a person or a position
MEMBER_NAMES = Text(20_000)  # organisations or thematic groups, one per line

PROJECT_TITLE = Text(300, required="Donnez un titre au projet.")
PROJECT_DESCRIPTION = Text(50_000, markdown=True)
PARTNERS = Text(10_000)  # one organisation per line
PROJECT_RESOURCES = Text(2000)  # the form's field of resource numbers or addresses
AVOIDED_COST_METHOD = Text(5000, markdown=True)
# The project form shows this many actor rows at most; an import with more
# would leave a project whose edit form cannot hold them.
MAX_PROJECT_ACTORS = 40

COST_NOTE = Text(5000)
