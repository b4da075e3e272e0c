"""Consultations in what people follow (issue 19): the opening email reaches the
members who follow a consulted CTD, a consultation can be followed and its events
reach /fil — never while it is in preparation. Both databases; mail on the
loopback SMTP server."""

from __future__ import annotations

from datetime import timedelta

from tests import factories
from tests import test_consultations as consulting
from tests.conftest import csrf_token_from
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
