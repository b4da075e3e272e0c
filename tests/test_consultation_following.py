"""Consultations in what people follow (issue 19): the opening email reaches the
members who follow a consulted CTD, a consultation can be followed and its events
reach /fil — never while it is in preparation. Both databases; mail on the
loopback SMTP server."""

from __future__ import annotations

from datetime import timedelta

from tests import factories
from tests import test_consultations as consulting
from tests.conftest import csrf_token_from
from tests.mailbox import background_mail_sent
from tests.test_consultations import (
    COORDINATOR,
    CORSE,
    CURATOR,
    MEMBER,
    OTHER,
    make_consultation,
    signed_in,
    today,
)

# The consultations' fixtures: the mailing app and their people.
app, people = consulting.app, consulting.people

FOLLOWER = "suiveuse@bretagne.example.org"  # a Bretagne member who follows the CTD
OUTSIDER = "curieux@ailleurs.example.org"  # follows Bretagne, member of no consulted CTD


def follow(client, kind: str, target_id: int):
    token = csrf_token_from(client.get("/fil").get_data(as_text=True))
    return client.post(f"/suivis/{kind}/{target_id}", data={"csrf_token": token})


def ctd_id(app, slug: str) -> int:
    with app.app_context():
        return factories.ctd(slug).id


# --- the opening email -------------------------------------------------------------------


def test_the_opening_email_reaches_coordinators_and_members_following_the_ctd_once(
    app, people, make_user, inbox
):
    handler, _ = inbox
    make_user(FOLLOWER, ctds=("bretagne", "occitanie"))
    make_user(OUTSIDER, ctds=("normandie",))
    for email in (FOLLOWER, OUTSIDER, COORDINATOR):  # the coordinator follows too
        for slug in ("bretagne", "occitanie"):
            assert follow(signed_in(app, email), "ctd", ctd_id(app, slug)).status_code == 303
    slug = make_consultation(app, opens_on=today() + timedelta(days=1))
    assert handler.take() == []  # in preparation: nobody is told
    curator = signed_in(app, CURATOR)
    html = curator.get(f"/consultations/{slug}").get_data(as_text=True)
    response = curator.post(f"/consultations/{slug}/ouvrir",
                            data={"csrf_token": csrf_token_from(html), "version": "1"})  # fmt: skip
    assert response.status_code == 303
    received = handler.wait_for(4)
    # Bretagne's coordinator, Occitanie's and Corse's members (no coordinator), and the
    # member following both Bretagne and Occitanie, once; not the follower of no consulted CTD,
    # nor Bretagne's member who does not follow it.
    assert sorted(m["To"] for m in received) == sorted([COORDINATOR, OTHER, CORSE, FOLLOWER])
    to_follower = next(m for m in received if m["To"] == FOLLOWER).get_content()
    assert f"/consultations/{slug}/contributions/bretagne" in to_follower
    assert f"/consultations/{slug}/contributions/occitanie" in to_follower
    assert MEMBER not in [m["To"] for m in received]
    assert handler.take() == []


def want_at_once(client, kind: str | None, period: str = "weekly"):
    """Set one kind of event to immediate email in the profile (the others as they
    are by default), digests every `period`."""
    from cnig_share.following import sources

    html = client.get("/profil").get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(html), "period": period}
    for name, source in sources.SOURCES.items():
        data[f"mode_{name}"] = "immediate" if name == kind else source.default_mode
    return client.post("/profil/notifications", data=data)


def test_a_member_following_the_ctd_at_once_gets_one_email_at_opening(
    app, people, make_user, inbox
):
    handler, _ = inbox
    make_user(FOLLOWER, ctds=("bretagne",))
    make_user(OUTSIDER, ctds=("normandie",))
    # All three follow Bretagne and want consultation news at once; the coordinator and
    # the member are asked to answer, the outsider only follows.
    for email in (FOLLOWER, OUTSIDER, COORDINATOR):
        client = signed_in(app, email)
        assert follow(client, "ctd", ctd_id(app, "bretagne")).status_code == 303
        assert want_at_once(client, "consultation").status_code == 303
    slug = make_consultation(app, opens_on=today() + timedelta(days=1))
    open_now(app, slug)
    received = handler.wait_for(5)
    background_mail_sent()
    received += handler.take()
    # One message each: the opening email to those asked to answer, the follow
    # notification to the outsider alone.
    assert sorted(m["To"] for m in received) == sorted(
        [COORDINATOR, OTHER, CORSE, FOLLOWER, OUTSIDER]
    )
    subjects = {m["To"]: m["Subject"] for m in received}
    assert subjects[FOLLOWER] == subjects[COORDINATOR] == "Consultation du CNIG : Référentiel PCRS"
    assert "du nouveau sur" in subjects[OUTSIDER]
    # The opening is still in the followers' feed.
    assert "Ouverture de la consultation" in feed(signed_in(app, FOLLOWER))


