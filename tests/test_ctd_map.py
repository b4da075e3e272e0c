"""Where each CTD stands (its stage, set by its coordinators and curators) and
the map of France drawn from it: projections, links, legend and table."""

from __future__ import annotations

import html as html_lib
import math
import statistics
from datetime import UTC, date, datetime, timedelta

import feedparser
import pytest
from lxml import html as lxml_html
from sqlalchemy import func, select

from cnig_share.ctds import geography, national_map
from cnig_share.database import ensure_reference_data
from cnig_share.dates import today
from cnig_share.extensions import db
from cnig_share.models import AuditEvent, Ctd, CtdStageChange, Project
from cnig_share.reference_data import CONSTITUTED_IN_2025, CTD_REGIONS
from tests import factories
from tests.conftest import csrf_token_from
from tests.migrations import before

COORDINATOR = "animation@bretagne.example.org"
MEMBER = "membre@bretagne.example.org"
CURATOR = "veille@cnig.example.org"
ALL_SLUGS = {slug for slug, _ in CTD_REGIONS}


@pytest.fixture
def people(app, make_user):
    make_user(COORDINATOR, ctds=("bretagne",))
    make_user(MEMBER, ctds=("bretagne",))
    make_user(CURATOR, role="curator")
    with app.app_context():
        user = factories.user(COORDINATOR)
        user.memberships[0].role = "coordinator"
        db.session.commit()


