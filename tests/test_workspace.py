"""The CTD workspace: roadmap versions, governance, projects with national
actors, running and avoided costs, and the national figures."""

from __future__ import annotations

import csv
import html as html_lib
import io
import json
import os
import random
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from cnig_share.dates import today
from cnig_share.extensions import db
from cnig_share.formatting import french_date
from cnig_share.models import (
    ACTOR_ROLES,
    AuditEvent,
    Ctd,
    GlossaryTerm,
    NationalActor,
    Project,
    RoadmapVersion,
)
from tests import factories
from tests.conftest import csrf_token_from

COORDINATOR = "animation@bretagne.example.org"
CURATOR = "veille@cnig.example.org"


@pytest.fixture
def people(make_user):
    make_user(COORDINATOR, ctds=("bretagne",))
    make_user("membre@corse.example.org", ctds=("corse",))
    make_user(CURATOR, role="curator")


def send(client, path: str, data: dict, page: str | None = None):
    """Post a form the way a browser does: CSRF token from the form's page."""
    html = client.get(page or path).get_data(as_text=True)
    return client.post(path, data={"csrf_token": csrf_token_from(html), **data})


def text_of(response) -> str:
    """The page as a reader sees its text: entities (&#39;) decoded."""
    return html_lib.unescape(response.get_data(as_text=True))


def add_actor(client, name: str, kind: str = "operateur-national") -> str:
    response = send(client, "/acteurs/nouveau", {"name": name, "type": kind})
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[-1]


def add_project(client, ctd: str, **fields) -> int:
    data = {"title": "Projet", "status": "en-cours", **fields}
    response = send(client, f"/ctd/{ctd}/projets/nouveau", data)
    assert response.status_code == 303, response.get_data(as_text=True)
    return int(re.search(r"/projets/(\d+)$", response.headers["Location"]).group(1))


def add_costs(client, ctd: str, **fields):
    data = {"year": "2026", "staff_fte": "1", "day_rate_eur": "450", "days_per_fte": "220",
            "tools_eur": "0", "events_eur": "0", **fields}  # fmt: skip
    return send(client, f"/ctd/{ctd}/couts", data)


# --- roadmap and governance -------------------------------------------------------------


def test_each_roadmap_save_is_a_version_with_its_history(app, client, auth, people):
    auth.login(COORDINATOR)
    path = "/ctd/bretagne/feuille-de-route/modifier"
    assert (
        send(client, path, {"body": "## Axe 1\nAdresses.", "note": "Première"}).status_code == 303
    )
    assert send(client, path, {"body": "## Axe 1\nAdresses.\n## Axe 2\nPCRS."}).status_code == 303
    unchanged = send(client, path, {"body": "## Axe 1\nAdresses.\n## Axe 2\nPCRS."})
    assert "aucune version ajoutée" in client.get(unchanged.headers["Location"]).get_data(
        as_text=True
    )
    page = client.get("/ctd/bretagne/feuille-de-route").get_data(as_text=True)
    versions = re.findall(r"/feuille-de-route/versions/(\d+)", page)
    assert len(versions) == 1  # the current one is shown, the older one linked
    assert "Axe 2" in page and "en vigueur" in page and "Première" in page
    older = client.get(f"/ctd/bretagne/feuille-de-route/versions/{versions[0]}")
    html = older.get_data(as_text=True)
    assert older.status_code == 200 and "remplacée depuis" in html and "Axe 2" not in html
    ctd_page = client.get("/ctd/bretagne").get_data(as_text=True)
    assert "<h2>Axe 2</h2>" in ctd_page
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
        assert actions.count("workspace.roadmap") == 2
    # Another CTD's version is not reachable under this one's address.
    assert client.get("/ctd/corse/feuille-de-route/versions/" + versions[0]).status_code == 404


def test_governance_is_shown_on_the_ctd_page(client, auth, people):
    auth.login(COORDINATOR)
    response = send(client, "/ctd/bretagne/gouvernance/modifier", {
        "region_chair": "Vice-présidente au numérique", "state_chair": "SGAR Bretagne",
        "organisations": "GéoBretagne\n\nMégalis Bretagne\n", "groups": "Adresse\nPCRS",
    })  # fmt: skip
    assert response.status_code == 303
    page = client.get("/ctd/bretagne").get_data(as_text=True)
    for text in ("Vice-présidente au numérique", "SGAR Bretagne", "<li>Mégalis Bretagne</li>",
                 "<li>PCRS</li>"):  # fmt: skip
        assert text in page


# --- permissions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/ctd/bretagne/feuille-de-route/modifier",
        "/ctd/bretagne/gouvernance/modifier",
        "/ctd/bretagne/projets/nouveau",
    ],
)
def test_a_member_of_another_ctd_cannot_manage_this_one(client, auth, people, path):
    auth.login("membre@corse.example.org")
    assert client.get(path).status_code == 403
    token = csrf_token_from(client.get("/ctd/corse/projets/nouveau").get_data(as_text=True))
    response = client.post(path, data={"csrf_token": token, "title": "Intrus", "body": "Intrus"})
    assert response.status_code == 403
    assert "Seuls les membres du" in response.get_data(as_text=True)


