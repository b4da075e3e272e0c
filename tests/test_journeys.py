"""The main journeys in a real Chromium, every page checked by axe-core and photographed.

- A visitor searches (live results), narrows by a facet, opens a result and downloads it.
- A member proposes a resource, the CNIG team publishes it and puts it à la une, and a
  visitor finds it on the home page and in the CTD's Atom feed.
- The keyboard alone operates the search page, the sign-in form and the resource form,
  with a visible focus at every step.
- The main public pages of a site filled by `seed-demo` pass the same scan.
- An agent signs in with ProConnect (a real OpenID provider on loopback), signs out at
  the provider, deletes the account; a member links theirs.
- A CTD coordinator invites someone by email (a real SMTP server on loopback); the
  invitee follows the link, signs in with ProConnect, accepts, and proposes a resource.

axe-core (npm, pinned in package-lock.json) runs all the rules it enables by default
(WCAG 2.0, 2.1 and 2.2 A and AA, and its best practices); any violation of impact
*serious* or *critical* fails the test with a readable list. The site's CSP forbids
inline scripts, so axe is not added as a <script>: its source goes through
`page.evaluate`, which the DevTools protocol runs outside the page's CSP. The pages
themselves are served with their CSP unchanged (no `bypass_csp`).

Screenshots go to build/screenshots/journeys/ (git-ignored), or to the folder named by
CNIG_SHARE_SCREENSHOTS, as `<journey>-NN-<step>.png`.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import feedparser
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from cnig_share.legal import accessibility
from tests.conftest import PASSWORD
from tests.page_ready import wait_until_ready

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
AXE_SCRIPT = REPO / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(
    os.environ.get("CNIG_SHARE_SCREENSHOTS") or REPO / "build" / "screenshots" / "journeys"
)
BLOCKING_IMPACTS = ("serious", "critical")
VIEWPORT = {"width": 1280, "height": 900}

# Each violation as plain data: the rule, its impact, what to fix and where.
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    targets: v.nodes.map(n => n.target.join(' ')),
  }));
}"""

# The focused element's focus ring. The DSFR draws it as a 2px outline: on the element,
# on its ::before for links that enlarge to their card or tile (fr-enlarge-link), on the
# label's box (::before) for its checkboxes and radios, whose <input> is transparent.
# A box-shadow is not taken as a sign: DSFR fields carry an inset box-shadow at rest too.
FOCUS_RING = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return {element: 'body', visible: false};
  const drawn = [[element, null], [element, '::before']];
  if (element.matches('input[type=checkbox], input[type=radio]')) {
    for (const label of element.labels) drawn.push([label, '::before']);
  }
  const rings = drawn.map(([node, pseudo]) => {
    const style = getComputedStyle(node, pseudo);
    const box = node.getBoundingClientRect();
    return {
      on: node.tagName.toLowerCase() + (pseudo || ''),
      outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
      visible: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1
               && style.content !== 'none' && box.width > 0 && box.height > 0
               && getComputedStyle(node).opacity !== '0',
    };
  });
  return {
    element: element.outerHTML.slice(0, 160),
    rings: rings,
    visible: rings.some(ring => ring.visible),
  };
}"""


# True once no CSS transition or finite animation is running (DSFR's last a few hundred
# ms; a spinner's never ends).
SETTLED = """() => document.getAnimations().every(
  a => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity)"""


# --- helpers -------------------------------------------------------------------------------


@pytest.fixture
def open_page(browser):
    """New pages, each in its own context (own cookies), closed after the test."""
    pages: list[Page] = []

    def factory(**options) -> Page:
        page = browser.new_page(viewport=VIEWPORT, locale="fr-FR", **options)
        pages.append(page)
        return page

    yield factory
    for page in pages:
        page.context.close()


def assert_accessible(page: Page) -> None:
    """Run axe-core on the page once its transitions have ended (a modal fading in has
    its buttons half transparent, which axe measures as low contrast); fail on any
    serious or critical violation."""
    page.wait_for_function(SETTLED)
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    violations = page.evaluate(AXE_RUN)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} — {', '.join(v['targets'][:5])}"
        f"{' …' if len(v['targets']) > 5 else ''} <{v['helpUrl']}>"
        for v in blocking
    )
    assert not blocking, f"axe-core on {page.url}:\n{report}"


class Journey:
    """Numbered screenshots of one journey, each step scanned by axe first."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.step = 0
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for old in SCREENSHOTS.glob(f"{name}-*.png"):  # a shorter run leaves no strays
            old.unlink()

    def check(self, page: Page, step: str) -> None:
        assert_accessible(page)
        self.step += 1
        path = SCREENSHOTS / f"{self.name}-{self.step:02d}-{step}.png"
        # Not "hide": that writes inline styles, which the CSP would refuse.
        page.screenshot(path=str(path), full_page=True, caret="initial")