def page_tree(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return lxml_html.fromstring(response.get_data(as_text=True))


def send_stage(client, slug: str, data: dict):
    page = client.get(f"/ctd/{slug}/etape").get_data(as_text=True)
    version = lxml_html.fromstring(page).xpath("//input[@name='version']/@value")
    form = {"csrf_token": csrf_token_from(page), "version": version[0] if version else ""}
    return client.post(f"/ctd/{slug}/etape", data={**form, **data})


# --- projections -------------------------------------------------------------------------

GRS80_A, GRS80_F = 6378137.0, 1 / 298.257222101


def lambert_93(lon: float, lat: float) -> tuple[float, float]:
    """Lambert-93 written from its definition (IGN: LCC secant at 44° and 49° N,
    origin 3° E 46°30' N at 700 000 m, 6 600 000 m, GRS 80), independent of pyproj."""
    e = math.sqrt(2 * GRS80_F - GRS80_F**2)

    def m(phi):
        return math.cos(phi) / math.sqrt(1 - (e * math.sin(phi)) ** 2)

    def t(phi):
        return math.tan(math.pi / 4 - phi / 2) / (
            ((1 - e * math.sin(phi)) / (1 + e * math.sin(phi))) ** (e / 2)
        )

    phi1, phi2, phi0 = (math.radians(v) for v in (44, 49, 46.5))
    n = (math.log(m(phi1)) - math.log(m(phi2))) / (math.log(t(phi1)) - math.log(t(phi2)))
    big_f = m(phi1) / (n * t(phi1) ** n)
    rho0 = GRS80_A * big_f * t(phi0) ** n
    rho = GRS80_A * big_f * t(math.radians(lat)) ** n
    theta = n * math.radians(lon - 3)
    return 700_000 + rho * math.sin(theta), 6_600_000 + rho0 - rho * math.cos(theta)


@pytest.mark.parametrize(
    ("place", "lon", "lat"),
    [
        ("origine", 3.0, 46.5),
        ("Brest", -4.4861, 48.3904),
        ("Strasbourg", 7.7521, 48.5734),
        ("Nice", 7.262, 43.7102),
        ("Ajaccio", 8.7369, 41.9192),
        ("Dunkerque", 2.3768, 51.0344),
    ],
)
def test_metropolitan_points_are_within_a_metre_of_lambert_93(place, lon, lat):
    x, y = geography.project(geography.LAMBERT_93, lon, lat)
    expected = lambert_93(lon, lat)
    assert math.dist((x, y), expected) < 1, place


def test_the_lambert_93_origin_is_its_published_false_origin():
    x, y = geography.project(geography.LAMBERT_93, 3.0, 46.5)
    assert abs(x - 700_000) < 0.01 and abs(y - 6_600_000) < 0.01


@pytest.mark.parametrize(
    ("slug", "meridian", "northing"),
    [("guadeloupe", -63, 0), ("guyane", -51, 0), ("la-reunion", 57, 10_000_000),
     ("mayotte", 45, 10_000_000)],
)  # fmt: skip
def test_each_inset_is_in_the_utm_zone_of_its_latitude(slug, meridian, northing):
    """A UTM zone's central meridian on the equator is 500 000 m east, and 0 or
    10 000 000 m north (south of the equator): the published definition."""
    x, y = geography.project(geography.OVERSEAS_PROJECTIONS[slug], meridian, 0)
    assert abs(x - 500_000) < 0.01 and abs(y - northing) < 0.01
    frame = geography.frame_of(slug)
    assert frame.key == slug and [r.slug for r in frame.regions] == [slug]


def test_the_frames_hold_the_18_regions_once_with_a_scale_bar_each():
    frames = geography.frames()
    slugs = [region.slug for frame in frames for region in frame.regions]
    assert sorted(slugs) == sorted(ALL_SLUGS)
    assert len(frames[0].regions) == 13
    for frame in frames:
        assert 0 < frame.scale.km <= frame.width / 4
        assert frame.scale.label == f"{frame.scale.km} km"
        for region in frame.regions:
            for x, y in (point for ring in region.rings for point in ring):
                assert 0 <= x <= frame.width and 0 <= y <= frame.height


# --- the map page ------------------------------------------------------------------------


def region_links(tree) -> dict[str, lxml_html.HtmlElement]:
    return {link.get("data-region"): link for link in tree.xpath("//a[@data-region]")}


def test_the_map_links_each_of_the_18_regions_to_its_ctd(client):
    tree = page_tree(client.get("/ctd/carte"))
    links = tree.xpath("//svg//a[contains(@class, 'cs-map__region')]")
    assert len(links) == 18
    assert {link.get("href") for link in links} == {f"/ctd/{slug}" for slug in ALL_SLUGS}
    assert all(len(link.xpath(".//path")) == 1 for link in links)
    # Metropolitan regions first, alphabetically; then the five insets.
    order = [link.get("data-region") for link in links]
    assert order[:2] == ["auvergne-rhone-alpes", "bourgogne-franche-comte"]
    assert order[-5:] == list(geography.OVERSEAS_ORDER)
    assert "IGN Admin Express" in tree.text_content()


def test_each_region_says_its_stage_and_published_resources(app, client):
    with app.app_context():
        for n in range(3):
            factories.publish(f"Publiée {n}", ctd="occitanie")
        factories.resource("Brouillon", ctd_slug="occitanie")  # not counted: a draft
    tree = page_tree(client.get("/ctd/carte"))
    occitanie = region_links(tree)["occitanie"]
    assert occitanie.get("aria-label") == "Occitanie — constitué, 3 ressources"
    assert region_links(tree)["corse"].get("aria-label") == "Corse — pas encore engagé, 0 ressource"
    row = tree.xpath("//tr[@data-region='occitanie']")[0]
    cells = [cell.text_content().strip() for cell in row.xpath("./th|./td")]
    assert cells[:4] == ["Occitanie", "Constitué", "—", "3"]


def test_legend_and_table_equal_the_database(app, client):
    with app.app_context():
        factories.ctd("bretagne").stage = "preparation"
        db.session.commit()
        expected = dict(
            db.session.execute(select(Ctd.stage, func.count(Ctd.id)).group_by(Ctd.stage)).all()
        )
    tree = page_tree(client.get("/ctd/carte"))
    legend = {
        item.get("data-class"): item.text_content()
        for item in tree.xpath("//div[@class='cs-map__legend']//li")
    }
    assert set(legend) == {"not-engaged", "preparation", "constituted"}
    for stage, text in legend.items():
        assert f"({expected.get(stage, 0)} CTD)" in text
    classes = {
        link.get("data-region"): link.get("data-class") for link in region_links(tree).values()
    }
    with app.app_context():
        assert classes == dict(db.session.execute(select(Ctd.slug, Ctd.stage)).all())
    assert len(tree.xpath("//table//tbody/tr")) == 18


def test_activity_colouring_puts_each_ctd_in_its_quartile(app, client, make_user):
    recent = datetime.now(UTC) - timedelta(days=30)
    old = datetime.now(UTC) - timedelta(days=500)
    with app.app_context():
        for n, slug in enumerate(["bretagne"] * 5 + ["corse"] * 2 + ["occitanie"]):
            factories.publish(f"Récente {n}", ctd=slug, published_at=recent)
        factories.publish("Ancienne", ctd="guyane", published_at=old)  # over 12 months
        for title in ("Projet vivant", "Projet abandonné"):
            status = "abandonne" if "abandonné" in title else "en-cours"
            db.session.add(Project(ctd=factories.ctd("normandie"), title=title, status=status))
        db.session.commit()
    tree = page_tree(client.get("/ctd/carte?couleur=activite"))
    totals = {"bretagne": 5, "corse": 2, "occitanie": 1, "normandie": 1}
    values = [totals.get(slug, 0) for slug in ALL_SLUGS]
    cuts = statistics.quantiles(values, n=4, method="inclusive")
    links = region_links(tree)
    for slug in ALL_SLUGS:
        expected = national_map.quartile_class(totals.get(slug, 0), cuts) + 1
        assert links[slug].get("data-class") == f"q{expected}", slug
    assert "5 ressources publiées depuis 12 mois, 0 projet" in links["bretagne"].get("aria-label")
    assert "0 ressource publiée depuis 12 mois, 1 projet" in links["normandie"].get("aria-label")
    row = tree.xpath("//tr[@data-region='bretagne']")[0]
    assert [c.text_content().strip() for c in row.xpath("./td")][-5:] == [
        "5",
        "0",
        "0",
        "5",
        "4 sur 4",
    ]
    legend = " ".join(tree.xpath("//div[@class='cs-map__legend']")[0].text_content().split())
    assert "quartiles" in legend and "Classe 4 : activité de 1 à 5 (4 CTD)" in legend
    counted = sum(
        int(item.text_content().rsplit("(", 1)[1].split()[0])
        for item in tree.xpath("//div[@class='cs-map__legend']//li")
    )
    assert counted == 18


@pytest.mark.parametrize(("value", "expected"), [(0, 0), (1, 0), (2, 1), (3, 1), (4, 2), (10, 3)])
def test_quartile_class_counts_the_cuts_a_value_is_above(value, expected):
    assert national_map.quartile_class(value, [1, 3, 5]) == expected


def test_open_consultations_count_in_the_activity_of_the_ctds_they_ask(app, client, make_user):
    """Consultations are one more source: open ones count for each CTD consulted,
    one in preparation for none."""
    make_user("veille@cnig.example.org", "curator")
    factories.consultation(app, "veille@cnig.example.org", "Ouverte")
    factories.consultation(app, "veille@cnig.example.org", "En préparation", opens_today=False)
    with app.app_context():
        tree = page_tree(client.get("/ctd/carte?couleur=activite"))
    assert "Consultations ouvertes" in tree.xpath("//table//thead")[0].text_content()
    links = region_links(tree)
    for slug in ("bretagne", "occitanie"):
        assert "1 consultation ouverte" in links[slug].get("aria-label")
    assert "0 consultation ouverte" in links["corse"].get("aria-label")


@pytest.mark.parametrize("colouring", ["x", "ETAPE", "activite "])
def test_an_unknown_colouring_is_refused_in_french(client, colouring):
    response = client.get("/ctd/carte", query_string={"couleur": colouring})
    assert response.status_code == 400
    assert "Couleur de carte inconnue" in html_lib.unescape(response.get_data(as_text=True))


def test_the_directory_and_the_home_page_show_the_map(client):
    for path in ("/ctd/", "/"):
        tree = page_tree(client.get(path))
        assert len(tree.xpath("//svg//a[contains(@class, 'cs-map__region')]")) == 18, path
        assert tree.xpath("//a[@href='/ctd/carte']"), path


# --- stages ------------------------------------------------------------------------------


def test_reference_data_marks_the_four_ctds_of_2025_constituted(app):
    with app.app_context():
        stages = dict(db.session.execute(select(Ctd.slug, Ctd.stage)).all())
    assert {slug for slug, stage in stages.items() if stage == "constituted"} == set(
        CONSTITUTED_IN_2025
    )


def test_reference_stages_never_overwrite_a_choice(app, client, people, auth):
    auth.login(CURATOR)
    assert send_stage(client, "occitanie", {"stage": "preparation"}).status_code == 303
    with app.app_context():
        ensure_reference_data()
        assert factories.ctd("occitanie").stage == "preparation"
        # Nor on an instance where stages were all set back by hand.
        for ctd in db.session.scalars(select(Ctd)):
            ctd.stage = "not-engaged"
        db.session.commit()
        assert ensure_reference_data()["stages"] == 0
        assert db.session.scalar(select(func.count()).where(Ctd.stage == "constituted")) == 0


def test_a_coordinator_sets_the_stage_audited_and_in_the_feed(app, client, people, auth):
    auth.login(COORDINATOR)
    response = send_stage(
        client, "bretagne", {"stage": "constituted", "installed_on": "2025-10-01"}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/ctd/bretagne"
    page = html_lib.unescape(client.get("/ctd/bretagne").get_data(as_text=True))
    assert "Constitué, installé le 1er octobre 2025" in page
    with app.app_context():
        ctd = factories.ctd("bretagne")
        assert (ctd.stage, ctd.installed_on) == ("constituted", date(2025, 10, 1))
        event = db.session.scalar(
            select(AuditEvent).where(
                AuditEvent.action == "ctd.stage", AuditEvent.target_id == ctd.id
            )
        )
        assert event.details == {"stage": "constituted", "installed_on": "2025-10-01"}
        assert event.actor.email == COORDINATOR
    feed = feedparser.parse(client.get("/flux/ctd/bretagne.atom").get_data())
    titles = [entry.title for entry in feed.entries]
    assert "Étape du comité : constitué, installé le 1er octobre 2025" in titles
    api = client.get("/api/v1/ctds").get_json()["ctds"]
    bretagne = next(item for item in api if item["slug"] == "bretagne")
    assert (bretagne["stage"], bretagne["installed_on"]) == ("constituted", "2025-10-01")
    corse = next(item for item in api if item["slug"] == "corse")
    assert (corse["stage"], corse["installed_on"]) == ("not-engaged", None)


def test_the_same_stage_again_changes_nothing(app, client, people, auth):
    auth.login(CURATOR)
    response = send_stage(client, "occitanie", {"stage": "constituted"})
    assert response.status_code == 303
    with app.app_context():
        changes = db.session.scalar(
            select(func.count(CtdStageChange.id)).where(
                CtdStageChange.ctd_id == factories.ctd("occitanie").id
            )
        )
    assert changes == 1  # the reference data's only


@pytest.mark.parametrize(
    ("who", "status"), [(MEMBER, 403), ("membre@corse.example.org", 403), (CURATOR, 200)]
)
def test_only_coordinators_and_curators_set_a_stage(client, people, make_user, auth, who, status):
    if who.endswith("corse.example.org"):
        make_user(who, ctds=("corse",))
    auth.login(who)
    assert client.get("/ctd/bretagne/etape").status_code == status
    if status == 403:
        token = csrf_token_from(client.get("/ctd/bretagne").get_data(as_text=True))
        posted = client.post(
            "/ctd/bretagne/etape", data={"csrf_token": token, "stage": "constituted"}
        )
        assert posted.status_code == 403


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get("/ctd/bretagne/etape")
    assert response.status_code in (302, 303) and "/connexion" in response.headers["Location"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"stage": "dissous"}, "Not a valid choice"),
        ({}, "Choisissez une étape"),
        ({"stage": "preparation", "installed_on": "2025-01-01"}, "Seul un comité constitué"),
        ({"stage": "constituted", "installed_on": "1999-12-31"}, "précéder l'an 2000"),
        ({"stage": "constituted", "installed_on": "31/12/2025"}, "date"),
    ],
)
def test_a_bad_stage_is_refused_with_a_french_message(app, client, people, auth, data, message):
    auth.login(COORDINATOR)
    response = send_stage(client, "bretagne", data)
    assert response.status_code == 422
    text = html_lib.unescape(response.get_data(as_text=True))
    assert message.lower() in text.lower() or "valide" in text.lower()
    with app.app_context():
        assert factories.ctd("bretagne").stage == "not-engaged"