def test_project_and_costs_of_another_ctd_are_out_of_reach(app, client, auth, people):
    auth.login(COORDINATOR)
    project_id = add_project(client, "bretagne", title="Adresses bretonnes")
    assert add_costs(client, "bretagne").status_code == 303
    auth.logout()
    auth.login("membre@corse.example.org")
    token = csrf_token_from(client.get("/ctd/corse/couts").get_data(as_text=True))
    edit = f"/ctd/bretagne/projets/{project_id}/modifier"
    assert client.get(edit).status_code == 403
    assert client.post(edit, data={"csrf_token": token, "title": "Volé"}).status_code == 403
    delete = f"/ctd/bretagne/projets/{project_id}/supprimer"
    assert client.post(delete, data={"csrf_token": token}).status_code == 403
    costs = {"csrf_token": token, "year": "2026", "staff_fte": "9"}
    assert client.post("/ctd/bretagne/couts", data=costs).status_code == 403
    assert client.post("/ctd/bretagne/couts/2026/supprimer", data=costs).status_code == 403
    # Under its own CTD's address the project is not found either.
    assert client.get(f"/ctd/corse/projets/{project_id}/modifier").status_code == 404
    with app.app_context():
        assert db.session.get(Project, project_id).title == "Adresses bretonnes"
    page = client.get("/ctd/bretagne/couts").get_data(as_text=True)
    assert "Saisir une année" not in page and "220" in page


def test_visitors_read_but_must_sign_in_to_change(client, people):
    assert client.get("/ctd/bretagne/couts").status_code == 200
    assert client.get("/couts/").status_code == 200
    assert client.get("/acteurs/").status_code == 200
    response = client.get("/ctd/bretagne/projets/nouveau")
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_only_curators_keep_the_actor_directory(client, auth, people):
    auth.login(COORDINATOR)
    assert client.get("/acteurs/nouveau").status_code == 403
    auth.logout()
    auth.login(CURATOR)
    slug = add_actor(client, "Institut national de l'information géographique et forestière")
    assert slug == "institut-national-de-l-information-geographique-et-forestiere"
    bad = send(client, "/acteurs/nouveau", {"name": "", "type": "inconnu", "website": "ftp://x"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "Indiquez le nom" in html and "Choisissez le type" in html and "https://" in html


def test_the_same_actor_name_is_refused_whatever_its_case(client, auth, people):
    auth.login(CURATOR)
    add_actor(client, "Cerema")
    response = send(client, "/acteurs/nouveau", {"name": "CEREMA", "type": "etat"})
    assert response.status_code == 422 and "existe déjà" in text_of(response)


# --- projects ---------------------------------------------------------------------------


def test_a_project_with_actors_roles_terms_resources_and_mutualisation(app, client, auth, people):
    auth.login(CURATOR)
    ign = add_actor(client, "IGN")
    cerema = add_actor(client, "Cerema", "etat")
    auth.logout()
    with app.app_context():
        published = factories.resource("Guide PCRS", status="published")
        draft = factories.resource("Brouillon", status="draft")
        term_id = factories.term("mutualisation").id
    auth.login(COORDINATOR)
    data = {
        "title": "PCRS mutualisé", "description": "Un **plan** commun.", "status": "en-cours",
        "start_date": "2026-01-15", "end_date": "2027-06-30",
        "partners": "Mégalis Bretagne\nEnedis",
        "actors-0-actor": ign, "actors-0-role": "operateur",
        "actors-1-actor": cerema, "actors-1-role": "financeur",
        "terms": [str(term_id)], "resources": f"/ressources/{published}",
        "shared_with": ["normandie", "pays-de-la-loire"],
        "avoided_cost_eur": "120000", "avoided_cost_year": "2026",
        "avoided_cost_method": "Trois marchés évités à 60 000 € moins 60 000 € partagés.",
    }  # fmt: skip
    project_id = add_project(client, "bretagne", **data)
    page = client.get(f"/ctd/bretagne/projets/{project_id}").get_data(as_text=True)
    for text in ("PCRS mutualisé", "<strong>plan</strong>", "Opérateur", "Financeur", "Enedis",
                 "Guide PCRS", "Normandie", "120\u202f000\u00a0€", "Trois marchés évités",
                 "Mutualisé", "En cours"):  # fmt: skip
        assert text in page, text
    # An unpublished resource cannot be linked; the form says which.
    refused = send(
        client, f"/ctd/bretagne/projets/{project_id}/modifier", {**data, "resources": str(draft)}
    )
    assert refused.status_code == 422
    assert f"« {draft} » n'est pas une ressource publiée" in text_of(refused)
    # The actor's page lists the project with its role; the map links actor and CTD.
    actor_page = client.get(f"/acteurs/{ign}").get_data(as_text=True)
    assert "PCRS mutualisé" in actor_page and "Opérateur" in actor_page
    map_page = client.get("/acteurs/carte").get_data(as_text=True)
    assert "<svg" in map_page and "IGN avec Bretagne" in map_page
    assert "PCRS mutualisé</a> (opérateur)" in map_page


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"title": ""}, "Donnez un titre au projet."),
        ({"start_date": "2026-05-01", "end_date": "2026-01-01"}, "La fin ne peut pas précéder"),
        ({"avoided_cost_eur": "-5", "avoided_cost_year": "2026", "avoided_cost_method": "x"},
         "Un montant entre 0 et 1 milliard."),
        ({"avoided_cost_eur": "5000"}, "Indiquez l'année"),
        ({"avoided_cost_eur": "5000", "avoided_cost_year": "2026"}, "Expliquez comment"),
        ({"avoided_cost_eur": "cinq"}, "Not a valid integer value."),
        ({"actors-0-role": "operateur"}, "Choisissez l'acteur"),
        ({"status": "fini"}, "Not a valid choice."),
        ({"shared_with": ["bretagne"]}, "Not a valid choice."),
        ({"start_date": "31/02/2026"}, "Not a valid date value."),
        # Beyond PostgreSQL's integer: a French message, not an overflow in the query.
        ({"resources": "/ressources/99999999999999"}, "n'est pas une ressource publiée"),
        ({"resources": "²"}, "« ² » n'est pas une ressource publiée"),
    ],
)  # fmt: skip
def test_bad_project_input_is_a_422_that_names_the_field(
    app, client, auth, people, fields, message
):
    auth.login(COORDINATOR)
    response = send(
        client, "/ctd/bretagne/projets/nouveau", {"title": "Projet", "status": "idee", **fields}
    )
    assert response.status_code == 422
    html = text_of(response)
    assert "Le formulaire contient des erreurs" in html
    french = {
        "Not a valid integer value.": "N'est pas un entier valide.",
        "Not a valid choice.": "pas un choix valide",
        "Not a valid date value.": "date",
    }
    assert french.get(message, message) in html
    with app.app_context():
        assert db.session.scalar(select(Project)) is None


