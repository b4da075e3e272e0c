"""Edits carry a version (issue 14 §4): a stale form gets 409 with the person's
text kept, the API honours If-Match, and of two concurrent transitions, merges
or password resets exactly one wins; the loser changes nothing and sends nothing.

Races run real threads, each with its own signed-in test client (and so its
own database session), released together by a barrier, on every backend."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from functools import partial
from html import unescape

import pytest
from sqlalchemy import func, select

from cnig_share.accounts import password_reset
from cnig_share.accounts.services import authenticate
from cnig_share.extensions import db
from cnig_share.glossary import services as glossary_services
from cnig_share.models import AuditEvent, Project, Resource, Selection
from cnig_share.models.workspace import CostYear
from cnig_share.watch import services as watch_services
from cnig_share.workspace import services as workspace_services
from tests import factories
from tests.conftest import AuthActions, csrf_token_from

ROUNDS = 4


@pytest.fixture
def app(mailing_app):
    return mailing_app


@pytest.fixture
def people(make_user) -> dict[str, str]:
    return {
        "author": make_user("auteur@exemple.fr", ctds=("bretagne",), name="Awen"),
        "member": make_user("membre@exemple.fr", ctds=("bretagne",), name="Maël"),
        "curator": make_user("veille@cnig.fr", role="curator", name="Claire"),
        "curator2": make_user("relais@cnig.fr", role="curator", name="Hugo"),
    }


def signed_in(app, email: str):
    """A test client of its own, signed in: one per thread."""
    client = app.test_client()
    assert AuthActions(client).login(email).status_code == 303
    return client


def token_of(client, path: str = "/") -> str:
    return csrf_token_from(client.get(path).get_data(as_text=True))


def buttons_of(client, path: str) -> dict[str, str]:
    """What a page's decision buttons send: the CSRF token and the version shown."""
    html = client.get(path).get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', html)
    assert version, "no version in the page's buttons"
    return {"csrf_token": csrf_token_from(html), "version": version.group(1)}


