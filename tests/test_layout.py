"""Every page of every role at a phone's width (375 px) in a real Chromium: nothing
makes the document wider than the screen, and axe-core finds no serious or critical
violation (issue 17 §6). The pages are tests/site_pages.py's `PAGES`, on the demo site.

A wide table or diagram may scroll inside its own container (the DSFR table's), which
does not widen the document: only `scrollWidth > innerWidth` of the document fails."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from cnig_share.errors import MESSAGES
from tests import site_pages
from tests.conftest import PASSWORD
from tests.page_ready import wait_until_ready
from tests.test_journeys import assert_accessible, watch_errors

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}

# How much wider than the screen the document is, and what sticks out the most.
OVERFLOW = """() => {
  const root = document.documentElement;
  const widest = [...document.querySelectorAll('body *')]
    .filter(node => node.getBoundingClientRect().right > window.innerWidth + 0.5)
    .slice(0, 3)
    .map(node => node.tagName.toLowerCase() + (node.id ? '#' + node.id : '')
                 + (node.className && typeof node.className === 'string'
                    ? '.' + node.className.trim().split(/\\s+/).join('.') : ''));
  return {scroll: root.scrollWidth, inner: window.innerWidth, widest: widest};
}"""


def assert_fits(page: Page) -> None:
    """Fail when the document is wider than the viewport, naming what sticks out."""
    measured = page.evaluate(OVERFLOW)
    assert measured["scroll"] <= measured["inner"], (
        f"{page.url} is {measured['scroll']} px wide on a {measured['inner']} px screen: "
        f"{', '.join(measured['widest'])}"
    )


@pytest.fixture(scope="module")
def sessions(browser: Browser, demo_site):
    """Each role's cookies, signed in once through the sign-in form."""
    base, _ = demo_site
    states: dict[str, dict] = {"visiteur": {"cookies": [], "origins": []}}
    for role, account in site_pages.ACCOUNTS.items():
        context = browser.new_context()
        page = context.new_page()
        page.goto(base + "/connexion")
        page.get_by_label("Adresse électronique").fill(account.email)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.locator("main").get_by_role("button", name="Se connecter").click()
        page.wait_for_url(lambda url: "/connexion" not in url)
        states[role] = context.storage_state()
        context.close()
    return states


def test_every_role_has_pages():
    counts = {role: len(site_pages.pages_of(role)) for role in site_pages.ROLES}
    assert all(counts.values()), counts
    assert sum(counts.values()) == len(site_pages.PAGES)


def test_the_width_check_fails_on_a_page_wider_than_the_phone(browser: Browser):
    page = browser.new_page(viewport=PHONE)
    page.set_content(
        '<html lang="fr"><body><main><table id="large"><tr><td>'
        + "cellule " * 200
        + "</td></tr></table></main></body></html>"
    )
    page.add_style_tag(content="td { white-space: nowrap }")
    with pytest.raises(AssertionError, match=r"on a 375 px screen: .*table#large"):
        assert_fits(page)
    page.context.close()


@pytest.mark.parametrize(("role", "path"), site_pages.PAGES)
def test_page_fits_a_phone_and_passes_axe(browser: Browser, demo_site, sessions, role, path):
    base, places = demo_site
    context = browser.new_context(viewport=PHONE, locale="fr-FR", storage_state=sessions[role])
    page = context.new_page()
    errors = watch_errors(page)
    response = page.goto(base + path.format(**places))
    expected = site_pages.STATUSES.get((role, path), 200)
    assert response.status == expected, f"{role} {path}: {response.status}"
    assert ("/connexion" in path) or ("/connexion" not in page.url), "not signed in"
    wait_until_ready(page)
    assert_fits(page)
    assert_accessible(page)
    assert [e for e in errors if f"status of {expected}" not in e] == []
    context.close()


# A page's form with this action, as a browser without JavaScript posts it (the plain
# form, not the modal's confirmed one), sent to `target`.
POST_FORM = """([action, target]) => {
  const form = [...document.querySelectorAll('form')].find(
    f => f.getAttribute('action') === action && !f.querySelector('input[name=confirmed]'));
  form.setAttribute('action', target);
  form.submit();
}"""