def test_deleting_a_project_keeps_the_actor(app, client, auth, people):
    auth.login(CURATOR)
    ign = add_actor(client, "IGN")
    project_id = add_project(
        client, "bretagne", **{"actors-0-actor": ign, "actors-0-role": "commanditaire"}
    )
    response = send(
        client, f"/ctd/bretagne/projets/{project_id}/supprimer", {"confirmed": "1"},
        page=f"/ctd/bretagne/projets/{project_id}",
    )  # fmt: skip
    assert response.status_code == 303
    assert client.get(f"/ctd/bretagne/projets/{project_id}").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(NationalActor.slug)) == ign


# --- costs and the national figures -----------------------------------------------------


def test_costs_are_priced_and_a_year_recorded_again_replaces_it(app, client, auth, people):
    auth.login(COORDINATOR)
    assert add_costs(client, "bretagne", staff_fte="1,5", tools_eur="2000").status_code == 303
    page = client.get("/ctd/bretagne/couts").get_data(as_text=True)
    assert "148\u202f500\u00a0€" in page  # 1.5 × 220 × 450, plus 2 000
    assert add_costs(client, "bretagne", staff_fte="0.5", day_rate_eur="400").status_code == 303
    page = client.get("/ctd/bretagne/couts").get_data(as_text=True)
    assert "44\u202f000\u00a0€" in page and "148\u202f500" not in page


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"year": ""}, "Indiquez l'année."),
        ({"year": "1999"}, "Une année entre 2000 et 2100."),
        ({"staff_fte": "-1"}, "Entre 0 et 1 000 ETP."),
        ({"staff_fte": "un"}, "décimal"),
        ({"days_per_fte": "0"}, "Entre 1 et 366 jours."),
        ({"tools_eur": "99999999999"}, "Un montant entre 0 et 1 milliard."),
    ],
)
def test_bad_costs_are_a_422_and_store_nothing(app, client, auth, people, fields, message):
    auth.login(COORDINATOR)
    response = add_costs(client, "bretagne", **fields)
    assert response.status_code == 422
    assert message in text_of(response)
    assert "Aucun coût n'a encore été saisi" in text_of(response)