def test_an_installation_to_come_is_refused(app, client, people, auth):
    auth.login(COORDINATOR)
    tomorrow = (today() + timedelta(days=1)).isoformat()
    response = send_stage(client, "bretagne", {"stage": "constituted", "installed_on": tomorrow})
    assert response.status_code == 422
    assert "ne peut pas être à venir" in html_lib.unescape(response.get_data(as_text=True))


def test_two_people_setting_the_stage_at_once_do_not_overwrite_each_other(
    app, client, people, auth
):
    auth.login(COORDINATOR)
    page = client.get("/ctd/bretagne/etape").get_data(as_text=True)
    token = csrf_token_from(page)
    first = {"csrf_token": token, "version": "0", "stage": "preparation"}
    second = {"csrf_token": token, "version": "0", "stage": "constituted"}
    assert client.post("/ctd/bretagne/etape", data=first).status_code == 303
    refused = client.post("/ctd/bretagne/etape", data=second)
    assert refused.status_code == 409
    text = html_lib.unescape(refused.get_data(as_text=True))
    assert "Quelqu'un a changé l'étape entre-temps" in text
    assert "en préfiguration" in text
    with app.app_context():
        assert factories.ctd("bretagne").stage == "preparation"
    # Saved again from the page that said so, the choice applies.
    version = lxml_html.fromstring(text).xpath("//input[@name='version']/@value")[0]
    again = client.post("/ctd/bretagne/etape", data={**second, "version": version})
    assert again.status_code == 303


