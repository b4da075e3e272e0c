"""The discussion journey in Chromium: a member asks a question on another CTD's
resource (htmx, in place), its author — told by email — answers; the member sees the
answer in /fil and in an email; someone signed in reports the answer, a curator
hides it from the reports' queue. Every page scanned by axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from cnig_share.extensions import db
from tests import factories
from tests.conftest import PASSWORD
from tests.test_journeys import Journey, open_page, watch_errors  # noqa: F401

pytestmark = pytest.mark.browser

ASKER = "membre@occitanie.example.org"
AUTHOR = "auteur@bretagne.example.org"
AGENT = "agent@etat.example.org"
CURATOR = "veille@cnig.example.org"


def signed_in(open_page, base: str, email: str) -> Page:  # noqa: F811
    page = open_page()
    page.goto(base + "/connexion")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text("Vous êtes connecté·e.")).to_be_visible()
    return page


@pytest.fixture
def app(mailing_app):
    return mailing_app


def test_a_member_asks_the_author_answers_a_report_gets_it_hidden(
    open_page,  # noqa: F811
    live_server,
    app,
    make_user,
    inbox,
):
    make_user(ASKER, ctds=("occitanie",), name="Oscar Occitan")
    make_user(AUTHOR, ctds=("bretagne",), name="Anne Auteur")
    make_user(AGENT, name="Agathe Agent")
    make_user(CURATOR, role="curator", name="Véra Veille")
    with app.app_context():
        resource = factories.publish("Guide du PCRS", ctd="bretagne", author=factories.user(AUTHOR))
        db.session.commit()
    journey = Journey("discussion")

    asker = signed_in(open_page, live_server, ASKER)
    errors = watch_errors(asker)
    asker.goto(f"{live_server}/ressources/{resource}")
    journey.check(asker, "ressource")
    asker.get_by_text("Ouvrir une discussion").click()
    asker.get_by_label("Titre de la discussion").fill("Comment avez-vous financé le PCRS ?")
    asker.get_by_label("Votre message").fill("Bonjour, **quelle clé de répartition** ?")
    asker.get_by_role("button", name="Publier la discussion").click()
    expect(asker.get_by_text("ouverte.")).to_be_visible()  # swapped in place by htmx
    assert asker.url.endswith(f"/ressources/{resource}")
    journey.check(asker, "discussion-ouverte")
    asker.get_by_role("link", name="Comment avez-vous financé le PCRS ?").click()
    expect(asker.locator("strong", has_text="quelle clé de répartition")).to_be_visible()
    journey.check(asker, "fil")
    thread_url = asker.url

    author = signed_in(open_page, live_server, AUTHOR)
    author.goto(thread_url)
    author.get_by_label("Votre réponse").fill("Au prorata des linéaires de réseaux.")
    author.get_by_role("button", name="Publier la réponse").click()
    expect(author.get_by_text("Votre réponse est publiée.")).to_be_visible()
    expect(author.get_by_text("Au prorata des linéaires de réseaux.")).to_be_visible()
    journey.check(author, "reponse")
    author.get_by_role("button", name="Marquer comme résolue").click()
    expect(author.locator("main").get_by_text("Résolue", exact=True)).to_be_visible()

    asker.reload()
    expect(asker.get_by_text("Au prorata des linéaires de réseaux.")).to_be_visible()
    told = {message["To"]: message for message in inbox[0].wait_for(2)}
    assert told[AUTHOR]["Subject"] == "Une discussion sur votre ressource"
    assert "Comment avez-vous financé le PCRS ?" in told[ASKER].get_content()
    assert f"{thread_url}#message-" in told[ASKER].get_content()
    asker.goto(live_server + "/fil")
    expect(asker.locator("main a[href*='#message-']")).to_have_count(1)  # the answer
    journey.check(asker, "mon-fil")

    agent = signed_in(open_page, live_server, AGENT)
    agent.goto(thread_url)
    agent.get_by_role("link", name="Signaler ce message de Anne Auteur").click()
    journey.check(agent, "signaler")
    agent.get_by_text("Inapproprié").click()
    agent.get_by_label("Commentaire (facultatif)").fill("Ton désobligeant.")
    agent.get_by_role("button", name="Envoyer le signalement").click()
    expect(agent.get_by_text("votre signalement est transmis")).to_be_visible()

    curator = signed_in(open_page, live_server, CURATOR)
    curator.goto(live_server + "/curation/signalements")
    expect(curator.get_by_text("Ton désobligeant.")).to_be_visible()
    journey.check(curator, "signalements")
    curator.get_by_role("link", name="Masquer ce message").click()
    curator.get_by_label("Raison du masquage").fill("Propos contraires à la charte.")
    journey.check(curator, "masquer")
    curator.get_by_role("button", name="Masquer le message").click()
    expect(curator.get_by_text("Aucun signalement à traiter.")).to_be_visible()

    visitor = open_page()
    visitor.goto(thread_url)
    expect(visitor.get_by_text("Propos contraires à la charte.")).to_be_visible()
    expect(visitor.get_by_text("Au prorata des linéaires de réseaux.")).to_have_count(0)
    journey.check(visitor, "masque")
    assert not errors, errors