def race(*actions: Callable[[], object]) -> list[object]:
    """Run the actions in threads released together; their results, in order."""
    barrier = threading.Barrier(len(actions))
    results: list[object] = [None] * len(actions)

    def run(index: int, action: Callable[[], object]) -> None:
        barrier.wait()
        try:
            results[index] = action()
        except Exception as error:  # reported by the assertions below
            results[index] = error

    threads = [threading.Thread(target=run, args=item) for item in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def submitted_resource(app, author: str, title: str) -> int:
    with app.app_context():
        return factories.resource(title, status="submitted", author=factories.user(author))


def status_of(app, resource_id: int) -> str:
    with app.app_context():
        return db.session.scalar(select(Resource.status).where(Resource.id == resource_id))


def lost_the_race(html: str) -> bool:
    """The loser's French 409: overtaken mid-flight, or arriving after the winner
    with a page the winner made outdated."""
    return "Quelqu'un d'autre a modifié" in unescape(html)


# --- transitions -------------------------------------------------------------------------


def test_concurrent_publish_and_return_one_wins_and_one_email_leaves(app, people, inbox):
    publisher, returner = signed_in(app, people["curator"]), signed_in(app, people["curator2"])
    for round_ in range(ROUNDS):
        resource_id = submitted_resource(app, people["author"], f"Course {round_}")
        page = f"/ressources/{resource_id}"
        publish_form, return_form = buttons_of(publisher, page), buttons_of(returner, page)
        published, returned = race(
            partial(publisher.post, f"{page}/publier", data=publish_form),
            partial(
                returner.post,
                f"{page}/renvoyer",
                data={**return_form, "comment": "Ajoutez une source."},
            ),
        )
        codes = sorted([published.status_code, returned.status_code])
        assert codes == [303, 409], codes
        loser = published if published.status_code == 409 else returned
        assert lost_the_race(loser.get_data(as_text=True))
        expected = "published" if published.status_code == 303 else "draft"
        assert status_of(app, resource_id) == expected
        [message] = inbox[0].wait_for(1)
        assert message["Subject"].startswith("Publiée" if expected == "published" else "À revoir")
        assert inbox[0].take() == []


def test_a_decision_from_an_outdated_page_is_refused(app, people, inbox):
    """Publishing from a page shown before someone returned the submission
    (which would publish a draft the authors are revising) is a 409."""
    curator, other = signed_in(app, people["curator"]), signed_in(app, people["curator2"])
    resource_id = submitted_resource(app, people["author"], "Vue périmée")
    page = f"/ressources/{resource_id}"
    stale = buttons_of(curator, page)
    returned = other.post(
        f"{page}/renvoyer", data={**buttons_of(other, page), "comment": "Sources ?"}
    )
    assert returned.status_code == 303
    inbox[0].wait_for(1)
    answer = curator.post(f"{page}/publier", data=stale)
    assert answer.status_code == 409
    assert lost_the_race(answer.get_data(as_text=True))
    assert status_of(app, resource_id) == "draft"
    assert curator.post(f"/curation/{resource_id}/publier", data=stale).status_code == 409
    assert status_of(app, resource_id) == "draft"
    assert inbox[0].take() == []


@pytest.mark.parametrize("htmx", [False, True])
def test_concurrent_decisions_in_the_review_queue_one_wins(app, people, inbox, htmx):
    """The queue answers htmx with its block (the loser's with 409, which htmx
    swaps, saying that nothing was applied); a plain post gets 303 or 409."""
    first, second = signed_in(app, people["curator"]), signed_in(app, people["curator2"])
    headers = {"HX-Request": "true"} if htmx else {}
    for round_ in range(ROUNDS):
        resource_id = submitted_resource(app, people["author"], f"File {round_}")
        first_form, second_form = buttons_of(first, "/curation/"), buttons_of(second, "/curation/")
        published, returned = race(
            partial(
                first.post, f"/curation/{resource_id}/publier", data=first_form, headers=headers
            ),
            partial(
                second.post,
                f"/curation/{resource_id}/renvoyer",
                data={**second_form, "comment": "À compléter."},
                headers=headers,
            ),
        )
        state = status_of(app, resource_id)
        assert state in ("published", "draft")
        winner, loser = (published, returned) if state == "published" else (returned, published)
        assert (winner.status_code, loser.status_code) == ((200, 409) if htmx else (303, 409))
        if htmx:
            assert "<html" not in loser.get_data(as_text=True)
            assert lost_the_race(loser.get_data(as_text=True))
        assert len(inbox[0].wait_for(1)) == 1
        assert inbox[0].take() == []


def test_concurrent_merges_of_one_term_one_wins(app, people):
    first, second = signed_in(app, people["curator"]), signed_in(app, people["curator2"])
    for round_ in range(ROUNDS):
        with app.app_context():
            source = glossary_services.create_term(
                glossary_services.TermInput(f"Notion éphémère {round_}", "Définition."), None
            )
            factories.resource(f"Étiquetée {round_}", status="published", terms=[source])
            targets = [factories.term("mutualisation"), factories.term("donnee-ouverte")]
            slug, target_ids = source.slug, [target.id for target in targets]
            db.session.commit()
        path = f"/glossaire/{slug}/fusionner"
        tokens = [token_of(first, path), token_of(second, path)]
        answers = race(
            partial(first.post, path, data={"csrf_token": tokens[0], "kept": target_ids[0]}),
            partial(second.post, path, data={"csrf_token": tokens[1], "kept": target_ids[1]}),
        )
        codes = [answer.status_code for answer in answers]
        assert sorted(codes) == [302, 409], codes
        winner = target_ids[codes.index(302)]
        with app.app_context():
            assert glossary_services.find_term(slug).id == winner
            tagged = db.session.scalar(
                select(Resource).where(Resource.title == f"Étiquetée {round_}")
            )
            assert [term.id for term in tagged.terms] == [winner]


def test_one_reset_link_used_twice_at_once_changes_the_password_once(app, people):
    with app.app_context():
        link = f"/mot-de-passe/{password_reset.token_for(factories.user(people['member']))}"
    clients = [app.test_client(), app.test_client()]
    passwords = ["première phrase de passe", "seconde phrase de passe"]
    forms = [
        {"password": p, "confirm": p, "csrf_token": token_of(c, link)}
        for c, p in zip(clients, passwords, strict=True)
    ]
    answers = race(*(partial(c.post, link, data=f) for c, f in zip(clients, forms, strict=True)))
    codes = [answer.status_code for answer in answers]
    assert sorted(codes) == [303, 410], codes
    winner, loser = passwords[codes.index(303)], passwords[codes.index(410)]
    assert "ne peut plus servir" in unescape(answers[codes.index(410)].get_data(as_text=True))
    with app.app_context():
        assert authenticate(people["member"], winner) is not None
        assert authenticate(people["member"], loser) is None
        changes = db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "account.password_reset")
        )
        assert changes == 1


