"""The audit log names every kind of object it records, with a link, and says
"supprimé" only when the object is really gone."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from cnig_share import audit
from cnig_share.extensions import db
from tests import factories
from tests.conftest import AuthActions, csrf_token_from
from tests.test_workspace import add_actor, add_costs, add_project, send

COORDINATOR = "animation@bretagne.example.org"
CURATOR = "veille@cnig.example.org"
ADMIN = "admin@cnig.example.org"
MEMBER = "membre@bretagne.example.org"


def rows(client) -> dict[str, list[str]]:
    """Each action of the log's first page with the HTML of its "Objet" cells."""
    page = client.get("/curation/journal").get_data(as_text=True)
    table = page[page.index("<tbody>") : page.index("</tbody>")]
    found: dict[str, list[str]] = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        found.setdefault(html_lib.unescape(cells[2]), []).append(cells[3].strip())
    return found


def text(cell: str) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", "", cell))


def link(cell: str) -> str | None:
    match = re.search(r'href="([^"]+)"', cell)
    return html_lib.unescape(match.group(1)) if match else None


@pytest.fixture
def people(make_user):
    make_user(COORDINATOR, ctds=("bretagne",), name="Brieuc Coordinateur")
    make_user(CURATOR, role="curator", name="Vera Veille")
    make_user(ADMIN, role="admin", name="Ada Admin")
    make_user(MEMBER, ctds=("bretagne",), name="Maël Membre")


def test_workspace_events_name_their_project_costs_governance_roadmap_and_actor(
    app, client, auth, people
):
    auth.login(COORDINATOR)
    kept = add_project(client, "bretagne", title="Adresses partagées")
    gone = add_project(client, "bretagne", title="Projet abandonné")
    token = csrf_token_from(client.get(f"/ctd/bretagne/projets/{gone}").get_data(as_text=True))
    delete = f"/ctd/bretagne/projets/{gone}/supprimer"
    client.post(delete, data={"csrf_token": token, "confirmed": "1"})
    assert add_costs(client, "bretagne", year="2025").status_code == 303
    send(client, "/ctd/bretagne/gouvernance/modifier", {"region_chair": "Présidente"})
    send(client, "/ctd/bretagne/feuille-de-route/modifier", {"body": "## Axe 1"})
    auth.logout()
    auth.login(CURATOR)
    actor = add_actor(client, "Institut géographique")

    log = rows(client)
    created = {text(cell): link(cell) for cell in log["Projet créé"]}
    assert created["Adresses partagées (CTD Bretagne)"] == f"/ctd/bretagne/projets/{kept}"
    # The project that still exists is not "supprimé"; the deleted one is, without a link.
    assert created == {
        "Adresses partagées (CTD Bretagne)": f"/ctd/bretagne/projets/{kept}",
        "Projet abandonné (supprimé)": None,
    }
    assert [text(cell) for cell in log["Projet supprimé"]] == ["Projet abandonné (supprimé)"]
    assert link(log["Projet supprimé"][0]) is None
    (costs,) = log["Coûts annuels saisis"]
    assert (text(costs), link(costs)) == ("Coûts 2025 — CTD Bretagne", "/ctd/bretagne/couts")
    (governance,) = log["Gouvernance modifiée"]
    assert text(governance) == "Gouvernance — CTD Bretagne"
    assert link(governance) == "/ctd/bretagne#gouvernance"
    (roadmap,) = log["Feuille de route modifiée"]
    assert text(roadmap) == "Feuille de route — CTD Bretagne"
    assert re.fullmatch(r"/ctd/bretagne/feuille-de-route/versions/\d+", link(roadmap))
    (actor_cell,) = log["Acteur national créé"]
    assert (text(actor_cell), link(actor_cell)) == ("Institut géographique", f"/acteurs/{actor}")
    assert not any(text(cell) == "—" for cells in log.values() for cell in cells)