@pytest.mark.parametrize(("role", "path", "action", "target", "status"), site_pages.POSTS)
def test_page_a_form_answers_with_fits_a_phone_and_passes_axe(
    browser: Browser, demo_site, sessions, role, path, action, target, status
):
    base, places = demo_site
    context = browser.new_context(viewport=PHONE, locale="fr-FR", storage_state=sessions[role])
    page = context.new_page()
    errors = watch_errors(page)
    page.goto(base + path.format(**places))
    wait_until_ready(page)
    with page.expect_navigation() as answer:
        page.evaluate(POST_FORM, [action.format(**places), target.format(**places)])
    assert answer.value.status == status, f"{role} {target}: {answer.value.status}"
    wait_until_ready(page)
    if status == 200:  # a confirmation page: the question, a button, a way back
        expect(page.get_by_role("link", name="Annuler")).to_be_visible()
    else:  # an error page titled after its status, not another's
        expect(page.locator("h1")).to_have_text(MESSAGES[status][0])
    assert_fits(page)
    assert_accessible(page)
    assert [e for e in errors if f"status of {status}" not in e] == []
    context.close()


# --- what the phone layout does, beyond fitting ------------------------------------------


@pytest.fixture
def wide_table(app):
    """A resource whose Markdown table is far wider than a phone (long unbroken cells)."""
    from tests.factories import publish

    cells = " | ".join(f"identifiant_{n}_sans_espace_aucune" for n in range(6))
    body = f"Avant le tableau.\n\n| {cells} |\n|{'---|' * 6}\n| {cells} |\n\nAprès le tableau."
    with app.app_context():
        return f"/ressources/{publish('Tableau large', body=body)}"


def test_a_wide_markdown_table_scrolls_alone_on_a_phone(browser: Browser, live_server, wide_table):
    page = browser.new_page(viewport=PHONE, locale="fr-FR")
    page.goto(live_server + wide_table)
    assert_fits(page)
    box = page.locator(".cs-prose .fr-table__container")
    scroll, client = box.evaluate("b => [b.scrollWidth, b.clientWidth]")
    assert scroll > client + 300  # the table is wider than its box, which scrolls
    # The keyboard reaches the box and its arrows scroll it.
    box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.activeElement.scrollLeft > 0")
    assert_accessible(page)
    page.context.close()


@pytest.fixture
def findable(app):
    from tests.factories import publish

    with app.app_context():
        for number in range(12):
            publish(f"Adressage {number}", body="Adressage des voies.", kind="document")
        publish("Adressage partagé", body="Adressage.", kind="retour-experience")


def test_on_a_phone_the_filters_open_from_a_button_above_the_results(
    browser: Browser, live_server, findable
):
    page = browser.new_page(viewport=PHONE, locale="fr-FR")
    page.goto(live_server + "/recherche?q=adressage")
    wait_until_ready(page)
    button = page.locator("summary", has_text="Filtrer")
    first_result = page.locator("#results .fr-card").first
    assert button.bounding_box()["y"] < first_result.bounding_box()["y"]
    # Folded: the facets take no room before the results.
    assert not page.get_by_role("checkbox", name=re.compile("^Document")).is_visible()
    assert first_result.bounding_box()["y"] - button.bounding_box()["y"] < 200
    # The keyboard opens it; a facet ticked keeps it open in the new results.
    button.focus()
    page.keyboard.press("Enter")
    facet = page.get_by_role("checkbox", name=re.compile("^Document"))
    expect(facet).to_be_visible()
    page.locator("#results label[for^=f-kind-]", has_text="Document").click()
    page.get_by_text("12 résultats pour « adressage »").wait_for()
    expect(page.locator("summary", has_text="Filtrer (1")).to_be_visible()
    expect(page.get_by_role("checkbox", name=re.compile("^Document"))).to_be_checked()
    assert_fits(page)
    assert_accessible(page)
    page.context.close()


def test_on_a_desktop_the_filters_stand_beside_the_results_without_a_button(
    browser: Browser, live_server, findable
):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page.goto(live_server + "/recherche?q=adressage")
    expect(page.locator("summary", has_text="Filtrer")).to_be_hidden()
    facet = page.get_by_role("checkbox", name=re.compile("^Document"))
    expect(facet).to_be_visible()
    first_result = page.locator("#results .fr-card").first
    assert facet.bounding_box()["x"] < first_result.bounding_box()["x"]  # beside, on the left
    page.context.close()