# --- in a real browser -------------------------------------------------------------------


@pytest.mark.browser
def test_a_keyboard_user_tabs_through_the_18_regions_then_the_legend(browser, live_server):
    from tests.test_journeys import assert_accessible

    page = browser.new_page(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page.goto(live_server + "/ctd/carte")
    page.locator("a.cs-map__region").first.focus()
    names = []
    for _ in range(18):
        names.append(page.evaluate("document.activeElement.getAttribute('aria-label')"))
        page.keyboard.press("Tab")
    assert len(set(names)) == 18
    assert names[0] == "Auvergne-Rhône-Alpes — pas encore engagé, 0 ressource"
    assert names[12].startswith("Provence-Alpes-Côte d'Azur")
    assert [name.split(" — ")[0] for name in names[13:]] == [
        "Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte",
    ]  # fmt: skip
    # Enter on a region opens its CTD, with no script at all.
    page.locator("a[data-region='occitanie']").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/ctd/occitanie")
    page.context.close()
    scanned = browser.new_page(viewport={"width": 375, "height": 800})
    scanned.goto(live_server + "/ctd/carte?couleur=activite")
    assert scanned.evaluate("document.documentElement.scrollWidth") <= 375
    # The insets move below the metropolitan map on a phone.
    metro = scanned.locator(".cs-map__metro").bounding_box()
    insets = scanned.locator(".cs-map__insets").bounding_box()
    assert insets["y"] >= metro["y"] + metro["height"]
    assert_accessible(scanned)
    scanned.context.close()


def test_the_migration_gives_existing_ctds_no_stage_yet_and_comes_back(make_app):
    """0025 on a database with CTDs: each is "not-engaged" until init-db's reference
    data or a person says otherwise; the downgrade drops the columns and the history."""
    import sqlalchemy as sa
    from flask_migrate import downgrade, upgrade

    from cnig_share.extensions import MIGRATIONS_DIR

    app = make_app()
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=before("0025"))
        with db.engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO ctd (slug, name, region, description, website, contact,"
                    " created_at) VALUES ('corse', 'CTD Corse', 'Corse', '', '', '', :now)"
                ),
                {"now": "2026-12-01"},
            )
        upgrade(directory=MIGRATIONS_DIR)
        corse = factories.ctd("corse")
        assert (corse.stage, corse.installed_on, corse.stage_version) == ("not-engaged", None, 0)
        assert ensure_reference_data()["stages"] == 4
        db.session.remove()
        downgrade(directory=MIGRATIONS_DIR, revision=before("0025"))
        inspector = sa.inspect(db.engine)
        assert "stage" not in {column["name"] for column in inspector.get_columns("ctd")}
        assert not inspector.has_table("ctd_stage_change")