# --- stale forms ---------------------------------------------------------------------------


def loaded_form(client, path: str) -> dict[str, str]:
    """What an edit page hands its form: the CSRF token and the version(s) it was loaded with."""
    page = client.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    found = re.search(r'name="(versions?)" type="hidden" value="([^"]*)"', html)
    assert found, "no version in the form"
    return {"csrf_token": csrf_token_from(html), found.group(1): found.group(2)}


def assert_conflict(answer, kept_text: str, saved_text: str) -> str:
    """409, the person's text still in the form, the saved one shown beside it."""
    assert answer.status_code == 409
    html = unescape(answer.get_data(as_text=True))
    assert "Quelqu'un a enregistré une modification entre-temps" in html
    assert kept_text in html  # in the form, to re-apply
    assert f"+{kept_text}" in html and f"-{saved_text}" in html  # the line diff
    return answer.get_data(as_text=True)


def resave(client, path: str, stale: dict[str, str], page: str, data: dict[str, str]):
    """Submit again from the 409 page: its version is the current one, so the save passes."""
    name = "versions" if "versions" in stale else "version"
    version = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', page).group(1)
    assert version != stale[name]
    return client.post(path, data={**data, **stale, name: version})


def test_a_stale_resource_form_is_a_409_that_keeps_the_text(app, people):
    with app.app_context():
        resource_id = factories.resource(
            "Guide PCRS", body="Première ligne.", author=factories.user(people["author"])
        )
    author, member = signed_in(app, people["author"]), signed_in(app, people["member"])
    path = f"/ressources/{resource_id}/modifier"
    fields = {"title": "Guide PCRS", "kind": "bonne-pratique", "ctd": "bretagne"}
    stale = loaded_form(author, path)
    other = member.post(
        path, data={**loaded_form(member, path), **fields, "body": "Texte de Maël."}
    )
    assert other.status_code == 303
    mine = {**fields, "body": "Texte d'Awen."}
    page = assert_conflict(
        author.post(path, data={**mine, **stale}), "Texte d'Awen.", "Texte de Maël."
    )
    with app.app_context():
        assert db.session.get(Resource, resource_id).body == "Texte de Maël."
    assert author.post(path, data={**mine, **stale}).status_code == 409  # still stale
    assert resave(author, path, stale, page, mine).status_code == 303
    with app.app_context():
        assert db.session.get(Resource, resource_id).body == "Texte d'Awen."


def test_a_stale_resource_form_sent_by_htmx_gets_the_409_block(app, people):
    with app.app_context():
        resource_id = factories.resource("Guide", author=factories.user(people["author"]))
    author = signed_in(app, people["author"])
    path = f"/ressources/{resource_id}/modifier"
    stale = loaded_form(author, path)
    fields = {"title": "Guide", "kind": "bonne-pratique", "ctd": "bretagne"}
    with app.app_context():
        resource = db.session.get(Resource, resource_id)
        resource.body = "Saisi ailleurs."
        db.session.commit()
    answer = author.post(
        path, data={**fields, **stale, "body": "Saisi ici."}, headers={"HX-Request": "true"}
    )
    assert_conflict(answer, "Saisi ici.", "Saisi ailleurs.")
    assert "<html" not in answer.get_data(as_text=True)


def test_a_stale_project_form_is_a_409(app, people):
    with app.app_context():
        factories.workspace(people["curator"])
        project = db.session.scalar(select(Project))
        project_id = project.id
    curator = signed_in(app, people["curator"])
    path = f"/ctd/bretagne/projets/{project_id}/modifier"
    stale = loaded_form(curator, path)
    with app.app_context():
        db.session.get(Project, project_id).description = "Décrit par Hugo."
        db.session.commit()
    mine = {"title": "PCRS mutualisé", "status": "en-cours", "description": "Décrit par Claire."}
    answer = curator.post(path, data={**mine, **stale})
    page = assert_conflict(answer, "Décrit par Claire.", "Décrit par Hugo.")
    with app.app_context():
        assert db.session.get(Project, project_id).description == "Décrit par Hugo."
    assert resave(curator, path, stale, page, mine).status_code == 303