def test_without_javascript_the_filters_open_and_apply(browser: Browser, live_server, findable):
    context = browser.new_context(viewport=PHONE, locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/recherche?q=adressage")
    page.locator("summary", has_text="Filtrer").click()
    page.locator("label[for^=f-kind-]", has_text="Document").click()
    page.get_by_role("button", name="Appliquer les filtres").click()
    page.wait_for_url(re.compile(r"kind=document"))
    expect(page.get_by_text("12 résultats pour « adressage »")).to_be_visible()
    context.close()


def test_the_coverage_matrix_keeps_its_ctds_and_terms_in_view_as_it_scrolls(
    browser: Browser, live_server
):
    page = browser.new_page(viewport=PHONE, locale="fr-FR")
    page.goto(live_server + "/ctd/couverture")
    box = page.locator(".cs-coverage .fr-table__container")
    first_ctd = page.locator(".cs-coverage tbody th").first
    first_term = page.locator(".cs-coverage thead th").nth(1)
    ctd_x, term_y = first_ctd.bounding_box()["x"], first_term.bounding_box()["y"]
    box.evaluate("b => { b.scrollLeft = 400; b.scrollTop = 300; }")
    assert box.evaluate("b => b.scrollLeft") == 400 and box.evaluate("b => b.scrollTop") > 0
    # The CTD column stays at the left edge, the header row at the top of the box.
    assert abs(page.locator(".cs-coverage tbody th").nth(8).bounding_box()["x"] - ctd_x) < 1
    assert abs(page.locator(".cs-coverage thead th").nth(4).bounding_box()["y"] - term_y) < 1
    assert_fits(page)
    page.context.close()


# --- states a demo site does not show: an answer other than 200 -------------------------


@pytest.fixture
def invitation_links(app, make_user):
    """Invitation links for a newcomer's address and for a deactivated account's."""
    from cnig_share.extensions import db
    from cnig_share.invitations import links
    from cnig_share.models import Invitation
    from tests.factories import ctd, user

    make_user("ancienne@bretagne.example.org", ctds=("bretagne",))
    with app.app_context():
        user("ancienne@bretagne.example.org").active = False
        invitations = [
            Invitation(email=email, ctd=ctd("bretagne"), ctd_role="member", sendings=1)
            for email in ("nouvelle@mairie.example.fr", "ancienne@bretagne.example.org")
        ]
        db.session.add_all(invitations)
        db.session.commit()
        return [f"/invitation/{links.token_for(invitation)}" for invitation in invitations]


@pytest.mark.parametrize("width", [375, 1280])
def test_refusals_and_forms_with_errors_fit_and_pass_axe(
    browser: Browser, live_server, make_user, invitation_links, width
):
    """The invitation of a deactivated account (403), the newcomer's form and the
    request to join sent with errors (422): each fits the phone and passes axe-core."""
    newcomer, deactivated = invitation_links
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="fr-FR")
    page = context.new_page()

    def check(words: str) -> None:
        expect(page.get_by_text(words).first).to_be_visible()
        wait_until_ready(page)
        assert_fits(page)
        assert_accessible(page)

    assert page.goto(live_server + deactivated).status == 403
    check("Le compte de cette adresse est désactivé")

    page.goto(live_server + newcomer)
    page.get_by_label(re.compile("^Mot de passe")).fill("court")
    page.get_by_label("Confirmez le mot de passe").fill("autre")
    with page.expect_response(lambda answer: answer.request.method == "POST") as answer:
        page.get_by_role("button", name="Créer mon compte et accepter").click()
    assert answer.value.status == 422
    check("Saisissez votre nom.")

    make_user("membre@bretagne.example.org", ctds=("bretagne",))
    page.goto(live_server + "/connexion")
    page.get_by_label("Adresse électronique").fill("membre@bretagne.example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/connexion" not in url)
    page.goto(live_server + "/ctd/corse/rejoindre")
    page.get_by_label("Votre message aux animateurs du comité").fill("Voir https://sig.exemple.fr")
    with page.expect_response(lambda answer: answer.request.method == "POST") as answer:
        page.get_by_role("button", name="Envoyer la demande").click()
    assert answer.value.status == 422
    check("Le message ne peut pas contenir de lien")
    context.close()