def test_national_figures_and_csv_equal_sums_computed_here(app, client, auth, make_user, people):
    rng = random.Random(9)
    auth.login(CURATOR)
    expected_running: dict[tuple[str, int], int] = {}
    expected_avoided: dict[tuple[str, int], int] = {}
    for ctd in ("bretagne", "corse", "occitanie", "la-reunion"):
        for year in (2025, 2026):
            fte, rate, days = Decimal(rng.randint(0, 400)) / 100, rng.randint(300, 700), 220
            tools, events = rng.randint(0, 50_000), rng.randint(0, 20_000)
            response = add_costs(
                client, ctd, year=str(year), staff_fte=str(fte), day_rate_eur=str(rate),
                days_per_fte=str(days), tools_eur=str(tools), events_eur=str(events),
            )  # fmt: skip
            assert response.status_code == 303
            staff = int((fte * days * rate).quantize(Decimal(1)))
            expected_running[(ctd, year)] = staff + tools + events
        for n in range(2):
            amount, year = rng.randint(1_000, 90_000), rng.choice([2025, 2026])
            add_project(
                client, ctd, title=f"Projet {ctd} {n}", avoided_cost_eur=str(amount),
                avoided_cost_year=str(year), avoided_cost_method="Estimation.",
                shared_with=["normandie"],
            )  # fmt: skip
            expected_avoided[(ctd, year)] = expected_avoided.get((ctd, year), 0) + amount

    response = client.get("/couts.csv")
    assert response.mimetype == "text/csv"
    assert re.fullmatch(
        r'attachment; filename="cnig-partage-couts-ctd-\d{4}-\d\d-\d\d\.csv"',
        response.headers["Content-Disposition"],
    )
    # For a spreadsheet: UTF-8 with a byte order mark, ";", French headings, decimal comma.
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert list(rows[0]) == [
        "CTD", "Région", "Année", "Personnel (ETP)", "Coût d'une journée (€)", "Jours par ETP",
        "Personnel (€)", "Outils (€)", "Événements (€)", "Coût de fonctionnement (€)",
        "Coûts évités (€)", "Projets ayant évité des coûts",
    ]  # fmt: skip
    by_key = {(row["CTD"], int(row["Année"])): row for row in rows}
    assert set(by_key) == set(expected_running)  # Normandie's shares count for no one else
    for key, running in expected_running.items():
        row = by_key[key]
        assert int(row["Coût de fonctionnement (€)"]) == running
        parts = ("Personnel (€)", "Outils (€)", "Événements (€)")
        assert sum(int(row[name]) for name in parts) == running
        assert int(row["Coûts évités (€)"]) == expected_avoided.get(key, 0)
        assert re.fullmatch(r"\d+,\d\d", row["Personnel (ETP)"])  # a decimal comma

    page = client.get("/couts/").get_data(as_text=True)
    for year in (2025, 2026):
        running = sum(v for (_, y), v in expected_running.items() if y == year)
        avoided = sum(v for (_, y), v in expected_avoided.items() if y == year)
        row = re.search(rf"<tr><th scope=\"row\">{year}</th>(.*?)</tr>", page).group(1)
        cells = re.findall(r"<td>(?:<strong>)?([^<]*)", row)
        assert cells[0] == "4"  # CTDs that recorded the year
        assert cells[-2] == f"{running:,}".replace(",", "\u202f") + "\u00a0€"
        assert cells[-1] == f"{avoided:,}".replace(",", "\u202f") + "\u00a0€"
    assert page.count('<svg class="cs-chart"') == 2


# --- the API ----------------------------------------------------------------------------


def test_the_api_gives_a_ctds_projects_and_the_costs(app, client, people):
    with app.app_context():
        factories.workspace(curator=CURATOR)
    body = client.get("/api/v1/ctds/bretagne/projects").get_json()
    assert body["ctd"] == "bretagne" and len(body["projects"]) == 1
    project = body["projects"][0]
    assert project["title"] == "PCRS mutualisé" and project["status"] == "idee"
    assert project["actors"] == [
        {"slug": "ign", "name": "IGN", "type": "operateur-national", "role": "operateur"}
    ]
    assert project["shared_with"] == ["corse"] and project["partners"] == ["Mégalis Bretagne"]
    assert project["terms"] == ["mutualisation"]
    assert project["avoided_cost"] == {"eur": 60000, "year": 2026, "method": "Deux marchés évités."}
    assert client.get("/api/v1/ctds/corse/projects").get_json()["projects"] == []
    response = client.get("/api/v1/ctds/nulle-part/projects")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"

    costs = client.get("/api/v1/costs").get_json()
    assert costs["costs"] == [
        {"ctd": "bretagne", "region": "Bretagne", "year": 2026, "recorded": True,
         "staff_fte": 1.5, "day_rate_eur": 450, "days_per_fte": 220, "staff_eur": 148500,
         "tools_eur": 2000, "events_eur": 0, "running_eur": 150500, "avoided_eur": 60000,
         "avoiding_projects": [project["id"]]}
    ]  # fmt: skip
    assert costs["totals"][0]["running_eur"] == 150500
    assert client.get("/api/v1/costs?year=2025").get_json() == {"costs": [], "totals": []}
    for bad in ("year=deux", "year=²", "ctd=nulle-part"):
        response = client.get(f"/api/v1/costs?{bad}")
        assert response.status_code == 400
        assert response.get_json()["error"]["code"] == "invalid_parameter"


def test_the_ctds_feed_follows_its_projects_and_roadmap(app, client, auth, people):
    import feedparser

    with app.app_context():
        factories.workspace(curator=CURATOR)
        factories.resource("Brouillon breton", status="draft")
        factories.resource("Guide breton", status="published")
    auth.login(COORDINATOR)
    send(client, "/ctd/bretagne/feuille-de-route/modifier", {"body": "Axe 1", "note": "Lancement"})
    auth.logout()
    feed = feedparser.parse(client.get("/flux/ctd/bretagne.atom").get_data())
    assert not feed.bozo and feed.version == "atom10"
    titles = [entry.title for entry in feed.entries]
    assert "Projet : PCRS mutualisé (idée)" in titles
    with app.app_context():
        version = db.session.scalars(
            select(RoadmapVersion).where(RoadmapVersion.note == "Lancement")
        ).one()
        assert f"Feuille de route territoriale du {french_date(version.created_at)}" in titles
    assert "Guide breton" in titles and "Brouillon breton" not in titles
    project = next(e for e in feed.entries if e.title.startswith("Projet"))
    assert re.search(r"/ctd/bretagne/projets/\d+$", project.link)
    assert all(entry.id and entry.updated for entry in feed.entries)


# --- import and export ------------------------------------------------------------------


def _wipe_workspace(app) -> None:
    from cnig_share.models import CostYear, Governance, RoadmapVersion

    with app.app_context():
        for model in (Project, CostYear, RoadmapVersion, Governance, NationalActor):
            for row in db.session.scalars(select(model)):
                db.session.delete(row)
        db.session.commit()