def test_the_ctd_filter_keeps_its_projects_costs_and_governance(app, client, auth, people):
    auth.login(COORDINATOR)
    add_project(client, "bretagne", title="Adresses partagées")
    add_costs(client, "bretagne", year="2025")
    auth.logout()
    auth.login(CURATOR)
    add_costs(client, "corse", year="2025")
    page = client.get("/curation/journal?ctd=bretagne").get_data(as_text=True)
    assert "Adresses partagées" in page and "Coûts 2025 — CTD Bretagne" in page
    assert "CTD Corse" not in page


def test_account_events_name_the_account_and_link_it_for_admins(app, people):
    admin = app.test_client()
    AuthActions(admin).login(ADMIN)
    member_id = factories_user_id(app, MEMBER)
    token = csrf_token_from(admin.get(f"/admin/comptes/{member_id}").get_data(as_text=True))
    response = admin.post(f"/admin/comptes/{member_id}/desactiver", data={"csrf_token": token})
    assert response.status_code == 303
    (cell,) = rows(admin)["Compte désactivé"]
    assert text(cell) == f"Maël Membre ({MEMBER})"
    assert link(cell) == f"/admin/comptes/{member_id}"
    # A curator reads the account's name, without a link to a page only admins open.
    curator = app.test_client()
    AuthActions(curator).login(CURATOR)
    (cell,) = rows(curator)["Compte désactivé"]
    assert (text(cell), link(cell)) == (f"Maël Membre ({MEMBER})", None)


def test_a_deleted_account_is_named_by_its_number_and_marked_deleted(app, people):
    member_id = factories_user_id(app, MEMBER)
    with app.app_context():
        from cnig_share.models import User

        audit.record("account.delete", "user", member_id, None, label=f"compte n° {member_id}")
        db.session.delete(db.session.get(User, member_id))
        db.session.commit()
    curator = app.test_client()
    AuthActions(curator).login(CURATOR)
    (cell,) = rows(curator)["Compte supprimé par son titulaire"]
    assert text(cell) == f"compte n° {member_id} (supprimé)"


def test_api_token_events_name_the_token_and_its_owner(app, people):
    result = app.test_cli_runner().invoke(args=["create-token", MEMBER])
    assert result.exit_code == 0, result.output
    curator = app.test_client()
    AuthActions(curator).login(CURATOR)
    (cell,) = rows(curator)["Jeton d'API créé"]
    assert text(cell).startswith("Jeton d'API « ") and f"Maël Membre ({MEMBER})" in text(cell)


def test_resource_term_and_selection_events_link_to_what_still_exists(app, client, auth, people):
    with app.app_context():
        resource_id = factories.resource("Cadastre solaire", status="published")
        term = factories.term("mutualisation")
        audit.record("resource.feature", "resource", resource_id, None)
        audit.record("glossary.update", "glossary_term", term.id, None)
        audit.record("glossary.import", "glossary_term", None, None, created=[])
        db.session.commit()
    auth.login(CURATOR)
    token = csrf_token_from(client.get("/selections/nouvelle").get_data(as_text=True))
    client.post(
        "/selections/nouvelle",
        data={"csrf_token": token, "title": "Pour bien commencer", "description": "Oui."},
    )
    log = rows(client)
    (resource,) = log["Ressource mise à la une"]
    assert (text(resource), link(resource)) == ("Cadastre solaire", f"/ressources/{resource_id}")
    (term_cell,) = log["Terme modifié"]
    assert link(term_cell) == "/glossaire/mutualisation"
    (whole,) = log["Glossaire importé"]
    assert (text(whole), link(whole)) == ("Glossaire", "/glossaire/")
    (selection,) = log["Sélection créée"]
    assert text(selection) == "Pour bien commencer"
    assert link(selection).startswith("/selections/")


def test_an_event_about_a_kind_the_log_cannot_name_is_refused(app):
    with app.app_context(), pytest.raises(ValueError, match="audit_targets"):
        audit.record("thing.create", "thing", 1, None)


def factories_user_id(app, email: str) -> int:
    with app.app_context():
        return factories.user(email).id
