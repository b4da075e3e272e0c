"""Consultations (issue 19): a curator consults CTDs, each drafts together and submits
in its name, the synthesis is published. Through the web pages, the API, the feed and
the exports, on both databases; mail on the loopback SMTP server."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Date, bindparam, select

from cnig_share.consultations import services
from cnig_share.consultations.states import paris_day
from cnig_share.extensions import db
from cnig_share.models import AuditEvent, Consultation
from tests import factories
from tests.conftest import AuthActions, csrf_token_from

CURATOR = "veille@cnig.example.org"
COORDINATOR = "animatrice@bretagne.example.org"
MEMBER = "membre@bretagne.example.org"
OTHER = "membre@occitanie.example.org"  # member of another consulted CTD
CORSE = "membre@corse.example.org"  # the only member of Corse: no coordinator
CONSULTED = ("bretagne", "occitanie", "corse")


@pytest.fixture
def app(mailing_app):
    return mailing_app


@pytest.fixture
def people(app, make_user):
    make_user(CURATOR, role="curator", name="Camille Veille")
    make_user(COORDINATOR, ctds=("bretagne",), name="Annaïg Animatrice")
    make_user(MEMBER, ctds=("bretagne",), name="Maël Membre")
    make_user(OTHER, ctds=("occitanie",), name="Oriane Occitane")
    make_user(CORSE, ctds=("corse",), name="Paoli Corse")
    with app.app_context():
        factories.user(COORDINATOR).memberships[0].role = "coordinator"
        db.session.commit()


def signed_in(app, email: str):
    client = app.test_client()
    response = AuthActions(client).login(email)
    assert response.status_code == 303
    return client


def post(client, path: str, referer: str | None = None, **data):
    """A POST with the CSRF token of the page it is made from."""
    page = client.get(referer or "/consultations/")
    token = csrf_token_from(page.get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def make_consultation(
    app,
    opens_on: date | None = None,
    closes_in: int = 20,
    visibility: str = "closing",
    ctds=CONSULTED,
    title: str = "Référentiel PCRS",
    context: str = "Le **PCRS** soumis aux CTD.",
    **links,
) -> str:
    """A consultation created by the curator (open at once when opens_on is today);
    `links`: actor_ids, term_ids."""
    with app.test_request_context():
        data = services.ConsultationInput(
            title=title,
            context=context,
            questions=[
                ("Le standard répond-il à vos besoins ?", "position"),
                ("Remarques", "text"),
            ],
            ctd_ids=[factories.ctd(slug).id for slug in ctds],
            opens_on=opens_on,
            closes_on=paris_day() + timedelta(days=closes_in),
            visibility=visibility,
            **links,
        )
        consultation = services.create(data, factories.user(CURATOR))
        db.session.commit()
        return consultation.slug


def set_dates(app, slug: str, opens_on: date | None = None, closes_on: date | None = None):
    """Move a consultation in time (the clock is the state)."""
    with app.app_context():
        consultation = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
        if opens_on is not None:
            consultation.opens_on = opens_on
        if closes_on is not None:
            consultation.closes_on = closes_on
        db.session.commit()


def question_ids(app, slug: str) -> list[int]:
    with app.app_context():
        consultation = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
        return [q.id for q in consultation.questions]


def answer(client, slug, ctd, question_id, text, position=None, version=None, htmx=False):
    page = f"/consultations/{slug}/contributions/{ctd}"
    html = client.get(page).get_data(as_text=True)
    token = csrf_token_from(html)
    if version is None:
        import re

        found = re.search(rf'name="q{question_id}-version"[^>]*value="(\d+)"', html) or re.search(
            rf'value="(\d+)"[^>]*name="q{question_id}-version"', html
        )
        version = found.group(1) if found else ""
    data = {"csrf_token": token, f"q{question_id}-text": text, f"q{question_id}-version": version}
    if position:
        data[f"q{question_id}-position"] = position
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"{page}/questions/{question_id}", data=data, headers=headers)


def contribution_action(client, slug, ctd, action, **data):
    page = f"/consultations/{slug}/contributions/{ctd}"
    return post(client, f"{page}/{action}", referer=page, **data)


def readable(response) -> str:
    """A response's text; a PDF's extracted text."""
    if response.data.startswith(b"%PDF"):
        from pypdf import PdfReader

        return "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    return response.get_data(as_text=True)


def today() -> date:
    return paris_day()


# --- states follow the clock -------------------------------------------------------------


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        # Winter (UTC+1): opens 2026-01-10 00:00 Paris = 09 23:00 UTC; closes 2026-01-20 23:59:59.
        (datetime(2026, 1, 9, 22, 59, 59, tzinfo=UTC), "preparation"),
        (datetime(2026, 1, 9, 23, 0, 0, tzinfo=UTC), "open"),
        (datetime(2026, 1, 20, 22, 59, 59, tzinfo=UTC), "open"),
        (datetime(2026, 1, 20, 23, 0, 0, tzinfo=UTC), "closed"),
    ],
)
def test_states_at_the_exact_winter_instants_in_paris(instant, expected):
    from cnig_share.consultations.states import state

    consultation = Consultation(opens_on=date(2026, 1, 10), closes_on=date(2026, 1, 20))
    assert state(consultation, instant) == expected


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        # Summer (UTC+2): opens 2026-07-01 00:00 Paris = 06-30 22:00 UTC.
        (datetime(2026, 6, 30, 21, 59, 59, tzinfo=UTC), "preparation"),
        (datetime(2026, 6, 30, 22, 0, 0, tzinfo=UTC), "open"),
        (datetime(2026, 7, 15, 21, 59, 59, tzinfo=UTC), "open"),
        (datetime(2026, 7, 15, 22, 0, 0, tzinfo=UTC), "closed"),
        # Closing on the night clocks go back (25 October 2026): 23:59:59 is UTC+1.
    ],
)
def test_states_at_the_exact_summer_instants_in_paris(instant, expected):
    from cnig_share.consultations.states import state

    consultation = Consultation(opens_on=date(2026, 7, 1), closes_on=date(2026, 7, 15))
    assert state(consultation, instant) == expected


def test_closing_instant_across_the_change_to_winter_time():
    from cnig_share.consultations.states import closes_at, state

    consultation = Consultation(opens_on=date(2026, 10, 1), closes_on=date(2026, 10, 25))
    assert closes_at(consultation) == datetime(2026, 10, 25, 22, 59, 59, tzinfo=UTC)
    assert state(consultation, datetime(2026, 10, 25, 22, 59, 59, tzinfo=UTC)) == "open"
    assert state(consultation, datetime(2026, 10, 25, 23, 0, 0, tzinfo=UTC)) == "closed"


def test_states_in_sql_agree_with_states_in_python(app, people):
    from cnig_share.consultations.states import in_state, paris_day, state, state_column, state_on

    make_consultation(app, title="Préparation")
    make_consultation(app, opens_on=today(), title="Ouverte")
    closed = make_consultation(app, opens_on=today(), title="Close")
    set_dates(app, closed, opens_on=today() - timedelta(days=10), closes_on=today() - timedelta(1))
    concluded = make_consultation(app, opens_on=today(), title="Synthèse")
    set_dates(app, concluded, opens_on=today() - timedelta(10), closes_on=today() - timedelta(1))
    with app.app_context():
        db.session.scalar(
            select(Consultation).where(Consultation.slug == concluded)
        ).synthesis_published_at = datetime.now(UTC)
        db.session.commit()
        found = {state(consultation) for consultation in db.session.scalars(select(Consultation))}
        assert found == {"preparation", "open", "closed", "synthesis"}
        for consultation in db.session.scalars(select(Consultation)):
            current = state(consultation)
            ids = db.session.scalars(select(Consultation.id).where(in_state(current))).all()
            assert consultation.id in ids
            by_column = select(state_column()).where(Consultation.id == consultation.id)
            assert db.session.scalar(by_column) == current
            on_a_bound_day = select(state_on(bindparam("day", type_=Date()))).where(
                Consultation.id == consultation.id
            )
            assert db.session.scalar(on_a_bound_day, {"day": paris_day()}) == current


# --- the permission matrix -----------------------------------------------------------------

VISITOR = None


def client_for(app, who):
    return app.test_client() if who is None else signed_in(app, who)


@pytest.mark.parametrize(
    ("who", "status"),
    [(VISITOR, 404), (MEMBER, 404), (OTHER, 404), (COORDINATOR, 404), (CURATOR, 200)],
)
def test_a_consultation_in_preparation_is_seen_by_curators_only(app, people, who, status):
    slug = make_consultation(app)
    client = client_for(app, who)
    for path in (
        f"/consultations/{slug}",
        f"/consultations/{slug}/recueil.pdf",
        f"/consultations/{slug}/reponses.csv",
    ):
        assert client.get(path).status_code == status, path
    # The API reads with a token: a session is a visitor there.
    assert client.get(f"/api/v1/consultations/{slug}").status_code == 404
    listed = client.get("/consultations/").get_data(as_text=True)
    assert ("Référentiel PCRS" in listed) == (status == 200)
    api = client.get("/api/v1/consultations").get_json()["consultations"]
    assert [c["slug"] for c in api] == []  # without a token, the API is a visitor's
    assert "Référentiel PCRS" not in client.get("/flux/consultations.atom").get_data(as_text=True)


@pytest.mark.parametrize(
    ("who", "status"),
    [(VISITOR, 404), (MEMBER, 200), (COORDINATOR, 200), (OTHER, 404), (CURATOR, 404)],
)
def test_a_draft_is_seen_by_its_ctd_only_curators_included_out(app, people, who, status):
    slug = make_consultation(app, opens_on=today())
    qid = question_ids(app, slug)[1]
    assert (
        answer(signed_in(app, MEMBER), slug, "bretagne", qid, "Notre brouillon").status_code == 303
    )
    response = client_for(app, who).get(f"/consultations/{slug}/contributions/bretagne")
    assert response.status_code == status
    if status == 200:
        assert "Notre brouillon" in response.get_data(as_text=True)
    for path in public_paths(slug):
        assert "Notre brouillon" not in readable(client_for(app, who).get(path))


@pytest.mark.parametrize(
    ("who", "status"),
    [(VISITOR, 302), (MEMBER, 403), (OTHER, 403), (COORDINATOR, 403), (CURATOR, 200)],
)
def test_curator_pages_are_the_cnig_teams(app, people, who, status):
    slug = make_consultation(app, opens_on=today())
    client = client_for(app, who)
    for path in ("/consultations/nouvelle", f"/consultations/{slug}/modifier",
                 f"/consultations/{slug}/suivi", f"/consultations/{slug}/synthese"):  # fmt: skip
        assert client.get(path).status_code == status, path


@pytest.mark.parametrize(
    ("who", "status"), [(MEMBER, 303), (COORDINATOR, 303), (OTHER, 404), (CURATOR, 404)]
)
def test_only_the_ctds_members_save_its_answers(app, people, who, status):
    slug = make_consultation(app, opens_on=today())
    qid = question_ids(app, slug)[1]
    client = signed_in(app, who)
    page = f"/consultations/{slug}/contributions/bretagne"
    token = csrf_token_from(client.get("/consultations/").get_data(as_text=True))
    response = client.post(f"{page}/questions/{qid}", data={"csrf_token": token,
                           f"q{qid}-text": "Texte", f"q{qid}-version": "1"})  # fmt: skip
    assert response.status_code == status


def test_a_visitor_posting_an_answer_goes_to_sign_in(app, people):
    slug = make_consultation(app, opens_on=today())
    qid = question_ids(app, slug)[1]
    client = app.test_client()
    token = csrf_token_from(client.get("/consultations/").get_data(as_text=True))
    response = client.post(
        f"/consultations/{slug}/contributions/bretagne/questions/{qid}",
        data={"csrf_token": token, f"q{qid}-text": "x"},
    )
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


@pytest.mark.parametrize(
    ("who", "allowed"), [(MEMBER, False), (COORDINATOR, True), (OTHER, False), (CURATOR, False)]
)
def test_the_coordinator_submits_in_the_ctds_name(app, people, who, allowed):
    slug = make_consultation(app, opens_on=today())
    q1, _ = question_ids(app, slug)
    answer(signed_in(app, MEMBER), slug, "bretagne", q1, "Oui, avec le LiDAR.", "favorable")
    response = contribution_action(signed_in(app, who), slug, "bretagne", "deposer")
    assert (response.status_code == 303) == allowed
    with app.app_context():
        contribution = db.session.scalar(select(Consultation)).contributions
        bretagne = next(c for c in contribution if c.ctd.slug == "bretagne")
        assert (bretagne.status == "submitted") == allowed


def test_any_member_submits_for_a_ctd_without_coordinator(app, people):
    slug = make_consultation(app, opens_on=today())
    q1, _ = question_ids(app, slug)
    client = signed_in(app, CORSE)
    answer(client, slug, "corse", q1, "Sans avis ici.", "sans-avis")
    assert contribution_action(client, slug, "corse", "deposer").status_code == 303
    assert "Déposée le" in client.get(f"/consultations/{slug}/contributions/corse").get_data(
        as_text=True
    )


# --- drafting together -------------------------------------------------------------------


def test_two_members_draft_together_every_save_a_version(app, people):
    slug = make_consultation(app, opens_on=today())
    _, q2 = question_ids(app, slug)
    assert answer(signed_in(app, MEMBER), slug, "bretagne", q2, "Premier jet").status_code == 303
    response = answer(signed_in(app, COORDINATOR), slug, "bretagne", q2, "Second jet", htmx=True)
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith("<section") and "Second jet" in fragment
    assert "Réponse enregistrée" in fragment and "<html" not in fragment
    with app.app_context():
        contribution = next(
            c for c in db.session.scalar(select(Consultation)).contributions
            if c.ctd.slug == "bretagne"
        )  # fmt: skip
        versions = contribution.answer_to(contribution.consultation.questions[1]).versions
        assert [v.text for v in versions] == ["Premier jet", "Second jet"]
        assert [v.author.email for v in versions] == [MEMBER, COORDINATOR]


@pytest.mark.parametrize("htmx", [False, True])
def test_a_stale_save_gets_409_with_both_texts_and_keeps_the_persons(app, people, htmx):
    slug = make_consultation(app, opens_on=today())
    _, q2 = question_ids(app, slug)
    member, coordinator = signed_in(app, MEMBER), signed_in(app, COORDINATOR)
    assert answer(member, slug, "bretagne", q2, "Texte d'Annaïg", version="1").status_code == 303
    response = answer(coordinator, slug, "bretagne", q2, "Texte de Maël", version="1", htmx=htmx)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Texte d&#39;Annaïg" in html and "Texte de Maël" in html
    assert "Quelqu'un a enregistré une modification" in html
    # The form now names the saved version: saving again is a deliberate choice.
    assert answer(coordinator, slug, "bretagne", q2, "Texte de Maël").status_code == 303


def test_answers_have_a_length_limit(app, people):
    slug = make_consultation(app, opens_on=today())
    _, q2 = question_ids(app, slug)
    response = answer(signed_in(app, MEMBER), slug, "bretagne", q2, "x" * 10_001)
    assert response.status_code == 422
    assert "10 000 caractères au plus" in response.get_data(as_text=True)


def test_an_unknown_position_is_refused(app, people):
    slug = make_consultation(app, opens_on=today())
    q1, _ = question_ids(app, slug)
    response = answer(signed_in(app, MEMBER), slug, "bretagne", q1, "x", position="peut-etre")
    assert response.status_code == 422


def test_a_submission_needs_every_position(app, people):
    slug = make_consultation(app, opens_on=today())
    response = contribution_action(signed_in(app, COORDINATOR), slug, "bretagne", "deposer")
    assert response.status_code == 422
    assert "Donnez la position du comité (question 1)" in response.get_data(as_text=True)


def test_submitted_is_locked_withdrawn_is_editable_again(app, people, inbox):
    handler, _ = inbox
    slug = make_consultation(app, opens_on=today())
    handler.take()
    q1, q2 = question_ids(app, slug)
    coordinator = signed_in(app, COORDINATOR)
    answer(coordinator, slug, "bretagne", q1, "Favorable.", "favorable")
    assert contribution_action(coordinator, slug, "bretagne", "deposer").status_code == 303
    receipt = handler.wait_for(1)[0]
    assert receipt["To"] == COORDINATOR and "Contribution déposée" in receipt["Subject"]
    assert (
        answer(signed_in(app, MEMBER), slug, "bretagne", q2, "Trop tard", version="1").status_code
        == 409
    )
    assert contribution_action(coordinator, slug, "bretagne", "reprendre").status_code == 303
    assert answer(signed_in(app, MEMBER), slug, "bretagne", q2, "Ajout").status_code == 303


def test_after_closing_nothing_is_submitted_or_changed(app, people):
    slug = make_consultation(app, opens_on=today())
    q1, _ = question_ids(app, slug)
    coordinator = signed_in(app, COORDINATOR)
    answer(coordinator, slug, "bretagne", q1, "Favorable.", "favorable")
    set_dates(app, slug, opens_on=today() - timedelta(5), closes_on=today() - timedelta(1))
    assert answer(coordinator, slug, "bretagne", q1, "Après", "favorable").status_code == 409
    assert contribution_action(coordinator, slug, "bretagne", "deposer").status_code == 409
    assert (
        contribution_action(coordinator, slug, "bretagne", "decliner", reason="x").status_code
        == 409
    )


def test_a_ctd_declines_with_a_reason_shown_in_the_table(app, people):
    slug = make_consultation(app, opens_on=today())
    coordinator = signed_in(app, COORDINATOR)
    assert (
        contribution_action(coordinator, slug, "bretagne", "decliner", reason="").status_code == 422
    )
    response = contribution_action(
        coordinator, slug, "bretagne", "decliner", reason="Pas de PCRS en Bretagne."
    )
    assert response.status_code == 303
    assert "Décliné : Pas de PCRS en Bretagne." in app.test_client().get(
        f"/consultations/{slug}"
    ).get_data(as_text=True)
    api = app.test_client().get(f"/api/v1/consultations/{slug}").get_json()
    assert api["declined"] == [{"ctd": "bretagne", "reason": "Pas de PCRS en Bretagne."}]


def test_two_submissions_at_once_one_wins(app, people):
    slug = make_consultation(app, opens_on=today())
    q1, _ = question_ids(app, slug)
    coordinator = signed_in(app, COORDINATOR)
    answer(coordinator, slug, "bretagne", q1, "Favorable.", "favorable")
    page = f"/consultations/{slug}/contributions/bretagne"
    html = coordinator.get(page).get_data(as_text=True)
    import re

    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    data = {"csrf_token": csrf_token_from(html), "version": version}
    first = coordinator.post(f"{page}/deposer", data=data)
    second = coordinator.post(f"{page}/deposer", data=data)
    assert first.status_code == 303 and second.status_code == 409


# --- visibility rules --------------------------------------------------------------------


def submit_bretagne(app, slug: str, text: str = "Position de la Bretagne") -> None:
    q1, _ = question_ids(app, slug)
    coordinator = signed_in(app, COORDINATOR)
    answer(coordinator, slug, "bretagne", q1, text, "favorable-reserves")
    assert contribution_action(coordinator, slug, "bretagne", "deposer").status_code == 303


def public_paths(slug: str) -> list[str]:
    """Everywhere a contribution could show."""
    return [
        f"/consultations/{slug}",
        f"/api/v1/consultations/{slug}",
        f"/consultations/{slug}/reponses.csv",
        f"/consultations/{slug}/recueil.pdf",
        "/flux/consultations.atom",
    ]


def public_texts(app, slug: str) -> list[str]:
    """The page, the API, the CSV and the PDF (the feed carries no contribution)."""
    client = app.test_client()
    return [readable(client.get(path)) for path in public_paths(slug)[:-1]]


@pytest.mark.parametrize(
    ("visibility", "while_open", "after_closing"),
    [("deposit", True, True), ("closing", False, True), ("never", False, False)],
)
def test_contributions_become_public_by_their_rule(
    app, people, visibility, while_open, after_closing
):
    slug = make_consultation(app, opens_on=today(), visibility=visibility)
    submit_bretagne(app, slug)
    assert all(("Position de la Bretagne" in t) == while_open for t in public_texts(app, slug))
    set_dates(app, slug, opens_on=today() - timedelta(5), closes_on=today() - timedelta(1))
    assert all(("Position de la Bretagne" in t) == after_closing for t in public_texts(app, slug))
    # Curators read submitted contributions whatever the rule.
    curator = signed_in(app, CURATOR)
    assert "Position de la Bretagne" in curator.get(f"/consultations/{slug}/reponses.csv").get_data(
        as_text=True
    )


def publish_synthesis(app, slug: str, text: str = "Les CTD sont **partagés**.") -> None:
    curator = signed_in(app, CURATOR)
    page = f"/consultations/{slug}/synthese"
    html = curator.get(page).get_data(as_text=True)
    import re

    version = re.search(r'name="version"[^>]*value="(\d+)"', html).group(1)
    response = curator.post(page, data={"csrf_token": csrf_token_from(html), "version": version,
                                         "synthesis": text, "action": "publish"})  # fmt: skip
    assert response.status_code == 303, response.get_data(as_text=True)


@pytest.mark.parametrize(("visibility", "shown"), [("closing", True), ("never", False)])
def test_positions_are_public_with_the_synthesis_never_when_contributions_are_not(
    app, people, visibility, shown
):
    slug = make_consultation(app, opens_on=today(), visibility=visibility)
    submit_bretagne(app, slug)
    q1, _ = question_ids(app, slug)
    assert app.test_client().get(f"/api/v1/consultations/{slug}").get_json()["positions"] is None
    set_dates(app, slug, opens_on=today() - timedelta(5), closes_on=today() - timedelta(1))
    assert app.test_client().get(f"/api/v1/consultations/{slug}").get_json()["positions"] is None
    publish_synthesis(app, slug)
    data = app.test_client().get(f"/api/v1/consultations/{slug}").get_json()
    assert data["state"] == "synthesis"
    assert "<strong>partagés</strong>" in data["synthesis_html"]
    if shown:
        assert data["positions"][str(q1)]["favorable-reserves"] == 1
        assert "Positions des CTD" in app.test_client().get(f"/consultations/{slug}").get_data(
            as_text=True
        )
    else:
        assert data["positions"] is None and data["contributions"] == []


def test_the_synthesis_is_written_after_closing_only(app, people):
    slug = make_consultation(app, opens_on=today())
    curator = signed_in(app, CURATOR)
    html = curator.get(f"/consultations/{slug}/synthese").get_data(as_text=True)
    assert "La synthèse s'écrit après la clôture" in html


def test_synthesis_mail_goes_to_every_contributor(app, people, inbox):
    handler, _ = inbox
    slug = make_consultation(app, opens_on=today())
    _, q2 = question_ids(app, slug)
    answer(signed_in(app, MEMBER), slug, "bretagne", q2, "Maël écrit.")
    submit_bretagne(app, slug)
    set_dates(app, slug, opens_on=today() - timedelta(5), closes_on=today() - timedelta(1))
    handler.wait_for(1)
    handler.take()
    publish_synthesis(app, slug)
    received = handler.wait_for(2)
    assert sorted(m["To"] for m in received) == sorted([COORDINATOR, MEMBER])
    assert all("Synthèse publiée" in m["Subject"] for m in received)


# --- exports, feed, API ----------------------------------------------------------------


def test_recueil_pdf_and_csv_hold_the_public_contributions_in_ctd_order(app, people):
    slug = make_consultation(app, opens_on=today(), visibility="deposit")
    submit_bretagne(app, slug)
    q1, _ = question_ids(app, slug)
    corse = signed_in(app, CORSE)
    answer(corse, slug, "corse", q1, "Texte corse", "defavorable")
    contribution_action(corse, slug, "corse", "deposer")
    client = app.test_client()
    pdf = client.get(f"/consultations/{slug}/recueil.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert pdf.headers["Content-Type"] == "application/pdf"
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert text.index("Contribution du CTD Bretagne") < text.index("Contribution du CTD Corse")
    assert "Le standard répond-il" in text
    table = client.get(f"/consultations/{slug}/reponses.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(table.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][0] == "CTD"
    assert [row[0] for row in rows[1:]] == ["CTD Bretagne"] * 2 + ["CTD Corse"] * 2


def test_api_lists_by_state_and_ctd_and_refuses_bad_filters(app, people):
    open_slug = make_consultation(app, opens_on=today(), title="Ouverte")
    make_consultation(app, opens_on=today(), title="Autre", ctds=("corse",))
    client = app.test_client()
    data = client.get("/api/v1/consultations?state=open&ctd=bretagne").get_json()
    assert [c["slug"] for c in data["consultations"]] == [open_slug]
    item = data["consultations"][0]
    assert item["ctds"] == sorted(CONSULTED) and item["state"] == "open"
    assert set(item) == {"slug", "title", "url", "state", "opens_at", "closes_at", "ctds",
                         "actors", "terms"}  # fmt: skip
    assert client.get("/api/v1/consultations?state=bientot").status_code == 400
    assert client.get("/api/v1/consultations?ctd=atlantide").status_code == 400
    assert client.get("/api/v1/consultations/inconnue").status_code == 404
    detail = client.get(f"/api/v1/consultations/{open_slug}").get_json()
    assert [q["type"] for q in detail["questions"]] == ["position", "text"]
    assert detail["contributions"] == [] and detail["synthesis_html"] is None


def test_openapi_documents_the_consultation_api(app):
    paths = app.test_client().get("/api/v1/openapi.json").get_json()["paths"]
    assert "/consultations" in paths and "/consultations/{slug}" in paths


def test_feed_has_openings_closings_and_syntheses(app, people):
    slug = make_consultation(app, opens_on=today())
    client = app.test_client()
    feed = client.get("/flux/consultations.atom")
    assert feed.status_code == 200 and "Ouverture : Référentiel PCRS" in feed.get_data(as_text=True)
    set_dates(app, slug, opens_on=today() - timedelta(5), closes_on=today() - timedelta(1))
    publish_synthesis(app, slug)
    text = client.get("/flux/consultations.atom").get_data(as_text=True)
    assert "Clôture : Référentiel PCRS" in text and "Synthèse publiée : Référentiel PCRS" in text


# --- curators' forms ----------------------------------------------------------------------


def test_a_curator_creates_a_consultation_through_the_form(app, people):
    curator = signed_in(app, CURATOR)
    token = csrf_token_from(curator.get("/consultations/nouvelle").get_data(as_text=True))
    closes = (today() + timedelta(days=30)).isoformat()
    data = {
        "csrf_token": token, "title": "Programme LiDAR HD", "context": "Le programme.",
        "questions-0-text": "Votre avis ?", "questions-0-kind": "position",
        "ctds": [str(factories_ctd_id(app, s)) for s in ("bretagne", "occitanie", "corse")],
        "closes_on": closes, "visibility": "closing",
    }  # fmt: skip
    response = curator.post("/consultations/nouvelle", data=data)
    assert response.status_code == 303
    page = curator.get(response.headers["Location"]).get_data(as_text=True)
    assert "En préparation" in page and "Programme LiDAR HD" in page
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "consultation.create")
        )
        assert event is not None


def factories_ctd_id(app, slug: str) -> int:
    with app.app_context():
        return factories.ctd(slug).id


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"questions-0-text": ""}, "Posez au moins une question"),
        ({"ctds": []}, "Choisissez les CTD consultés"),
        ({"closes_on": ""}, "Indiquez la date de clôture"),
        ({"closes_on": "2020-01-01"}, "La date de clôture ne peut pas être passée"),
        ({"title": ""}, "Donnez un titre"),
        ({"title": "x" * 301}, "300"),
    ],
)
def test_the_consultation_form_says_what_is_wrong(app, people, change, message):
    curator = signed_in(app, CURATOR)
    token = csrf_token_from(curator.get("/consultations/nouvelle").get_data(as_text=True))
    data = {
        "csrf_token": token, "title": "Titre", "questions-0-text": "Q ?",
        "questions-0-kind": "text", "ctds": [str(factories_ctd_id(app, "bretagne"))],
        "closes_on": (today() + timedelta(days=3)).isoformat(), "visibility": "closing",
        **change,
    }  # fmt: skip
    response = curator.post("/consultations/nouvelle", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def the_form(app, **change) -> dict:
    """The new consultation form, filled in, with `change` applied."""
    return {
        "title": "Programme LiDAR HD", "questions-0-text": "Votre avis ?",
        "questions-0-kind": "position", "ctds": [str(factories_ctd_id(app, "bretagne"))],
        "closes_on": (today() + timedelta(days=30)).isoformat(), "visibility": "closing",
        **change,
    }  # fmt: skip


def test_the_form_consults_every_ctd_and_links_actors_and_terms(app, people):
    from cnig_share.models import Ctd

    actor, actor_slug = add_actor(app, "Institut géographique national")
    curator = signed_in(app, CURATOR)
    form = curator.get("/consultations/nouvelle").get_data(as_text=True)
    assert "Consulter tous les CTD" in form and "Institut géographique national" in form
    terms = [str(term_id(app, "mutualisation"))]
    data = the_form(app, ctds=[], all_ctds="y", actors=[str(actor)], terms=terms,
                    opens_on=today().isoformat())  # fmt: skip
    response = post(curator, "/consultations/nouvelle", referer="/consultations/nouvelle", **data)
    assert response.status_code == 303
    slug = response.headers["Location"].rsplit("/", 1)[-1]
    detail = app.test_client().get(f"/api/v1/consultations/{slug}").get_json()
    with app.app_context():
        every = sorted(db.session.scalars(select(Ctd.slug)))
    assert len(every) > 3 and detail["ctds"] == every
    assert detail["actors"] == [actor_slug] and detail["terms"] == ["mutualisation"]
    page = app.test_client().get(f"/consultations/{slug}").get_data(as_text=True)
    assert "Institut géographique national" in page


def test_more_than_ten_questions_are_refused_not_cut(app, people):
    curator = signed_in(app, CURATOR)
    questions = {}
    for n in range(11):
        questions |= {f"questions-{n}-text": f"Question {n + 1} ?", f"questions-{n}-kind": "text"}
    response = post(curator, "/consultations/nouvelle", referer="/consultations/nouvelle",
                    **the_form(app, **questions))  # fmt: skip
    assert response.status_code == 422
    assert "10 questions au plus" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Consultation)) is None
    ten = {k: v for k, v in questions.items() if not k.startswith("questions-10-")}
    done = post(curator, "/consultations/nouvelle", referer="/consultations/nouvelle",
                **the_form(app, **ten))  # fmt: skip
    assert done.status_code == 303


def test_a_file_sent_where_a_question_goes_is_refused_in_french(app, people):
    """A hostile client posts a file part named like a question's text."""
    import io

    curator = signed_in(app, CURATOR)
    data = the_form(app, **{"questions-0-text": (io.BytesIO(b"Votre avis ?"), "q.txt")})
    response = post(curator, "/consultations/nouvelle", referer="/consultations/nouvelle", **data)
    assert response.status_code == 422
    assert "Posez au moins une question" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Consultation)) is None