def test_the_opening_email_leaves_only_after_the_commit(app, people, make_user, inbox):
    from cnig_share.consultations import services
    from cnig_share.extensions import db
    from cnig_share.models import Consultation

    handler, _ = inbox
    make_user(FOLLOWER, ctds=("bretagne",))
    follow(signed_in(app, FOLLOWER), "ctd", ctd_id(app, "bretagne"))
    slug = make_consultation(app, opens_on=today() + timedelta(days=1))

    def open_now(commit: bool) -> None:
        with app.test_request_context():
            consultation = db.session.scalar(
                db.select(Consultation).where(Consultation.slug == slug)
            )
            services.open_now(consultation, factories.user(CURATOR))
            db.session.commit() if commit else db.session.rollback()

    open_now(commit=False)
    assert handler.take() == []
    open_now(commit=True)
    assert FOLLOWER in [m["To"] for m in handler.wait_for(4)]


# --- following a consultation ------------------------------------------------------------


def consultation_id(app, slug: str) -> int:
    from cnig_share.extensions import db
    from cnig_share.models import Consultation

    with app.app_context():
        return db.session.scalar(db.select(Consultation.id).where(Consultation.slug == slug))


def open_now(app, slug: str) -> None:
    curator = signed_in(app, CURATOR)
    html = curator.get(f"/consultations/{slug}").get_data(as_text=True)
    response = curator.post(f"/consultations/{slug}/ouvrir",
                            data={"csrf_token": csrf_token_from(html), "version": "1"})  # fmt: skip
    assert response.status_code == 303


def extend(app, slug: str, days: int) -> None:
    import re

    curator = signed_in(app, CURATOR)
    html = curator.get(f"/consultations/{slug}/modifier").get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', html).group(1)
    data = {
        "csrf_token": csrf_token_from(html),
        "version": version,
        "title": "Référentiel PCRS",
        "closes_on": (today() + timedelta(days=days)).isoformat(),
        "visibility": "closing",
    }
    assert curator.post(f"/consultations/{slug}/modifier", data=data).status_code == 303


def feed(client) -> str:
    response = client.get("/fil")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_consultation_in_preparation_cannot_be_followed_nor_tells_anyone(app, people, make_user):
    make_user(OUTSIDER, ctds=("normandie",))
    ctd_follower = signed_in(app, OUTSIDER)
    follow(ctd_follower, "ctd", ctd_id(app, "bretagne"))
    slug = make_consultation(app, opens_on=today() + timedelta(days=1))
    target = consultation_id(app, slug)
    for email in (MEMBER, CURATOR):  # a curator sees it, but may not follow it yet
        assert follow(signed_in(app, email), "consultation", target).status_code == 404
    curator_page = signed_in(app, CURATOR).get(f"/consultations/{slug}").get_data(as_text=True)
    assert f"/suivis/consultation/{target}" not in curator_page
    assert 'href="#discussions"' not in curator_page
    # The remind job runs: still nothing in anyone's feed.
    assert app.test_cli_runner().invoke(args=["consultations", "remind"]).exit_code == 0
    for client in (ctd_follower, signed_in(app, CURATOR)):
        assert "Référentiel PCRS" not in feed(client)


def test_a_followed_consultation_tells_its_opening_new_date_closing_synthesis_and_threads(
    app, people, make_user
):
    from tests.test_consultations import publish_synthesis, set_dates

    make_user(FOLLOWER, ctds=("bretagne",))
    make_user(OUTSIDER, ctds=("normandie",))
    ctd_follower = signed_in(app, OUTSIDER)
    follow(ctd_follower, "ctd", ctd_id(app, "bretagne"))
    slug = make_consultation(app, opens_on=today() + timedelta(days=1))
    target = consultation_id(app, slug)
    open_now(app, slug)
    # Who follows a consulted CTD hears that the CNIG consults it.
    assert "Ouverture de la consultation" in feed(ctd_follower)

    follower = signed_in(app, FOLLOWER)
    page = follower.get(f"/consultations/{slug}").get_data(as_text=True)
    assert f'action="/suivis/consultation/{target}"' in page and 'href="#discussions"' in page
    assert follow(follower, "consultation", target).status_code == 303
    assert "Ne plus suivre" in follower.get(f"/consultations/{slug}").get_data(as_text=True)
    assert "Référentiel PCRS" in follower.get("/profil").get_data(as_text=True)

    extend(app, slug, 40)
    assert "Nouvelle date de clôture" in feed(follower)

    set_dates(app, slug, opens_on=today() - timedelta(days=5), closes_on=today() - timedelta(1))
    runner = app.test_cli_runner()
    assert runner.invoke(args=["consultations", "remind"]).exit_code == 0
    assert runner.invoke(args=["consultations", "remind"]).exit_code == 0  # told once
    assert feed(follower).count("Clôture de la consultation") == 1

    publish_synthesis(app, slug)
    assert "Synthèse publiée" in feed(follower)

    asker = signed_in(app, OTHER)
    html = asker.get(f"/consultations/{slug}").get_data(as_text=True)
    data = {
        "csrf_token": csrf_token_from(html),
        "subject_type": "consultation",
        "subject_id": target,
        "title": "Et le calendrier ?",
        "body": "Une question.",
    }
    assert asker.post("/discussions/nouvelle", data=data).status_code == 303
    assert "Et le calendrier ?" in feed(follower)
    only = follower.get("/fil?type=consultation").get_data(as_text=True)
    assert "Synthèse publiée" in only and "Et le calendrier ?" not in only


