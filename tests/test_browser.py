"""The site in a real headless Chromium: DSFR and htmx load from static/vendor/."""

from __future__ import annotations

import pytest

from tests.page_ready import wait_until_ready

# The fixtures `browser` and `live_server` are in conftest.py (test_journeys.py uses them too).
pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 375])
def test_home_page_renders_with_dsfr_and_htmx(browser, live_server, tmp_path, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    requests: list[str] = []
    failures: list[str] = []
    console_errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("requestfailed", lambda request: failures.append(request.url))
    page.on(
        "console",
        lambda message: console_errors.append(message.text) if message.type == "error" else None,
    )

    response = page.goto(live_server + "/")
    wait_until_ready(page)

    assert response.status == 200
    assert page.locator(".fr-header .fr-logo").is_visible()
    assert "CNIG Partage" in page.locator(".fr-header__service-title").inner_text()
    # The DSFR stylesheet applied: the Marianne font and the DSFR's blue on links.
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Marianne" in font
    # The DSFR script ran (it marks the root) and htmx is loaded.
    assert page.evaluate("document.documentElement.hasAttribute('data-fr-js')")
    assert page.evaluate("typeof window.htmx === 'object' && htmx.version.startsWith('2.')")
    # Everything came from this server, and nothing broke the CSP.
    assert all(url.startswith(live_server) for url in requests), requests
    assert any("/static/vendor/dsfr/dsfr.min.css" in url for url in requests)
    assert any("/static/vendor/htmx/htmx.min.js" in url for url in requests)
    assert failures == []
    assert console_errors == []

    screenshot = tmp_path / f"accueil-{width}.png"
    page.screenshot(path=str(screenshot), full_page=True, caret="initial")
    assert screenshot.stat().st_size > 10_000


def test_mobile_menu_opens_and_reaches_the_ctd_directory_through_its_menu(browser, live_server):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(live_server + "/")
    assert not page.locator("#navigation-principale").is_visible()
    page.get_by_role("button", name="Menu").click()
    navigation = page.locator("#navigation-principale")
    navigation.get_by_role("button", name="CTD").click()
    navigation.get_by_role("link", name="Annuaire des CTD").click()
    page.wait_for_url(live_server + "/ctd/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Annuaire")


def test_skip_link_is_the_first_thing_the_keyboard_reaches(browser, live_server):
    page = browser.new_page()
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#contenu"


# Screenshots are taken with caret="initial": Playwright otherwise hides the text
# caret by writing an inline style on every input, and when the DSFR script
# touches such an input meanwhile, the CSP (rightly) refuses the inline style.
CSP_REPORTER = """document.addEventListener('securitypolicyviolation', (event) => {
  const target = event.target && event.target.outerHTML;
  const where = target ? target.slice(0, 300) : String(event.target);
  console.error(`CSP ${event.violatedDirective} on ${where}`);
}, true);"""


def _sign_in(page, base: str, email: str) -> None:
    from tests.conftest import PASSWORD

    page.goto(base + "/connexion")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Se connecter").click()
    page.wait_for_url(base + "/profil")


def test_member_writes_curator_publishes_visitor_reads(browser, live_server, make_user, tmp_path):
    from cnig_share.demo import sample_files

    make_user("membre@bretagne.fr", "member", ("bretagne",), name="Maël")
    make_user("veille@cnig.fr", "curator", name="Dominique")
    pdf = tmp_path / "guide-adressage.pdf"
    pdf.write_bytes(sample_files.pdf("Guide", ["Numérotation métrique des voies rurales."]))
    errors: list[str] = []

    def watch(page):
        # A CSP refusal names only the script; this names the element it touched.
        page.add_init_script(CSP_REPORTER)
        page.on(
            "console",
            lambda m: (
                errors.append(f"{page.url} {m.text} {m.location}")
                if m.type == "error" and "404" not in m.text
                else None
            ),
        )
        return page

    # A member writes, previews live (htmx), attaches a PDF and submits.
    member = watch(browser.new_page(viewport={"width": 1280, "height": 900}))
    _sign_in(member, live_server, "membre@bretagne.fr")
    # From the header, where a member finds it on every page.
    member.locator("header").get_by_role("link", name="Proposer une ressource").click()
    member.get_by_label("Titre", exact=True).fill("Adresser les hameaux : la méthode bretonne")
    member.get_by_label("Résumé").fill("Numéroter les hameaux en métrique, commune par commune.")
    member.get_by_label("Type de ressource").select_option("bonne-pratique")
    member.get_by_label("Contenu", exact=False).first.fill(
        "## Méthode\n\nUn **atelier** par commune."
    )
    member.locator("#preview strong").wait_for()
    assert member.locator("#preview h2").inner_text() == "Méthode"
    member.get_by_label("Filtrer les termes").fill("référentiel")
    # htmx swaps in the filtered list: only the matching term remains.
    member.locator("#term_choices").get_by_text("espace commun de données").wait_for(
        state="detached"
    )
    assert member.locator("#term_choices input[name=terms]").count() == 1
    choice = member.locator("#term_choices").get_by_text("référentiel de données")
    choice.click()  # the DSFR draws the box on the label, which takes the click
    assert member.locator("#term_choices").get_by_label("référentiel de données").is_checked()
    member.get_by_label("Pièces jointes").set_input_files(str(pdf))
    member.screenshot(path=str(tmp_path / "1-formulaire.png"), full_page=True, caret="initial")
    member.get_by_role("button", name="Enregistrer").click()
    member.get_by_text("La ressource est enregistrée en brouillon.").wait_for()
    resource_url = member.url
    assert member.get_by_role("link", name="référentiel de données").is_visible()
    member.get_by_role("button", name="Soumettre pour publication").click()
    member.get_by_text("La ressource est soumise").wait_for()
    member.screenshot(path=str(tmp_path / "2-soumise.png"), full_page=True, caret="initial")

    # A visitor cannot see it yet.
    visitor = watch(browser.new_page())
    assert visitor.goto(resource_url).status == 404

    # The curator publishes it.
    curator = watch(browser.new_page(viewport={"width": 1280, "height": 900}))
    _sign_in(curator, live_server, "veille@cnig.fr")
    curator.get_by_role("link", name="Adresser les hameaux : la méthode bretonne").click()
    curator.get_by_role("button", name="Publier").click()
    curator.get_by_text("La ressource est publiée.").wait_for()

    # The visitor reads it and downloads the PDF.
    assert visitor.goto(resource_url).status == 200
    assert visitor.get_by_role("heading", level=1).inner_text() == (
        "Adresser les hameaux : la méthode bretonne"
    )
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="guide-adressage.pdf").click()
    assert download.value.suggested_filename == "guide-adressage.pdf"
    visitor.screenshot(path=str(tmp_path / "3-publiee.png"), full_page=True, caret="initial")
    assert errors == []