def test_a_synthesis_over_its_length_limit_is_refused(app, people):
    import re

    slug = make_consultation(app, opens_on=today())
    close(app, slug)
    curator = signed_in(app, CURATOR)
    page = f"/consultations/{slug}/synthese"
    html = curator.get(page).get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', html).group(1)
    data = {"csrf_token": csrf_token_from(html), "version": version,
            "synthesis": "x" * 100_001, "action": "publish"}  # fmt: skip
    response = curator.post(page, data=data)
    assert response.status_code == 422
    assert "100 000 caractères au plus" in response.get_data(as_text=True)
    assert app.test_client().get(f"/api/v1/consultations/{slug}").get_json()["state"] == "closed"


def test_visibility_cannot_change_once_open_and_dates_can_be_extended(app, people):
    slug = make_consultation(app, opens_on=today(), visibility="closing")
    curator = signed_in(app, CURATOR)
    html = curator.get(f"/consultations/{slug}/modifier").get_data(as_text=True)
    import re

    version = re.search(r'name="version"[^>]*value="(\d+)"', html).group(1)
    later = (today() + timedelta(days=40)).isoformat()
    base = {"csrf_token": csrf_token_from(html), "version": version, "title": "Référentiel PCRS",
            "closes_on": later}  # fmt: skip
    refused = curator.post(
        f"/consultations/{slug}/modifier", data={**base, "visibility": "deposit"}
    )
    assert refused.status_code == 422
    assert "ne change plus" in refused.get_data(as_text=True)
    done = curator.post(f"/consultations/{slug}/modifier", data={**base, "visibility": "closing"})
    assert done.status_code == 303
    with app.app_context():
        consultation = db.session.scalar(select(Consultation))
        assert consultation.closes_on == today() + timedelta(days=40)
        assert len(consultation.questions) == 2
        actions = db.session.scalars(select(AuditEvent.action)).all()
        assert "consultation.dates" in actions