def watch_errors(page: Page) -> list[str]:
    """Console errors (a CSP refusal is one) collected for the page's lifetime."""
    errors: list[str] = []
    page.on(
        "console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None
    )
    return errors


def assert_fits_a_phone(page: Page) -> None:
    """At 375 px wide the page scrolls down only, never sideways (wide tables scroll
    inside their own box)."""
    page.set_viewport_size({"width": 375, "height": 800})
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    page.set_viewport_size(VIEWPORT)
    assert width[0] <= width[1], f"{page.url} is {width[0]} px wide at {width[1]} px"


def sign_in(page: Page, base: str, email: str, journey: Journey) -> None:
    """From the home page, through the header's link and the sign-in form."""
    page.goto(base + "/")
    journey.check(page, "accueil")
    page.locator("header").get_by_role("link", name="Se connecter").click()
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    journey.check(page, "connexion")
    page.locator("main").get_by_role("button", name="Se connecter").click()
    page.wait_for_url(base + "/")  # back to the page the link was followed from
    expect(page.get_by_text("Vous êtes connecté·e.")).to_be_visible()
    journey.check(page, "connecte")


def sign_out(page: Page, base: str, journey: Journey) -> None:
    page.locator("header").get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(base + "/")
    expect(page.get_by_text("Vous êtes déconnecté·e.")).to_be_visible()
    journey.check(page, "deconnecte")