def test_search_updates_live_and_the_address_follows(browser, live_server, app, tmp_path):
    from tests.factories import publish

    with app.app_context():
        publish("Orthophotographie régionale", body="Un groupement de commandes.")
        publish("Jumeau numérique urbain", body="Une maquette 3D.", kind="document")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server + "/")
    page.locator("#recherche-entete-input").fill("jumeaux numeriques")
    page.locator("#recherche-entete-input").press("Enter")
    page.wait_for_url("**/recherche?q=jumeaux+numeriques")
    assert page.get_by_text("1 résultat").is_visible()

    page.evaluate("window.pageLoadMarker = 42")  # lost if the page reloads
    page.locator("#q").fill("orthophotographie")
    page.get_by_text("1 résultat pour « orthophotographie »").wait_for()
    page.wait_for_url("**/recherche?q=orthophotographie**")
    assert page.get_by_role("link", name="Orthophotographie régionale").is_visible()
    page.locator("#q").fill("")
    page.get_by_text("2 résultats").wait_for()
    page.locator("label[for^=f-kind-]", has_text="Document").click()
    page.get_by_text("1 résultat").wait_for()
    assert "kind=document" in page.url
    assert page.evaluate("window.pageLoadMarker") == 42  # htmx swapped, no reload
    page.screenshot(path=str(tmp_path / "recherche.png"), full_page=True, caret="initial")
    assert errors == []


def test_a_filter_ticked_while_a_search_is_on_its_way_stays_ticked(browser, live_server, app):
    from tests.factories import publish

    with app.app_context():
        publish("Jumeau numérique urbain", body="Une maquette 3D.", kind="document")
        publish("Jumeau numérique rural", body="Un relevé LiDAR.")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    held = []

    def hold_live_searches(route):
        if route.request.headers.get("hx-request") == "true":  # headers come lower-cased
            held.append(route)
        else:
            route.continue_()

    page.route("**/recherche?**", hold_live_searches)
    page.goto(live_server + "/recherche?q=jumeau")
    page.locator("#q").fill("jumeau numérique")
    _wait_until(page, lambda: len(held) == 1)  # the typed search, on its way
    document = page.locator("label[for^=f-kind-]", has_text="Document")
    document.click()
    held[0].continue_()
    _wait_until(page, lambda: len(held) == 2)  # the filter's own search, queued behind it
    assert page.get_by_role("checkbox", name="Document").is_checked()
    held[1].continue_()
    page.wait_for_url("**kind=document**")
    assert page.get_by_role("checkbox", name="Document").is_checked()
    page.get_by_text("1 résultat").wait_for()