def test_a_curator_opens_now_and_consulted_coordinators_are_told(app, people, inbox):
    handler, _ = inbox
    slug = make_consultation(app)
    curator = signed_in(app, CURATOR)
    html = curator.get(f"/consultations/{slug}").get_data(as_text=True)
    response = curator.post(f"/consultations/{slug}/ouvrir",
                            data={"csrf_token": csrf_token_from(html), "version": "1"})  # fmt: skip
    assert response.status_code == 303
    received = handler.wait_for(3)
    # Bretagne's coordinator; Occitanie and Corse have no coordinator: their members.
    assert sorted(m["To"] for m in received) == sorted([COORDINATOR, OTHER, CORSE])
    assert "https://partage.example/consultations/" in received[0].get_content()


# --- reminders -------------------------------------------------------------------------------


def test_reminders_go_once_each_and_again_after_an_extension(app, people, inbox):
    handler, _ = inbox
    slug = make_consultation(app, opens_on=today(), closes_in=14)
    submit_bretagne(app, slug)  # Bretagne answered: no reminder for it
    handler.wait_for(4)  # the opening (3) and the receipt
    runner = app.test_cli_runner()
    result = runner.invoke(args=["consultations", "remind"])
    assert result.exit_code == 0 and "1 rappel(s)" in result.output
    received = handler.wait_for(2)
    assert sorted(m["To"] for m in received) == sorted([OTHER, CORSE])
    assert "dans 14 jours" in received[0].get_content()
    assert "0 rappel(s)" in runner.invoke(args=["consultations", "remind"]).output
    set_dates(app, slug, closes_on=today() + timedelta(days=3))
    assert "1 rappel(s)" in runner.invoke(args=["consultations", "remind"]).output
    assert "dans 3 jours" in handler.wait_for(2)[0].get_content()
    assert "0 rappel(s)" in runner.invoke(args=["consultations", "remind"]).output
    # Extended: a new closing date, its reminders are due again.
    set_dates(app, slug, closes_on=today() + timedelta(days=10))
    assert "1 rappel(s)" in runner.invoke(args=["consultations", "remind"]).output
    handler.wait_for(2)
    assert "0 rappel(s)" in runner.invoke(args=["consultations", "remind"]).output


