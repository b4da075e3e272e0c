"""Discussions: who may open, reply, edit, delete and resolve; what each reader
sees (deleted, hidden, a subject no longer public); htmx in place and the
no-JavaScript forms; the message limits."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from cnig_share.extensions import db
from cnig_share.models import Message, Project, Resource, Thread, User
from tests import factories
from tests.conftest import REDIS_URL, csrf_token_from

AUTHOR = "auteur@bretagne.example.org"
ASKER = "membre@occitanie.example.org"
AGENT = "agent@etat.example.org"  # an account without CTD (a national actor's agent)
CURATOR = "veille@cnig.example.org"


@pytest.fixture
def people(make_user):
    make_user(AUTHOR, ctds=("bretagne",), name="Anne Auteur")
    make_user(ASKER, ctds=("occitanie",), name="Oscar Occitan")
    make_user(AGENT, name="Agathe Agent")
    make_user(CURATOR, role="curator", name="Véra Veille")


@pytest.fixture
def published(app, people) -> int:
    with app.app_context():
        return factories.publish("Guide de la BAL", ctd="bretagne", author=factories.user(AUTHOR))


def token(client, url: str = "/") -> str:
    return csrf_token_from(client.get(url).get_data(as_text=True))


def post(client, url: str, data: dict, htmx: bool = False, page: str = "/"):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(url, data={"csrf_token": token(client, page), **data}, headers=headers)


def open_thread(client, resource_id: int, title="Comment financer ?", body="Bonjour **tous**."):
    data = {"subject_type": "resource", "subject_id": resource_id, "title": title, "body": body}
    return post(client, "/discussions/nouvelle", data)


def thread_id_from(response) -> int:
    return int(re.search(r"/discussions/(\d+)", response.headers["Location"]).group(1))


def test_a_member_asks_on_another_ctds_resource_and_its_author_answers(
    app, client, auth, published
):
    auth.login(ASKER)
    response = open_thread(client, published)
    assert response.status_code == 303
    thread = thread_id_from(response)
    auth.logout()
    auth.login(AUTHOR)
    answer = post(client, f"/discussions/{thread}/repondre", {"body": "Par le *FEDER*."})
    assert answer.status_code == 303
    auth.logout()
    page = client.get(f"/discussions/{thread}").get_data(as_text=True)
    assert "Comment financer ?" in page
    assert "<strong>tous</strong>" in page and "<em>FEDER</em>" in page
    assert "Oscar Occitan" in page and "Anne Auteur" in page
    assert "Connectez-vous pour répondre" in page
    resource_page = client.get(f"/ressources/{published}").get_data(as_text=True)
    assert "Comment financer ?" in resource_page and "Discussions (1)" in resource_page
    assert "1 discussion" in client.get("/ressources/").get_data(as_text=True)
    assert "1 discussion" in client.get("/recherche?q=BAL").get_data(as_text=True)
    assert "Comment financer ?" in client.get("/").get_data(as_text=True)
    assert "Comment financer ?" in client.get("/ctd/bretagne").get_data(as_text=True)
    listing = client.get("/discussions?ctd=bretagne&kind=resource&state=open")
    assert "Comment financer ?" in listing.get_data(as_text=True)
    assert "Comment financer ?" not in client.get("/discussions?state=resolved").get_data(
        as_text=True
    )
    assert "Comment financer ?" not in client.get("/discussions?ctd=corse").get_data(as_text=True)


def test_an_agent_without_ctd_may_write(client, auth, published):
    auth.login(AGENT)
    assert open_thread(client, published).status_code == 303


def test_a_visitor_is_sent_to_sign_in_and_nothing_is_stored(app, client, published):
    data = {"subject_type": "resource", "subject_id": published, "title": "T", "body": "B"}
    response = client.post("/discussions/nouvelle", data=data)
    assert response.status_code in (302, 400)
    with app.app_context():
        assert db.session.scalar(select(Thread)) is None


def test_htmx_posts_update_in_place(client, auth, published):
    auth.login(ASKER)
    data = {"subject_type": "resource", "subject_id": published, "title": "En place", "body": "x"}
    section = post(client, "/discussions/nouvelle", data, htmx=True)
    assert section.status_code == 200
    html = section.get_data(as_text=True)
    assert "<html" not in html and "En place" in html and "ouverte" in html
    assert "HX-Request" in section.headers["Vary"]
    thread = re.search(r"/discussions/(\d+)", html).group(1)
    reply = post(client, f"/discussions/{thread}/repondre", {"body": "Une réponse"}, htmx=True)
    assert reply.status_code == 200
    html = reply.get_data(as_text=True)
    assert "<html" not in html and "Une réponse" in html and "Votre réponse est publiée" in html
    refused = post(client, f"/discussions/{thread}/repondre", {"body": ""}, htmx=True)
    assert refused.status_code == 422 and "<html" not in refused.get_data(as_text=True)
    assert "Écrivez votre message." in refused.get_data(as_text=True)
    refused = post(client, "/discussions/nouvelle", {**data, "title": ""}, htmx=True)
    assert refused.status_code == 422
    assert "Donnez un titre à la discussion." in refused.get_data(as_text=True)


def test_bad_input_gets_a_french_message(client, auth, published):
    auth.login(ASKER)
    too_long = open_thread(client, published, body="x" * 10_001)
    assert too_long.status_code == 422
    assert "10 000 caractères" in too_long.get_data(as_text=True)
    no_title = open_thread(client, published, title="  ")
    assert no_title.status_code == 422
    unknown = post(
        client,
        "/discussions/nouvelle",
        {"subject_type": "resource", "subject_id": "999999", "title": "T", "body": "B"},
    )
    assert unknown.status_code == 404
    odd = post(
        client,
        "/discussions/nouvelle",
        {"subject_type": "selection", "subject_id": "abc", "title": "T", "body": "B"},
    )
    assert odd.status_code == 404
    script = open_thread(
        client, published, body="<script>alert(1)</script>[x](javascript:alert(1))"
    )
    page = client.get(f"/discussions/{thread_id_from(script)}").get_data(as_text=True)
    assert "<script>alert(1)" not in page and 'href="javascript' not in page


def test_accounts_without_ctd_may_put_five_links_at_most(client, auth, published):
    six = " ".join(f"https://exemple{n}.fr" for n in range(6))
    auth.login(AGENT)
    refused = open_thread(client, published, body=six)
    assert refused.status_code == 422
    assert "au plus 5 liens" in refused.get_data(as_text=True)
    five = " ".join(f"[lien {n}](https://exemple{n}.fr)" for n in range(5))
    assert open_thread(client, published, body=five).status_code == 303
    auth.logout()
    auth.login(ASKER)  # a CTD member
    assert open_thread(client, published, body=six).status_code == 303


def test_drafts_have_no_discussion_and_archived_ones_disappear_until_republished(
    app, client, auth, published
):
    with app.app_context():
        draft = factories.resource("Brouillon", ctd_slug="bretagne")
    auth.login(AUTHOR)
    assert open_thread(client, draft).status_code == 404
    assert "Pas de discussion publique" in client.get(f"/ressources/{draft}").get_data(as_text=True)
    thread = thread_id_from(open_thread(client, published, title="Sujet caché"))
    auth.logout()
    auth.login(CURATOR)  # archiving asks first, and says the discussions go too
    asked = post(client, f"/ressources/{published}/archiver", {}).get_data(as_text=True)
    assert "Ses discussions (1) ne sont plus publiques" in asked
    auth.logout()
    with app.app_context():
        db.session.get(Resource, published).status = "archived"
        db.session.commit()
    assert client.get(f"/discussions/{thread}").status_code == 404
    assert client.get(f"/flux/discussions/{thread}.atom").status_code == 404
    for url in ("/discussions", "/", "/ctd/bretagne", "/flux/discussions.atom"):
        assert "Sujet caché" not in client.get(url).get_data(as_text=True), url
    assert client.get("/api/v1/discussions").get_json()["total"] == 0
    auth.login(CURATOR)  # curators still read it, to moderate
    assert client.get(f"/discussions/{thread}").status_code == 200
    auth.logout()
    with app.app_context():
        db.session.get(Resource, published).status = "published"
        db.session.commit()
    assert "Sujet caché" in client.get("/discussions").get_data(as_text=True)


def test_threads_on_projects_and_roadmaps(app, client, auth, people):
    with app.app_context():
        factories.workspace(curator=CURATOR)
        project = db.session.scalar(select(Project))
        project_id, ctd_id = project.id, project.ctd_id
    auth.login(AGENT)
    for subject_type, subject_id in (("project", project_id), ("roadmap", ctd_id)):
        data = {
            "subject_type": subject_type,
            "subject_id": subject_id,
            "title": f"Question {subject_type}",
            "body": "Texte",
        }
        assert post(client, "/discussions/nouvelle", data).status_code == 303
    assert "Question project" in client.get(f"/ctd/bretagne/projets/{project_id}").get_data(
        as_text=True
    )
    assert "Question roadmap" in client.get("/ctd/bretagne/feuille-de-route").get_data(as_text=True)
    listing = client.get("/discussions?kind=roadmap").get_data(as_text=True)
    assert "Question roadmap" in listing and "Question project" not in listing


def test_authors_edit_their_messages_and_curators_see_the_versions(app, client, auth, published):
    auth.login(ASKER)
    thread = thread_id_from(open_thread(client, published, body="Première version"))
    with app.app_context():
        message = db.session.scalar(select(Message).where(Message.thread_id == thread))
        message_id, version = message.id, message.version
    edit_url = f"/discussions/messages/{message_id}/modifier"
    saved = post(client, edit_url, {"body": "Seconde version", "version": version}, page=edit_url)
    assert saved.status_code == 303
    page = client.get(f"/discussions/{thread}").get_data(as_text=True)
    assert "Seconde version" in page and "modifié" in page and "Première version" not in page
    stale = post(client, edit_url, {"body": "Troisième", "version": version}, page=edit_url)
    assert stale.status_code == 409
    assert "Troisième" in stale.get_data(as_text=True)  # the person's text is kept
    assert client.get(f"/discussions/messages/{message_id}/versions").status_code == 403
    auth.logout()
    auth.login(AUTHOR)
    assert client.get(edit_url).status_code == 403
    refused = post(client, edit_url, {"body": "Pas à moi", "version": version + 1}, page="/")
    assert refused.status_code == 403
    auth.logout()
    auth.login(CURATOR)
    versions = client.get(f"/discussions/messages/{message_id}/versions").get_data(as_text=True)
    assert "Première version" in versions and "Seconde version" in versions


def test_deleting_keeps_a_placeholder_where_replies_follow(app, client, auth, published):
    auth.login(ASKER)
    thread = thread_id_from(open_thread(client, published, body="Ma question"))
    auth.logout()
    auth.login(AUTHOR)
    post(client, f"/discussions/{thread}/repondre", {"body": "Ma réponse"})
    with app.app_context():
        first, second = db.session.scalars(
            select(Message.id).where(Message.thread_id == thread).order_by(Message.id)
        ).all()
    refused = post(client, f"/discussions/messages/{first}/supprimer", {"confirmed": "1"})
    assert refused.status_code == 403
    asked = post(client, f"/discussions/messages/{second}/supprimer", {})
    assert asked.status_code == 200 and "Supprimer votre message ?" in asked.get_data(as_text=True)
    assert (
        post(client, f"/discussions/messages/{second}/supprimer", {"confirmed": "1"}).status_code
        == 303
    )
    auth.logout()
    page = client.get(f"/discussions/{thread}").get_data(as_text=True)
    assert "Ma réponse" not in page and "Message supprimé" not in page  # nothing follows it
    auth.login(ASKER)
    post(client, f"/discussions/messages/{first}/supprimer", {"confirmed": "1"})
    with app.app_context():
        assert db.session.get(Thread, thread) is None  # every message gone: the thread too


def test_a_deleted_first_message_stays_as_a_placeholder(app, client, auth, published):
    auth.login(ASKER)
    thread = thread_id_from(open_thread(client, published, body="Question retirée"))
    auth.logout()
    auth.login(AUTHOR)
    post(client, f"/discussions/{thread}/repondre", {"body": "Réponse restée"})
    auth.logout()
    auth.login(ASKER)
    with app.app_context():
        first = db.session.scalar(select(Message.id).where(Message.thread_id == thread))
    post(client, f"/discussions/messages/{first}/supprimer", {"confirmed": "1"})
    page = client.get(f"/discussions/{thread}").get_data(as_text=True)
    assert "Message supprimé" in page and "Question retirée" not in page
    assert "Réponse restée" in page


@pytest.mark.parametrize(
    ("who", "allowed"), [(ASKER, True), (AUTHOR, True), (AGENT, False), (CURATOR, False)]
)
def test_who_may_mark_a_thread_resolved(app, client, auth, published, make_user, who, allowed):
    auth.login(ASKER)  # writes the thread, on a Bretagne resource
    thread = thread_id_from(open_thread(client, published))
    auth.logout()
    auth.login(who)
    response = post(client, f"/discussions/{thread}/resolution", {"resolved": "1"})
    assert response.status_code == (303 if allowed else 403)
    with app.app_context():
        assert db.session.get(Thread, thread).is_resolved is allowed
    if allowed:
        assert "Résolue" in client.get(f"/discussions/{thread}").get_data(as_text=True)
        post(client, f"/discussions/{thread}/resolution", {"resolved": "0"})
        with app.app_context():
            assert not db.session.get(Thread, thread).is_resolved


def test_messages_are_rate_limited_per_account(make_app, template, make_user, people):
    app = make_app(MESSAGE_RATE_LIMIT="2 per hour")
    template.copy_index(app)
    client = app.test_client()
    with app.app_context():
        resource = factories.publish("Limite", author=factories.user(AUTHOR))
    client.post("/connexion", data={"email": ASKER, "password": "correct horse battery staple",
                                    "csrf_token": token(client, "/connexion")})  # fmt: skip
    thread = thread_id_from(open_thread(client, resource))
    assert post(client, f"/discussions/{thread}/repondre", {"body": "deux"}).status_code == 303
    refused = post(client, f"/discussions/{thread}/repondre", {"body": "trois"})
    assert refused.status_code == 429
    assert "limite de messages" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Message).where(Message.body == "trois")) is None
    # Reports count against the same limit.
    report = post(client, f"/signaler/ressource/{resource}", {"reason": "errone", "comment": ""})
    assert report.status_code == 429


def test_a_deleted_account_is_ancien_membre_and_a_deactivated_one_keeps_its_name(
    app, client, auth, published
):
    auth.login(ASKER)
    thread = thread_id_from(open_thread(client, published, body="Signé"))
    auth.logout()
    auth.login(AGENT)
    post(client, f"/discussions/{thread}/repondre", {"body": "Moi aussi"})
    auth.logout()
    with app.app_context():
        factories.user(AGENT).active = False
        db.session.commit()
    page = client.get(f"/discussions/{thread}").get_data(as_text=True)
    assert "Agathe Agent" in page
    auth.login(ASKER)
    password = {"suppression-password": "correct horse battery staple"}
    deleted = post(client, "/profil/supprimer", password, page="/profil")
    assert deleted.status_code in (302, 303)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == ASKER)) is None
    page = client.get(f"/discussions/{thread}").get_data(as_text=True)
    assert "ancien membre" in page and "Signé" in page and "Oscar Occitan" not in page
    assert (
        client.get("/api/v1/discussions").get_json()["discussions"][0]["messages"][0]["author"]
        == "ancien membre"
    )


@pytest.mark.skipif(not REDIS_URL, reason="Redis unavailable: CNIG_SHARE_TEST_REDIS_URL not set")
def test_the_message_limit_is_counted_in_redis_across_workers(make_app, template, make_user):
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    settings = {"REDIS_URL": REDIS_URL, "MESSAGE_RATE_LIMIT": "2 per hour"}
    first, second = make_app(**settings), make_app(**settings)  # two workers
    template.copy_index(first)
    make_user(ASKER, ctds=("occitanie",))
    with first.app_context():
        resource = factories.publish("Limite partagée")
    password = "correct horse battery staple"
    answers = []
    for worker in (first, second, second):
        client = worker.test_client()
        login = {"email": ASKER, "password": password, "csrf_token": token(client, "/connexion")}
        client.post("/connexion", data=login)
        answers.append(open_thread(client, resource).status_code)
    assert answers == [303, 303, 429]


def test_the_permission_matrix(app, people, published):
    """Each decision of permissions.py for discussions, per kind of person."""
    from flask_login import AnonymousUserMixin

    from cnig_share import permissions
    from cnig_share.discussions import services, subjects

    with app.app_context():
        asker, author, agent, curator = (factories.user(e) for e in (ASKER, AUTHOR, AGENT, CURATOR))
        subject = subjects.of_resource(db.session.get(Resource, published))
        thread = services.start_thread(subject, "Matrice", "Texte", asker)
        db.session.commit()
        message = thread.messages[0]
        visitor = AnonymousUserMixin()
        matrix = {
            "start": lambda who: permissions.can_start_thread(who, subject.is_public),
            "reply": lambda who: permissions.can_reply(who, thread),
            "edit": lambda who: permissions.can_edit_message(who, message),
            "delete": lambda who: permissions.can_delete_message(who, message),
            "resolve": lambda who: permissions.can_resolve(who, thread),
            "hide": lambda who: permissions.can_moderate(who),
            "report": lambda who: permissions.can_report(who),
            "versions": lambda who: permissions.can_see_message_versions(who, message),
        }
        expected = {  # visitor, thread's author, resource's CTD member, agent, curator
            "start": (False, True, True, True, True),
            "reply": (False, True, True, True, True),
            "edit": (False, True, False, False, False),
            "delete": (False, True, False, False, False),
            "resolve": (False, True, True, False, False),
            "hide": (False, False, False, False, True),
            "report": (False, True, True, True, True),
            "versions": (False, False, False, False, True),
        }
        people_ = (visitor, asker, author, agent, curator)
        for decision, check in matrix.items():
            assert tuple(check(who) for who in people_) == expected[decision], decision
        agent.active = False  # a deactivated account writes nothing
        assert not permissions.can_reply(agent, thread)
        assert not permissions.can_report(agent)
        db.session.get(Resource, published).status = "archived"
        assert not permissions.can_reply(asker, thread)
        assert not permissions.can_edit_message(asker, message)
        assert not permissions.can_view_thread(visitor, thread)
        assert permissions.can_view_thread(curator, thread)


def test_two_saves_of_one_message_at_once_one_wins(app, people, published):
    """Two tabs of the author save from the same version: the conditional update
    lets one through; the other gets the 409 page with its text."""
    from functools import partial

    from tests.test_concurrent_edits import race, signed_in

    tabs = [signed_in(app, ASKER), signed_in(app, ASKER)]
    thread = thread_id_from(open_thread(tabs[0], published, body="Départ"))
    with app.app_context():
        message_id = db.session.scalar(select(Message.id).where(Message.thread_id == thread))
    path = f"/discussions/messages/{message_id}/modifier"
    for round_ in range(3):
        forms = []
        for tab in tabs:
            html = tab.get(path).get_data(as_text=True)
            version = re.search(r'name="version" type="hidden" value="(\d+)"', html) or re.search(
                r'type="hidden" name="version" value="(\d+)"', html
            )
            forms.append({"csrf_token": csrf_token_from(html), "version": version.group(1)})
        answers = race(
            *(
                partial(tab.post, path, data={**form, "body": f"Onglet {n} tour {round_}"})
                for n, (tab, form) in enumerate(zip(tabs, forms, strict=True))
            )
        )
        codes = [answer.status_code for answer in answers]
        assert sorted(codes) == [303, 409], codes
        winner = codes.index(303)
        loser = answers[codes.index(409)].get_data(as_text=True)
        assert f"Onglet {1 - winner} tour {round_}" in loser
        with app.app_context():
            assert db.session.get(Message, message_id).body == f"Onglet {winner} tour {round_}"


def test_odd_addresses_get_a_page_or_a_404_never_an_error(client, published):
    for url in (
        "/discussions?page=%C2%B2&ctd=%00&kind=x&state=y",
        "/discussions?ctd=a%00b&page=99999999999",
        "/flux/discussions.atom?ctd=%00&kind=%00",
        "/api/v1/discussions?ctd=%00",
        "/api/v1/discussions?since=%00",
    ):
        assert client.get(url).status_code in (200, 400), url
    for url in ("/discussions/abc", "/discussions/0", "/signaler/message/x"):
        assert client.get(url).status_code == 404, url


def test_search_results_show_their_discussions_counted_in_one_statement(app, client, people):
    from sqlalchemy import event

    from cnig_share.discussions import services, subjects

    with app.app_context():
        ids = [factories.publish(f"Adressage {n}", body="Adresse.") for n in range(10)]
        asker = factories.user(ASKER)
        for n, threads in ((2, 3), (7, 1)):
            subject = subjects.of_resource(db.session.get(Resource, ids[n]))
            for k in range(threads):
                services.start_thread(subject, f"Question {k}", "Texte", asker)
        db.session.commit()
        engine = db.engine
    statements: list[str] = []

    def counted(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", counted)
    try:
        html = client.get("/recherche?q=adressage").get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    assert len([s for s in statements if "FROM discussion_thread" in s]) == 1
    cards = html.split('class="fr-card__title')[1:]
    shown = {card.split("Adressage ")[1].split("<")[0]: card for card in cards}
    assert sorted(shown) == [str(n) for n in range(10)]
    assert "3 discussions" in shown["2"] and "1 discussion" in shown["7"]
    assert not any("discussion" in shown[str(n)] for n in (0, 1, 3, 4, 5, 6, 8, 9))