def test_back_after_a_live_search_shows_the_query_of_the_address(browser, live_server, app):
    """Back restored htmx's snapshot, in which the box still showed the first query
    over the results of another, and the header's box never followed."""
    from tests.factories import publish

    with app.app_context():
        publish("Orthophotographie régionale", body="Un groupement de commandes.")
        publish("Jumeau numérique urbain", body="Une maquette 3D.", kind="document")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server + "/recherche?q=jumeau")
    page.locator("#q").fill("orthophotographie")
    page.get_by_text("1 résultat pour « orthophotographie »").wait_for()
    page.wait_for_url("**/recherche?q=orthophotographie**")
    page.locator("#q").blur()
    header = page.locator("#recherche-entete-input")
    assert header.input_value() == "orthophotographie"  # the header's box follows

    page.go_back()
    page.wait_for_url("**/recherche?q=jumeau")
    page.get_by_text("1 résultat pour « jumeau »").wait_for()
    assert page.locator("#q").input_value() == "jumeau"
    assert header.input_value() == "jumeau"
    page.go_forward()
    page.wait_for_url("**/recherche?q=orthophotographie**")
    page.get_by_text("1 résultat pour « orthophotographie »").wait_for()
    assert page.locator("#q").input_value() == "orthophotographie"
    assert header.input_value() == "orthophotographie"
    assert errors == []


def test_a_destructive_button_opens_its_modal_and_acts_once_confirmed(
    browser, live_server, app, make_user
):
    from tests.factories import publish
    from tests.test_journeys import assert_accessible

    make_user("veille@cnig.example.org", role="curator")
    with app.app_context():
        resource_id = publish("Cadastre solaire", body="cadastre")
    page = browser.new_page(viewport={"width": 375, "height": 800})
    _sign_in(page, live_server, "veille@cnig.example.org")
    page.goto(f"{live_server}/ressources/{resource_id}")
    page.get_by_role("button", name="Archiver").click()
    dialog = page.get_by_role("dialog", name="Archiver « Cadastre solaire » ?")
    dialog.wait_for()
    assert_accessible(page)
    dialog.get_by_role("button", name="Annuler").click()
    dialog.wait_for(state="hidden")
    assert "/ressources/" in page.url and "archiver" not in page.url
    # The form a browser without JavaScript posts: the confirmation page, at 375 px.
    page.evaluate("document.querySelector('form.cs-without-js').submit()")
    page.get_by_role("heading", level=1, name="Archiver « Cadastre solaire » ?").wait_for()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("link", name="Annuler").click()
    page.wait_for_url(f"**/ressources/{resource_id}")
    page.get_by_role("button", name="Archiver").click()
    dialog.get_by_role("button", name="Archiver la ressource").click()
    page.get_by_text("La ressource est archivée").wait_for()


def test_a_tags_definition_opens_on_keyboard_focus(browser, live_server, app, tmp_path):
    from tests.factories import publish

    with app.app_context():
        resource_id = publish("Groupement d'achat", terms=["mutualisation"])
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server}/ressources/{resource_id}")
    tooltip = page.locator("#definition-mutualisation")
    assert not tooltip.is_visible()
    for _ in range(80):  # Tab from the top of the page, as a keyboard user would
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('aria-describedby')"):
            break
    assert page.evaluate("document.activeElement.textContent.trim()") == "mutualisation"
    tooltip.wait_for(state="visible")
    assert tooltip.inner_text().startswith("Mise en commun")
    page.screenshot(path=str(tmp_path / "infobulle.png"), caret="initial")
    page.keyboard.press("Tab")  # focus moves on: the definition goes
    tooltip.wait_for(state="hidden")


def test_glossary_filter_updates_the_list_as_one_types(browser, live_server, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server + "/glossaire/")
    page.evaluate("window.pageLoadMarker = 7")
    page.get_by_label("Filtrer les termes").fill("IA")
    page.wait_for_url("**/glossaire/?q=IA")
    page.get_by_text("1 terme correspond à « IA » sur 13.").wait_for()
    assert page.get_by_role("link", name="Intelligence artificielle").is_visible()
    assert page.evaluate("window.pageLoadMarker") == 7
    page.screenshot(path=str(tmp_path / "glossaire.png"), full_page=True, caret="initial")


