"""URL builders compiled once per test process instead of once per app.

Werkzeug turns each URL rule into two Python functions (with and without unknown
arguments) by building and compiling an AST: for this site's ~180 rules that is most
of `create_app`'s cost (0.2 s of CPU of 0.25 s here), paid again by each of the suite's
thousands of apps. The functions depend only on the rule's text, its parsed parts and
its defaults, the same in every app of the process, so each is compiled once and bound
to every new rule alike (a builder reads its rule's converters through `self`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from werkzeug.routing import Rule

Builder = Callable[..., tuple[str, str]]


class SharedBuilderRule(Rule):
    _builders: ClassVar[dict[tuple, Builder]] = {}

    def _compile_builder(self, append_unknown: bool = True) -> Builder:
        defaults = sorted((name, repr(value)) for name, value in (self.defaults or {}).items())
        key = (self.rule, tuple(self._trace), tuple(defaults), append_unknown)
        if key not in self._builders:
            self._builders[key] = super()._compile_builder(append_unknown)
        return self._builders[key]
