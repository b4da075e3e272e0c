"""Search follows the clock (issue 19): a consultation reaches the index at the
instant it opens, and its contributions public *à la clôture* at the instant it
closes — without any row changing, and with `search check` agreeing before and
after each instant. The consultations' clock is set by the test (their state is
read from it); the database, the index and the mail are real, on both backends."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from cnig_share.consultations import services, states
from cnig_share.extensions import db
from tests import factories
from tests import test_consultations as consulting
from tests.test_consultations import CONSULTED, CURATOR, search, submit_bretagne

# The consultations' fixtures: the mailing app and their people.
app, people = consulting.app, consulting.people

ONE_SECOND = timedelta(seconds=1)


class Clock:
    """The instant the consultations' states are read at."""

    def __init__(self, monkeypatch, instant: datetime) -> None:
        self.instant = instant
        monkeypatch.setattr(states, "utcnow", lambda: self.instant)


def create(app, opens_on: date, closes_on: date) -> str:
    with app.test_request_context():
        data = services.ConsultationInput(
            title="Référentiel PCRS",
            context="Le **PCRS** soumis aux CTD.",
            questions=[
                ("Le standard répond-il à vos besoins ?", "position"),
                ("Remarques", "text"),
            ],
            ctd_ids=[factories.ctd(slug).id for slug in CONSULTED],
            opens_on=opens_on,
            closes_on=closes_on,
            visibility="closing",
        )
        consultation = services.create(data, factories.user(CURATOR))
        db.session.commit()
        return consultation.slug


def check(app) -> str:
    """`search check` must agree with the database: its output otherwise."""
    result = app.test_cli_runner().invoke(args=["search", "check"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize(
    ("opens_on", "closes_on", "opening", "closing"),
    [
        # Winter (UTC+1): 00:00 Paris is 23:00 UTC the day before.
        (
            date(2027, 1, 10),
            date(2027, 1, 20),
            datetime(2027, 1, 9, 23, 0, tzinfo=UTC),
            datetime(2027, 1, 20, 23, 0, tzinfo=UTC),
        ),
        # Summer (UTC+2): 00:00 Paris is 22:00 UTC the day before.
        (
            date(2027, 7, 1),
            date(2027, 7, 15),
            datetime(2027, 6, 30, 22, 0, tzinfo=UTC),
            datetime(2027, 7, 15, 22, 0, tzinfo=UTC),
        ),
    ],
    ids=["winter", "summer"],
)
def test_the_index_follows_opening_and_closing_at_their_exact_instants(
    app, people, monkeypatch, opens_on, closes_on, opening, closing
):
    clock = Clock(monkeypatch, opening - timedelta(days=3))
    slug = create(app, opens_on, closes_on)
    check(app)

    # The last second in preparation: absent from the index, and check agrees.
    clock.instant = opening - ONE_SECOND
    check(app)
    assert search(app, "standard besoins")["total"] == 0
    # The first instant open: no row changed, yet check finds it indexed, and so does a search.
    clock.instant = opening
    check(app)
    found = search(app, "standard besoins")
    assert [hit["url"].rsplit("/", 1)[-1] for hit in found["results"]] == [slug]

    submit_bretagne(app, slug, text="Géoréférencement cadastral")
    # Its last second open: the contribution is not public yet.
    clock.instant = closing - ONE_SECOND
    check(app)
    assert search(app, "cadastral")["total"] == 0
    # Closed: the contribution joins the consultation's document at that instant.
    clock.instant = closing
    check(app)
    assert search(app, "cadastral")["total"] == 1
    check(app)


def test_a_search_before_any_check_finds_the_consultation_that_opened(app, people, monkeypatch):
    """Any read brings in what the clock changed, not only `search check`."""
    clock = Clock(monkeypatch, datetime(2027, 3, 1, 12, tzinfo=UTC))
    slug = create(app, date(2027, 3, 10), date(2027, 3, 20))
    assert search(app, "PCRS")["total"] == 0
    clock.instant = datetime(2027, 3, 9, 23, tzinfo=UTC)  # 00:00 Paris on the 10th
    assert search(app, "PCRS")["results"][0]["url"].endswith(f"/consultations/{slug}")
    check(app)
