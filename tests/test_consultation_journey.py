"""A consultation in a real Chromium (issue 19): a curator opens it for three CTDs, two
members of one draft together (htmx saves one question at a time), the coordinator
submits in the CTD's name, the curator publishes the synthesis after closing, and a
visitor reads it and downloads the recueil. Every step is scanned by axe-core at
1280 px and at 375 px, where the page must not scroll sideways."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from cnig_share.consultations.states import paris_day
from cnig_share.extensions import db
from cnig_share.models import Consultation
from tests import factories
from tests.test_journeys import (  # noqa: F401 (open_page is a fixture)
    VIEWPORT,
    Journey,
    assert_accessible,
    assert_fits_a_phone,
    open_page,
    sign_in,
    watch_errors,
)

pytestmark = pytest.mark.browser

CURATOR = "veille@cnig.example.org"
COORDINATOR = "animatrice@bretagne.example.org"
MEMBER = "membre@bretagne.example.org"


def checked(journey: Journey, page: Page, step: str) -> None:
    """axe at 1280 px (and a screenshot), then axe and the width at 375 px."""
    journey.check(page, step)
    page.set_viewport_size({"width": 375, "height": 800})
    assert_accessible(page)
    page.set_viewport_size(VIEWPORT)
    assert_fits_a_phone(page)


def test_a_consultation_from_opening_to_its_synthesis(open_page, live_server, app, make_user):  # noqa: F811
    make_user(CURATOR, role="curator", name="Camille Veille")
    make_user(COORDINATOR, ctds=("bretagne",), name="Annaïg Animatrice")
    make_user(MEMBER, ctds=("bretagne",), name="Maël Membre")
    with app.app_context():
        factories.user(COORDINATOR).memberships[0].role = "coordinator"
        db.session.commit()
    base = live_server
    today = paris_day()

    # The curator opens a consultation for three CTDs.
    journey = Journey("consultation")
    curator = open_page()
    errors = watch_errors(curator)
    sign_in(curator, base, CURATOR, journey)
    curator.goto(base + "/consultations/nouvelle")
    checked(journey, curator, "nouvelle")
    curator.get_by_label("Titre", exact=True).fill("Programme LiDAR HD")
    curator.get_by_label("Contexte").fill("Les produits du **LiDAR HD** conviennent-ils ?")
    curator.get_by_label("Question 1", exact=True).fill("Les produits vous conviennent-ils ?")
    curator.get_by_label("Réponse attendue à la question 1", exact=True).select_option("position")
    curator.get_by_label("Question 2", exact=True).fill("Quels produits manquent ?")
    for name in ("CTD Bretagne", "CTD Occitanie", "CTD Corse"):
        curator.get_by_text(name, exact=True).click()
    curator.get_by_label("Date d'ouverture").fill(today.isoformat())
    curator.get_by_label("Date de clôture").fill((today + timedelta(days=20)).isoformat())
    curator.get_by_role("button", name="Enregistrer").click()
    expect(curator.get_by_text("La consultation est enregistrée.")).to_be_visible()
    expect(curator.locator("main").get_by_text("Ouverte", exact=True)).to_be_visible()
    checked(journey, curator, "ouverte")
    slug = curator.url.rsplit("/", 1)[1]
    contribution = f"{base}/consultations/{slug}/contributions/bretagne"

    # Two members of the Bretagne CTD draft together, one question each.
    member = open_page()
    sign_in(member, base, MEMBER, Journey("consultation-membre"))
    member.goto(contribution)
    first = member.locator("#question-1, section.cs-answer").first
    first.get_by_text("Favorable avec réserves", exact=True).click()
    first.get_by_label("Réponse").fill("Oui, sauf sur le littoral.")
    first.get_by_role("button", name="Enregistrer la réponse 1").click()
    expect(first.get_by_text("Réponse enregistrée.")).to_be_visible()
    checked(journey, member, "brouillon")

    coordinator = open_page()
    sign_in(coordinator, base, COORDINATOR, Journey("consultation-coordination"))
    coordinator.goto(contribution)
    expect(coordinator.get_by_text("Oui, sauf sur le littoral.")).to_be_visible()
    second = coordinator.locator("section.cs-answer").nth(1)
    second.get_by_label("Réponse").fill("La hauteur de canopée.")
    second.get_by_role("button", name="Enregistrer la réponse 2").click()
    expect(second.get_by_text("Réponse enregistrée.")).to_be_visible()
    coordinator.get_by_role("button", name="Déposer au nom du CTD").click()
    expect(coordinator.get_by_text("La contribution est déposée au nom du comité")).to_be_visible()
    checked(journey, coordinator, "deposee")

    # The consultation closes (the clock is its state); the curator publishes the synthesis.
    with app.app_context():
        consultation = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
        consultation.opens_on = today - timedelta(days=30)
        consultation.closes_on = today - timedelta(days=1)
        db.session.commit()
    curator.goto(f"{base}/consultations/{slug}/suivi")
    expect(curator.get_by_role("cell", name="Déposée")).to_be_visible()
    checked(journey, curator, "suivi")
    curator.goto(f"{base}/consultations/{slug}/synthese")
    curator.get_by_label("Synthèse").fill("Les CTD sont **favorables avec réserves**.")
    curator.get_by_role("button", name="Publier la synthèse").click()
    expect(curator.get_by_text("La synthèse est publiée")).to_be_visible()

    # A visitor reads it, with the positions, and downloads the recueil.
    visitor = open_page()
    visitor.goto(f"{base}/consultations/")
    visitor.get_by_role("link", name="Programme LiDAR HD").click()
    expect(visitor.get_by_role("heading", name="Synthèse", exact=True)).to_be_visible()
    expect(visitor.get_by_text("Oui, sauf sur le littoral.")).to_be_visible()
    expect(visitor.locator("svg.cs-chart")).to_be_visible()
    checked(journey, visitor, "synthese")
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="Recueil des contributions (PDF)").click()
    path = download.value.path()
    assert path is not None and path.read_bytes()[:4] == b"%PDF"
    assert errors == []