def tab_to(page: Page, selector: str, *, backwards: bool = False, limit: int = 120) -> None:
    """Press Tab (or Shift+Tab) until the focus is on `selector`, checking the focus ring
    of every element it passes through."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        assert_focus_visible(page)
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{limit} × {key} never reached {selector} on {page.url}")


def assert_focus_visible(page: Page) -> None:
    ring = page.evaluate(FOCUS_RING)
    assert ring["visible"], f"focus not visible on {page.url}: {ring}"


def result_count(page: Page) -> int:
    text = page.locator("#results [role=status]").inner_text()
    match = re.match(r"(\d+) résultats?", text.replace("\u202f", ""))
    assert match, text
    return int(match.group(1))


def pdf_bytes(title: str, text: str) -> bytes:
    from cnig_share.demo import sample_files

    return sample_files.pdf(title, [text])


# --- the checks themselves fail when they should ------------------------------------------


def test_the_scan_lists_serious_and_critical_violations(open_page):
    page = open_page()
    page.set_content(
        '<html lang="fr"><head><title>Essai</title></head><body><main><h1>Essai</h1>'
        '<input type="text" id="sans-etiquette"><img src="data:," id="sans-alt">'
        "</main></body></html>"
    )
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)
    report = str(failure.value)
    assert "- label (critical): Form elements must have labels — #sans-etiquette" in report
    assert "- image-alt (critical): Images must have alternative text — #sans-alt" in report


def test_the_focus_check_fails_on_a_hidden_focus_ring(open_page):
    page = open_page()
    page.set_content(
        '<html lang="fr"><body><a href="#a" id="visible">Un</a>'
        '<a href="#b" id="cache" style="outline: none">Deux</a></body></html>'
    )
    tab_to(page, "#visible")
    with pytest.raises(AssertionError, match="focus not visible"):
        tab_to(page, "#cache")


# --- the visitor ---------------------------------------------------------------------------


def test_visitor_searches_filters_opens_and_downloads(open_page, live_server, app, tmp_path):
    from cnig_share.extensions import db
    from cnig_share.models import Resource
    from cnig_share.resources.attachments import add_attachment
    from tests.factories import publish

    guide = pdf_bytes("Adressage", "Guide de l'adressage des voies rurales, pas à pas.")
    with app.app_context():
        publish("Adressage des hameaux", body="Numéroter les voies rurales.", kind="bonne-pratique")
        publish("Adressage et fibre", body="Une campagne d'adressage.", kind="retour-experience")
        guide_id = publish(
            "Guide de l'adressage", body="Le guide régional de l'adressage.", kind="document"
        )
        publish("Orthophotographie régionale", body="Un groupement de commandes.")
        add_attachment(db.session.get(Resource, guide_id), guide, "guide-adressage.pdf")
        db.session.commit()
    journey = Journey("visiteur")
    page = open_page()
    errors = watch_errors(page)

    page.goto(live_server + "/recherche")
    assert result_count(page) == 4
    journey.check(page, "recherche")
    page.evaluate("window.pageLoadMarker = 1")  # gone if the page reloads

    # Typing is enough: the results follow the words, and the address follows them.
    page.locator("#q").press_sequentially("adressage", delay=20)
    page.get_by_text("3 résultats pour « adressage »").wait_for()
    page.wait_for_url("**/recherche?q=adressage**")
    assert page.locator("#results").get_by_role("link", name="Orthophotographie").count() == 0
    journey.check(page, "resultats-en-direct")

    # The DSFR draws the checkbox on the label, which takes the click.
    page.locator("#results label[for^=f-kind-]", has_text="Document").click()
    page.get_by_text("1 résultat pour « adressage »").wait_for()
    page.wait_for_url(re.compile(r"/recherche\?q=adressage&(.+&)?kind=document$"))
    facet = page.locator("#results").get_by_role("checkbox", name=re.compile("^Document"))
    assert facet.is_checked()
    journey.check(page, "filtre-type")
    assert page.evaluate("window.pageLoadMarker") == 1

    page.locator("#results").get_by_role("link", name="Guide de l'adressage").click()
    page.wait_for_url(f"{live_server}/ressources/{guide_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Guide de l'adressage")
    journey.check(page, "ressource")

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("^guide-adressage.pdf")).click()
    download = download_info.value
    assert download.suggested_filename == "guide-adressage.pdf"
    saved = tmp_path / "telecharge.pdf"
    download.save_as(saved)
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == hashlib.sha256(guide).hexdigest()
    assert errors == []


# --- member → curator → visitor ------------------------------------------------------------


def test_member_proposes_curator_publishes_and_features_visitor_finds_it(
    open_page, live_server, make_user, tmp_path
):
    make_user("membre@bretagne.fr", "member", ("bretagne",), name="Maël Le Bris")
    make_user("veille@cnig.fr", "curator", name="Dominique Veille")
    title = "Cartographier les haies bocagères"
    attachment = tmp_path / "inventaire-haies.pdf"
    attachment.write_bytes(pdf_bytes("Haies", "Inventaire des haies bocagères par commune."))
    journey = Journey("contribution")

    # The member signs in through the form and writes.
    member = open_page()
    errors = watch_errors(member)
    sign_in(member, live_server, "membre@bretagne.fr", journey)
    member.locator("header").get_by_role("link", name="Maël Le Bris").click()
    member.wait_for_url(live_server + "/profil")
    journey.check(member, "profil")
    member.locator("main").get_by_role("link", name="Proposer une ressource").click()
    # htmx binds the live preview once the page has loaded: typing earlier sends nothing.
    member.wait_for_url(live_server + "/ressources/nouvelle")
    member.wait_for_load_state()
    member.get_by_label("Titre", exact=True).fill(title)
    member.get_by_label("Résumé").fill("Un inventaire partagé des haies, commune par commune.")
    member.get_by_label("Type de ressource").select_option("retour-experience")
    member.get_by_label("Contenu", exact=False).first.fill(
        "## Démarche\n\nUn **relevé** de terrain, puis une couche partagée :\n\n"
        "    ogr2ogr -f GPKG haies.gpkg releves.shp -where \"type = 'haie' AND commune IN "
        "('29019', '29232', '29151')\" -nlt MULTILINESTRING -t_srs EPSG:2154 -progress"
    )
    member.locator("#preview strong").wait_for()  # the live preview (htmx) came back
    for term in ("référentiel de données", "mutualisation"):
        label = re.compile(f"^{term}")  # the label goes on with the term's other names
        # The DSFR draws the box on the label, which takes the click.
        member.locator("#term_choices label", has_text=label).click()
        expect(member.locator("#term_choices").get_by_role("checkbox", name=label)).to_be_checked()
    member.get_by_label("Pièces jointes").set_input_files(str(attachment))
    journey.check(member, "formulaire-rempli")
    member.get_by_role("button", name="Enregistrer").click()
    member.get_by_text("La ressource est enregistrée en brouillon.").wait_for()
    resource_url = member.url
    assert re.fullmatch(rf"{live_server}/ressources/\d+", resource_url)
    journey.check(member, "brouillon")
    member.get_by_role("button", name="Soumettre pour publication").click()
    member.get_by_text("La ressource est soumise").wait_for()
    journey.check(member, "soumise")
    sign_out(member, live_server, journey)
    assert member.request.get(resource_url).status == 404  # not public before publication

    # The curator publishes it from the queue, in place, then puts it à la une.
    curator = open_page()
    errors += watch_errors(curator)
    sign_in(curator, live_server, "veille@cnig.fr", journey)
    curator.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Relecture"
    ).click()
    curator.wait_for_url(live_server + "/curation/")
    expect(curator.get_by_role("link", name=title)).to_be_visible()
    journey.check(curator, "file-de-relecture")
    curator.evaluate("window.pageLoadMarker = 2")
    curator.get_by_role("button", name=f"Publier « {title} »").click()
    curator.get_by_text(f"« {title} » est publiée.").wait_for()
    assert curator.evaluate("window.pageLoadMarker") == 2  # htmx swapped the queue
    expect(curator.get_by_role("link", name=title)).to_have_count(0)
    journey.check(curator, "publiee-depuis-la-file")
    curator.goto(resource_url)
    curator.get_by_role("button", name="Mettre à la une").click()
    curator.get_by_text("La ressource est à la une.").wait_for()
    expect(curator.get_by_role("button", name="Retirer de la une")).to_be_visible()
    journey.check(curator, "mise-a-la-une")

    # A visitor finds it à la une, then in the Atom feed its CTD's page announces.
    visitor = open_page()
    errors += watch_errors(visitor)
    visitor.goto(live_server + "/")
    featured = visitor.locator("section[aria-labelledby=titre-une]")
    expect(featured.get_by_role("link", name=title)).to_be_visible()
    journey.check(visitor, "accueil-a-la-une")
    featured.get_by_role("link", name=title).click()
    visitor.wait_for_url(resource_url)
    expect(visitor.get_by_role("link", name=re.compile("^inventaire-haies.pdf"))).to_be_visible()
    journey.check(visitor, "ressource-publique")
    visitor.locator("main").get_by_role("link", name="CTD Bretagne").click()
    visitor.wait_for_url(live_server + "/ctd/bretagne")
    journey.check(visitor, "page-du-ctd")
    feed_href = visitor.locator(
        "head link[rel=alternate][type='application/atom+xml']"
    ).get_attribute("href")
    response = visitor.request.get(live_server + feed_href)
    assert response.ok
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.body())
    assert not feed.bozo, feed.bozo_exception
    assert [entry.title for entry in feed.entries if entry.link == resource_url] == [title]
    assert errors == []


# --- the keyboard alone --------------------------------------------------------------------


def test_search_page_with_the_keyboard_alone(open_page, live_server, app):
    from tests.factories import publish

    with app.app_context():
        publish("Plan corps de rue simplifié", body="Le PCRS en commune.", kind="document")
        publish("Plan de numérotation", body="Un plan communal.", kind="bonne-pratique")
        publish("Orthophotographie régionale", body="Un groupement de commandes.")
    journey = Journey("clavier-recherche")
    page = open_page()
    page.goto(live_server + "/recherche")
    page.evaluate("window.pageLoadMarker = 3")

    # Skip link to the content, then on to the search box.
    tab_to(page, "a[href='#contenu']")
    page.keyboard.press("Enter")
    tab_to(page, "#q")
    page.keyboard.type("plan")
    page.get_by_text("2 résultats pour « plan »").wait_for()
    assert_focus_visible(page)  # the live results did not take the focus away
    journey.check(page, "requete-tapee")

    # On to the "Document" facet; Space ticks it and the results narrow in place.
    document_facet = "#results input[name=kind][value=document]"
    tab_to(page, document_facet)
    page.keyboard.press("Space")
    page.get_by_text("1 résultat pour « plan »").wait_for()
    page.wait_for_url(re.compile(r"/recherche\?q=plan&(.+&)?kind=document$"))
    assert page.locator(document_facet).is_checked()
    # htmx gave the focus back to the facet just ticked, in the new results.
    assert page.evaluate("document.activeElement.value") == "document"
    assert_focus_visible(page)
    journey.check(page, "facette-cochee")

    # Back up to the search box with Shift+Tab, then down to the result and open it.
    tab_to(page, "#q", backwards=True)
    tab_to(page, "#results a[href^='/ressources/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/ressources/*")
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan corps de rue simplifié")
    journey.check(page, "resultat-ouvert")


def test_sign_in_and_resource_form_with_the_keyboard_alone(open_page, live_server, app, make_user):
    from cnig_share.extensions import db
    from cnig_share.models import Resource

    make_user("membre@bretagne.fr", "member", ("bretagne",))
    journey = Journey("clavier-formulaires")
    page = open_page()
    page.goto(live_server + "/connexion")

    # Sign in: type, Tab, type, Enter.
    tab_to(page, "#email")
    page.keyboard.type("membre@bretagne.fr")
    tab_to(page, "#password")
    page.keyboard.type(PASSWORD)
    tab_to(page, "main button[type=submit]")
    tab_to(page, "#password", backwards=True)
    journey.check(page, "connexion-remplie")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server + "/profil")
    journey.check(page, "profil")

    # From the profile to the form, then each field in turn.
    tab_to(page, "main a[href='/ressources/nouvelle']")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server + "/ressources/nouvelle")
    tab_to(page, "#title")
    page.keyboard.type("Partager les relevés de haies")
    tab_to(page, "#summary")
    page.keyboard.type("Relevés de terrain mis en commun.")
    tab_to(page, "#kind")
    for _ in range(3):  # the arrows change a closed select's value
        if page.locator("#kind").input_value() == "document":
            break
        page.keyboard.press("ArrowDown")
    assert page.locator("#kind").input_value() == "document"
    tab_to(page, "#body")
    page.keyboard.type("Un relevé par commune.")
    tab_to(page, "#term_choices input[type=checkbox]")
    first_term = int(page.evaluate("document.activeElement.value"))
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked")
    journey.check(page, "formulaire-au-clavier")
    tab_to(page, "main button[type=submit]:not([name])")  # Enregistrer
    page.keyboard.press("Enter")
    page.get_by_text("La ressource est enregistrée en brouillon.").wait_for()
    journey.check(page, "enregistree")

    with app.app_context():
        saved = db.session.scalar(select(Resource).where(Resource.title.startswith("Partager")))
        assert saved.kind == "document"
        assert saved.body == "Un relevé par commune."
        assert [term.id for term in saved.terms] == [first_term]


# --- the main public pages -----------------------------------------------------------------

# The sample of the RGAA self-audit (cnig_share/legal/accessibility_audit.toml): the
# accessibility statement lists exactly the pages this scan covers.
PUBLIC_PAGES = [page.path for page in accessibility.load().sample]


def test_coordinator_records_costs_and_projects_the_national_page_adds_them_up(
    open_page, live_server, app, make_user
):
    """The CTD workspace as a coordinator tries it: a year of costs, three projects with two
    national actors, then the national page and its CSV."""
    from cnig_share.workspace import services

    make_user("animation@bretagne.fr", "member", ("bretagne",), name="Awena Le Goff")
    make_user("veille@cnig.fr", "curator", name="Dominique Veille")
    with app.app_context():
        from tests import factories

        curator = factories.user("veille@cnig.fr")
        for name in ("IGN", "Cerema"):
            services.save_actor(None, {"name": name, "type": "operateur-national"}, curator)
        from cnig_share.extensions import db

        db.session.commit()
    journey = Journey("espace-ctd")
    page = open_page()
    errors = watch_errors(page)
    sign_in(page, live_server, "animation@bretagne.fr", journey)
    page.goto(live_server + "/ctd/bretagne")
    journey.check(page, "page-du-ctd")

    page.get_by_role("link", name="Coûts", exact=True).click()
    page.get_by_label("Temps de travail (ETP)").fill("1.5")
    page.get_by_label("Outils (€)").fill("12000")
    page.get_by_label("Événements (€)").fill("3000")
    journey.check(page, "saisie-des-couts")
    page.get_by_role("button", name="Enregistrer l'année").click()
    expect(page.get_by_text("enregistrés")).to_be_visible()
    journey.check(page, "couts-enregistres")

    projects = [
        ("PCRS mutualisé", "IGN", "Opérateur", 100_000),
        ("Base adresse locale", "Cerema", "Contributeur", 20_000),
        ("Imagerie aérienne commune", "IGN", "Financeur", None),
    ]
    for title, actor, role, avoided in projects:
        page.goto(live_server + "/ctd/bretagne")
        page.get_by_role("link", name="Nouveau projet").click()
        page.get_by_label("Titre du projet").fill(title)
        page.get_by_label("Avancement").select_option(label="En cours")
        page.locator("#actors-0-actor").select_option(label=actor)
        page.locator("#actors-0-role").select_option(label=role)
        page.locator("label", has_text="CTD Pays de la Loire").click()
        if avoided:
            page.get_by_label("Coûts évités par la mutualisation (€)").fill(str(avoided))
            page.get_by_label("Année de l'estimation").fill("2026")
            page.get_by_label("Méthode d'estimation").fill("Marchés séparés évités.")
        journey.check(page, "nouveau-projet")
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    journey.check(page, "projet")

    page.goto(live_server + "/couts/")
    journey.check(page, "couts-nationaux")
    totals = page.locator("table").first.locator("tbody tr").first
    expect(totals.locator("th")).to_have_text("2026")
    # 1.5 FTE × 220 days × 450 € + 12 000 + 3 000 = 163 500 €; 120 000 € avoided.
    expect(totals.locator("td").nth(5)).to_have_text("163\u202f500\u00a0€")
    expect(totals.locator("td").nth(6)).to_have_text("120\u202f000\u00a0€")
    csv_text = page.request.get(live_server + "/couts.csv").text()
    assert "bretagne;Bretagne;2026;1,50;450;220;148500;12000;3000;163500;120000;2" in csv_text
    page.goto(live_server + "/acteurs/carte")
    journey.check(page, "acteurs-et-ctd")
    expect(page.locator("table tbody tr")).to_have_count(2)  # IGN and Cerema, each with Bretagne

    # Search finds the projects by their national actor, filtered to projects.
    page.goto(live_server + "/recherche")
    page.locator("#q").fill("IGN")
    page.locator("#q").press("Enter")
    page.get_by_text("3 résultats pour « IGN »").wait_for()  # the actor and its two projects
    page.locator("#results label[for^=f-kind-]", has_text="Projet de CTD").click()
    page.get_by_text("2 résultats pour « IGN »").wait_for()
    results = page.locator("#results")
    expect(results.get_by_role("link", name="PCRS mutualisé")).to_be_visible()
    expect(results.get_by_role("link", name="Imagerie aérienne commune")).to_be_visible()
    journey.check(page, "recherche-projets")
    assert errors == []


# The site follows the system's colour scheme (data-fr-scheme="system"): the DSFR's dark
# theme is checked too on the pages with the most colours.
DARK_PAGES = ["/", "/recherche?q=adresse", "{resource}", "/couts/", "/acteurs/carte", "/ctd/carte"]


@pytest.mark.parametrize(
    ("path", "scheme"),
    [(path, "light") for path in PUBLIC_PAGES] + [(path, "dark") for path in DARK_PAGES],
)
def test_public_pages_of_the_demo_site_pass_axe(open_page, demo_site, path, scheme):
    base, paths = demo_site
    page = open_page(color_scheme=scheme)
    errors = watch_errors(page)
    response = page.goto(base + path.format(**paths))
    assert response.status == 200
    assert "script-src" in response.headers["content-security-policy"]  # the site's CSP, as is
    wait_until_ready(page)
    assert page.evaluate("document.documentElement.dataset.frTheme") == scheme
    assert_accessible(page)
    assert errors == []


# --- ProConnect, against the loopback provider (tests/oidc/provider.mjs) --------------------


def at_provider_sign_in(page: Page, email: str) -> None:
    """The provider's login page (which stands for ProConnect's identity providers)."""
    page.get_by_label("Adresse électronique professionnelle").fill(email)
    page.get_by_label("Prénom").fill("Camille")
    page.get_by_label("Nom d'usage").fill("Martin")
    page.get_by_role("button", name="Continuer").click()


def test_an_agent_signs_in_with_proconnect_deletes_the_account_and_a_member_links_theirs(
    open_page, live_server, app, make_user, oidc_issuer
):
    from tests.proconnect import register_client

    app.config.update(register_client(oidc_issuer, live_server))
    journey = Journey("proconnect")
    page = open_page()
    errors = watch_errors(page)

    # A first sign-in: the button above the password form, the provider, the welcome page.
    page.goto(live_server + "/connexion")
    expect(page.locator(".fr-connect-group .fr-connect--pro")).to_be_visible()
    journey.check(page, "connexion")
    page.get_by_role("link", name="S’identifier avec ProConnect").click()
    at_provider_sign_in(page, "camille.martin@exemple.gouv.fr")
    page.wait_for_url(live_server + "/bienvenue")
    expect(page.get_by_role("heading", name="Bienvenue, Camille Martin")).to_be_visible()
    journey.check(page, "bienvenue")
    assert_fits_a_phone(page)

    # Sign-out ends the provider's session too: the form's redirect to the provider is
    # allowed by the page's CSP (form-action), and the provider sends the browser back.
    page.locator("header").get_by_role("button", name="Se déconnecter").click()
    page.get_by_role("button", name="Se déconnecter").click()  # the provider's confirmation
    page.wait_for_url(live_server + "/")
    expect(page.get_by_text("déconnecté·e de CNIG Partage et de ProConnect")).to_be_visible()

    # Signing in again goes straight in; the account, without a password, deletes itself
    # after authenticating again at the provider.
    page.goto(live_server + "/connexion")
    page.get_by_role("link", name="S’identifier avec ProConnect").click()
    at_provider_sign_in(page, "camille.martin@exemple.gouv.fr")
    page.wait_for_url(live_server + "/profil")
    journey.check(page, "profil")
    page.get_by_role("link", name="Confirmer mon identité avec ProConnect").click()
    at_provider_sign_in(page, "camille.martin@exemple.gouv.fr")  # asked again: prompt=login
    page.wait_for_url(live_server + "/profil/supprimer/confirmer")
    journey.check(page, "confirmer-suppression")
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    page.wait_for_url(live_server + "/")
    expect(page.get_by_text("Votre compte est supprimé.")).to_be_visible()

    # A member with a password types it once, then ProConnect is linked.
    make_user("dominique.petit@exemple.gouv.fr", ctds=("bretagne",))
    other = open_page()
    errors += watch_errors(other)
    other.goto(live_server + "/connexion")
    other.get_by_role("link", name="S’identifier avec ProConnect").click()
    at_provider_sign_in(other, "dominique.petit@exemple.gouv.fr")
    other.wait_for_url(live_server + "/connexion/proconnect/mot-de-passe")
    journey.check(other, "mot-de-passe")
    other.get_by_label("Mot de passe de votre compte CNIG Partage").fill("pas le bon")
    other.get_by_role("button", name="Relier et me connecter").click()
    expect(other.get_by_text("Mot de passe incorrect.")).to_be_visible()
    journey.check(other, "mot-de-passe-refuse")
    other.get_by_label("Mot de passe de votre compte CNIG Partage").fill(PASSWORD)
    other.get_by_role("button", name="Relier et me connecter").click()
    other.wait_for_url(live_server + "/profil")
    expect(other.get_by_text("ProConnect : identité reliée le")).to_be_visible()

    # A failure is a French page with a way back.
    other.goto(live_server + "/connexion/proconnect/retour?code=abc&state=" + "x" * 43)
    heading = other.get_by_role("heading", name="Connexion avec ProConnect impossible")
    expect(heading).to_be_visible()
    journey.check(other, "erreur")
    assert [e for e in errors if live_server in e and "status of 400" not in e] == []


def test_a_coordinator_invites_the_invitee_joins_with_proconnect_and_proposes_a_resource(
    open_page, live_server, app, make_user, oidc_issuer, inbox
):
    """Issue 16's journey: a coordinator invites from the members page, the email arrives,
    the invitee opens its link in another browser, signs in with ProConnect (the loopback
    provider), accepts, and proposes a resource as a member of the CTD."""
    from cnig_share.extensions import db
    from cnig_share.models import ExternalIdentity
    from tests import factories
    from tests.proconnect import register_client

    # The live server mails through the loopback inbox; its links are its own address.
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=inbox[1])
    app.config.update(register_client(oidc_issuer, live_server))
    make_user("animation@bretagne.fr", ctds=("bretagne",), name="Awena Le Goff")
    with app.app_context():
        factories.user("animation@bretagne.fr").memberships[0].role = "coordinator"
        db.session.commit()
    invitee = "camille.martin@mairie-quimper.fr"
    title = "Numéroter les voies des hameaux"
    journey = Journey("invitation")

    # 1. The coordinator invites from the members page, with a message.
    coordinator = open_page()
    errors = watch_errors(coordinator)
    sign_in(coordinator, live_server, "animation@bretagne.fr", journey)
    coordinator.goto(live_server + "/ctd/bretagne")
    coordinator.get_by_role("link", name="Membres", exact=True).click()
    coordinator.wait_for_url(live_server + "/ctd/bretagne/membres")
    expect(coordinator.get_by_text("Aucune invitation en attente.")).to_be_visible()
    journey.check(coordinator, "membres")
    coordinator.get_by_label("Adresses électroniques").fill(invitee)
    coordinator.get_by_label("Rôle dans le CTD").select_option(label="Membre")
    coordinator.get_by_label("Message (facultatif)").fill(
        "Bonjour Camille,\nnous préparons l'adressage des hameaux : rejoignez-nous."
    )
    journey.check(coordinator, "invitation-remplie")
    coordinator.get_by_role("button", name="Envoyer les invitations").click()
    coordinator.wait_for_url(live_server + "/ctd/bretagne/membres")
    expect(coordinator.get_by_text("Invitation envoyée.")).to_be_visible()
    pending = coordinator.locator("table", has_text="Envoyée le").locator("tbody tr")
    expect(pending).to_have_count(1)
    expect(pending.locator("td").first).to_have_text(invitee)
    expect(pending.locator("td").nth(2)).to_have_text("Awena Le Goff")
    journey.check(coordinator, "invitation-envoyee")
    assert_fits_a_phone(coordinator)

    # 2. The email, from the site's SMTP client to the loopback server.
    [message] = inbox[0].wait_for(1)
    assert message["To"] == invitee
    assert message["Subject"] == "Invitation à rejoindre le CTD Bretagne sur CNIG Partage"
    body = message.get_content()
    assert "Awena Le Goff vous invite sur CNIG Partage" in body
    assert "> nous préparons l'adressage des hameaux : rejoignez-nous." in body
    found = re.search(re.escape(live_server) + r"/invitation/\S+", body)
    assert found, body
    link = found.group(0)

    # 3. In another browser (no session): the page, ProConnect, back to accept.
    page = open_page()
    errors += watch_errors(page)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitation au CTD Bretagne")
    expect(page.get_by_text("rejoindre le CTD Bretagne comme membre")).to_be_visible()
    expect(page.locator("blockquote")).to_contain_text("rejoignez-nous.")
    expect(page.get_by_role("button", name="Créer mon compte et accepter")).to_be_visible()
    journey.check(page, "lien-ouvert")
    assert_fits_a_phone(page)
    page.get_by_role("link", name="Se connecter avec ProConnect").click()
    at_provider_sign_in(page, invitee)
    page.wait_for_url(link)  # back to the invitation, not to the welcome page
    expect(page.get_by_text("Bienvenue, Camille Martin.")).to_be_visible()
    expect(page.get_by_text(f"Vous êtes connecté·e avec le compte {invitee}.")).to_be_visible()
    journey.check(page, "connecte-avec-proconnect")
    page.get_by_role("button", name="Accepter l'invitation").click()
    page.wait_for_url(live_server + "/ctd/bretagne")
    expect(
        page.get_by_text("Bienvenue dans le CTD Bretagne : l'invitation est acceptée.")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Demander à rejoindre")).to_have_count(0)
    journey.check(page, "invitation-acceptee")
    page.get_by_role("link", name="Membres", exact=True).click()
    page.wait_for_url(live_server + "/ctd/bretagne/membres")
    row = page.locator("#membres tbody tr", has_text="Camille Martin")
    expect(row.locator("th")).to_have_text("Camille Martin (vous)")
    expect(row.locator("td").last).to_have_text("Membre")
    expect(page.get_by_role("heading", name="Invitations en attente")).to_have_count(0)
    journey.check(page, "liste-des-membres")
    assert_fits_a_phone(page)

    # 4. The new member proposes a resource, submitted to the curators.
    page.locator("header").get_by_role("link", name="Camille Martin").click()
    page.wait_for_url(live_server + "/profil")
    page.locator("main").get_by_role("link", name="Proposer une ressource").click()
    page.wait_for_url(live_server + "/ressources/nouvelle")
    page.wait_for_load_state()
    expect(page.get_by_label("CTD", exact=True)).to_have_value("bretagne")
    page.get_by_label("Titre", exact=True).fill(title)
    page.get_by_label("Résumé").fill("Une méthode pour numéroter les voies des hameaux.")
    page.get_by_label("Type de ressource").select_option("bonne-pratique")
    page.get_by_label("Contenu", exact=False).first.fill("Une numérotation **métrique**.")
    page.locator("#preview strong").wait_for()
    journey.check(page, "proposition")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("La ressource est enregistrée en brouillon.").wait_for()
    page.get_by_role("button", name="Soumettre pour publication").click()
    page.get_by_text("La ressource est soumise").wait_for()
    journey.check(page, "soumise")
    page.goto(live_server + "/profil")
    contributions = page.locator("#contributions")
    expect(contributions.locator("caption")).to_have_text("Soumise (1)")
    contribution = contributions.locator("tbody tr")
    expect(contribution.get_by_role("link", name=title)).to_be_visible()
    expect(contribution.locator(".fr-badge")).to_have_text("Soumise")
    journey.check(page, "mes-contributions")

    # The coordinator's page now lists the new member, and no pending invitation.
    coordinator.reload()
    expect(coordinator.get_by_text("Aucune invitation en attente.")).to_be_visible()
    member_row = coordinator.locator("#membres tbody tr", has_text=invitee)
    expect(member_row.locator("th")).to_have_text("Camille Martin")
    expect(member_row.locator("select")).to_have_value("member")
    with app.app_context():
        user = factories.user(invitee)
        assert [(m.ctd.slug, m.role) for m in user.memberships] == [("bretagne", "member")]
        assert not user.has_password
        assert db.session.scalar(select(ExternalIdentity.user_id)) == user.id
    assert errors == []
