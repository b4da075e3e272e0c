"""One ?page= reader and one pagination: every listing reads bad input alike,
and shows the same accessible DSFR navigation."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from cnig_share.extensions import db
from cnig_share.models import AuditEvent, NationalActor, Resource
from tests import factories
from tests.conftest import AuthActions, csrf_token_from

CURATOR = "veille@cnig.fr"
BAD_PAGES = ["abc", "-1", "0", "99999999999999999999", "²", "1.5", ""]
# (listing, query arguments kept across pages, text of an item)
LISTINGS = [
    ("/ressources/", "kind=bonne-pratique", "Fiche "),
    ("/recherche", "q=fiche", "Fiche "),
    ("/curation/journal", "action=resource.publish", "Décision prise"),
]


@pytest.fixture
def curator(app, make_user):
    """A curator's client; 25 published resources and 120 audit events: three pages each."""
    make_user(CURATOR, "curator")
    with app.app_context():
        bretagne, actor = factories.ctd("bretagne"), factories.user(CURATOR)
        for number in range(25):
            day = datetime(2026, 1, 1 + number, 9, tzinfo=UTC)
            db.session.add(
                Resource(title=f"Fiche {number:02}", kind="bonne-pratique", ctd=bretagne,
                         status="published", published_at=day, summary="Une fiche.")
            )  # fmt: skip
        for _ in range(120):
            event = AuditEvent(actor=actor, action="resource.publish", target_type="resource")
            db.session.add(event)
            event.comment = "Décision prise"
        db.session.commit()
    client = app.test_client()
    AuthActions(client).login(CURATOR)
    return client


def current_page(html: str) -> int:
    return int(re.search(r'aria-current="page" title="Page (\d+)"', html).group(1))


