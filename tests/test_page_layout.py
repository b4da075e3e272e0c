"""Page layout for a phone and a desktop (issue 17 §3), through the pages' HTML: wide
Markdown tables scroll in the DSFR table container, the search filters fold under a
*Filtrer* button above the results, a chart's figures fold under *Voir les données*,
the home page lists the CTDs compactly on a phone, a resource shows its files first and
no empty column, and the public listings have the DSFR pagination.

How each page then looks at 375 px is measured in a real browser (test_layout.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import lxml.html
import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from cnig_share import markdown
from cnig_share.database import MIGRATIONS_DIR
from cnig_share.extensions import db
from cnig_share.models import Attachment, GlossaryTerm, Resource, Selection
from cnig_share.reference_data import CTD_REGIONS
from cnig_share.resources.attachments import add_attachment
from tests import factories
from tests.conftest import AuthActions

CURATOR = "veille@cnig.example.org"
TABLE = "| Commune | Voies numérotées |\n|---|--:|\n| Rennes | 1 200 |\n"
CONTAINER = "fr-table__container"


def tree(response):
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.get_data(as_text=True))


def classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def has_class(name: str) -> str:
    """An XPath test for an element carrying the CSS class `name`."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


@pytest.fixture
def curator(app, make_user):
    make_user(CURATOR, role="curator")
    client = app.test_client()
    assert AuthActions(client).login(CURATOR).status_code == 303
    return client


# --- Markdown tables in the DSFR table container ------------------------------------------


def containers_of(table) -> list[str]:
    """The classes of a table's four enclosing boxes, innermost first."""
    return [" ".join(sorted(classes(box))) for box in list(table.iterancestors())[:4]]


def test_a_markdown_table_scrolls_in_the_dsfr_table_container(app, client):
    with app.app_context():
        resource_id = factories.publish("Voies", body=f"Le décompte :\n\n{TABLE}")
    page = tree(client.get(f"/ressources/{resource_id}"))
    (table,) = page.xpath("//div[contains(@class, 'cs-prose')]//table")
    assert containers_of(table) == [
        "fr-table__content",
        "fr-table__container",
        "fr-table__wrapper",
        "fr-table fr-table--no-caption",
    ]
    # The box that scrolls takes the keyboard focus, so that arrows scroll it.
    assert table.getparent().getparent().get("tabindex") == "0"
    # The alignment the Markdown gave survives, and the cells are the text's.
    assert [cell.get("align") for cell in table.xpath(".//th")] == [None, "right"]
    assert [cell.text for cell in table.xpath(".//td")] == ["Rennes", "1 200"]


def test_an_html_table_keeps_its_caption_in_the_container(app):
    with app.app_context():
        html = markdown.render(
            "<table><caption>Voies par commune</caption><tr><td>Rennes</td></tr></table>"
        ).html
    table = lxml.html.fromstring(html).xpath("//table")[0]
    assert table.xpath("./caption")[0].text == "Voies par commune"
    assert containers_of(table)[3] == "fr-table"  # room kept for the caption


def test_only_real_tables_are_wrapped(app):
    """A table's tags written as text, in code or in an attribute stay what they were."""
    text = '`<table>` et [lien](/x "</table><table>") et <abbr title="<table>">T</abbr>'
    with app.app_context():
        rendered = markdown.render(text)
    assert CONTAINER not in rendered.html
    assert "&lt;table&gt;" in rendered.html
    assert rendered.text.count("<table>") == 1  # the code's, unescaped in the plain text


def test_the_plain_text_of_a_table_has_no_container_markup(app):
    with app.app_context():
        rendered = markdown.render(TABLE)
    assert rendered.text.split() == ["Commune", "Voies", "numérotées", "Rennes", "1", "200"]


def previous_revision() -> str:
    return ScriptDirectory(str(MIGRATIONS_DIR)).get_revision("0020").down_revision


def test_the_migration_puts_the_tables_already_stored_in_containers_and_back(make_app):
    app = make_app()
    before = markdown._sanitised(TABLE)  # a table as the renderer used to store it
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=previous_revision())
        with db.engine.begin() as connection:
            for slug, definition, html in [
                ("voirie", TABLE, before),
                ("adresse", "Sans tableau.", "<p>Sans tableau.</p>\n"),
            ]:
                connection.execute(
                    sa.text(
                        "INSERT INTO glossary_term (slug, pref_label, definition, definition_html,"
                        " definition_text, scope_note, source, created_at, updated_at) VALUES"
                        " (:slug, :slug, :definition, :html, '', '', '', :now, :now)"
                    ),
                    {"slug": slug, "definition": definition, "html": html, "now": "2026-12-01"},
                )
        upgrade(directory=MIGRATIONS_DIR)
        query = select(GlossaryTerm.slug, GlossaryTerm.definition_html)
        stored = dict(db.session.execute(query).all())
        assert stored["voirie"] == markdown.render(TABLE).html
        assert stored["voirie"].count(CONTAINER) == 1
        assert stored["adresse"] == "<p>Sans tableau.</p>\n"  # left as it was
        db.session.remove()
        downgrade(directory=MIGRATIONS_DIR, revision=previous_revision())
        with db.engine.connect() as connection:
            html = connection.scalar(
                sa.text("SELECT definition_html FROM glossary_term WHERE slug = 'voirie'")
            )
        assert html == before


