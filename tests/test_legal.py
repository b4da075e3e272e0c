"""The pages a French State site must have (SPEC §9), the RGAA self-audit behind the
accessibility statement, the display settings, and the navigation that finds the
CTD workspace (issue 17 §2 and §5)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import html

from cnig_share.legal import accessibility
from cnig_share.legal.accessibility import AuditError
from cnig_share.security import CONTENT_SECURITY_POLICY
from tests.page_ready import wait_until_ready

FOOTER_PAGES = {
    "/plan-du-site": "Plan du site",
    "/accessibilite": "Déclaration d'accessibilité",
    "/mentions-legales": "Mentions légales",
    "/donnees-personnelles": "Données personnelles",
    "/cookies": "Gestion des cookies",
}
# RGAA 4.1: how many criteria each of the 13 themes holds.
CRITERIA_PER_THEME = [9, 2, 3, 13, 8, 2, 5, 10, 4, 14, 13, 11, 12]


def tree(response):
    assert response.status_code == 200
    return html.fromstring(response.get_data(as_text=True))


def text_of(element) -> str:
    return " ".join(element.text_content().split())


# --- the footer pages --------------------------------------------------------------------


@pytest.mark.parametrize(("path", "heading"), FOOTER_PAGES.items())
def test_each_footer_page_answers_with_its_heading(client, path, heading):
    page = tree(client.get(path))
    assert text_of(page.xpath("//h1")[0]) == heading
    assert page.xpath("//title")[0].text.startswith(heading.split(" d'")[0])


def test_every_page_footer_links_the_legal_pages_the_api_guide_and_states_the_level(client):
    for path in ("/", "/recherche", "/glossaire/", "/connexion", "/cookies"):
        footer = tree(client.get(path)).xpath("//footer[@id='pied-de-page']")[0]
        links = {a.get("href"): text_of(a) for a in footer.xpath(".//a")}
        for target in FOOTER_PAGES:
            assert target in links, (path, target)
        assert links["/accessibilite"] == "Accessibilité : partiellement conforme"
        assert links["/api/"] == "API"


def test_the_accessibility_statement_says_what_the_audit_file_says(client):
    audit = accessibility.load()
    page = tree(client.get("/accessibilite"))
    text = text_of(page)
    assert text_of(page.get_element_by_id("etat-de-conformite")) == audit.level
    rate = f"{audit.rate:.1f}".replace(".", ",")
    assert text_of(page.get_element_by_id("taux-de-conformite")) == f"{rate} %"
    assert f"{len(audit.with_status('C'))} critères conformes" in text
    assert f"{len(audit.with_status('NC'))} non conformes" in text
    failing = page.get_element_by_id("non-conformites").xpath("./li")
    assert [text_of(li).split(" ")[1] for li in failing] == [c.id for c in audit.with_status("NC")]
    for criterion in audit.with_status("NC"):
        assert criterion.note in text
    sample = [text_of(li) for li in page.get_element_by_id("echantillon").xpath("./li")]
    assert sample == [page.name for page in audit.sample]
    # Every criterion is shown with its result.
    shown = page.get_element_by_id("criteres").xpath(".//li/strong")
    assert [strong.text for strong in shown] == [c.id for c in audit.criteria]
    # The recourse a statement must give.
    assert "Défenseur des droits" in text and "Libre réponse 71120" in text


def test_the_audit_covers_every_rgaa_criterion_once_and_counts_honestly():
    audit = accessibility.load()
    expected = [f"{theme}.{n}" for theme, count in enumerate(CRITERIA_PER_THEME, 1)
                for n in range(1, count + 1)]  # fmt: skip
    assert [criterion.id for criterion in audit.criteria] == expected
    conformant, failing = len(audit.with_status("C")), len(audit.with_status("NC"))
    assert audit.rate == pytest.approx(100 * conformant / (conformant + failing))
    # Not 100 %: the statement cannot say "totalement conforme" while criteria fail.
    assert failing > 0 and audit.level == "partiellement conforme"
    # The new pages are part of the sample the browser suite scans with axe-core.
    assert set(FOOTER_PAGES) <= {page.path for page in audit.sample}


def test_the_axe_scan_covers_exactly_the_audit_sample():
    from tests.test_journeys import PUBLIC_PAGES

    assert [page.path for page in accessibility.load().sample] == PUBLIC_PAGES


AUDIT_HEAD = """referential = "RGAA 4.1"
audited_on = 2026-12-05
auditor = "x"
tools = []
environments = []
[themes]
1 = "Images"
[[sample]]
name = "Accueil"
path = "/"
"""


def audit_file(tmp_path: Path, criteria: list[str]) -> Path:
    path = tmp_path / "audit.toml"
    path.write_text(AUDIT_HEAD + "\n".join(criteria), encoding="utf-8")
    return path


def criterion(number: str, status: str = "C", methods: str = '["axe"]', note: str = "") -> str:
    lines = f'[[criteria]]\nid = "{number}"\ntitle = "t"\nstatus = "{status}"\n'
    if methods:
        lines += f"methods = {methods}\n"
    return lines + (f'note = "{note}"\n' if note else "")


def full_audit(tmp_path: Path, first: str) -> Path:
    rest = [criterion(f"2.{n}") for n in range(2, 107)]
    return audit_file(tmp_path, [first, *rest])


@pytest.mark.parametrize(
    ("first", "message"),
    [
        (criterion("1.1", status="OK"), "statut inconnu"),
        (criterion("1.1", methods='["lecteur"]'), "méthode inconnue"),
        (criterion("1.1", methods=""), "dire comment"),
        (criterion("1.1", status="NC"), "dire ce qui n'est pas conforme"),
        (criterion("2.2"), "106 critères distincts"),  # a criterion twice
    ],
)
def test_a_broken_audit_file_is_refused_with_its_reason(tmp_path, first, message):
    with pytest.raises(AuditError, match=message):
        accessibility.load(full_audit(tmp_path, first))


def test_an_audit_file_missing_criteria_is_refused(tmp_path):
    with pytest.raises(AuditError, match="106 critères"):
        accessibility.load(audit_file(tmp_path, [criterion("1.1")]))


def test_a_well_formed_audit_file_gives_its_rate(tmp_path):
    audit = accessibility.load(full_audit(tmp_path, criterion("1.1", "NC", note="Non.")))
    assert audit.rate == pytest.approx(100 * 105 / 106)
    assert audit.level == "partiellement conforme"


def test_the_operator_settings_name_the_controller_and_the_contact(make_app, template):
    app = make_app(
        OPERATOR_NAME="Institut national de l'information géographique",
        OPERATOR_CONTACT="contact@partage.example",
        HOSTING_PROVIDER="Hébergeur Exemple, 1 rue de l'Exemple, 75000 Paris",
    )
    template.copy_index(app)
    client = app.test_client()
    for path in ("/donnees-personnelles", "/mentions-legales", "/accessibilite"):
        page = tree(client.get(path))
        assert "Institut national de l'information géographique" in text_of(page)
        assert page.xpath("//main//a[@href='mailto:contact@partage.example']"), path
    assert "Hébergeur Exemple" in text_of(tree(client.get("/mentions-legales")))


def test_a_web_address_as_contact_is_a_link_and_no_contact_is_said_plainly(make_app, template):
    app = make_app(OPERATOR_CONTACT="https://partage.example/contact")
    template.copy_index(app)
    page = tree(app.test_client().get("/donnees-personnelles"))
    assert page.xpath("//main//a[@href='https://partage.example/contact']")
    default = make_app()
    text = text_of(tree(default.test_client().get("/donnees-personnelles")))
    assert "Conseil national de l'information géolocalisée (CNIG)" in text
    assert "non renseigné sur ce site (réglage OPERATOR_CONTACT)" in text


def test_without_proconnect_the_sign_in_page_says_whom_to_ask_for_an_account(make_app, template):
    app = make_app(OPERATOR_CONTACT="contact@partage.example")
    template.copy_index(app)
    (ask,) = tree(app.test_client().get("/connexion")).xpath("//*[@id='demander-un-compte']")
    assert ask.xpath(".//a[@href='mailto:contact@partage.example']")
    assert ask.xpath(".//a[@href='/ctd/']")  # each CTD's page gives its contact
    assert "Conseil national de l'information géolocalisée (CNIG)" in text_of(ask)
    # No contact set: the CTDs' own, without a sentence naming a missing setting.
    default = make_app()
    (ask,) = tree(default.test_client().get("/connexion")).xpath("//*[@id='demander-un-compte']")
    assert ask.xpath(".//a[@href='/ctd/']") and "OPERATOR_CONTACT" not in text_of(ask)


def test_personal_data_page_says_what_is_kept_why_and_for_how_long(make_app, template):
    app = make_app(SEARCH_MISSES_DAYS=45)
    template.copy_index(app)
    page = tree(app.test_client().get("/donnees-personnelles"))
    text = text_of(page)
    for kept in ("Votre compte", "ProConnect", "Vos alertes par courriel",
                 "Les recherches sans résultat", "Le journal des actions",
                 "Les journaux du serveur"):  # fmt: skip
        assert kept in text
    assert "45 jours" in text  # the setting, not a copy of it
    assert "numéro de téléphone n'est pas gardé" in text
    assert page.xpath("//main//a[@href='/profil']")  # export, correction, deletion
    assert "lien pour se désabonner" in text


def test_the_cookie_page_names_each_cookie_and_no_measurement(client):
    text = text_of(tree(client.get("/cookies")))
    assert "session" in text and "CSRF" in text and "scheme" in text
    assert "aucun cookie de mesure d'audience" in text
    # What it says is what the site sets: one cookie, the session.
    set_cookies = client.get("/connexion").headers.getlist("Set-Cookie")
    assert [cookie.split("=")[0] for cookie in set_cookies] == ["session"]


def test_every_form_asking_for_an_address_links_to_the_personal_data_page(
    app, client, auth, make_user
):
    checked = 0
    for path in ("/connexion", "/mot-de-passe-oublie", "/abonnement?q=adresse"):
        page = tree(client.get(path))
        for field in page.xpath("//main//input[@type='email']"):
            form = field.xpath("ancestor::form")[0]
            assert form.xpath(".//a[@href='/donnees-personnelles']"), path
            checked += 1
    assert checked == 3
    # Invitations take other people's addresses: the link goes to what is kept of them.
    make_user("animatrice@bretagne.example.fr", ctds=("bretagne",))
    make_user("admin@cnig.example.org", role="admin")
    with app.app_context():
        from cnig_share.extensions import db
        from tests import factories

        factories.user("animatrice@bretagne.example.fr").memberships[0].role = "coordinator"
        db.session.commit()
    section = tree(client.get("/donnees-personnelles")).xpath("//*[@id='donnees-invitations']")
    assert "Les invitations" in text_of(section[0])
    for email, path in (
        ("animatrice@bretagne.example.fr", "/ctd/bretagne/membres"),
        ("animatrice@bretagne.example.fr", "/ctd/bretagne/membres/invitations"),
        ("admin@cnig.example.org", "/admin/comptes/invitations"),
    ):
        auth.login(email)
        (field,) = tree(client.get(path)).xpath("//main//textarea[@name='addresses']")
        form = field.xpath("ancestor::form")[0]
        assert form.xpath(".//a[@href='/donnees-personnelles#donnees-invitations']"), path
        auth.logout()


# --- the site map ------------------------------------------------------------------------


def site_map_links(client) -> dict[str, str]:
    main = tree(client.get("/plan-du-site")).xpath("//main")[0]
    return {a.get("href"): text_of(a) for a in main.xpath(".//section//a")}


def test_the_site_map_reaches_every_public_section_and_each_link_answers(client):
    links = site_map_links(client)
    for path in ("/", "/recherche", "/glossaire/", "/ctd/", "/couts/", "/acteurs/",
                 "/acteurs/carte", "/ctd/couverture", "/selections/", "/api/",
                 "/accessibilite", "/connexion"):  # fmt: skip
        assert path in links, path
    assert "/curation/" not in links and "/profil" not in links
    for href in links:
        assert client.get(href).status_code == 200, href


def test_the_site_map_adds_the_pages_of_each_role(client, auth, make_user):
    make_user("veille@cnig.fr", "curator")
    auth.login("veille@cnig.fr")
    links = site_map_links(client)
    for path in ("/profil", "/ressources/nouvelle", "/curation/", "/curation/journal"):
        assert path in links, path
    assert "/admin/comptes" not in links and "/connexion" not in links
    for href in links:
        assert client.get(href).status_code == 200, href


# --- navigation --------------------------------------------------------------------------


def navigation(client, path: str):
    return tree(client.get(path)).xpath("//nav[@id='navigation-principale']")[0]


def test_the_main_navigation_reaches_the_ctd_workspace(client):
    nav = navigation(client, "/")
    menu = nav.xpath(".//button[@class='fr-nav__btn'][normalize-space()='CTD']")[0]
    links = {
        a.get("href"): text_of(a)
        for a in nav.get_element_by_id(menu.get("aria-controls")).xpath(".//a")
    }
    assert links == {
        "/ctd/": "Annuaire des CTD",
        "/ctd/carte": "Carte des CTD",
        "/consultations/": "Consultations du CNIG",
        "/recherche?kind=projet": "Projets des CTD",
        "/couts/": "Coûts et économies",
        "/acteurs/": "Acteurs nationaux",
        "/acteurs/carte": "Qui travaille avec qui",
        "/ctd/couverture": "Couverture thématique",
    }
    for href in links:
        assert client.get(href).status_code == 200


@pytest.mark.parametrize(
    ("path", "current", "menu_current"),
    [
        ("/acteurs/carte", "/acteurs/carte", True),
        ("/recherche?kind=projet", "/recherche?kind=projet", True),
        ("/recherche?q=adresse", "/recherche", False),
        ("/ctd/bretagne/couts", None, True),  # a CTD's own workspace: the CTD section
        ("/glossaire/donnee-ouverte", "/glossaire/", False),
        ("/", "/", False),
    ],
)
def test_the_navigation_marks_the_current_page_once(client, path, current, menu_current):
    nav = navigation(client, path)
    marked = [a.get("href") for a in nav.xpath(".//a[@aria-current='page']")]
    assert marked == ([current] if current else [])
    assert bool(nav.xpath(".//button[@aria-current='true']")) is menu_current


def test_curators_find_relecture_in_the_menu(client, auth, make_user):
    make_user("veille@cnig.fr", "curator")
    auth.login("veille@cnig.fr")
    nav = navigation(client, "/")
    assert [text_of(a) for a in nav.xpath(".//a[@href='/curation/']")] == ["Relecture"]
    assert "Curation" not in text_of(nav)


def header_links(client) -> list[str]:
    header = tree(client.get("/")).xpath("//header")[0]
    return [text_of(a) for a in header.xpath(".//div[@class='fr-header__tools-links']//a")]


def test_members_find_proposer_une_ressource_in_the_header(client, auth, make_user):
    assert "Proposer une ressource" not in header_links(client)
    make_user("membre@bretagne.fr", "member", ("bretagne",))
    auth.login("membre@bretagne.fr")
    assert "Proposer une ressource" in header_links(client)
    header = tree(client.get("/")).xpath("//header")[0]
    href = header.xpath(".//a[normalize-space()='Proposer une ressource']")[0].get("href")
    assert client.get(href).status_code == 200


def test_an_account_without_a_ctd_is_not_offered_to_propose(client, auth, make_user):
    make_user("seul@exemple.fr", "member")
    auth.login("seul@exemple.fr")
    assert "Proposer une ressource" not in header_links(client)


# --- display settings --------------------------------------------------------------------


def test_the_display_settings_are_in_the_footer_without_inline_script(client):
    response = client.get("/")
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    page = tree(response)
    button = page.xpath("//footer//button[@aria-controls='fr-theme-modal']")[0]
    assert text_of(button) == "Paramètres d'affichage"
    dialog = page.get_element_by_id("fr-theme-modal")
    radios = dialog.xpath(".//input[@type='radio'][@name='fr-radios-theme']")
    assert [radio.get("value") for radio in radios] == ["light", "dark", "system"]
    for radio in radios:  # each labelled
        assert dialog.xpath(f".//label[@for='{radio.get('id')}']")
    assert all(script.get("src") for script in page.xpath("//script"))
    # The pictograms it shows are served by the site itself.
    for use in dialog.xpath(".//*[local-name()='use']"):
        href = use.get("href").split("#")[0]
        assert re.match(r"^/static/vendor/dsfr/artwork/pictograms/", href)
        with client.get(href) as response:  # a file: closed once read
            assert response.status_code == 200


@pytest.mark.browser
def test_a_theme_chosen_in_the_display_settings_stays_after_a_reload(browser, live_server):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server + "/cookies")
    page.get_by_role("button", name="Paramètres d'affichage").click()
    page.get_by_text("Thème sombre").click()
    assert page.evaluate("document.documentElement.dataset.frTheme") == "dark"
    page.reload()
    wait_until_ready(page)
    assert page.evaluate("document.documentElement.dataset.frTheme") == "dark"
    # Readable at 375 px: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert errors == []  # no CSP refusal
    page.context.close()