def test_a_term_named_in_the_title_is_added_in_one_click(browser, live_server, make_user):
    from playwright.sync_api import expect

    make_user("membre@bretagne.fr", "member", ("bretagne",))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _sign_in(page, live_server, "membre@bretagne.fr")
    page.goto(live_server + "/ressources/nouvelle")
    page.get_by_label("Titre", exact=True).fill("Notre jumeau numérique et l'open data")
    page.get_by_label("Résumé").focus()  # leaving the title asks for proposals
    propose = page.get_by_role("button", name="Ajouter le terme « jumeau numérique de territoire »")
    propose.click()
    checkbox = page.locator("#term_choices").get_by_role(
        "checkbox", name="jumeau numérique de territoire"
    )
    expect(checkbox).to_be_checked()
    expect(propose).to_have_count(0)
    assert page.get_by_role("button", name="Ajouter le terme « donnée ouverte »").is_visible()


def test_a_box_ticked_while_the_terms_refresh_stays_ticked(browser, live_server, make_user):
    """The term list refreshes itself from the text; a box ticked while a refresh
    is on its way survives that refresh's answer (which knew nothing of it)."""
    from playwright.sync_api import expect

    make_user("membre@bretagne.fr", "member", ("bretagne",))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _sign_in(page, live_server, "membre@bretagne.fr")
    held = []

    def hold_term_refreshes(route):
        if "action=terms" in (route.request.post_data or ""):
            held.append(route)
        else:
            route.continue_()

    page.route("**/ressources/nouvelle", hold_term_refreshes)
    page.goto(live_server + "/ressources/nouvelle")
    page.get_by_label("Contenu", exact=False).first.fill("Un atelier par commune.")
    _wait_until(page, lambda: len(held) == 1)  # the text's refresh, on its way
    checkbox = page.locator("#term_choices").get_by_role("checkbox", name="donnée ouverte")
    page.locator(f"label[for={checkbox.get_attribute('id')}]").click()  # the DSFR's box
    assert checkbox.is_checked()
    held[0].continue_()
    _wait_until(page, lambda: len(held) == 2)  # the tick's own refresh, queued behind it
    assert checkbox.is_checked()
    held[1].continue_()
    page.wait_for_load_state()
    expect(checkbox).to_be_checked()
    assert "terms=" in held[1].request.post_data


def _wait_until(page, condition, seconds: float = 10) -> None:
    for _ in range(int(seconds * 20)):
        if condition():
            return
        page.wait_for_timeout(50)
    raise AssertionError("the page never got there")


def test_the_review_queue_updates_in_place(browser, live_server, app, make_user):
    from datetime import UTC, datetime

    from tests import factories

    make_user("veille@cnig.fr", "curator")
    with app.app_context():
        for title in ("Première soumise", "Seconde soumise"):
            factories.resource(title, status="submitted", submitted_at=datetime.now(UTC))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _sign_in(page, live_server, "veille@cnig.fr")
    page.goto(live_server + "/curation/")
    page.evaluate("window.pageLoadMarker = 3")
    page.get_by_role("button", name="Publier « Première soumise »").click()
    page.get_by_text("« Première soumise » est publiée.").wait_for()
    assert page.get_by_role("link", name="Première soumise").count() == 0
    page.get_by_text("Renvoyer avec un commentaire").click()
    page.get_by_label("Commentaire pour les auteurs").fill("Ajoutez une illustration.")
    page.get_by_role("button", name="Renvoyer « Seconde soumise »").click()
    page.get_by_text("« Seconde soumise » est renvoyée").wait_for()
    page.get_by_text("Aucune ressource n'attend de relecture.").wait_for()
    assert page.evaluate("window.pageLoadMarker") == 3
    assert errors == []


def test_a_refused_form_is_swapped_in_with_its_errors(browser, live_server, make_user):
    """htmx swaps the form's 422 block in place (no page load), errors visible;
    the corrected form then takes the browser to the saved resource."""
    make_user("membre@bretagne.fr", "member", ("bretagne",))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    refused: list[int] = []
    page.on("response", lambda r: refused.append(r.status) if r.status == 422 else None)
    _sign_in(page, live_server, "membre@bretagne.fr")
    page.goto(live_server + "/ressources/nouvelle")
    page.evaluate("window.stillThisPage = true")
    page.get_by_label("Résumé").fill("Sans titre.")
    page.get_by_role("button", name="Enregistrer").click()
    page.locator("#resource_form .fr-message--error").first.wait_for()
    assert refused == [422]
    assert page.evaluate("window.stillThisPage === true")  # swapped, not reloaded
    assert page.locator("#resource_form .fr-message--error").first.is_visible()
    assert page.locator("#resource_form").get_by_label("Résumé").input_value() == "Sans titre."
    page.get_by_label("Titre", exact=True).fill("Un titre, enfin")
    page.get_by_label("Type de ressource").select_option("bonne-pratique")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("La ressource est enregistrée en brouillon.").wait_for()
    assert page.get_by_role("heading", level=1).inner_text() == "Un titre, enfin"
    # Chromium reports every 4xx in the console; htmx itself logs nothing.
    assert [error for error in errors if "status of 422" not in error] == []