def test_export_then_import_gives_back_the_same_workspace(app, runner, tmp_path, people):
    with app.app_context():
        factories.workspace(curator=CURATOR)
        guide = factories.resource("Guide PCRS", status="published")
        from cnig_share.workspace import services

        by = factories.user(CURATOR)
        bretagne = factories.ctd("bretagne")
        services.save_roadmap(bretagne, "## Axe 1\nAdresses.", "Première", by)
        services.save_governance(
            bretagne, {"region_chair": "Région", "groups": "Adresse\nPCRS"}, by
        )
        project = db.session.scalar(select(Project))
        project.resources = [db.session.get(factories.Resource, guide)]
        db.session.commit()
    first = tmp_path / "espace.jsonl"
    result = runner.invoke(args=["workspace", "export", str(first)])
    assert result.exit_code == 0, result.output
    lines = first.read_text().splitlines()
    assert [json.loads(line)["kind"] for line in lines] == [
        "actor", "roadmap", "governance", "project", "costs"
    ]  # fmt: skip

    _wipe_workspace(app)
    result = runner.invoke(args=["workspace", "import", str(first), "--as", CURATOR])
    assert result.exit_code == 0, result.output
    assert "1 actor, 1 roadmap, 1 governance, 1 project, 1 costs" in result.output
    second = tmp_path / "encore.jsonl"
    runner.invoke(args=["workspace", "export", str(second)])
    assert second.read_text() == first.read_text()

    # Importing again changes nothing: no new version, actor, project or year.
    result = runner.invoke(args=["workspace", "import", str(first), "--as", CURATOR])
    assert result.exit_code == 0, result.output
    runner.invoke(args=["workspace", "export", str(second)])
    assert second.read_text() == first.read_text()
    with app.app_context():
        from cnig_share.models import RoadmapVersion

        assert len(db.session.scalars(select(RoadmapVersion)).all()) == 1
        assert len(db.session.scalars(select(Project)).all()) == 1


def test_a_bad_workspace_file_imports_nothing_and_lists_every_problem(
    app, runner, tmp_path, people
):
    lines = [
        {"kind": "actor", "name": "Cerema", "type": "etat"},
        {"kind": "project", "ctd": "bretagne", "title": "Projet",
         "actors": [{"actor": "Cerema", "role": "operateur"}], "resources": [2**40]},
        {"kind": "project", "ctd": "nulle-part", "title": "", "status": "fini",
         "actors": [{"actor": "Inconnu", "role": "operateur"}], "terms": ["pas un terme"],
         "resources": [999], "shared_with": ["bretagne", "atlantide"],
         "start_date": "2026-02-30", "avoided_cost": {"eur": -1}},
        {"kind": "costs", "ctd": "bretagne", "year": 1999, "staff_fte": "beaucoup",
         "day_rate_eur": True},
        {"kind": "roadmap", "ctd": "bretagne", "body": "nul\u0000"},
        {"kind": "planete"},
        [1, 2],
    ]  # fmt: skip
    path = tmp_path / "mauvais.jsonl"
    path.write_bytes(
        "\n".join(json.dumps(line) for line in lines).encode() + b"\n{pas du json\n\xff\xfe\n"
    )
    result = runner.invoke(args=["workspace", "import", str(path), "--as", CURATOR])
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    for expected in (
        "line 3: ctd: identifiant de CTD inconnu",
        "line 3: title: obligatoire",
        "line 3: status: l'une des valeurs",
        "line 3: actors: acteur inconnu : Inconnu",
        "line 3: terms: terme inconnu : pas un terme",
        "line 2: resources: une liste de numéros de ressources",
        "line 3: resources: 999 n'est pas une ressource publiée",
        "line 3: shared_with: une liste d'identifiants de CTD",
        "line 3: start_date: une date AAAA-MM-JJ",
        "line 3: avoided_cost.eur: un entier entre 0 et 1000000000",
        "line 3: avoided_cost.year: obligatoire",
        "line 3: avoided_cost.method: obligatoire",
        "line 4: year: un entier entre 2000 et 2100",
        "line 4: day_rate_eur: un entier entre 0 et 100000",
        "line 4: days_per_fte: obligatoire",
        "line 4: staff_fte: un nombre d'ETP entre 0 et 1000",
        "line 5: body: caractère nul ou invalide",
        "line 6: kind: l'une des valeurs",
        "line 7: ligne: un objet JSON attendu",
        "line 8: ligne: JSON illisible",
        "line 9: ligne: UTF-8 illisible",
    ):
        assert any(line.startswith(expected) for line in errors), expected
    assert "rien n'a été importé" in errors[-1]
    with app.app_context():
        assert db.session.scalar(select(NationalActor)) is None
        assert db.session.scalar(select(Project)) is None