def test_remind_announces_an_opening_that_came_with_its_date(app, people, inbox):
    handler, _ = inbox
    slug = make_consultation(app, opens_on=today() + timedelta(days=1))
    assert handler.take() == []
    set_dates(app, slug, opens_on=today())
    result = app.test_cli_runner().invoke(args=["consultations", "remind"])
    assert "1 ouverture(s)" in result.output
    assert len(handler.wait_for(3)) == 3
    assert "0 ouverture(s)" in app.test_cli_runner().invoke(args=["consultations", "remind"]).output


# --- search ------------------------------------------------------------------------------


def search(app, q: str, **filters) -> dict:
    return app.test_client().get("/api/v1/search", query_string={"q": q, **filters}).get_json()


def test_search_finds_an_opened_consultation_never_one_in_preparation(app, people):
    slug = make_consultation(app)
    assert search(app, "standard besoins")["total"] == 0
    curator = signed_in(app, CURATOR)
    html = curator.get(f"/consultations/{slug}").get_data(as_text=True)
    curator.post(f"/consultations/{slug}/ouvrir",
                 data={"csrf_token": csrf_token_from(html), "version": "1"})  # fmt: skip
    found = search(app, "standard besoins")  # a question's words
    assert [hit["kind"] for hit in found["results"]] == ["consultation"]
    assert found["results"][0]["url"].endswith(f"/consultations/{slug}")
    assert found["facets"]["kind"] == {"consultation": 1}
    assert search(app, "PCRS", kind="consultation")["total"] == 1
    page = app.test_client().get("/recherche?q=PCRS").get_data(as_text=True)
    assert "Consultation" in page and "Référentiel PCRS" in page


