"""A Hypothesis sequence of edits, submissions, withdrawals, date changes and
publications (issue 19 §5): after every step, no draft shows to anyone outside its
CTD, and no contribution shows before its visibility rule allows, in the pages,
the feed, the API, the PDF or the CSV (search: tests/test_consultations.py).

Each example makes its own consultation (on the app the test built once) and its own
words: an answer's text is a fresh marker, so where a marker appears tells exactly
which saved text leaked. Few examples (the suite's budget): CNIG_SHARE_HYPOTHESIS_EXAMPLES
raises them for a longer hunt."""

from __future__ import annotations

import gc
import itertools
import os
import warnings
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from cnig_share.consultations.states import paris_day
from cnig_share.extensions import db
from cnig_share.models import Consultation
from tests.test_consultations import (
    CONSULTED,
    COORDINATOR,
    CURATOR,
    MEMBER,
    OTHER,
    answer,
    contribution_action,
    make_consultation,
    people,  # noqa: F401 (a fixture)
    publish_synthesis,
    question_ids,
    readable,
    signed_in,
)

EXAMPLES = int(os.environ.get("CNIG_SHARE_HYPOTHESIS_EXAMPLES", "2"))
STEPS = st.lists(
    st.sampled_from(
        ["edit", "edit", "submit", "withdraw", "decline", "close", "reopen", "publish"]
    ),
    min_size=3,
    max_size=5,
)
WORDS = (f"marqueur{n:05d}" for n in itertools.count())


def test_no_draft_nor_early_contribution_ever_shows(app, people):  # noqa: F811
    clients = {who: signed_in(app, who) for who in (MEMBER, COORDINATOR, OTHER, CURATOR)}
    visitor = app.test_client()
    titles = (f"Consultation {n}" for n in itertools.count())

    @settings(max_examples=EXAMPLES, deadline=None, database=None)
    @given(visibility=st.sampled_from(["closing", "deposit", "never"]), steps=STEPS)
    def run(visibility, steps):
        slug = make_consultation(app, opens_on=paris_day(), visibility=visibility,
                                 title=next(titles), ctds=CONSULTED)  # fmt: skip
        q1, q2 = question_ids(app, slug)
        current: dict[int, str] = {}  # question → the text the answer holds now
        for step in steps:
            state = _state(app, slug)
            if step == "edit" and state == "open":
                word = next(WORDS)
                author = clients[MEMBER if len(current) % 2 else COORDINATOR]
                if answer(author, slug, "bretagne", q2, word).status_code == 303:
                    current[q2] = word
                if q1 not in current:
                    first = next(WORDS)
                    answer(author, slug, "bretagne", q1, first, "favorable")
                    current[q1] = first
            elif step in ("submit", "withdraw"):
                action = "deposer" if step == "submit" else "reprendre"
                contribution_action(clients[COORDINATOR], slug, "bretagne", action)
            elif step == "decline":
                contribution_action(clients[COORDINATOR], slug, "bretagne", "decliner",
                                    reason="Pas cette fois.")  # fmt: skip
            elif step == "close" and state == "open":
                _move(app, slug, closes_in=-1)
            elif step == "reopen" and state == "closed":
                _move(app, slug, closes_in=5)
            elif step == "publish" and state == "closed":
                publish_synthesis(app, slug)
            _check(app, slug, visibility, current, visitor, clients)

    # Many index writes on one app leave Whoosh segment files to the garbage collector
    # (where, not found: see the lead's notes); collected quietly here, as
    # cnig_share.search.index does for the files it knows Whoosh leaves.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        run()
        gc.collect()


def _state(app, slug: str) -> str:
    from cnig_share.consultations.states import state

    with app.app_context():
        return state(db.session.scalar(select(Consultation).where(Consultation.slug == slug)))


def _move(app, slug: str, closes_in: int) -> None:
    with app.app_context():
        consultation = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
        consultation.opens_on = paris_day() - timedelta(days=10)
        consultation.closes_on = paris_day() + timedelta(days=closes_in)
        db.session.commit()


def _status(app, slug: str) -> str:
    with app.app_context():
        consultation = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
        return next(c.status for c in consultation.contributions if c.ctd.slug == "bretagne")


def _is_public(app, slug: str, visibility: str) -> bool:
    """What the rule says of Bretagne's contribution now, written out independently."""
    now = _state(app, slug)
    if _status(app, slug) != "submitted":
        return False
    return visibility == "deposit" or (visibility == "closing" and now in ("closed", "synthesis"))


def _check(app, slug, visibility, current, visitor, clients) -> None:
    from cnig_share.consultations.states import state

    with app.app_context():
        consultation = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
        now = state(consultation)
    submitted = _status(app, slug) == "submitted"
    public = _is_public(app, slug, visibility)
    paths = [
        f"/consultations/{slug}",
        f"/api/v1/consultations/{slug}",
        f"/consultations/{slug}/reponses.csv",
        f"/consultations/{slug}/recueil.pdf",
        f"/consultations/{slug}/contributions/bretagne",
        "/flux/consultations.atom",
    ]
    for word in current.values():
        seen_by_visitor = [p for p in paths if word in readable(visitor.get(p))]
        if not public:
            assert seen_by_visitor == [], (word, now, visibility, submitted)
        # Another CTD's member sees what a visitor sees, never more.
        other = clients[OTHER].get(f"/consultations/{slug}/contributions/bretagne")
        assert (word in other.get_data(as_text=True)) == (public and other.status_code == 200)
        # Curators: submitted contributions only, never a draft.
        curator = readable(clients[CURATOR].get(f"/consultations/{slug}/reponses.csv"))
        assert (word in curator) == submitted