def test_import_needs_a_curator_and_dry_run_writes_nothing(app, runner, tmp_path, people):
    path = tmp_path / "espace.jsonl"
    path.write_text(json.dumps({"kind": "actor", "name": "Cerema", "type": "etat"}) + "\n")
    result = runner.invoke(args=["workspace", "import", str(path), "--as", COORDINATOR])
    assert result.exit_code == 1 and "n'est pas un compte de l'équipe du CNIG" in result.stderr
    result = runner.invoke(args=["workspace", "import", str(path), "--as", CURATOR, "--dry-run"])
    assert result.exit_code == 0 and "rien n'a été enregistré" in result.output
    missing = runner.invoke(args=["workspace", "import", str(tmp_path / "x"), "--as", CURATOR])
    assert missing.exit_code == 1 and "lecture impossible" in missing.stderr
    with app.app_context():
        assert db.session.scalar(select(NationalActor)) is None


# --- in the search index -----------------------------------------------------------------


def found(client, **params) -> list[tuple[str, int]]:
    """(kind, id) of every result of an API search."""
    payload = client.get("/api/v1/search", query_string={"per_page": 50, **params}).get_json()
    return [(hit["kind"], hit["id"]) for hit in payload["results"]]


def search_check(app) -> str:
    result = app.test_cli_runner().invoke(args=["search", "check"])
    assert result.exit_code == 0, result.output
    return result.output


def test_search_finds_projects_by_partner_and_term(app, client, auth, people):
    auth.login(CURATOR)
    ign = add_actor(client, "Institut géographique national")
    auth.logout()
    with app.app_context():
        term_id = factories.term("mutualisation").id
        factories.resource("Guide des marchés publics", status="published")
    auth.login(COORDINATOR)
    pcrs = add_project(
        client, "bretagne", title="Plan de corps de rue simplifié",
        description="Un **fond de plan** commun.", partners="Mégalis Bretagne\nEnedis",
        terms=[str(term_id)], **{"actors-0-actor": ign, "actors-0-role": "operateur"},
    )  # fmt: skip
    other = add_project(client, "bretagne", title="Observatoire du foncier", partners="SAFER")

    # By a partner, accents or not; by an actor's name; by a glossary term.
    assert found(client, q="megalis") == [("projet", pcrs)]
    assert found(client, q="Enedis") == [("projet", pcrs)]
    assert ("projet", pcrs) in found(client, q="institut géographique")
    assert found(client, q="mutualisation", kind="projet") == [("projet", pcrs)]
    assert found(client, term="mutualisation") == [("projet", pcrs)]
    assert found(client, q="SAFER") == [("projet", other)]
    # Its own kind, filterable and counted; actors too.
    payload = client.get("/api/v1/search", query_string={"q": "bretagne"}).get_json()
    assert payload["facets"]["kind"]["projet"] == 2
    with app.app_context():
        actor = db.session.scalar(select(NationalActor.id).where(NationalActor.slug == ign))
    assert found(client, q="institut", kind="acteur") == [("acteur", actor)]
    assert {kind for kind, _ in found(client, kind="projet")} == {"projet"}
    assert found(client, kind="acteur", ctd="bretagne") == []  # actors have no CTD
    hit = client.get("/api/v1/search", query_string={"q": "megalis"}).get_json()["results"][0]
    assert hit["url"].endswith(f"/ctd/bretagne/projets/{pcrs}")
    assert hit["ctd"] == "bretagne" and hit["terms"] == ["mutualisation"]
    assert hit["title"] == "Plan de corps de rue simplifié"
    actor_hit = client.get("/api/v1/search", query_string={"kind": "acteur"}).get_json()
    assert actor_hit["results"][0]["url"].endswith(f"/acteurs/{ign}")
    assert actor_hit["results"][0]["ctd"] is None

    # The page shows each kind with its own card and a facet to filter by.
    page = client.get("/recherche", query_string={"q": "plan"}).get_data(as_text=True)
    assert f'href="/ctd/bretagne/projets/{pcrs}"' in page
    assert "Projet de CTD" in page and "<mark>plan</mark>" in page
    assert "Avec Mégalis Bretagne, Enedis, Institut géographique national" in page
    actors_page = client.get("/recherche", query_string={"kind": "acteur"}).get_data(as_text=True)
    assert f'href="/acteurs/{ign}"' in actors_page
    # Alerts and feeds announce new resources: nothing to subscribe to here.
    assert "/abonnement" in page and "/abonnement" not in actors_page

    # Feeds and alerts announce resources only.
    feed = client.get("/flux/ressources.atom", query_string={"q": "marchés"})
    assert "Guide des marchés publics" in feed.get_data(as_text=True)
    assert "Plan de corps" not in client.get("/flux/ressources.atom").get_data(as_text=True)
    assert "Index et base de données concordent" in search_check(app)


