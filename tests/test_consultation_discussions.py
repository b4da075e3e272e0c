"""Discussing a consultation (issue 19): threads about a consultation, on its
public page, in /discussions, the feeds and the API; impossible while it is in
preparation, and never shown while it is. Both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from cnig_share.extensions import db
from cnig_share.models import Consultation, Thread
from tests import test_consultations as consulting
from tests.conftest import csrf_token_from
from tests.migrations import before
from tests.test_consultations import (
    CURATOR,
    MEMBER,
    OTHER,
    make_consultation,
    set_dates,
    signed_in,
    today,
)

# The consultations' fixtures: the mailing app and their people.
app, people = consulting.app, consulting.people


def consultation_id(app, slug: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(Consultation.id).where(Consultation.slug == slug))


def open_thread(client, subject_id, title="Et le calendrier ?", subject_type="consultation"):
    html = client.get("/discussions").get_data(as_text=True)
    data = {
        "csrf_token": csrf_token_from(html),
        "subject_type": subject_type,
        "subject_id": subject_id,
        "title": title,
        "body": "Le calendrier du **PCRS** laisse-t-il le temps aux CTD ?",
    }
    return client.post("/discussions/nouvelle", data=data)


def everywhere(client, slug: str) -> dict[str, str]:
    """Every public place a thread is listed."""
    paths = {
        "page": f"/consultations/{slug}",
        "list": "/discussions",
        "kind": "/discussions?kind=consultation",
        "feed": "/flux/discussions.atom",
        "api": "/api/v1/discussions",
    }
    return {name: client.get(path).get_data(as_text=True) for name, path in paths.items()}


def test_a_consultation_is_discussed_from_its_page(app, people):
    slug = make_consultation(app, opens_on=today())
    target = consultation_id(app, slug)
    member = signed_in(app, MEMBER)
    page = member.get(f"/consultations/{slug}").get_data(as_text=True)
    assert 'href="#discussions"' in page and "Ouvrir une discussion" in page
    assert 'name="subject_type" type="hidden" value="consultation"' in page
    response = open_thread(member, target)
    assert response.status_code == 303
    thread = member.get(response.headers["Location"]).get_data(as_text=True)
    assert "Consultation : " in thread and "Référentiel PCRS" in thread and "CNIG" in thread
    assert f'href="/consultations/{slug}"' in thread
    for name, text in everywhere(app.test_client(), slug).items():
        assert "Et le calendrier ?" in text, name
    api = app.test_client().get("/api/v1/discussions").get_json()["discussions"][0]
    assert api["subject"]["type"] == "consultation"
    assert api["subject"]["url"].endswith(f"/consultations/{slug}")
    # A member of another CTD takes part.
    other = signed_in(app, OTHER)
    assert "Répondre" in other.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("who", [MEMBER, CURATOR])
def test_no_thread_on_a_consultation_in_preparation(app, people, who):
    slug = make_consultation(app, opens_on=today() + timedelta(days=2))
    target = consultation_id(app, slug)
    client = signed_in(app, who)
    assert open_thread(client, target).status_code == 404
    query = {"subject_type": "consultation", "subject_id": target}
    assert client.get("/discussions/nouvelle", query_string=query).status_code == 404
    if who == CURATOR:  # the curators' page of it has no discussion either
        page = client.get(f"/consultations/{slug}").get_data(as_text=True)
        assert "Ouvrir une discussion" not in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Thread.id))) == 0


@pytest.mark.parametrize("subject_id", ["999999", "abc", "", "-1"])
def test_a_thread_on_no_consultation_is_a_404(app, people, subject_id):
    assert open_thread(signed_in(app, MEMBER), subject_id).status_code == 404


def test_a_consultations_threads_never_show_while_it_is_in_preparation(app, people):
    """Its opening date moved later (straight in the database: the forms refuse it
    once opened), its threads vanish from every page, feed and answer."""
    slug = make_consultation(app, opens_on=today())
    member = signed_in(app, MEMBER)
    response = open_thread(member, consultation_id(app, slug))
    thread_path = response.headers["Location"]
    set_dates(app, slug, opens_on=today() + timedelta(days=3))
    visitor = app.test_client()
    for client in (visitor, member):
        assert client.get(thread_path).status_code == 404
    for name, text in everywhere(visitor, slug).items():
        assert "Et le calendrier ?" not in text, name
    thread_id = int(thread_path.rstrip("/").rsplit("/", 1)[-1])
    assert visitor.get(f"/flux/discussions/{thread_id}.atom").status_code == 404
    assert "Et le calendrier ?" not in member.get("/fil").get_data(as_text=True)


def test_the_migration_adds_consultation_threads_and_comes_back(make_app):
    """0026: threads keep their subject; one on a consultation has no CTD; the
    downgrade drops the consultations' threads, their events and the index state."""
    from flask_migrate import downgrade, upgrade

    from cnig_share.extensions import MIGRATIONS_DIR

    app = make_app()
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=before("0026"))
        with db.engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO ctd (id, slug, name, region, description, website, contact,"
                " created_at) VALUES (1, 'corse', 'CTD Corse', 'Corse', '', '', '', :now)"
            ), {"now": "2026-12-01"})  # fmt: skip
            connection.execute(sa.text(
                "INSERT INTO discussion_thread (id, subject_type, ctd_id, title, created_at,"
                " last_message_at) VALUES (1, 'roadmap', 1, 'Feuille', :now, :now)"
            ), {"now": "2026-12-01"})  # fmt: skip
            connection.execute(sa.text(
                "INSERT INTO consultation (id, slug, title, context, context_html, context_text,"
                " closes_on, visibility, synthesis, synthesis_html, synthesis_text, created_at,"
                " updated_at, version) VALUES (1, 'pcrs', 'PCRS', '', '', '', '2026-12-31',"
                " 'closing', '', '', '', :now, :now, 1)"
            ), {"now": "2026-12-01"})  # fmt: skip
        upgrade(directory=MIGRATIONS_DIR)
        thread = db.session.get(Thread, 1)
        assert (thread.subject_type, thread.ctd_id, thread.consultation_id) == ("roadmap", 1, None)
        assert db.session.get(Consultation, 1).indexed_state is None
        db.session.remove()
        on_consultation = sa.text(
            "INSERT INTO discussion_thread (id, subject_type, consultation_id, ctd_id, title,"
            " created_at, last_message_at) VALUES (:id, 'consultation', 1, :ctd, 'Q', :now, :now)"
        )
        with db.engine.begin() as connection:
            connection.execute(on_consultation, {"id": 2, "ctd": None, "now": "2026-12-02"})
        with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as connection:
            connection.execute(on_consultation, {"id": 3, "ctd": 1, "now": "2026-12-02"})
        downgrade(directory=MIGRATIONS_DIR, revision=before("0026"))
        inspector = sa.inspect(db.engine)
        columns = {column["name"] for column in inspector.get_columns("discussion_thread")}
        assert "consultation_id" not in columns
        assert "indexed_state" not in {c["name"] for c in inspector.get_columns("consultation")}
        assert not inspector.has_table("consultation_event")
        with db.engine.connect() as connection:
            ids = connection.execute(sa.text("SELECT id FROM discussion_thread")).scalars().all()
        assert ids == [1]
