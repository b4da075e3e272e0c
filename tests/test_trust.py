"""Hostile input must cost little and change nothing (issue 14): bounded
diffs and JSON bodies, and what the site trusts (mail, JSON-LD contexts,
sign-in counters, the Host header, web addresses)."""

from __future__ import annotations

import time

import pytest

from cnig_share.extensions import db
from cnig_share.models import Resource, Revision
from tests import factories


def similar_lines(count: int, place: str) -> str:
    """Lines that all differ but look alike: ndiff's worst case."""
    return "\n".join(
        f"Donnée territoriale n° {i * 7919 % count} du CTD {place}." for i in range(count)
    )


def published_with_two_revisions(app, old: str, new: str) -> tuple[int, int, int]:
    with app.app_context():
        resource_id = factories.resource(status="published", body=new)
        resource = db.session.get(Resource, resource_id)
        revisions = [Revision(resource=resource, title=resource.title, body=b) for b in (old, new)]
        db.session.add_all(revisions)
        db.session.commit()
        return resource_id, revisions[0].id, revisions[1].id


@pytest.mark.parametrize("count", [400, 700])
def test_comparing_long_similar_revisions_is_quick_for_a_visitor(app, client, count):
    resource_id, old, new = published_with_two_revisions(
        app, similar_lines(count, "Bretagne"), similar_lines(count, "Corse")
    )
    started = time.perf_counter()
    response = client.get(f"/ressources/{resource_id}/historique/comparer?de={old}&a={new}")
    assert time.perf_counter() - started < 2
    assert response.status_code == 200
    assert "Retiré : " in response.get_data(as_text=True)


def test_revisions_past_the_cap_are_shown_side_by_side(app, client):
    app.config["REVISION_DIFF_MAX_LINES"] = 100
    resource_id, old, new = published_with_two_revisions(
        app,
        similar_lines(150, "Bretagne") + "\nAncienne fin.",
        similar_lines(150, "Corse") + "\nNouvelle fin.",
    )
    response = client.get(f"/ressources/{resource_id}/historique/comparer?de={old}&a={new}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "trop long pour être comparé" in html
    assert "Ancienne fin." in html and "Nouvelle fin." in html
    assert "Retiré : " not in html