@pytest.fixture
def actors_with_projects(app, make_user):
    """Two national actors, one with a long name, each in a project of a CTD."""
    from cnig_share.extensions import db
    from cnig_share.workspace import services
    from tests import factories

    make_user("veille@cnig.example.org", role="curator")
    with app.app_context():
        by = factories.user("veille@cnig.example.org")
        for name, region in (
            ("Agence nationale de la cohésion des territoires", "bretagne"),
            ("Cerema", "occitanie"),
        ):
            actor = services.save_actor(None, {"name": name, "type": "operateur-national"}, by)
            db.session.flush()
            project = services.ProjectInput(title="PCRS", actor_roles=((actor.slug, "financeur"),))
            services.save_project(None, factories.ctd(region), project, by)
        db.session.commit()


# The size in CSS pixels at which a chart's first label is drawn.
LABEL_PX = """([chart, label]) => {
  const svg = document.querySelector(chart);
  return parseFloat(getComputedStyle(svg.querySelector(label)).fontSize) * svg.getScreenCTM().a;
}"""
NETWORK_LABEL = ["svg.cs-network", ".cs-network__label"]


def test_on_a_phone_the_actors_table_comes_first_and_the_diagram_stays_readable(
    browser: Browser, live_server, actors_with_projects
):
    page = browser.new_page(viewport=PHONE, locale="fr-FR")
    page.goto(live_server + "/acteurs/carte")
    table = page.locator(".cs-network-table table").bounding_box()
    frame = page.locator(".cs-network-frame")
    assert table["y"] + table["height"] <= frame.bounding_box()["y"]
    assert page.evaluate(LABEL_PX, NETWORK_LABEL) >= 12
    # The diagram scrolls in its frame, which the keyboard reaches, not the page.
    scroll, client = frame.evaluate("f => [f.scrollWidth, f.clientWidth]")
    assert scroll > client
    frame.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.activeElement.scrollLeft > 0")
    assert_fits(page)
    assert_accessible(page)
    page.context.close()


def test_on_a_desktop_the_actors_diagram_comes_first_without_scrolling(
    browser: Browser, live_server, actors_with_projects
):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page.goto(live_server + "/acteurs/carte")
    frame = page.locator(".cs-network-frame")
    table = page.locator(".cs-network-table table").bounding_box()
    assert frame.bounding_box()["y"] + frame.bounding_box()["height"] <= table["y"]
    assert frame.evaluate("f => f.scrollWidth <= f.clientWidth")
    assert page.evaluate(LABEL_PX, NETWORK_LABEL) >= 12
    page.context.close()


def test_on_a_phone_a_statistics_chart_puts_its_labels_above_readable_bars(
    browser: Browser, live_server, app
):
    from tests.factories import publish

    with app.app_context():
        for number in range(3):
            publish(f"Ressource {number}", kind="document" if number else "bonne-pratique")
    page = browser.new_page(viewport=PHONE, locale="fr-FR")
    page.goto(live_server + "/statistiques")
    chart = page.locator('svg[aria-labelledby="graphique-publications-par-type-titre-etroit"]')
    assert page.evaluate(LABEL_PX, ["svg.cs-bars", ".cs-chart__label"]) >= 12
    expect(page.locator("svg.cs-chart").first).to_be_hidden()  # the wide one, read once
    # Each label above its bar, every figure on the screen, and the bars in proportion.
    labels = [label.bounding_box() for label in chart.locator(".cs-chart__label").all()]
    bars = [bar.bounding_box() for bar in chart.locator(".cs-chart__bar").all()]
    assert all(
        label["y"] + label["height"] <= bar["y"] for label, bar in zip(labels, bars, strict=True)
    )
    for value in chart.locator(".cs-chart__value").all():
        assert value.bounding_box()["x"] + value.bounding_box()["width"] <= 375
    names = chart.locator(".cs-chart__label").all_text_contents()
    widths = {name: bar["width"] for name, bar in zip(names, bars, strict=True)}
    assert abs(widths["Document"] - 2 * widths["Bonne pratique"]) < 1
    assert_fits(page)
    assert_accessible(page)
    page.context.close()
