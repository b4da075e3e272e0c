"""The suite's own tools: what makes it faster must not change what it tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from werkzeug.routing import Map, Rule
from werkzeug.routing.converters import AnyConverter, NumberConverter

from cnig_share import create_app
from tests import databases
from tests.conftest import POSTGRES_URL, SETTINGS
from tests.url_builders import SharedBuilderRule


def sample_values(rule: Rule) -> dict[str, object]:
    """A value for each of the rule's arguments, and one it does not know."""
    values: dict[str, object] = {"page": 2, "q": "données ouvertes"}
    for name, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)[0]
        else:
            values[name] = 7 if isinstance(converter, NumberConverter) else "ctd-bretagne"
    return values


def new_app(folder: Path) -> Flask:
    """An app that is built but never touches its database (no backend to repeat)."""
    settings = {**SETTINGS, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'unused.db'}"}
    return create_app(settings, environ={"CNIG_SHARE_INSTANCE_PATH": str(folder)})


def test_apps_share_their_url_builders_and_build_what_werkzeug_builds(tmp_path):
    first, second = new_app(tmp_path / "first"), new_app(tmp_path / "second")
    assert first.url_rule_class is SharedBuilderRule
    rules = list(first.url_map.iter_rules())
    assert len(rules) > 100
    # Compiled once: the second app's rules use the first app's functions.
    for mine, theirs in zip(rules, second.url_map.iter_rules(), strict=True):
        assert mine.rule == theirs.rule
        assert mine._build.__func__ is theirs._build.__func__
        assert mine._build_unknown.__func__ is theirs._build_unknown.__func__
    # Werkzeug's own rules, compiled each alone, build the very same addresses.
    plain = Map(
        [Rule(r.rule, endpoint=r.endpoint, defaults=r.defaults, methods=r.methods) for r in rules],
        converters=first.url_map.converters,
    ).bind("localhost")
    shared = first.url_map.bind("localhost")
    for rule in rules:
        values, method = sample_values(rule), sorted(rule.methods or ["GET"])[0]
        built = shared.build(rule.endpoint, values, method=method)
        assert built == plain.build(rule.endpoint, values, method=method), rule.rule
    for app in (first, second):
        databases.close(app)


@pytest.mark.skipif(POSTGRES_URL is None, reason="SQLite files are each test's own")
def test_a_database_this_session_holds_cannot_be_claimed_by_another_session():
    assert POSTGRES_URL is not None
    assert databases.claim(POSTGRES_URL) is None
