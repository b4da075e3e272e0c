"""A consultation's fields and limits, defined once: its forms, the services that
check what they are given, and the demo read them here."""

from __future__ import annotations

from cnig_share.rules import Text

TITLE = Text(300, required="Donnez un titre à la consultation.")
CONTEXT = Text(50_000, too_long="50 000 caractères au plus.", markdown=True)
QUESTION = Text(1000, too_long="1 000 caractères au plus par question.")
MIN_QUESTIONS = 1
MAX_QUESTIONS = 10
# An answer to one question, and a CTD's reason to decline: plain text.
ANSWER = Text(10_000, too_long="10 000 caractères au plus par réponse.")
DECLINE_REASON = Text(2000, required="Dites pourquoi le comité ne répond pas.")
SYNTHESIS = Text(100_000, too_long="100 000 caractères au plus.", markdown=True)