@pytest.mark.parametrize("value", BAD_PAGES)
@pytest.mark.parametrize(("path", "kept", "item"), LISTINGS)
def test_a_page_argument_that_is_not_a_page_shows_the_first(curator, path, kept, item, value):
    response = curator.get(f"{path}?{kept}&page={value}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert current_page(html) == 1 and item in html


@pytest.mark.parametrize(("path", "kept", "item"), LISTINGS)
def test_a_page_past_the_end_is_an_empty_page(curator, path, kept, item):
    response = curator.get(f"{path}?{kept}&page=9")
    assert response.status_code == 200
    assert item not in response.get_data(as_text=True).split('role="status"')[1]


@pytest.mark.parametrize(("path", "kept", "item"), LISTINGS)
def test_every_listing_has_the_same_accessible_pagination(curator, path, kept, item):
    html = curator.get(f"{path}?{kept}&page=2").get_data(as_text=True)
    nav = re.search(r'<nav role="navigation" class="fr-pagination[^>]*>.*?</nav>', html, re.S)
    assert nav is not None and 'aria-label="Pages ' in nav.group()
    links = dict(re.findall(r'class="fr-pagination__link ([^"]*)" href="([^"]+)"', nav.group()))
    assert "page=1" in links["fr-pagination__link--first"]
    assert "page=1" in links["fr-pagination__link--prev fr-pagination__link--lg-label"]
    assert "page=3" in links["fr-pagination__link--last"]
    # Without JavaScript: plain links that keep the listing's other arguments.
    assert all(kept in href for href in links.values())
    assert current_page(nav.group()) == 2 and nav.group().count('aria-current="page"') == 1
    # Only the search fetches its pages with htmx, into its results.
    assert ('hx-target="#results"' in nav.group()) is (path == "/recherche")


def test_on_the_first_page_first_and_previous_are_disabled(curator):
    html = curator.get("/ressources/").get_data(as_text=True)
    assert re.search(r'fr-pagination__link--first" aria-disabled="true"', html)
    assert re.search(r'fr-pagination__link--prev[^"]*" aria-disabled="true"', html)
    assert 'fr-pagination__link--last" href="/ressources/?page=3"' in html


@pytest.mark.parametrize("value", [*BAD_PAGES, "100001"])
def test_the_api_refuses_a_page_that_is_not_one(curator, value):
    response = curator.get(f"/api/v1/resources?page={value}")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_parameter"


def test_the_api_answers_a_page_past_the_end_with_an_empty_list(curator):
    answer = curator.get("/api/v1/resources?page=9&per_page=10").get_json()
    assert answer["resources"] == [] and answer["total"] == 25
    assert answer["links"]["next"] is None and "page=8" in answer["links"]["prev"]


@pytest.fixture
def long_lists(app, curator):
    """70 resources awaiting review (3 pages of the queue) and 120 national actors
    (3 pages of the directory)."""
    with app.app_context():
        bretagne, corse = factories.ctd("bretagne"), factories.ctd("corse")
        for number in range(70):
            db.session.add(
                Resource(title=f"Proposition {number:02}", kind="document", status="submitted",
                         ctd=bretagne if number % 2 else corse, summary="À relire.",
                         submitted_at=datetime(2026, 2, 1, 9, number % 60, tzinfo=UTC))
            )  # fmt: skip
        for number in range(120):
            db.session.add(NationalActor(slug=f"acteur-{number:03}", name=f"Acteur {number:03}",
                                         type="operateur-national"))  # fmt: skip
        db.session.commit()
    return curator


def titles_in(html: str, prefix: str) -> set[str]:
    return set(re.findall(rf"{prefix} \d+", html))


def test_the_review_queue_is_paginated_and_keeps_its_filters(long_lists):
    first = long_lists.get("/curation/").get_data(as_text=True)
    assert len(titles_in(first, "Proposition")) == 30 and "70</span>" in first
    assert 'href="/curation/?page=3"' in first
    filtered = long_lists.get("/curation/?ctd=bretagne&page=2").get_data(as_text=True)
    assert current_page(filtered) == 2 and len(titles_in(filtered, "Proposition")) == 5
    assert "35 sur 70" in filtered
    assert re.search(
        r'href="/curation/\?(ctd=bretagne&amp;page=1|page=1&amp;ctd=bretagne)"', filtered
    )
    for value in BAD_PAGES:
        assert current_page(long_lists.get(f"/curation/?page={value}").get_data(as_text=True)) == 1
    past = long_lists.get("/curation/?page=9")
    assert past.status_code == 200 and not titles_in(past.get_data(as_text=True), "Proposition")


def test_the_national_actors_directory_is_paginated(long_lists, client):
    first = client.get("/acteurs/").get_data(as_text=True)
    assert len(titles_in(first, "Acteur")) == 50 and "Acteur 000" in first
    third = client.get("/acteurs/?page=3").get_data(as_text=True)
    assert current_page(third) == 3 and titles_in(third, "Acteur") == {
        f"Acteur {number:03}" for number in range(100, 120)
    }
    for value in BAD_PAGES:
        assert current_page(client.get(f"/acteurs/?page={value}").get_data(as_text=True)) == 1
    assert client.get("/acteurs/?page=9").status_code == 200


# --- the consultations, the reports and the acronyms, 20 to a page ------------------------


def test_the_consultations_are_paginated_with_each_pages_section_headings(app, curator):
    from cnig_share.consultations import services
    from cnig_share.consultations.states import paris_day

    with app.test_request_context():
        for number in range(25):  # one open, then 24 in preparation (listed last)
            data = services.ConsultationInput(
                title=f"Consultation {number:02}",
                context="Un projet soumis aux CTD.",
                questions=[("Remarques", "text")],
                ctd_ids=[factories.ctd("bretagne").id],
                opens_on=paris_day() if number == 0 else None,
                closes_on=paris_day() + timedelta(days=20 + number),
            )
            services.create(data, factories.user(CURATOR))
        db.session.commit()
    first = curator.get("/consultations/").get_data(as_text=True)
    assert len(titles_in(first, "Consultation")) == 20
    assert first.index(">Ouvertes</h2>") < first.index(">En préparation (équipe du CNIG)</h2>")
    assert 'href="/consultations/?page=2"' in first
    assert 'aria-label="Pages des consultations"' in first
    second = curator.get("/consultations/?page=2").get_data(as_text=True)
    assert current_page(second) == 2 and len(titles_in(second, "Consultation")) == 5
    # The section a page starts in is named again; the one ended on page 1 is not.
    assert ">En préparation (équipe du CNIG)</h2>" in second and ">Ouvertes</h2>" not in second
    past = curator.get("/consultations/?page=9").get_data(as_text=True)
    assert not titles_in(past, "Consultation") and "au-delà de la dernière" in past


def test_the_reports_are_paginated_by_reported_object(app, curator):
    from cnig_share.models import Report

    with app.app_context():
        reporter = factories.user(CURATOR)
        for number in range(25):
            resource_id = factories.publish(f"Signalée {number:02}")
            db.session.add(Report(reporter=reporter, target_type="resource",
                                  target_id=resource_id, reason="obsolete"))  # fmt: skip
        db.session.commit()
    first = curator.get("/curation/signalements").get_data(as_text=True)
    assert len(titles_in(first, "Signalée")) == 20 and "25 objets signalés" in first
    assert 'href="/curation/signalements?page=2"' in first
    second = curator.get("/curation/signalements?page=2").get_data(as_text=True)
    assert current_page(second) == 2 and len(titles_in(second, "Signalée")) == 5


def test_each_section_of_the_acronyms_pages_on_its_own(app, curator):
    from cnig_share.models import AcronymProposal

    with app.app_context():
        for number in range(45):
            status = "proposed" if number < 25 else "accepted"
            db.session.add(AcronymProposal(
                acronym=f"SIG{number:02}", expansion="système d'information géographique",
                acronym_key=f"sig{number:02}", expansion_key="systeme information geographique",
                resource_count=100 - number, status=status,
                accepted_as="site" if status == "accepted" else None,
            ))  # fmt: skip
        db.session.commit()
    first = curator.get("/curation/synonymes/").get_data(as_text=True)
    assert acronyms_in(first) == {f"SIG{n:02}" for n in [*range(20), *range(25, 45)]}
    assert "À décider (25)" in first and "Acceptés (20)" in first
    assert 'href="/curation/synonymes/?page=2"' in first
    assert "page_acceptes" not in first  # the accepted fit on one page
    second = curator.get("/curation/synonymes/?page=2").get_data(as_text=True)
    # Page 2 of the proposals; the accepted stay on their first page.
    assert acronyms_in(second) == {f"SIG{n:02}" for n in range(20, 45)}
    accepted = curator.get("/curation/synonymes/?page_acceptes=2").get_data(as_text=True)
    assert acronyms_in(accepted) == {f"SIG{n:02}" for n in range(20)}

    # A decision made on page 2 comes back to page 2.
    with app.app_context():
        sig20 = db.session.scalar(
            select(AcronymProposal.id).where(AcronymProposal.acronym == "SIG20")
        )
    action = f"/curation/synonymes/{sig20}?page=2"
    assert f'action="{action}"' in second
    decided = curator.post(action, data={"csrf_token": csrf_token_from(second), "decision": "site"})
    assert decided.status_code == 303
    assert decided.headers["Location"].endswith("/curation/synonymes/?page=2")


def acronyms_in(html: str) -> set[str]:
    return set(re.findall(r"SIG\d\d", html))