def test_search_finds_drafts_never_and_public_contributions_with_the_synthesis(app, people):
    slug = make_consultation(app, opens_on=today())
    _, q2 = question_ids(app, slug)
    answer(signed_in(app, MEMBER), slug, "bretagne", q2, "Orthophotographie bretonne")
    assert search(app, "orthophotographie")["total"] == 0
    submit_bretagne(app, slug, text="Géoréférencement cadastral")
    assert search(app, "cadastral")["total"] == 0  # public at closing only
    set_dates(app, slug, opens_on=today() - timedelta(5), closes_on=today() - timedelta(1))
    assert search(app, "cadastral")["total"] == 1
    publish_synthesis(app, slug, text="Une synthèse sur la mutualisation hydrographique.")
    assert search(app, "hydrographique")["total"] == 1
    assert search(app, "cadastral")["total"] == 1
    assert search(app, "orthophotographie")["total"] == 1  # submitted with the contribution
    result = app.test_cli_runner().invoke(args=["search", "check"])
    assert result.exit_code == 0, result.output


def add_actor(app, name: str) -> tuple[int, str]:
    """A national actor added by the curator through the directory's form: (id, slug)."""
    from cnig_share.models import NationalActor

    client = signed_in(app, CURATOR)
    response = post(client, "/acteurs/nouveau", referer="/acteurs/nouveau", name=name,
                    type="operateur-national")  # fmt: skip
    assert response.status_code == 303, response.get_data(as_text=True)
    slug = response.headers["Location"].rsplit("/", 1)[-1]
    with app.app_context():
        return db.session.scalar(select(NationalActor.id).where(NationalActor.slug == slug)), slug