def test_the_index_follows_projects_actors_ctds_and_terms(app, client, auth, people):
    auth.login(CURATOR)
    ign = add_actor(client, "IGN")
    with app.app_context():
        term_id = factories.term("mutualisation").id
    project = add_project(
        client, "bretagne", title="Adressage", partners="Mégalis Bretagne",
        terms=[str(term_id)], **{"actors-0-actor": ign, "actors-0-role": "financeur"},
    )  # fmt: skip
    edit = f"/ctd/bretagne/projets/{project}/modifier"
    with app.app_context():
        actor = db.session.scalar(select(NationalActor.id).where(NationalActor.slug == ign))
    assert set(found(client, q="IGN")) == {("acteur", actor), ("projet", project)}

    # The actor renamed: the project is found by the new name, not the old.
    response = send(client, f"/acteurs/{ign}/modifier", {"name": "Géoplateforme", "type": "etat"})
    assert response.status_code == 303
    assert set(found(client, q="geoplateforme")) == {("acteur", actor), ("projet", project)}
    assert found(client, q="IGN") == []
    # Partners edited: the old one no longer finds it.
    assert send(client, edit, {"title": "Adressage", "status": "en-cours",
                               "partners": "Enedis"}).status_code == 303  # fmt: skip
    assert found(client, q="megalis") == [] and found(client, q="enedis") == [("projet", project)]
    assert found(client, term="mutualisation") == []  # the form sent no terms
    search_check(app)

    # A CTD's region and a term's label are part of its projects' documents.
    with app.app_context():
        factories.ctd("bretagne").region = "Armorique"
        db.session.commit()
    assert found(client, q="armorique") == [("projet", project)]
    assert send(client, edit, {"title": "Adressage", "status": "en-cours",
                               "terms": [str(term_id)]}).status_code == 303  # fmt: skip
    with app.app_context():
        factories.term("mutualisation").pref_label = "Mise en commun"
        db.session.commit()
    assert found(client, q="mise en commun", kind="projet") == [("projet", project)]
    search_check(app)

    # A term in use by a project cannot be deleted; merged, the project follows.
    with app.app_context():
        slug = db.session.get(type(factories.term("mutualisation")), term_id).slug
    deleted = send(
        client, f"/glossaire/{slug}/supprimer", {"confirmed": "1"}, page=f"/glossaire/{slug}"
    )
    assert "est utilisé par 1 projet" in text_of(client.get(deleted.headers["Location"]))
    assert "ses 1 projet," in text_of(client.get(f"/glossaire/{slug}/fusionner"))
    with app.app_context():
        kept = factories.term("espace-commun-de-donnees")
        kept_id, kept_slug = kept.id, kept.slug
    merged = send(client, f"/glossaire/{slug}/fusionner", {"kept": str(kept_id)})
    assert merged.status_code == 302
    assert found(client, term=kept_slug) == [("projet", project)]
    search_check(app)

    # Deleted, the project leaves the index; the actor stays, without it.
    send(client, f"/ctd/bretagne/projets/{project}/supprimer", {"confirmed": "1"},
         page=f"/ctd/bretagne/projets/{project}")  # fmt: skip
    assert found(client, q="adressage") == []
    assert found(client, q="geoplateforme") == [("acteur", actor)]
    search_check(app)
    # Rebuilt from nothing, the index holds the same.
    result = app.test_cli_runner().invoke(args=["search", "reindex", "--procs", "1"])
    assert "Index reconstruit : 1 documents" in result.output
    assert found(client, q="geoplateforme") == [("acteur", actor)]


def test_a_ctds_current_roadmap_is_found_and_replaced_by_its_next_version(
    app, client, auth, people
):
    auth.login(COORDINATOR)
    path = "/ctd/bretagne/feuille-de-route/modifier"
    first = {"body": "## Axe 1\nOrthophotographie régionale partagée.", "note": "Adoptée"}
    assert send(client, path, first).status_code == 303
    assert [kind for kind, _ in found(client, q="orthophotographie")] == ["feuille-de-route"]
    hits = client.get("/api/v1/search", query_string={"q": "orthophotographies"}).get_json()
    (hit,) = hits["results"]
    assert hit["kind"] == "feuille-de-route" and hit["ctd"] == "bretagne"
    assert hit["title"] == "Feuille de route territoriale — CTD Bretagne"
    assert hit["url"].endswith("/ctd/bretagne/feuille-de-route") and hit["summary"] == "Adoptée"
    page = client.get("/recherche", query_string={"q": "orthophotographie"})
    assert 'href="/ctd/bretagne/feuille-de-route"' in page.get_data(as_text=True)

    # The next version replaces it: one document per CTD, the current text.
    assert send(client, path, {"body": "## Axe 1\nAdressage.", "note": ""}).status_code == 303
    assert found(client, q="orthophotographie") == []
    assert [kind for kind, _ in found(client, q="adressage")] == ["feuille-de-route"]
    with app.app_context():
        factories.ctd("bretagne").region = "Armorique"
        db.session.commit()
    assert [kind for kind, _ in found(client, q="armorique")] == ["feuille-de-route"]
    payload = client.get("/api/v1/search", query_string={"kind": "feuille-de-route"}).get_json()
    assert payload["total"] == 1 and payload["facets"]["ctd"] == {"bretagne": 1}
    search_check(app)


# Any sequence of workspace changes, through the pages, leaves index and database
# equal: the documents of projects and actors follow each other (Hypothesis).
EXAMPLES = int(os.environ.get("CNIG_SHARE_HYPOTHESIS_EXAMPLES", "20"))
NAMES = st.one_of(st.sampled_from(["IGN", "Cerema", "Mégalis", "ANCT", "Enedis"]), st.text())
CHANGES = st.lists(
    st.one_of(
        st.tuples(st.just("actor"), NAMES),
        st.tuples(st.just("rename-actor"), st.integers(0, 5), NAMES),
        st.tuples(st.just("project"), st.sampled_from(["bretagne", "corse"]), NAMES,
                  st.integers(0, 5), st.sampled_from(sorted(ACTOR_ROLES)), st.booleans()),
        st.tuples(st.just("edit-project"), st.integers(0, 5), NAMES, st.booleans()),
        st.tuples(st.just("delete-project"), st.integers(0, 5)),
        st.tuples(st.just("rename-term"), NAMES),
        st.tuples(st.just("roadmap"), st.sampled_from(["bretagne", "corse"]), NAMES),
    ),
    min_size=1,
    max_size=6,
)  # fmt: skip


