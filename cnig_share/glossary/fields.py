"""A glossary term's fields, defined once: the curator's form and the checks
every save goes through (services.py, which imports share) read them here."""

from __future__ import annotations

from cnig_share.rules import Text

PREF_LABEL = Text(200, required="Le libellé préféré est obligatoire.")
ALT_LABELS = Text(5000)  # the form's box, one label per line
LABEL_LIMIT = PREF_LABEL.max_length  # each label, preferred or alternative
DEFINITION = Text(20_000, required="La définition est obligatoire.", markdown=True)
SCOPE_NOTE = Text(5000)
SOURCE = Text(500)