def term_id(app, slug: str) -> int:
    with app.app_context():
        return factories.term(slug).id


def found_slugs(app, q: str, **filters) -> list[str]:
    hits = search(app, q, **filters)["results"]
    return [hit["url"].rsplit("/", 1)[-1] for hit in hits if hit["kind"] == "consultation"]


def test_search_finds_a_consultation_by_actor_term_and_context(app, people):
    actor, actor_slug = add_actor(app, "Institut géographique national")
    slug = make_consultation(
        app, opens_on=today(), context="Le relevé **photogrammétrique** des littoraux.",
        actor_ids=[actor], term_ids=[term_id(app, "mutualisation")],
    )  # fmt: skip
    assert found_slugs(app, "photogrammetrique") == [slug]  # the context, accents folded
    assert found_slugs(app, "institut geographique", kind="consultation") == [slug]
    term_label = search(app, "mutualisation", kind="consultation")
    assert [hit["url"].rsplit("/", 1)[-1] for hit in term_label["results"]] == [slug]
    assert found_slugs(app, "littoraux", term="mutualisation") == [slug]  # the Thème filter
    assert found_slugs(app, "littoraux", term="adresse") == []

    # The actor renamed in the directory: the consultation follows, by the new name only.
    client = signed_in(app, CURATOR)
    page = f"/acteurs/{actor_slug}/modifier"
    renamed = post(client, page, referer=page, name="Géoplateforme nationale", type="etat")
    assert renamed.status_code == 303
    assert found_slugs(app, "geoplateforme", kind="consultation") == [slug]
    assert found_slugs(app, "institut geographique", kind="consultation") == []
    result = app.test_cli_runner().invoke(args=["search", "check"])
    assert result.exit_code == 0, result.output


# --- privacy -------------------------------------------------------------------------------


def test_export_carries_answer_versions_and_deletion_leaves_them_to_an_ancien_membre(app, people):
    slug = make_consultation(app, opens_on=today())
    _, q2 = question_ids(app, slug)
    member = signed_in(app, MEMBER)
    answer(member, slug, "bretagne", q2, "Mes mots à moi")
    with app.app_context():
        from cnig_share.accounts import self_service

        exported = self_service.export(factories.user(MEMBER))
        assert [v["text"] for v in exported["consultation_answers"]] == ["Mes mots à moi"]
        self_service.delete_account(factories.user(MEMBER), "correct horse battery staple")
        db.session.commit()
    page = signed_in(app, COORDINATOR).get(f"/consultations/{slug}/contributions/bretagne")
    html = page.get_data(as_text=True)
    assert "Mes mots à moi" in html and "par ancien membre" in html
    assert "réponses aux consultations" in app.test_client().get("/donnees-personnelles").get_data(
        as_text=True
    )


# --- documents, reopening, audit log ------------------------------------------------------


def test_a_document_is_checked_stored_extracted_and_searchable(app, people):
    from cnig_share.demo import sample_files
    from cnig_share.resources import extraction_jobs

    slug = make_consultation(app, opens_on=today())
    curator = signed_in(app, CURATOR)
    html = curator.get(f"/consultations/{slug}/modifier").get_data(as_text=True)
    import re

    version = re.search(r'name="version"[^>]*value="(\d+)"', html).group(1)
    closes = (today() + timedelta(days=20)).isoformat()
    base = {"csrf_token": csrf_token_from(html), "version": version, "title": "Référentiel PCRS",
            "closes_on": closes, "visibility": "closing"}  # fmt: skip
    fake = {**base, "documents": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "note.pdf")}
    refused = curator.post(f"/consultations/{slug}/modifier", data=fake)
    assert refused.status_code == 415 and "Son contenu a été vérifié" in refused.get_data(
        as_text=True
    )
    pdf = sample_files.pdf("Note", ["La photogrammétrie aérienne du littoral breton."])
    done = curator.post(
        f"/consultations/{slug}/modifier",
        data={**base, "documents": (io.BytesIO(pdf), "../../note-pcrs.pdf")},
    )
    assert done.status_code == 303
    page = app.test_client().get(f"/consultations/{slug}").get_data(as_text=True)
    link = re.search(r'href="(/consultations/[^"]+/documents/\d+)"', page).group(1)
    with app.test_client().get(link) as download:
        assert download.data == pdf
        assert "note-pcrs.pdf" in download.headers["Content-Disposition"]
    with app.app_context():
        assert extraction_jobs.work(until_empty=True, report=lambda outcome: None) == 1
    assert search(app, "photogrammetrie")["total"] == 1