# --- the search page: sort and filters under a "Filtrer" button --------------------------


@pytest.fixture
def findable(app):
    with app.app_context():
        for number in range(3):
            factories.publish(f"Adressage {number}", body="Adressage des voies.", kind="document")
        factories.publish("Adressage partagé", body="Adressage.", kind="retour-experience")


def filters_and_results(page):
    (filters,) = page.xpath(f"//details[{has_class('cs-facets')}]")
    (results,) = page.xpath(f"//ul[{has_class('fr-raw-list')}][.//div[{has_class('fr-card')}]]")
    return filters, results


@pytest.mark.parametrize("htmx", [False, True])
def test_the_filters_fold_under_a_filtrer_button_above_the_results(client, findable, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    page = tree(client.get("/recherche?q=adressage", headers=headers))
    filters, results = filters_and_results(page)
    summary = filters[0]
    assert summary.tag == "summary" and summary.text_content().strip() == "Filtrer"
    assert {"fr-btn", "fr-btn--secondary"} <= classes(summary)
    assert filters.get("open") is None  # folded until the visitor opens it
    # Before the results in the page's order, so before them on a phone.
    assert list(page.iter()).index(filters) < list(page.iter()).index(results)
    # The sort and every facet are inside, with the no-script submit button.
    assert filters.xpath(".//select[@name='sort']") and filters.xpath(".//input[@name='kind']")
    assert "Appliquer les filtres" in lxml.html.tostring(filters, encoding="unicode")


def test_chosen_filters_keep_the_panel_open_and_are_counted(client, findable):
    page = tree(client.get("/recherche?q=adressage&kind=document&sort=recent"))
    filters, _ = filters_and_results(page)
    assert filters.get("open") is not None
    assert " ".join(filters[0].text_content().split()) == "Filtrer (2 choisis)"


def test_facet_counts_stand_apart_from_their_label(client, findable):
    page = tree(client.get("/recherche?q=adressage"))
    label = page.xpath("//label[starts-with(normalize-space(.), 'Document')]")[0]
    (count,) = label.xpath(f".//span[{has_class('fr-badge')}]")
    assert label.text == "Document" and count.text == "3"
    assert "(3)" not in label.text_content()


# --- the dashboard and the statistics: each chart, its figures under "Voir les données" ---


def test_each_dashboard_chart_folds_its_figures_under_voir_les_donnees(app, curator):
    with app.app_context():
        factories.publish("Une ressource")
    assert_charts_fold_their_figures(tree(curator.get("/curation/tableau-de-bord")))


def test_each_statistics_chart_folds_its_figures_under_voir_les_donnees(app, client):
    with app.app_context():
        factories.publish("Une ressource")
    page = tree(client.get("/statistiques"))
    assert_charts_fold_their_figures(page)
    # The chart's description points to where its figures now are.
    assert "sous « Voir les données »" in page.xpath("//svg/desc")[0].text


def assert_charts_fold_their_figures(page) -> None:
    """Each chart of a page has its figures in a closed, named disclosure, none beside it."""
    charts = page.xpath("//svg[contains(@class, 'cs-chart')]")
    disclosures = page.xpath(f"//details[{has_class('cs-disclosure')}]")
    assert charts and len(disclosures) == len(charts)
    for disclosure in disclosures:
        assert disclosure.get("open") is None
        assert disclosure[0].text == "Voir les données"
        assert disclosure.xpath(".//table/caption")  # the table is inside, named
    # No figures table stands outside a disclosure beside its chart.
    assert not page.xpath("//table[contains(@id, 'tableau-')][not(ancestor::details)]")


# --- the home page: the CTDs on a map on a phone, as tiles above ------------------------


def test_home_shows_every_ctd_on_a_map_for_phones_and_as_tiles_above(client):
    page = tree(client.get("/"))
    (phone,) = page.xpath(f"//div[{has_class('fr-hidden-sm')}][.//svg]")
    (tiles,) = page.xpath(f"//ul[{has_class('cs-ctd-grid')}]")
    assert {"fr-hidden", "fr-unhidden-sm"} <= classes(tiles.getparent())  # the tiles from sm
    regions = [link.get("aria-label").split(" — ")[0] for link in phone.xpath(".//svg//a")]
    assert sorted(regions) == sorted(region for _, region in CTD_REGIONS)
    assert sorted(link.text for link in tiles.xpath(".//a")) == sorted(regions)


# --- the resource page: files first, no empty column --------------------------------------


@pytest.fixture
def guide(app):
    with app.app_context():
        resource_id = factories.publish("Guide de l'adressage", body="## Démarche\n\nLe texte.")
        add_attachment(db.session.get(Resource, resource_id), b"%PDF-1.4 guide", "guide.pdf")
        db.session.commit()
        assert db.session.scalar(select(Attachment.id)) is not None
    return f"/ressources/{resource_id}"


def test_a_visitor_reads_a_resource_across_the_page_files_first(client, guide):
    page = tree(client.get(guide))
    (article,) = page.xpath("//article")
    assert classes(article) == {"fr-col-12"}  # no column kept for actions
    assert not page.xpath("//aside")
    order = [element.text_content() for element in article.xpath(".//h2")]
    assert order[:2] == ["Documents à télécharger", "Démarche"]


def test_whoever_manages_the_resource_has_its_actions_beside_it(curator, guide):
    page = tree(curator.get(guide))
    assert "fr-col-lg-8" in classes(page.xpath("//article")[0])
    (aside,) = page.xpath("//aside")
    assert aside.xpath(".//h2")[0].text == "Gérer cette ressource"


# --- public listings: the DSFR pagination ------------------------------------------------


@pytest.fixture
def many_relays_and_selections(app):
    """45 relayed resources and 45 published selections: three pages of 20 each."""
    with app.app_context():
        start = datetime(2026, 1, 1, 9, tzinfo=UTC)
        for number in range(45):
            factories.publish(
                f"Relais {number:02}",
                relayed_at=start + timedelta(days=number),
                relay_note="À lire.",
            )
            db.session.add(
                Selection(
                    slug=f"selection-{number:02}",
                    title=f"Sélection {number:02}",
                    published_at=start + timedelta(days=number),
                )
            )
        db.session.commit()


@pytest.mark.parametrize(
    ("path", "item", "label"),
    [
        ("/relais/", "Relais", "Pages des relais"),
        ("/selections/", "Sélection", "Pages des sélections"),
    ],
)
def test_relays_and_selections_come_in_pages(client, many_relays_and_selections, path, item, label):
    def titles(page):
        return [link.text for link in page.xpath("//main//h2/a")]

    first = tree(client.get(path))
    assert titles(first) == [f"{item} {n:02}" for n in range(44, 24, -1)]  # newest first
    second = tree(client.get(f"{path}?page=2"))
    assert titles(second) == [f"{item} {n:02}" for n in range(24, 4, -1)]
    (nav,) = second.xpath(f"//nav[{has_class('fr-pagination')}]")
    assert nav.get("aria-label") == label
    links = {link.text: link.get("href") for link in nav.xpath(".//a[@href]")}
    assert links["Page précédente"] == f"{path}?page=1"
    assert links["Page suivante"] == links["Dernière page"] == f"{path}?page=3"
    last = tree(client.get(f"{path}?page=3"))
    assert titles(last) == [f"{item} {n:02}" for n in range(4, -1, -1)]
    # What is not a page number shows the first page; past the end, an empty one.
    for value in ("abc", "-1", "0", "²", "1.5", "99999999999999999999"):
        assert titles(tree(client.get(f"{path}?page={value}"))) == titles(first)
    assert titles(tree(client.get(f"{path}?page=4"))) == []


# --- the coverage matrix and the actors' diagram -----------------------------------------


def test_the_coverage_matrix_says_it_scrolls_and_can_be_scrolled_by_keyboard(client):
    page = tree(client.get("/ctd/couverture"))
    (box,) = page.xpath(f"//div[{has_class('cs-coverage')}]//div[{has_class(CONTAINER)}]")
    assert box.get("tabindex") == "0"
    hint = box.xpath("preceding::p[1]")[0].text_content()
    assert "Le tableau défile dans son cadre" in hint


def test_the_actors_diagram_shows_whole_names_and_the_table_beside_it(app, client, make_user):
    from cnig_share.workspace import services

    make_user(CURATOR, role="curator")
    name = "Agence nationale de la cohésion des territoires"
    with app.app_context():
        by = factories.user(CURATOR)
        actor = services.save_actor(None, {"name": name, "type": "operateur-national"}, by)
        db.session.flush()
        project = services.ProjectInput(title="PCRS", actor_roles=((actor.slug, "financeur"),))
        services.save_project(None, factories.ctd("bretagne"), project, by)
        db.session.commit()
    page = tree(client.get("/acteurs/carte"))
    label = page.xpath("//svg//text[contains(@class, 'cs-network__label')]")[0]
    assert " ".join(span.text for span in label.xpath("./tspan")) == name
    assert "…" not in lxml.html.tostring(label, encoding="unicode")
    (table,) = page.xpath(f"//div[{has_class('cs-network-table')}]//table")
    assert table.xpath(".//th[@scope='row']/a")[0].text == name
