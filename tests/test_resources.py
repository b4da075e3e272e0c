"""Writing resources, their life cycle, revisions and who may do what."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cnig_share.demo import sample_files
from cnig_share.extensions import db
from cnig_share.models import Attachment, AuditEvent, Resource, Revision
from tests import factories
from tests.conftest import AuthActions, csrf_token_from

MEMBER = "membre@bretagne.fr"
OTHER = "membre@corse.fr"
CURATOR = "veille@cnig.fr"
ADMIN = "admin@cnig.fr"


@pytest.fixture
def people(make_user):
    make_user(MEMBER, "member", ("bretagne",), name="Maël")
    make_user(OTHER, "member", ("corse",))
    make_user(CURATOR, "curator", name="Dominique")
    make_user(ADMIN, "admin")


def signed_in(app, email: str | None):
    client = app.test_client()
    if email:
        assert AuthActions(client).login(email).status_code == 303
    return client


def post(client, url: str, data: dict | None = None, **kwargs):
    """A POST with the CSRF token a page of the site carries."""
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **(data or {})}, **kwargs)


def status_of(app, resource_id: int) -> str:
    with app.app_context():
        return db.session.get(Resource, resource_id).status


# --- permission matrix ------------------------------------------------------------------

ACTORS = {"visitor": None, "member": MEMBER, "other": OTHER, "curator": CURATOR, "admin": ADMIN}

# (action, starting state, {actor: (expected HTTP status, expected state after)})
MATRIX = [
    ("soumettre", "draft", {
        "visitor": (302, "draft"), "member": (303, "submitted"), "other": (404, "draft"),
        "curator": (303, "submitted"), "admin": (303, "submitted")}),
    ("publier", "submitted", {
        "visitor": (302, "submitted"), "member": (403, "submitted"), "other": (404, "submitted"),
        "curator": (303, "published"), "admin": (303, "published")}),
    ("renvoyer", "submitted", {
        "visitor": (302, "submitted"), "member": (403, "submitted"), "other": (404, "submitted"),
        "curator": (303, "draft"), "admin": (303, "draft")}),
    ("archiver", "published", {
        "visitor": (302, "published"), "member": (403, "published"), "other": (403, "published"),
        "curator": (303, "archived"), "admin": (303, "archived")}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("action", "state", "actor", "expected"),
    [(a, s, actor, exp) for a, s, table in MATRIX for actor, exp in table.items()],
)
def test_transition_permissions(app, people, action, state, actor, expected):
    with app.app_context():
        resource_id = factories.resource(status=state)
    client = signed_in(app, ACTORS[actor])
    data = {"comment": "À revoir.", "confirmed": "1"}  # archiving asks first (tested below)
    response = post(client, f"/ressources/{resource_id}/{action}", data)
    assert (response.status_code, status_of(app, resource_id)) == expected


@pytest.mark.parametrize(
    ("actor", "expected"),
    [("visitor", 404), ("member", 200), ("other", 404), ("curator", 200), ("admin", 200)],
)
@pytest.mark.parametrize("state", ["draft", "submitted", "archived"])
def test_who_sees_an_unpublished_resource(app, people, actor, expected, state):
    with app.app_context():
        resource_id = factories.resource(title="Pas encore public", status=state)
    response = signed_in(app, ACTORS[actor]).get(f"/ressources/{resource_id}")
    if state == "archived" and actor == "member":
        expected = 200  # its own CTD keeps seeing it
    assert response.status_code == expected
    assert ("Pas encore public" in response.get_data(as_text=True)) == (expected == 200)


@pytest.mark.parametrize(
    ("actor", "expected"),
    [("visitor", 302), ("member", 200), ("other", 404), ("curator", 200), ("admin", 200)],
)
def test_who_may_edit_a_draft(app, people, actor, expected):
    with app.app_context():
        resource_id = factories.resource()
    response = signed_in(app, ACTORS[actor]).get(f"/ressources/{resource_id}/modifier")
    assert response.status_code == expected


def test_other_ctd_member_cannot_edit_a_published_resource(app, people):
    with app.app_context():
        resource_id = factories.resource(status="published")
    client = signed_in(app, OTHER)
    assert client.get(f"/ressources/{resource_id}/modifier").status_code == 403


@pytest.mark.parametrize(
    ("actor", "expected"),
    [("visitor", 302), ("member", 403), ("other", 403), ("curator", 303), ("admin", 303)],
)
def test_who_may_feature(app, people, actor, expected):
    with app.app_context():
        resource_id = factories.resource(status="published")
    response = post(signed_in(app, ACTORS[actor]), f"/ressources/{resource_id}/mettre-a-la-une")
    assert response.status_code == expected
    with app.app_context():
        assert db.session.get(Resource, resource_id).featured == (expected == 303)


@pytest.mark.parametrize(
    ("actor", "expected"),
    [("visitor", 404), ("member", 200), ("other", 404), ("curator", 200), ("admin", 200)],
)
def test_who_may_download_an_attachment_of_a_draft(app, people, actor, expected):
    member = signed_in(app, MEMBER)
    response = create(
        member, files=[(sample_files.pdf("Secret", ["Texte du brouillon."]), "n.pdf")]
    )
    resource_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        attachment_id = db.session.scalar(select(Attachment.id))
    url = f"/ressources/{resource_id}/pieces-jointes/{attachment_id}"
    response = signed_in(app, ACTORS[actor]).get(url)
    response.close()
    assert response.status_code == expected


def test_wrong_state_is_a_conflict(app, people):
    with app.app_context():
        resource_id = factories.resource(status="draft")
    response = post(signed_in(app, CURATOR), f"/ressources/{resource_id}/archiver")
    assert response.status_code == 409
    assert "brouillon" in response.get_data(as_text=True)


def test_transition_without_csrf_token_is_rejected(app, people):
    with app.app_context():
        resource_id = factories.resource(status="submitted")
    client = signed_in(app, CURATOR)
    response = client.post(f"/ressources/{resource_id}/publier")
    assert response.status_code == 400
    assert status_of(app, resource_id) == "submitted"


def test_unknown_action_is_a_404(app, people):
    with app.app_context():
        resource_id = factories.resource(status="submitted")
    assert post(signed_in(app, CURATOR), f"/ressources/{resource_id}/detruire").status_code == 404


def test_transitions_are_audited_with_their_author(app, people):
    with app.app_context():
        resource_id = factories.resource(status="submitted")
    post(signed_in(app, CURATOR), f"/ressources/{resource_id}/publier")
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "resource.publish"))
        assert event.target_id == resource_id
        assert event.actor.email == CURATOR


# --- return with a comment --------------------------------------------------------------


def test_returned_submission_shows_the_curators_comment_to_its_authors(app, people):
    with app.app_context():
        resource_id = factories.resource(status="submitted")
    comment = "Précisez les sources des chiffres\net ajoutez le cahier des charges."
    response = post(
        signed_in(app, CURATOR), f"/ressources/{resource_id}/renvoyer", {"comment": comment}
    )
    assert response.status_code == 303
    assert status_of(app, resource_id) == "draft"
    html = signed_in(app, MEMBER).get(f"/ressources/{resource_id}").get_data(as_text=True)
    assert "Renvoyée par l'équipe du CNIG" in html
    assert "Précisez les sources des chiffres" in html


def test_return_without_comment_is_refused(app, people):
    with app.app_context():
        resource_id = factories.resource(status="submitted")
    response = post(
        signed_in(app, CURATOR), f"/ressources/{resource_id}/renvoyer", {"comment": " "}
    )
    assert response.status_code == 422
    assert "Expliquez aux auteurs" in response.get_data(as_text=True)
    assert status_of(app, resource_id) == "submitted"


# --- the form -----------------------------------------------------------------------------


def form_data(**overrides) -> dict:
    data = {
        "title": "Mutualiser le PCRS à l'échelle départementale",
        "summary": "Un marché commun pour huit intercommunalités.",
        "body": "## Contexte\n\nDes **économies** réelles.",
        "kind": "retour-experience",
        "ctd": "bretagne",
        "licence": "Licence Ouverte 2.0",
        "links-0-title": "CNIG",
        "links-0-url": "https://cnig.gouv.fr",
    }
    data.update(overrides)
    return data


def create(client, files: list[tuple[bytes, str]] = (), **overrides):
    token = csrf_token_from(client.get("/ressources/nouvelle").get_data(as_text=True))
    data = {"csrf_token": token, **form_data(**overrides)}
    if files:
        data["attachments"] = [(io.BytesIO(content), name) for content, name in files]
    return client.post("/ressources/nouvelle", data=data, content_type="multipart/form-data")


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)))


def test_member_creates_a_draft_for_its_ctd(app, people):
    client = signed_in(app, MEMBER)
    with app.app_context():
        mutualisation = factories.term("mutualisation").id
    response = create(client, terms=[str(mutualisation)])
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "La ressource est enregistrée en brouillon." in page
    assert "<h2>Contexte</h2>" in page
    assert 'href="https://cnig.gouv.fr"' in page
    with app.app_context():
        resource = db.session.scalar(select(Resource))
        assert resource.status == "draft"
        assert resource.author.email == MEMBER
        assert [t.slug for t in resource.terms] == ["mutualisation"]
        assert [(link.title, link.url) for link in resource.links] == [
            ("CNIG", "https://cnig.gouv.fr")
        ]


def test_missing_title_keeps_what_was_typed_and_answers_422(app, people):
    response = create(signed_in(app, MEMBER), title="", summary="Résumé déjà saisi")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Donnez un titre à la ressource." in html
    assert "Résumé déjà saisi" in html
    assert count(app, Resource) == 0


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,x", "ftp://x.fr/a", "pas une url"]
)
def test_links_must_be_web_addresses(app, people, url):
    response = create(signed_in(app, MEMBER), **{"links-0-url": url})
    assert response.status_code == 422
    assert "commençant par https://" in response.get_data(as_text=True)
    assert count(app, Resource) == 0


def test_member_cannot_post_for_another_ctd(app, people):
    response = create(signed_in(app, MEMBER), ctd="corse")
    assert response.status_code == 422
    assert count(app, Resource) == 0


def test_unknown_term_is_refused(app, people):
    response = create(signed_in(app, MEMBER), terms=["999999"])
    assert response.status_code == 422
    assert count(app, Resource) == 0


def test_visitor_is_sent_to_sign_in_to_create(client):
    response = client.get("/ressources/nouvelle")
    assert response.status_code == 302
    assert "/connexion" in response.headers["Location"]


def test_member_without_ctd_cannot_create(app, make_user):
    make_user("seul@exemple.fr")
    assert signed_in(app, "seul@exemple.fr").get("/ressources/nouvelle").status_code == 403


def test_preview_button_works_without_javascript(app, people):
    client = signed_in(app, MEMBER)
    response = create(client, action="preview", body="**gras** <script>alert(1)</script>")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<strong>gras</strong>" in html
    assert "<script>alert(1)" not in html
    assert count(app, Resource) == 0


def test_live_preview_uses_the_page_renderer(app, people):
    client = signed_in(app, MEMBER)
    response = post(
        client,
        "/ressources/nouvelle",
        {"action": "preview", "body": "# Titre\n\n[x](javascript:alert(1))"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    # A first-level title belongs to the page: the text keeps its words, not the <h1>.
    assert "Titre" in html and "<h1" not in html
    assert "javascript:" not in html
    assert "<html" not in html


@pytest.mark.parametrize("htmx", [True, False])
def test_term_picker_finds_terms_by_alternative_label(app, people, htmx):
    client = signed_in(app, MEMBER)
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get("/ressources/nouvelle?action=terms&term_query=open+DATA", headers=headers)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "donnée ouverte" in html
    assert "trouvé par « open data »" in html
    assert "jumeau numérique de territoire" not in html
    assert ("<html" in html) is not htmx
    assert response.vary == ["HX-Request"] or "HX-Request" in response.headers["Vary"]


def test_term_picker_keeps_checked_terms(app, people):
    with app.app_context():
        ia = factories.term("intelligence-artificielle").id
    html = (
        signed_in(app, MEMBER)
        .get(
            f"/ressources/nouvelle?action=terms&term_query=adresse&terms={ia}",
            headers={"HX-Request": "true"},
        )
        .get_data(as_text=True)
    )
    assert f'value="{ia}" checked' in html


def test_form_without_javascript_offers_every_term(app, people):
    html = signed_in(app, MEMBER).get("/ressources/nouvelle").get_data(as_text=True)
    assert html.count('name="terms"') == 13


# --- markdown and XSS -------------------------------------------------------------------

XSS_BODIES = [
    "<script>alert('x')</script>",
    '<img src="/x.png" onerror="alert(1)">',
    '<a href="#" onclick="alert(1)">clic</a>',
    "[lien](javascript:alert(1))",
    "[lien](JaVaScRiPt:alert(1))",
    "[lien](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<style>body{display:none}</style>",
    '<p style="position:fixed">x</p>',
    '<iframe src="https://evil.example"></iframe>',
    "![pisteur](https://evil.example/pixel.png)",
    '<svg onload="alert(1)"></svg>',
    "<body onload=alert(1)>",
]


@pytest.mark.parametrize("body", XSS_BODIES)
def test_no_script_survives_in_the_body(app, people, body):
    client = signed_in(app, MEMBER)
    response = create(client, body=body)
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    article = html.split('<div class="cs-prose">', 1)[1].split("</div>", 1)[0]
    lowered = article.lower()
    for needle in [
        "<script",
        "onerror",
        "onclick",
        "onload",
        "javascript:",
        "data:text",
        "<style",
        "style=",
        "<iframe",
        "evil.example",
        "<svg",
    ]:
        assert needle not in lowered, (needle, article)


def test_external_links_in_markdown_get_rel_noopener(app, people):
    client = signed_in(app, MEMBER)
    response = create(client, body="[CNIG](https://cnig.gouv.fr)")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<a href="https://cnig.gouv.fr" rel="noopener nofollow">CNIG</a>' in html


def test_title_and_summary_are_plain_text(app, people):
    client = signed_in(app, MEMBER)
    response = create(client, title="<script>alert(1)</script>Titre", summary="<b>gras</b>")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Titre" in html
    assert "&lt;b&gt;gras&lt;/b&gt;" in html


# --- uploads ------------------------------------------------------------------------------


def uploads(app) -> list[Path]:
    return [p for p in Path(app.config["UPLOAD_PATH"]).rglob("*") if p.is_file()]


def test_pdf_docx_and_odt_text_is_extracted(app, people):
    files = [
        (
            sample_files.pdf("Guide", ["Page un : adressage.", "x " * 8000, "Fin sur PCRS."]),
            "guide.pdf",
        ),
        (sample_files.docx("Compte rendu", ["Jumeau numérique de Rennes."]), "cr.docx"),
        (sample_files.odt("Note", ["Orthophotographie mutualisée."]), "note.odt"),
    ]
    client = signed_in(app, MEMBER)
    response = create(client, files=files)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert page.count("Texte en cours d'extraction") == 3
    assert factories.run_extraction(app) == 3
    with app.app_context():
        by_name = {a.original_name: a for a in db.session.scalars(select(Attachment))}
        pdf = by_name["guide.pdf"]
        assert pdf.media_type == "application/pdf"
        assert pdf.extraction == "done"
        assert "adressage" in pdf.text
        assert len(pdf.pages) >= 2
        assert pdf.pages[0]["page"] == 1
        assert "PCRS" in pdf.pages[-1]["text"]
        assert "Jumeau numérique de Rennes." in by_name["cr.docx"].text
        assert "Orthophotographie mutualisée." in by_name["note.odt"].text
    assert len(uploads(app)) == 3


def test_resource_page_lists_attachments_and_downloads_them_safely(app, people):
    client = signed_in(app, MEMBER)
    content = sample_files.pdf("Guide", ["Texte."])
    response = create(client, files=[(content, "Guide d'adressage 2026.pdf")])
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Guide d&#39;adressage 2026.pdf" in page
    assert "PDF –" in page
    with app.app_context():
        attachment = db.session.scalar(select(Attachment))
        url = f"/ressources/{attachment.resource_id}/pieces-jointes/{attachment.id}"
    download = client.get(url)
    body = download.get_data()
    download.close()
    assert download.status_code == 200
    assert body == content
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_executable_renamed_pdf_is_refused_and_nothing_is_stored(app, people):
    elf = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
    response = create(signed_in(app, MEMBER), files=[(elf, "rapport.pdf")])
    assert response.status_code == 422
    assert "n&#39;est pas d&#39;un format accepté" in response.get_data(as_text=True)
    assert count(app, Resource) == 0
    assert uploads(app) == []


def test_file_over_the_limit_is_a_french_413_and_nothing_is_stored(app, people):
    app.config["ATTACHMENT_MAX_SIZE"] = 1000
    response = create(signed_in(app, MEMBER), files=[(b"x" * 1001, "gros.txt")])
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "Fichier trop volumineux" in html
    assert "dépasse la taille maximale de 1000 octets" in html or "1\u202f000 octets" in html
    assert count(app, Resource) == 0
    assert uploads(app) == []


def test_request_over_the_total_limit_is_a_french_413(app, people):
    app.config["MAX_CONTENT_LENGTH"] = 5000
    response = create(signed_in(app, MEMBER), files=[(b"x" * 6000, "gros.txt")])
    assert response.status_code == 413
    assert "Fichier trop volumineux" in response.get_data(as_text=True)
    assert count(app, Resource) == 0


def test_path_traversal_in_a_name_has_no_effect(app, people, tmp_path):
    response = create(signed_in(app, MEMBER), files=[(b"du texte", "../../x.txt")])
    assert response.status_code == 303
    stored = uploads(app)
    assert len(stored) == 1
    assert Path(app.config["UPLOAD_PATH"]) in stored[0].parents
    assert not (Path(app.config["UPLOAD_PATH"]).parent.parent / "x.txt").exists()
    with app.app_context():
        assert db.session.scalar(select(Attachment.original_name)) == "x.txt"


def test_broken_pdf_is_kept_and_flagged(app, people):
    client = signed_in(app, MEMBER)
    response = create(client, files=[(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "casse.pdf")])
    assert response.status_code == 303
    factories.run_extraction(app)
    with app.app_context():
        attachment = db.session.scalar(select(Attachment))
        assert attachment.extraction == "failed"
        assert attachment.media_type == "application/pdf"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Texte non extrait (fichier endommagé ou illisible)" in page


def test_deleting_an_attachment_removes_its_file(app, people):
    client = signed_in(app, MEMBER)
    response = create(client, files=[(b"a;b\n1;2\n", "tableau.csv")])
    resource_id = int(response.headers["Location"].rsplit("/", 1)[1])
    (path,) = uploads(app)
    with app.app_context():
        attachment_id = db.session.scalar(select(Attachment.id))
    url = f"/ressources/{resource_id}/pieces-jointes/{attachment_id}/supprimer"
    response = post(client, url, {"confirmed": "1"})
    assert response.status_code == 303
    assert not path.exists()
    assert count(app, Attachment) == 0


def test_other_member_cannot_delete_an_attachment(app, people):
    response = create(signed_in(app, MEMBER), files=[(b"texte", "a.txt")])
    resource_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        attachment_id = db.session.scalar(select(Attachment.id))
    url = f"/ressources/{resource_id}/pieces-jointes/{attachment_id}/supprimer"
    assert post(signed_in(app, OTHER), url).status_code == 404
    assert count(app, Attachment) == 1


# --- revisions ----------------------------------------------------------------------------


def edit(client, resource_id: int, **overrides):
    page = client.get(f"/ressources/{resource_id}/modifier").get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(page), **form_data(**overrides)}
    return client.post(f"/ressources/{resource_id}/modifier", data=data)


def test_editing_a_published_resource_keeps_revisions_and_a_curator_restores_one(app, people):
    member = signed_in(app, MEMBER)
    curator = signed_in(app, CURATOR)
    resource_id = int(
        create(member, body="Première version.").headers["Location"].rsplit("/", 1)[1]
    )
    post(member, f"/ressources/{resource_id}/soumettre")
    post(curator, f"/ressources/{resource_id}/publier")
    assert edit(member, resource_id, body="Deuxième version.\nAvec une ligne.").status_code == 303

    with app.app_context():
        revisions = db.session.scalars(select(Revision).order_by(Revision.id)).all()
        assert len(revisions) == 2
        assert revisions[1].changes["body"] == {
            "old": "Première version.",
            "new": "Deuxième version.\nAvec une ligne.",
        }
        assert revisions[1].author.email == MEMBER
        first, second = revisions[0].id, revisions[1].id

    history = member.get(f"/ressources/{resource_id}/historique").get_data(as_text=True)
    assert "Maël" in history
    assert "contenu" in history
    assert "Restaurer" not in history  # members do not restore

    diff = member.get(f"/ressources/{resource_id}/historique/comparer?de={first}&a={second}")
    html = diff.get_data(as_text=True)
    assert (
        '<del class="cs-del"><span class="fr-sr-only">Retiré : </span>Première version.</del>'
        in html
    )
    assert (
        '<ins class="cs-ins"><span class="fr-sr-only">Ajouté : </span>Avec une ligne.</ins>' in html
    )

    assert (
        post(member, f"/ressources/{resource_id}/historique/{first}/restaurer").status_code == 403
    )
    response = post(curator, f"/ressources/{resource_id}/historique/{first}/restaurer")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Resource, resource_id).body == "Première version."
        assert db.session.scalar(select(func.count(Revision.id))) == 3


def test_editing_a_draft_keeps_no_revision(app, people):
    member = signed_in(app, MEMBER)
    resource_id = int(create(member).headers["Location"].rsplit("/", 1)[1])
    assert edit(member, resource_id, title="Autre titre").status_code == 303
    assert count(app, Revision) == 0


def test_compare_with_bad_parameters_is_a_400_not_a_500(app, people):
    with app.app_context():
        resource_id = factories.resource(status="published")
    client = signed_in(app, None)
    assert client.get(f"/ressources/{resource_id}/historique/comparer?de=x&a=1").status_code == 400
    assert client.get(f"/ressources/{resource_id}/historique/comparer?de=1&a=2").status_code == 404


def test_form_messages_are_french_even_for_tampered_choices(app, people):
    response = create(signed_in(app, MEMBER), terms=["abc"], kind="inconnu", licence="x")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Choisissez le type de ressource." in html
    assert "not a valid choice" not in html
    assert "Invalid choice" not in html
    assert "choix" in html  # WTForms' French message for the tampered fields


def test_edit_keeps_an_unlisted_licence(app, people):
    with app.app_context():
        resource_id = factories.resource(licence="Licence ouverte régionale 2019")
    member = signed_in(app, MEMBER)
    page = member.get(f"/ressources/{resource_id}/modifier").get_data(as_text=True)
    assert "Licence ouverte régionale 2019" in page
    response = edit(member, resource_id, licence="Licence ouverte régionale 2019")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Resource, resource_id).licence == "Licence ouverte régionale 2019"