def test_a_closed_consultation_reopens_with_a_new_closing_date(app, people):
    slug = make_consultation(app, opens_on=today())
    set_dates(app, slug, opens_on=today() - timedelta(9), closes_on=today() - timedelta(1))
    curator = signed_in(app, CURATOR)
    html = curator.get(f"/consultations/{slug}/modifier").get_data(as_text=True)
    import re

    version = re.search(r'name="version"[^>]*value="(\d+)"', html).group(1)
    closes = (today() + timedelta(days=7)).isoformat()
    data = {"csrf_token": csrf_token_from(html), "version": version, "title": "Référentiel PCRS",
            "closes_on": closes, "visibility": "closing"}  # fmt: skip
    assert curator.post(f"/consultations/{slug}/modifier", data=data).status_code == 303
    api = app.test_client().get(f"/api/v1/consultations/{slug}").get_json()
    assert api["state"] == "open"
    # A stale form (the version it was loaded with has moved on) is refused.
    assert curator.post(f"/consultations/{slug}/modifier", data=data).status_code == 409


def test_the_audit_log_names_consultation_events(app, people):
    slug = make_consultation(app, opens_on=today())
    submit_bretagne(app, slug)
    contribution_action(signed_in(app, COORDINATOR), slug, "bretagne", "reprendre")
    contribution_action(signed_in(app, CORSE), slug, "corse", "decliner", reason="Pas ici.")
    close(app, slug)
    publish_synthesis(app, slug)
    page = signed_in(app, CURATOR).get("/curation/journal").get_data(as_text=True)
    for label in ("Consultation créée", "Contribution déposée au nom d", "Contribution reprise",
                  "Consultation déclinée par un CTD", "Synthèse d&#39;une consultation publiée",
                  "Référentiel PCRS — corse"):  # fmt: skip
        assert label in page
    assert f"/consultations/{slug}" in page
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [(e.action, e.actor.email) for e in events[-2:]] == [
            ("consultation.decline", CORSE), ("consultation.synthesis", CURATOR),
        ]  # fmt: skip
        assert events[-2].details["ctd"] == "corse"


@pytest.mark.parametrize("who", [VISITOR, MEMBER, OTHER, COORDINATOR])
def test_only_curators_post_to_the_curator_routes(app, people, who):
    slug = make_consultation(app)
    client = client_for(app, who)
    token = csrf_token_from(client.get("/consultations/").get_data(as_text=True))
    expected = 302 if who is None else 403
    for path in (f"/consultations/{slug}/ouvrir", f"/consultations/{slug}/synthese",
                 f"/consultations/{slug}/modifier", "/consultations/nouvelle",
                 f"/consultations/{slug}/documents/1/supprimer"):  # fmt: skip
        response = client.post(path, data={"csrf_token": token, "version": "1"})
        assert response.status_code == expected, path
    with app.app_context():
        assert db.session.scalar(select(Consultation)).opens_on is None


@pytest.mark.parametrize(("who", "status"), [(VISITOR, 302), (OTHER, 404), (CURATOR, 404)])
def test_outsiders_cannot_act_for_a_ctd(app, people, who, status):
    slug = make_consultation(app, opens_on=today())
    client = client_for(app, who)
    page = f"/consultations/{slug}/contributions/bretagne"
    token = csrf_token_from(client.get("/consultations/").get_data(as_text=True))
    for action in ("deposer", "reprendre", "decliner"):
        response = client.post(f"{page}/{action}", data={"csrf_token": token, "reason": "x"})
        assert response.status_code == status, action


def upload_document(app, slug: str) -> str:
    """A PDF added by the curator through the edit form; its download path."""
    import re

    from cnig_share.demo import sample_files

    curator = signed_in(app, CURATOR)
    html = curator.get(f"/consultations/{slug}/modifier").get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', html).group(1)
    pdf = sample_files.pdf("Note", ["Le calendrier du PCRS."])
    data = {
        "csrf_token": csrf_token_from(html), "version": version, "title": "Référentiel PCRS",
        "questions-0-text": "Le standard répond-il à vos besoins ?",
        "questions-0-kind": "position", "questions-1-text": "Remarques",
        "questions-1-kind": "text", "all_ctds": "y",
        "closes_on": (today() + timedelta(days=20)).isoformat(), "visibility": "closing",
        "documents": (io.BytesIO(pdf), "note.pdf"),
    }  # fmt: skip
    assert curator.post(f"/consultations/{slug}/modifier", data=data).status_code == 303
    page = curator.get(f"/consultations/{slug}").get_data(as_text=True)
    return re.search(r'href="(/consultations/[^"]+/documents/\d+)"', page).group(1)


def bretagne_status(app, slug: str) -> str:
    with app.app_context():
        consultation = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
        return next(c.status for c in consultation.contributions if c.ctd.slug == "bretagne")


def _a_document_in_preparation(app, who) -> int:
    slug = make_consultation(app)
    with client_for(app, who).get(upload_document(app, slug)) as response:
        return response.status_code


def _withdrawing(app, who) -> int:
    slug = make_consultation(app, opens_on=today())
    submit_bretagne(app, slug)
    status = contribution_action(client_for(app, who), slug, "bretagne", "reprendre").status_code
    assert bretagne_status(app, slug) == ("draft" if status == 303 else "submitted")
    return status


def _declining(app, who) -> int:
    slug = make_consultation(app, opens_on=today())
    client = client_for(app, who)
    response = contribution_action(client, slug, "bretagne", "decliner", reason="Pas ce mois-ci.")
    status = response.status_code
    assert bretagne_status(app, slug) == ("declined" if status == 303 else "draft")
    return status


def _the_api_with_a_token_in_preparation(app, who) -> int:
    from tests.test_api import bearer, token_for

    slug = make_consultation(app)
    client, headers = app.test_client(), bearer(token_for(app, who))
    listed = client.get("/api/v1/consultations", headers=headers).get_json()["consultations"]
    detail = client.get(f"/api/v1/consultations/{slug}", headers=headers)
    assert ([c["slug"] for c in listed] == [slug]) == (detail.status_code == 200)
    return detail.status_code


# The routes the other matrices leave out: who gets what.
MATRIX = {
    _a_document_in_preparation: {VISITOR: 404, MEMBER: 404, OTHER: 404, COORDINATOR: 404,
                                 CURATOR: 200},
    # Bretagne has a coordinator: a plain member may draft, not speak for it.
    _withdrawing: {MEMBER: 403, COORDINATOR: 303},
    _declining: {MEMBER: 403, COORDINATOR: 303},
    _the_api_with_a_token_in_preparation: {MEMBER: 404, OTHER: 404, COORDINATOR: 404,
                                           CURATOR: 200},
}  # fmt: skip


@pytest.mark.parametrize(
    ("case", "who", "status"),
    [(case, who, status) for case, row in MATRIX.items() for who, status in row.items()],
    ids=[f"{case.__name__[1:]}-{who or 'visitor'}" for case, row in MATRIX.items() for who in row],
)
def test_the_rest_of_the_permission_matrix(app, people, case, who, status):
    assert case(app, who) == status


def test_a_post_without_csrf_token_is_refused(app, people):
    slug = make_consultation(app, opens_on=today())
    qid = question_ids(app, slug)[1]
    client = signed_in(app, MEMBER)
    page = f"/consultations/{slug}/contributions/bretagne"
    response = client.post(f"{page}/questions/{qid}", data={f"q{qid}-text": "x"})
    assert response.status_code == 400


# --- the list and the CTDs' pages ----------------------------------------------------------