def feed_events(client) -> list[tuple[str, str]]:
    """/fil's events as read: (what, when)."""
    import re

    html = feed(client)
    item = r'fr-badge--info fr-mb-1v">([^<]+)</p>.*?<time datetime="[^"]+">([^<]+)</time>'
    return re.findall(item, html, re.S)


def test_an_opening_and_a_closing_recorded_late_keep_their_own_dates(app, people, make_user, inbox):
    """`consultations remind` records an opening that came with its date, and a
    closing, when it next runs: /fil dates them when they happened, and the next
    digest still carries them though they happened before the last one went."""
    from tests.test_consultations import french, set_dates

    handler, _ = inbox
    make_user(OUTSIDER, ctds=("normandie",))
    follower = signed_in(app, OUTSIDER)
    follow(follower, "ctd", ctd_id(app, "bretagne"))
    assert want_at_once(follower, None, period="daily").status_code == 303
    slug = make_consultation(app, opens_on=today() + timedelta(days=1))
    runner = app.test_cli_runner()

    def digest_to_follower() -> str:
        assert runner.invoke(args=["alerts", "send", "--period", "daily"]).exit_code == 0
        background_mail_sent()
        mine = [m for m in handler.take() if m["To"] == OUTSIDER]
        return mine[0].get_content() if mine else ""

    # Its opening date came two days ago, and no `remind` ran since; a digest goes.
    set_dates(app, slug, opens_on=today() - timedelta(days=2))
    assert digest_to_follower() == ""
    assert "1 ouverture(s)" in runner.invoke(args=["consultations", "remind"]).output
    assert feed_events(follower) == [
        ("Ouverture de la consultation", french(today() - timedelta(2)))
    ]
    assert "Ouverture de la consultation" in digest_to_follower()

    # It closed last night; `remind` runs this morning.
    set_dates(app, slug, closes_on=today() - timedelta(days=1))
    assert runner.invoke(args=["consultations", "remind"]).exit_code == 0
    assert feed_events(follower) == [
        ("Clôture de la consultation", french(today() - timedelta(1))),
        ("Ouverture de la consultation", french(today() - timedelta(2))),
    ]
    assert "Clôture de la consultation" in digest_to_follower()
    with app.app_context():
        from cnig_share.consultations.states import closes_at, opens_at
        from cnig_share.extensions import db
        from cnig_share.models import Consultation, ConsultationEvent

        consultation = db.session.scalar(db.select(Consultation))
        rows = db.select(ConsultationEvent.kind, ConsultationEvent.happened_at)
        at = dict(db.session.execute(rows).all())
        assert at == {"opening": opens_at(consultation), "closing": closes_at(consultation)}


def test_the_migration_gives_recorded_events_their_recording_instant_and_comes_back(make_app):
    """0029: events recorded before keep the instant they were recorded at."""
    import sqlalchemy as sa
    from flask_migrate import downgrade, upgrade

    from cnig_share.extensions import MIGRATIONS_DIR, db
    from tests.migrations import before

    app = make_app()
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=before("0029"))
        with db.engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO consultation (id, slug, title, context, context_html, context_text,"
                " closes_on, visibility, synthesis, synthesis_html, synthesis_text, created_at,"
                " updated_at, version) VALUES (1, 'pcrs', 'PCRS', '', '', '', '2026-12-31',"
                " 'closing', '', '', '', :now, :now, 1)"
            ), {"now": "2026-12-01 08:00:00+00:00"})  # fmt: skip
            connection.execute(sa.text(
                "INSERT INTO consultation_event (id, consultation_id, kind, closes_on, created_at)"
                " VALUES (1, 1, 'closing', '2026-12-31', :at)"
            ), {"at": "2027-01-01 06:00:00+00:00"})  # fmt: skip
        upgrade(directory=MIGRATIONS_DIR)
        same = "SELECT COUNT(*) FROM consultation_event WHERE happened_at = created_at"
        with db.engine.connect() as connection:
            assert connection.execute(sa.text(same)).scalar() == 1
        db.session.remove()
        downgrade(directory=MIGRATIONS_DIR, revision=before("0029"))
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("consultation_event")}
        assert "happened_at" not in columns and "created_at" in columns
