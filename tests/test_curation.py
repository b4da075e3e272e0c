"""The CNIG team's tools: review queue, staleness, relays."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from cnig_share.extensions import db
from cnig_share.models import AuditEvent, Resource
from tests import factories
from tests.conftest import csrf_token_from

CURATOR = "veille@cnig.example.org"
MEMBER = "membre@bretagne.example.org"


@pytest.fixture
def curator(client, auth, make_user):
    make_user(CURATOR, role="curator")
    auth.login(CURATOR)
    return client


def submitted(title: str, days_ago: int, ctd: str = "bretagne", **fields) -> int:
    return factories.resource(
        title, ctd_slug=ctd, status="submitted",
        submitted_at=datetime.now(UTC) - timedelta(days=days_ago), **fields,
    )  # fmt: skip


def status_of(app, resource_id: int) -> str:
    with app.app_context():
        return db.session.get(Resource, resource_id).status


def test_only_curators_see_the_queue(app, client, auth, make_user):
    assert client.get("/curation/").status_code == 302
    make_user(MEMBER, ctds=("bretagne",))
    auth.login(MEMBER)
    assert client.get("/curation/").status_code == 403
    assert "Relecture" not in client.get("/").get_data(as_text=True)
    with app.app_context():
        resource_id = submitted("Soumise", 1)
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    response = client.post(f"/curation/{resource_id}/publier", data={"csrf_token": token})
    assert response.status_code == 403
    assert status_of(app, resource_id) == "submitted"


def test_queue_lists_submissions_oldest_first_with_filters_and_counts(app, curator):
    with app.app_context():
        newer = submitted("Plus récente", 1)
        older = submitted("Plus ancienne", 9, ctd="corse", kind="document")
        factories.resource("Brouillon")  # not submitted: not in the queue
    page = curator.get("/curation/").get_data(as_text=True)
    assert page.index("Plus ancienne") < page.index("Plus récente")
    assert "Brouillon" not in page
    assert "soumise il y a 9 jours" in page
    assert re.search(r'<option value="corse">CTD Corse \(1\)</option>', page)
    filtered = curator.get("/curation/", query_string={"ctd": "corse"}).get_data(as_text=True)
    assert "Plus ancienne" in filtered and "Plus récente" not in filtered
    assert "1 sur 2" in filtered
    by_kind = curator.get("/curation/", query_string={"kind": "document"}).get_data(as_text=True)
    assert f"soumise-{older}" in by_kind and f"soumise-{newer}" not in by_kind


def test_publish_from_the_queue_without_javascript(app, curator):
    with app.app_context():
        resource_id = submitted("À publier", 2)
    token = csrf_token_from(curator.get("/curation/").get_data(as_text=True))
    response = curator.post(
        f"/curation/{resource_id}/publier", data={"csrf_token": token, "ctd": "bretagne"}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/curation/?ctd=bretagne")
    assert status_of(app, resource_id) == "published"
    page = curator.get("/curation/?ctd=bretagne").get_data(as_text=True)
    assert "« À publier » est publiée." in page
    with app.app_context():
        resource = db.session.get(Resource, resource_id)
        # The freshness date: 18 months after publication.
        assert 540 <= (resource.review_by - resource.published_at).days <= 550


def test_return_from_the_queue_with_htmx_updates_it_in_place(app, curator):
    with app.app_context():
        resource_id = submitted("À revoir", 2)
        other = submitted("Autre", 3)
    token = csrf_token_from(curator.get("/curation/").get_data(as_text=True))
    url = f"/curation/{resource_id}/renvoyer"
    empty = curator.post(url, data={"csrf_token": token, "comment": " "},
                         headers={"HX-Request": "true"})  # fmt: skip
    assert empty.status_code == 422  # htmx swaps it in (responseHandling)
    assert "Expliquez aux auteurs" in empty.get_data(as_text=True)
    assert status_of(app, resource_id) == "submitted"
    response = curator.post(url, data={"csrf_token": token, "comment": "Ajoutez la source."},
                            headers={"HX-Request": "true"})  # fmt: skip
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment
    assert 'id="queue"' not in fragment  # the inside of the element htmx replaces
    assert '<section aria-labelledby="titre-soumises"' in fragment
    assert "renvoyée à ses auteurs" in fragment
    assert f"soumise-{resource_id}" not in fragment and f"soumise-{other}" in fragment
    assert status_of(app, resource_id) == "draft"
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert (event.action, event.comment) == ("resource.return", "Ajoutez la source.")


def test_a_queue_action_on_a_resource_no_longer_submitted_is_refused(app, curator):
    with app.app_context():
        resource_id = factories.resource("Brouillon")
    token = csrf_token_from(curator.get("/curation/").get_data(as_text=True))
    data = {"csrf_token": token, "comment": "x"}
    response = curator.post(f"/curation/{resource_id}/renvoyer", data=data, follow_redirects=True)
    assert response.status_code == 200
    assert status_of(app, resource_id) == "draft"
    assert curator.post("/curation/999999/publier", data={"csrf_token": token}).status_code == 404


def test_stale_resources_are_listed_marked_and_can_be_confirmed(app, curator, client):
    past = datetime.now(UTC) - timedelta(days=1)
    with app.app_context():
        stale = factories.resource("Ancienne", status="published", review_by=past)
        fresh = factories.resource(
            "Fraîche", status="published", review_by=datetime.now(UTC) + timedelta(days=30)
        )
    page = curator.get("/curation/").get_data(as_text=True)
    section = page[page.index('id="titre-a-verifier"') :]
    assert "Ancienne" in section and "Fraîche" not in section
    assert "À vérifier" in curator.get(f"/ressources/{stale}").get_data(as_text=True)
    assert "À vérifier" not in curator.get(f"/ressources/{fresh}").get_data(as_text=True)
    token = csrf_token_from(curator.get(f"/ressources/{stale}").get_data(as_text=True))
    curator.post(f"/ressources/{stale}/marquer-verifiee", data={"csrf_token": token})
    assert "À vérifier" not in curator.get(f"/ressources/{stale}").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Resource, stale).review_by > datetime.now(UTC) + timedelta(days=500)


def test_a_curator_relays_a_published_resource_with_a_note(app, curator, client):
    with app.app_context():
        resource_id = factories.resource("Bonne idée", status="published")
        draft = factories.resource("Brouillon")
    page = curator.get(f"/ressources/{resource_id}").get_data(as_text=True)
    token = csrf_token_from(page)
    url = f"/ressources/{resource_id}/relayer"
    assert curator.post(url, data={"csrf_token": token, "note": ""}).status_code == 422
    assert curator.post(url, data={"csrf_token": token, "note": "x" * 501}).status_code == 422
    assert curator.post(f"/ressources/{draft}/relayer",
                        data={"csrf_token": token, "note": "Non."}).status_code == 403  # fmt: skip
    response = curator.post(url, data={"csrf_token": token, "note": "Une méthode à reprendre."})
    assert response.status_code == 303
    shown = client.get(f"/ressources/{resource_id}").get_data(as_text=True)
    assert "Relayé par le CNIG le" in shown and "Une méthode à reprendre." in shown
    curator.post(f"/ressources/{resource_id}/ne-plus-relayer", data={"csrf_token": token})
    assert "Relayé par le CNIG" not in client.get(f"/ressources/{resource_id}").get_data(
        as_text=True
    )
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[-2:] == ["resource.relay", "resource.unrelay"]


# --- dashboard, searches that found nothing, audit log, coverage ------------------------


def table_rows(html: str, table_id: str) -> dict[str, int]:
    table = html[html.index(f'id="{table_id}"') :]
    table = table[: table.index("</table>")]
    return {
        label.strip(): int(value)
        for label, value in re.findall(r"<th scope=\"row\"[^>]*>([^<]+)</th><td>(\d+)</td>", table)
    }


def test_dashboard_figures_equal_counts_computed_independently(app, curator):
    from collections import Counter

    with app.app_context():
        for n, (ctd, kind, status) in enumerate(
            [("bretagne", "document", "published"), ("bretagne", "bonne-pratique", "published"),
             ("corse", "document", "published"), ("corse", "document", "draft"),
             ("normandie", "retour-experience", "archived"), ("corse", "document", "submitted")]
        ):  # fmt: skip
            terms = [factories.term("mutualisation")] if n % 2 else []
            factories.resource(f"R{n}", ctd_slug=ctd, kind=kind, status=status, terms=terms)
        resources = db.session.scalars(select(Resource)).all()
        published = [r for r in resources if r.status == "published"]
        by_ctd = Counter(r.ctd.name for r in published)
        by_kind = Counter(r.kind_label for r in published)
        by_term = Counter(t.pref_label for r in published for t in r.terms)
    html = curator.get("/curation/tableau-de-bord").get_data(as_text=True)
    shown_ctd = table_rows(html, "tableau-ctd-table")
    assert {k: v for k, v in shown_ctd.items() if v} == dict(by_ctd)
    assert len(shown_ctd) == 18  # every CTD, with or without resources
    assert {k: v for k, v in table_rows(html, "tableau-type-table").items() if v} == dict(by_kind)
    assert {k: v for k, v in table_rows(html, "tableau-terme-table").items() if v} == dict(by_term)
    assert "1 soumission attend une relecture" in html
    assert '<svg class="cs-chart" role="img"' in html

    response = curator.get("/curation/tableau-de-bord.csv")
    assert response.mimetype == "text/csv"
    assert re.fullmatch(
        r'attachment; filename="cnig-partage-tableau-de-bord-\d{4}-\d\d-\d\d\.csv"',
        response.headers["Content-Disposition"],
    )
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")  # UTF-8 with a byte order mark, for spreadsheets
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == ["Tableau", "Libellé", "Valeur"]
    assert ["Ressources publiées par CTD", "CTD Bretagne", "2"] in rows
    assert ["Ressources publiées par type", "Document", "2"] in rows


@pytest.mark.parametrize("typed", ["=1+2", "+33 cmd", "-2+3", "=cmd|' /C calc'!A0"])
def test_a_formula_typed_in_the_search_box_is_text_in_the_dashboard_csv(client, curator, typed):
    """A search that found nothing reaches the dashboard's CSV: a spreadsheet
    must not run it (OWASP CSV injection)."""
    client.get("/recherche", query_string={"q": typed})
    text = curator.get("/curation/tableau-de-bord.csv").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    missed = [row for row in rows if row[0] == "Recherches sans résultat"]
    assert missed, rows
    assert all(row[1].startswith("'") for row in missed), missed
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_searches_that_found_nothing_are_counted_without_personal_data(app, client, curator):
    for query in ["Géomatique  marine", "geomatique marine", "jean@exemple.fr", "06 12 34 56 78"]:
        client.get("/recherche", query_string={"q": query})
    client.get("/api/v1/search", query_string={"q": "géomatique marine"})
    client.get("/recherche", query_string={"q": "rien", "page": 2})  # only first pages count
    html = curator.get("/curation/tableau-de-bord").get_data(as_text=True)
    section = html[html.index('id="sans-resultat"') :]
    assert re.search(r">geomatique marine</th>\s*<td>3</td>", section)
    assert "exemple" not in section and "06 12" not in section and ">rien<" not in section


def test_a_missed_search_becomes_an_alternative_label_in_one_click(app, client, curator):
    client.get("/recherche", query_string={"q": "géomatique marine"})
    token = csrf_token_from(curator.get("/curation/tableau-de-bord").get_data(as_text=True))
    term = term_id_of(app, "donnee-geographique")
    response = curator.post("/curation/recherches-sans-resultat", data={
        "csrf_token": token, "query": "geomatique marine", "term": term,
    })  # fmt: skip
    assert response.status_code == 303
    with app.app_context():
        assert "geomatique marine" in factories.term("donnee-geographique").alt_label_texts
    html = curator.get("/curation/tableau-de-bord").get_data(as_text=True)
    assert ">geomatique marine</th>" not in html
    # The same words again, now another term's label: refused in French.
    refused = curator.post("/curation/recherches-sans-resultat", data={
        "csrf_token": token, "query": "geomatique marine", "term": term_id_of(app, "mutualisation"),
    }, follow_redirects=True)  # fmt: skip
    assert "désigne déjà le terme" in refused.get_data(as_text=True)
    missing = curator.post("/curation/recherches-sans-resultat",
                           data={"csrf_token": token, "query": "x", "term": "abc"},
                           follow_redirects=True)  # fmt: skip
    assert "Choisissez le terme" in missing.get_data(as_text=True)


def term_id_of(app, slug: str) -> int:
    with app.app_context():
        return factories.term(slug).id


def test_audit_log_filters_by_person_action_ctd_and_date(app, curator, make_user):
    make_user("autre@cnig.example.org", role="curator", name="Camille Autre")
    with app.app_context():
        bzh = submitted("Bretonne", 1)
        corse = submitted("Insulaire", 1, ctd="corse")
    token = csrf_token_from(curator.get("/curation/").get_data(as_text=True))
    curator.post(f"/curation/{bzh}/publier", data={"csrf_token": token})
    curator.post(f"/curation/{corse}/renvoyer", data={"csrf_token": token, "comment": "Source ?"})
    log = curator.get("/curation/journal").get_data(as_text=True)
    assert "Ressource publiée" in log and "Ressource renvoyée aux auteurs" in log
    by_ctd = curator.get("/curation/journal?ctd=corse").get_data(as_text=True)
    assert "Source ?" in by_ctd and "Bretonne" not in by_ctd
    by_action = curator.get("/curation/journal?action=resource.publish").get_data(as_text=True)
    assert "Bretonne" in by_action and "Insulaire" not in by_action
    assert "0 événement" in curator.get("/curation/journal?person=Camille").get_data(as_text=True)
    today = datetime.now(ZoneInfo("Europe/Paris")).date()
    later = curator.get(f"/curation/journal?from={today + timedelta(days=1)}").get_data(
        as_text=True
    )
    assert "0 événement" in later
    odd = curator.get("/curation/journal?from=hier&to=2026-13-45&page=-3&action=<x>")
    assert odd.status_code == 200 and "Une date n" in odd.get_data(as_text=True)


def test_dashboard_months_are_months_in_france(app, curator):
    """Published at 0 h 30 on the first of this month in Paris, which is still
    last month in UTC: it counts in this month."""
    paris = ZoneInfo("Europe/Paris")
    first = datetime.now(paris).replace(day=1, hour=0, minute=30, second=0, microsecond=0)
    assert first.astimezone(UTC).month != first.month
    with app.app_context():
        factories.resource("Minuit", status="published", published_at=first.astimezone(UTC))
    html = curator.get("/curation/tableau-de-bord").get_data(as_text=True)
    months = table_rows(html, "tableau-mois-table")
    this_month = list(months)[-1]
    assert this_month.endswith(str(first.year)) and months[this_month] == 1
    assert sum(months.values()) == 1


def test_audit_log_days_are_days_in_france(app, curator):
    with app.app_context():
        bzh = submitted("Bretonne", 1)
    token = csrf_token_from(curator.get("/curation/").get_data(as_text=True))
    curator.post(f"/curation/{bzh}/publier", data={"csrf_token": token})
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        # 0 h 30 on 15 March in Paris (UTC+1 then).
        event.created_at = datetime(2026, 3, 14, 23, 30, tzinfo=UTC)
        db.session.commit()

    def journal(**days) -> str:
        query = {"action": "resource.publish", **days}
        return curator.get("/curation/journal", query_string=query).get_data(as_text=True)

    assert "15 mars 2026 0 h 30" in journal(**{"from": "2026-03-15", "to": "2026-03-15"})
    assert "0 événement" in journal(to="2026-03-14")
    assert "0 événement" in journal(**{"from": "2026-03-16"})


def test_coverage_matrix_counts_published_resources_per_ctd_and_term(app, client):
    with app.app_context():
        factories.resource("A", ctd_slug="corse", status="published",
                           terms=[factories.term("donnee-geographique")])  # fmt: skip
        factories.resource("B", ctd_slug="corse", status="draft",
                           terms=[factories.term("donnee-geographique")])  # fmt: skip
        corse = factories.ctd("corse").id
    html = client.get("/ctd/couverture").get_data(as_text=True)
    row = html[html.index('href="/ctd/corse"') :]
    row = row[: row.index("</tr>")]
    cells = re.findall(r'<td class="cs-coverage__cell[^"]*">(.*?)</td>', row)
    linked = [cell for cell in cells if "href" in cell]
    # donnée géographique, and donnée géolocalisée through its narrower term.
    assert len(linked) == 2 and all(">1</a>" in cell for cell in linked)
    assert "ctd=corse&amp;term=donnee-geographique" in row
    assert corse


def test_the_queue_posts_its_decisions_to_the_resource_life_cycle_views(app, curator):
    with app.app_context():
        published = submitted("Par la file", 2)
        returned = submitted("Autre", 3)
    page = curator.get("/curation/?ctd=bretagne").get_data(as_text=True)
    token = csrf_token_from(page)
    assert f'action="/ressources/{published}/publier"' in page
    assert f'action="/ressources/{returned}/renvoyer"' in page
    data = {"csrf_token": token, "queue": "1", "ctd": "bretagne"}
    response = curator.post(f"/ressources/{published}/publier", data=data)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/curation/?ctd=bretagne")
    assert status_of(app, published) == "published"
    data = {"csrf_token": token, "queue": "1", "comment": "Ajoutez la source."}
    fragment = curator.post(f"/ressources/{returned}/renvoyer", data=data,
                            headers={"HX-Request": "true"}).get_data(as_text=True)  # fmt: skip
    assert "<html" not in fragment and 'id="queue"' not in fragment  # the block inside #queue
    assert "« Autre » est renvoyée à ses auteurs avec votre commentaire." in fragment
    assert status_of(app, returned) == "draft"