def test_any_sequence_of_workspace_changes_keeps_index_and_database_equal(
    app, client, auth, people
):
    auth.login(CURATOR)
    with app.app_context():
        term_id = factories.term("mutualisation").id

    def pick(columns, position: int) -> tuple | None:
        """The values of the n-th row (modulo how many there are), or None."""
        with app.app_context():
            rows = db.session.execute(select(*columns).order_by(*columns[:1])).all()
            db.session.remove()
        return tuple(rows[position % len(rows)]) if rows else None

    def project_form(title: str, partners: str, actor: str | None, role: str, tagged: bool):
        form = {"title": title[:300] or "Projet", "status": "en-cours", "partners": partners}
        if actor is not None:
            form |= {"actors-0-actor": actor, "actors-0-role": role}
        return form | ({"terms": [str(term_id)]} if tagged else {})

    actor_columns = (NationalActor.id, NationalActor.slug)
    project_columns = (Project.id, Project.title, Project.ctd_id)

    def project_path(project_id: int, ctd_id: int) -> str:
        with app.app_context():
            slug = db.session.get(Ctd, ctd_id).slug
            db.session.remove()
        return f"/ctd/{slug}/projets/{project_id}"

    def apply(change) -> None:
        if change[0] == "actor":
            send(client, "/acteurs/nouveau", {"name": change[1], "type": "etat"})
        elif change[0] == "rename-actor" and (actor := pick(actor_columns, change[1])):
            send(client, f"/acteurs/{actor[1]}/modifier", {"name": change[2], "type": "etat"})
        elif change[0] == "project":
            _, ctd, partners, position, role, tagged = change
            actor = pick(actor_columns, position)
            form = project_form(partners, partners, actor and actor[1], role, tagged)
            send(client, f"/ctd/{ctd}/projets/nouveau", form)
        elif change[0] == "edit-project" and (project := pick(project_columns, change[1])):
            form = project_form(project[1], change[2], None, "", change[3])
            send(client, project_path(project[0], project[2]) + "/modifier", form)
        elif change[0] == "delete-project" and (project := pick(project_columns, change[1])):
            path = project_path(project[0], project[2])
            send(client, f"{path}/supprimer", {"confirmed": "1"}, page=path)
        elif change[0] == "roadmap":
            form = {"body": change[2], "note": change[2][:300]}
            send(client, f"/ctd/{change[1]}/feuille-de-route/modifier", form)
        elif change[0] == "rename-term":
            with app.app_context():
                # Never another term's label; without NUL, which no request can carry
                # (security.refuse_nul_characters) and PostgreSQL refuses.
                label = f"mise en commun {change[1]}".replace("\x00", "")[:200]
                db.session.get(GlossaryTerm, term_id).pref_label = label
                db.session.commit()
                db.session.remove()

    @given(CHANGES)
    @settings(max_examples=EXAMPLES, deadline=None, database=None)
    def changes_keep_step(changes) -> None:
        random.seed()  # Whoosh names segments with `random`, which Hypothesis seeds alike
        for change in changes:
            apply(change)
        search_check(app)
        with app.app_context():
            expected = {
                "projet": db.session.scalar(select(func.count(Project.id))),
                "acteur": db.session.scalar(select(func.count(NationalActor.id))),
                "feuille-de-route": db.session.scalar(
                    select(func.count(RoadmapVersion.ctd_id.distinct()))
                ),
            }
            db.session.remove()
        facets = client.get("/api/v1/search").get_json()["facets"]["kind"]
        assert {kind: facets.get(kind, 0) for kind in expected} == expected

    changes_keep_step()


def year_field(html: str) -> str:
    return re.search(r'<input[^>]*name="year"[^>]*>', html).group(0)


def test_the_cost_form_never_prefills_a_recorded_year_and_says_it_replaces_one(
    client, auth, people
):
    auth.login(COORDINATOR)
    this_year = str(today().year)
    blank = client.get("/ctd/bretagne/couts").get_data(as_text=True)
    assert f'value="{this_year}"' in year_field(blank)
    assert add_costs(client, "bretagne", year=this_year).status_code == 303
    page = client.get("/ctd/bretagne/couts").get_data(as_text=True)
    assert f'value="{this_year}"' not in year_field(page)  # recorded: not offered again
    assert f"Années déjà enregistrées : {this_year}" in page
    correcting = client.get(f"/ctd/bretagne/couts?annee={this_year}").get_data(as_text=True)
    assert f'value="{this_year}"' in year_field(correcting)
    assert f"Corriger {this_year}" in correcting
    again = add_costs(client, "bretagne", year=this_year, tools_eur="5")
    assert again.status_code == 303
    told = text_of(client.get(again.headers["Location"]))
    assert f"Coûts {this_year} enregistrés : ils remplacent ceux qui avaient été saisis" in told
    first = add_costs(client, "bretagne", year="2019")
    assert "remplacent" not in text_of(client.get(first.headers["Location"]))