def test_a_stale_governance_form_is_a_409(app, people):
    curator = signed_in(app, people["curator"])
    path = "/ctd/bretagne/gouvernance/modifier"
    stale = loaded_form(curator, path)  # no governance yet: version 0
    with app.app_context():
        values = {"region_chair": "Vice-présidence au numérique"}
        workspace_services.save_governance(factories.ctd("bretagne"), values, None)
        db.session.commit()
    mine = {"region_chair": "Présidence de la Région"}
    answer = curator.post(path, data={**mine, **stale})
    page = assert_conflict(answer, "Présidence de la Région", "Vice-présidence au numérique")
    assert resave(curator, path, stale, page, mine).status_code == 303
    with app.app_context():
        governance = workspace_services.governance_of(factories.ctd("bretagne"))
        assert governance.region_chair == "Présidence de la Région"


def test_a_stale_roadmap_form_is_a_409(app, people):
    curator = signed_in(app, people["curator"])
    path = "/ctd/bretagne/feuille-de-route/modifier"
    with app.app_context():
        workspace_services.save_roadmap(factories.ctd("bretagne"), "Axe 1.", "", None)
        db.session.commit()
    stale = loaded_form(curator, path)
    with app.app_context():
        workspace_services.save_roadmap(factories.ctd("bretagne"), "Axe 1 revu.", "", None)
        db.session.commit()
    mine = {"body": "Axe 1 et axe 2.", "note": "Ajout"}
    page = assert_conflict(
        curator.post(path, data={**mine, **stale}), "Axe 1 et axe 2.", "Axe 1 revu."
    )
    with app.app_context():
        assert len(workspace_services.roadmap_versions(factories.ctd("bretagne"))) == 2
    assert resave(curator, path, stale, page, mine).status_code == 303
    with app.app_context():
        versions = workspace_services.roadmap_versions(factories.ctd("bretagne"))
        assert [version.body for version in versions][:2] == ["Axe 1 et axe 2.", "Axe 1 revu."]


def test_a_cost_year_recorded_since_the_form_was_loaded_is_a_409(app, people):
    curator = signed_in(app, people["curator"])
    path = "/ctd/bretagne/couts"
    stale = loaded_form(curator, path)
    with app.app_context():
        costs = {"staff_fte": "1", "day_rate_eur": 450, "days_per_fte": 220, "note": "Par Hugo."}
        workspace_services.save_costs(factories.ctd("bretagne"), 2026, costs, None)
        db.session.commit()
    mine = {"year": "2026", "staff_fte": "2", "day_rate_eur": "450", "days_per_fte": "220",
            "note": "Par Claire."}  # fmt: skip
    page = assert_conflict(curator.post(path, data={**mine, **stale}), "Par Claire.", "Par Hugo.")
    with app.app_context():
        recorded = db.session.scalar(select(CostYear))
        assert (recorded.note, recorded.staff_fte) == ("Par Hugo.", 1)
    assert resave(curator, path, stale, page, mine).status_code == 303
    # Recording an existing year again, from a fresh form, still replaces it.
    again = curator.post(path, data={**mine, **loaded_form(curator, path), "note": "Revu."})
    assert again.status_code == 303


def test_a_stale_term_form_is_a_409(app, people):
    curator = signed_in(app, people["curator"])
    path = "/glossaire/mutualisation/modifier"
    stale = loaded_form(curator, path)
    with app.app_context():
        term = factories.term("mutualisation")
        data = glossary_services.TermInput(term.pref_label, "Définition de Hugo.")
        glossary_services.update_term(term, data, None)
        db.session.commit()
    mine = {"pref_label": "mutualisation", "definition": "Définition de Claire."}
    answer = curator.post(path, data={**mine, **stale})
    page = assert_conflict(answer, "Définition de Claire.", "Définition de Hugo.")
    with app.app_context():
        assert factories.term("mutualisation").definition == "Définition de Hugo."
    assert resave(curator, path, stale, page, mine).status_code == 302


def test_a_stale_selection_form_is_a_409(app, people):
    with app.app_context():
        selection = watch_services.save_selection(None, "Sélection de mai", "Intro.", None, None)
        db.session.commit()
        slug = selection.slug
    curator = signed_in(app, people["curator"])
    path = f"/selections/{slug}/modifier"
    stale = loaded_form(curator, path)
    with app.app_context():
        selection = db.session.scalar(select(Selection))
        watch_services.save_selection(selection, "Sélection de mai", "Intro de Hugo.", None, None)
        db.session.commit()
    mine = {"title": "Sélection de mai", "introduction": "Intro de Claire."}
    page = assert_conflict(
        curator.post(path, data={**mine, **stale}), "Intro de Claire.", "Intro de Hugo."
    )
    assert resave(curator, path, stale, page, mine).status_code == 303