def close(app, slug: str) -> None:
    set_dates(app, slug, opens_on=today() - timedelta(9), closes_on=today() - timedelta(1))


def test_the_list_shows_open_then_closed_then_syntheses(app, people):
    # Made in another order than shown, so the order is the page's.
    concluded = make_consultation(app, opens_on=today(), title="Programme LiDAR HD")
    close(app, concluded)
    publish_synthesis(app, concluded)
    close(app, make_consultation(app, opens_on=today(), title="Référentiel BD Topo"))
    make_consultation(app, title="Standard en préparation")
    make_consultation(app, opens_on=today(), title="Référentiel PCRS")
    titles = ["Référentiel PCRS", "Référentiel BD Topo", "Programme LiDAR HD"]
    headings = ["Ouvertes", "Closes", "Synthèses publiées"]
    page = app.test_client().get("/consultations/").get_data(as_text=True)
    assert "Standard en préparation" not in page
    assert [page.index(t) for t in titles] == sorted(page.index(t) for t in titles)
    assert [page.index(h) for h in headings] == sorted(page.index(h) for h in headings)
    assert [page.index(h) < page.index(t) for h, t in zip(headings, titles, strict=True)] == [
        True
    ] * 3
    # Curators see those in preparation too, after the others.
    mine = signed_in(app, CURATOR).get("/consultations/").get_data(as_text=True)
    assert mine.index("Programme LiDAR HD") < mine.index("Standard en préparation")


def table_rows(html: str, caption: str) -> dict[str, tuple[str, ...]]:
    """The body of the table with this caption, as read: its row heading → its cells."""
    import re

    if caption not in html:
        return {}
    start = html.index(caption)
    rows = {}
    body = html[start : html.index("</table>", start)]
    for row in re.findall(r"<tr><th scope=\"row\".*?</tr>", body, re.S):
        cells = [re.sub(r"<[^>]+>", "", cell).strip()
                 for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]  # fmt: skip
        rows[cells[0]] = tuple(cells[1:])
    return rows


def ctd_table(client, ctd: str) -> dict[str, tuple[str, ...]]:
    """The consultations on a CTD's page: title → (state, the CTD's answer), as read."""
    html = client.get(f"/ctd/{ctd}").get_data(as_text=True)
    return table_rows(html, "Consultations adressées")


def test_a_ctds_page_shows_the_consultations_it_is_asked_to_answer_and_its_answer(app, people):
    drafting = make_consultation(app, opens_on=today(), title="Référentiel PCRS")
    _, q2 = question_ids(app, drafting)
    answer(signed_in(app, MEMBER), drafting, "bretagne", q2, "Un brouillon")
    submit_bretagne(app, make_consultation(app, opens_on=today(), title="Programme LiDAR HD"))
    declined = make_consultation(app, opens_on=today(), title="Standard adresse")
    contribution_action(signed_in(app, COORDINATOR), declined, "bretagne", "decliner",
                        reason="Hors de notre champ.")  # fmt: skip
    close(app, declined)
    make_consultation(app, opens_on=today(), title="Pour la Corse seule", ctds=("corse",))
    make_consultation(app, title="Encore en préparation")
    until = f"Ouverte, jusqu'au {french(today() + timedelta(days=20))}"
    assert ctd_table(app.test_client(), "bretagne") == {
        "Référentiel PCRS": (until, "À déposer"),  # a draft's progress is the CTD's own
        "Programme LiDAR HD": (until, "Contribution déposée"),
        "Standard adresse": ("Close", "Déclinée"),
    }
    # Its members see their own draft as such, and reach it from there.
    member = ctd_table(signed_in(app, MEMBER), "bretagne")
    assert member["Référentiel PCRS"] == (until, "Brouillon")
    assert member["Programme LiDAR HD"][1] == "Déposée"
    page = signed_in(app, MEMBER).get("/ctd/bretagne").get_data(as_text=True)
    assert f'href="/consultations/{drafting}/contributions/bretagne"' in page
    assert set(ctd_table(app.test_client(), "corse")) == {
        "Référentiel PCRS", "Programme LiDAR HD", "Standard adresse", "Pour la Corse seule",
    }  # fmt: skip
    assert ctd_table(app.test_client(), "normandie") == {}
    assert "Encore en préparation" in ctd_table(signed_in(app, CURATOR), "corse")


def french(day: date) -> str:
    from cnig_share.formatting import french_date

    return french_date(day)


# --- the curators' follow-up ------------------------------------------------------------


def test_the_follow_up_shows_each_ctds_progress_and_activity_never_a_drafts_text(app, people):
    from cnig_share.models import AnswerVersion, utcnow

    slug = make_consultation(app, opens_on=today(), ctds=(*CONSULTED, "normandie"))
    _, q2 = question_ids(app, slug)
    submit_bretagne(app, slug, text="Texte déposé par la Bretagne")
    answer(signed_in(app, OTHER), slug, "occitanie", q2, "Brouillon occitan confidentiel")
    with app.app_context():  # Occitanie's draft was last touched three days ago
        version = db.session.scalar(select(AnswerVersion).where(AnswerVersion.text.like("Brou%")))
        version.created_at = utcnow() - timedelta(days=3)
        db.session.commit()
    contribution_action(signed_in(app, CORSE), slug, "corse", "decliner", reason="Pas de PCRS.")
    curator = signed_in(app, CURATOR)
    response = curator.get(f"/consultations/{slug}/suivi")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert table_rows(html, "Avancement par CTD consulté") == {
        "CTD Bretagne": ("Déposée", french(today())),
        "CTD Corse": ("Déclinée : Pas de PCRS.", french(today())),
        "CTD Normandie": ("Non commencée", "—"),
        "CTD Occitanie": ("En cours de rédaction", french(today() - timedelta(days=3))),
    }
    assert "Brouillon occitan" not in html
    # Positions over the submitted contributions: the chart and its table.
    assert '<svg class="cs-chart" role="img"' in html
    assert "Favorable avec réserves 1" in html  # the chart's title names its figures
    counted = table_rows(html, "Positions des CTD, question 1")
    assert counted["Favorable avec réserves"] == ("1",) and counted["Défavorable"] == ("0",)
    # The CSV of every submitted answer, linked from there; still no draft.
    assert f'href="/consultations/{slug}/reponses.csv"' in html
    table = curator.get(f"/consultations/{slug}/reponses.csv").get_data(as_text=True)
    assert "Texte déposé par la Bretagne" in table and "Brouillon occitan" not in table


@pytest.mark.parametrize("typed", ["\t=1+2", '\r=HYPERLINK("http://x.example")', "\r\n@SUM(A1)"])
def test_an_answer_starting_with_a_tab_or_a_carriage_return_is_text_in_the_csv(app, people, typed):
    """A textarea keeps a leading tab or line break, which a spreadsheet takes for the
    start of a formula (OWASP CSV injection): the cell gets a quote in front."""
    slug = make_consultation(app, opens_on=today())
    submit_bretagne(app, slug, typed + " Position de la Bretagne")
    curator = signed_in(app, CURATOR)
    text = curator.get(f"/consultations/{slug}/reponses.csv").get_data().decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
    (answer,) = [cell for cell in cells if "Position de la Bretagne" in cell]
    assert answer[:2] == "'" + typed[0], repr(answer)  # the text as typed, quoted
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in cells)