def test_two_saves_from_one_version_at_once_one_wins(app, people):
    """Both pass the form's version check together: the conditional update still
    lets only one through."""
    with app.app_context():
        resource_id = factories.resource("Guide", author=factories.user(people["author"]))
    author, member = signed_in(app, people["author"]), signed_in(app, people["member"])
    path = f"/ressources/{resource_id}/modifier"
    fields = {"title": "Guide", "kind": "bonne-pratique", "ctd": "bretagne"}
    for round_ in range(ROUNDS):
        forms = [loaded_form(author, path), loaded_form(member, path)]
        answers = race(
            partial(author.post, path, data={**fields, **forms[0], "body": f"Awen {round_}"}),
            partial(member.post, path, data={**fields, **forms[1], "body": f"Maël {round_}"}),
        )
        codes = [answer.status_code for answer in answers]
        assert sorted(codes) == [303, 409], codes
        winner = ["Awen", "Maël"][codes.index(303)]
        with app.app_context():
            assert db.session.get(Resource, resource_id).body == f"{winner} {round_}"


# --- the API: If-Match ---------------------------------------------------------------------


def bearer(app, email: str) -> dict[str, str]:
    secret = app.test_cli_runner().invoke(args=["create-token", email]).output.strip()
    return {"Authorization": f"Bearer {secret}"}


def test_a_patch_with_a_stale_if_match_is_a_412_and_changes_nothing(app, client, people):
    with app.app_context():
        resource_id = factories.resource(
            "Guide", summary="Avant.", author=factories.user(people["author"])
        )
    member = bearer(app, people["member"])
    url = f"/api/v1/resources/{resource_id}"
    read = client.get(url, headers=member)
    etag = read.headers["ETag"]
    first = client.patch(url, json={"summary": "Par Maël."}, headers={**member, "If-Match": etag})
    assert first.status_code == 200
    assert first.headers["ETag"] != etag
    late = client.patch(url, json={"summary": "Par Awen."}, headers={**member, "If-Match": etag})
    assert late.status_code == 412
    assert late.get_json()["error"]["code"] == "precondition_failed"
    assert "a changé depuis que vous l'avez lue" in late.get_json()["error"]["message"]
    assert client.get(url, headers=member).get_json()["summary"] == "Par Maël."
    # The ETag a write answers with is the one a later read gives, and it works.
    assert client.get(url, headers=member).headers["ETag"] == first.headers["ETag"]
    again = client.patch(
        url, json={"summary": "Par Awen."}, headers={**member, "If-Match": first.headers["ETag"]}
    )
    assert again.status_code == 200


def test_a_transition_with_a_stale_if_match_is_a_412(app, client, people):
    with app.app_context():
        resource_id = factories.resource("Guide", status="submitted")
    curator = bearer(app, people["curator"])
    url = f"/api/v1/resources/{resource_id}"
    etag = client.get(url, headers=curator).headers["ETag"]
    assert client.patch(url, json={"summary": "Relu."}, headers=curator).status_code == 200
    late = client.post(f"{url}/publish", headers={**curator, "If-Match": etag})
    assert late.status_code == 412
    assert status_of(app, resource_id) == "submitted"


def test_a_write_without_if_match_still_applies(app, client, people):
    """If-Match is optional (no 428): scripts written before it keep working."""
    with app.app_context():
        resource_id = factories.resource("Guide", status="published")
    curator = bearer(app, people["curator"])
    answer = client.patch(
        f"/api/v1/resources/{resource_id}", json={"summary": "Sans."}, headers=curator
    )
    assert answer.status_code == 200


def test_two_patches_with_one_if_match_at_once_one_wins(app, people):
    with app.app_context():
        resource_id = factories.resource("Guide", author=factories.user(people["author"]))
    member, author = bearer(app, people["member"]), bearer(app, people["author"])
    url = f"/api/v1/resources/{resource_id}"
    clients = [app.test_client(), app.test_client()]
    for round_ in range(ROUNDS):
        etag = clients[0].get(url, headers=member).headers["ETag"]
        answers = race(*(
            partial(c.patch, url, json={"body": f"{who} {round_}"}, headers={**h, "If-Match": etag})
            for c, who, h in zip(clients, ["Maël", "Awen"], [member, author], strict=True)
        ))  # fmt: skip
        codes = [answer.status_code for answer in answers]
        assert sorted(codes) == [200, 412], codes
        winner = ["Maël", "Awen"][codes.index(200)]
        assert clients[0].get(url, headers=member).get_json()["body"] == f"{winner} {round_}"
