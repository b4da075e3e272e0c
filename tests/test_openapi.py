"""The OpenAPI 3.1 document: valid, and true to the live application. Every
documented operation is called (with successes and errors) and each answer is
checked against the document by openapi-core."""

from __future__ import annotations

import io

import pytest
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_spec_validator import validate
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from cnig_share.demo import sample_files
from tests import factories


@pytest.fixture
def app(make_app):
    from cnig_share.database import ensure_reference_data
    from cnig_share.extensions import db
    from cnig_share.search import sync

    app = make_app(PUBLIC_URL="http://localhost")
    with app.app_context():
        db.create_all()
        ensure_reference_data()
        sync.rebuild()
    return app


def _bare(request: Request) -> Request:
    """The same request without its body (already read by the app): the
    response is what is checked, against the operation the request names."""
    builder = EnvironBuilder(
        method=request.method, path=request.path, query_string=request.query_string.decode(),
        base_url="http://localhost",
    )  # fmt: skip
    return Request(builder.get_environ())


def test_the_document_is_valid_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    document = response.get_json()
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_every_documented_operation_answers_as_documented(app, client, make_user):
    document = client.get("/api/v1/openapi.json").get_json()
    spec = OpenAPI.from_dict(document)
    make_user("membre@bretagne.example.org", ctds=("bretagne",))
    make_user("veille@cnig.example.org", role="curator")
    runner = app.test_cli_runner()
    member = {
        "Authorization": "Bearer "
        + runner.invoke(args=["create-token", "membre@bretagne.example.org"]).output.strip()
    }
    curator = {"Authorization": "Bearer " + runner.invoke(
        args=["create-token", "veille@cnig.example.org"]).output.strip()}  # fmt: skip
    with app.app_context():
        published = factories.resource("Publiée", status="published")
    called: set[tuple[str, str]] = set()

    def call(method: str, template: str, url: str, status: int, **kwargs):
        response = getattr(client, method)("/api/v1" + url, **kwargs)
        assert response.status_code == status, (url, response.get_data(as_text=True))
        if status != 304:
            spec.validate_response(
                WerkzeugOpenAPIRequest(_bare(response.request)), WerkzeugOpenAPIResponse(response)
            )
        called.add((template, method))
        return response

    new = {"title": "Nouvelle", "kind": "document", "ctd": "bretagne", "terms": ["IA"]}
    call("get", "/search", "/search?q=publi%C3%A9e&kind=document", 200)
    call("get", "/glossary", "/glossary", 200)
    call("get", "/ctds", "/ctds", 200)
    call("get", "/resources", "/resources?per_page=1", 200)
    call("get", "/resources", "/resources?page=0", 400)
    call("get", "/resources", "/resources", 401, headers={"Authorization": "Bearer cnig_x"})
    one = call("get", "/resources/{id}", f"/resources/{published}", 200)
    call("get", "/resources/{id}", f"/resources/{published}", 304,
         headers={"If-None-Match": one.headers["ETag"]})  # fmt: skip
    call("get", "/resources/{id}", "/resources/999999", 404)
    created = call("post", "/resources", "/resources", 201, json=new, headers=member).get_json()
    call("post", "/resources", "/resources", 401, json=new)
    call("post", "/resources", "/resources", 403, json={**new, "status": "published"},
         headers=member)  # fmt: skip
    call("post", "/resources", "/resources", 422, json={"title": ""}, headers=member)
    call("post", "/resources", "/resources", 415, data="x", headers=member)
    call("post", "/resources", "/resources", 400, data="{", content_type="application/json",
         headers=member)  # fmt: skip
    rid = created["id"]
    call("patch", "/resources/{id}", f"/resources/{rid}", 200, json={"summary": "Résumé."},
         headers=member)  # fmt: skip
    call("patch", "/resources/{id}", f"/resources/{rid}", 422, json={"kind": "x"},
         headers=member)  # fmt: skip
    call("patch", "/resources/{id}", f"/resources/{rid}", 412, json={"summary": "Autre."},
         headers={**member, "If-Match": '"0-v0"'})  # fmt: skip
    pdf = sample_files.pdf("Guide", ["Texte."])
    call("post", "/resources/{id}/attachments", f"/resources/{rid}/attachments", 201,
         data={"file": (io.BytesIO(pdf), "guide.pdf")}, headers=member)  # fmt: skip
    call("post", "/resources/{id}/attachments", f"/resources/{rid}/attachments", 415,
         data={"file": (io.BytesIO(b"MZ" * 99), "x.exe")}, headers=member)  # fmt: skip
    call("post", "/resources/{id}/submit", f"/resources/{rid}/submit", 200, headers=member)
    call("patch", "/resources/{id}", f"/resources/{rid}", 409, json={"status": "draft"},
         headers=member)  # fmt: skip
    call("post", "/resources/{id}/publish", f"/resources/{rid}/publish", 403, headers=member)
    call("post", "/resources/{id}/return", f"/resources/{rid}/return", 422,
         json={"comment": ""}, headers=curator)  # fmt: skip
    call("post", "/resources/{id}/return", f"/resources/{rid}/return", 200,
         json={"comment": "Précisez."}, headers=curator)  # fmt: skip
    call("post", "/resources/{id}/publish", f"/resources/{rid}/publish", 200, headers=curator)
    call("post", "/resources/{id}/archive", f"/resources/{rid}/archive", 200, headers=curator)
    call("post", "/resources/{id}/archive", f"/resources/{rid}/archive", 409, headers=curator)

    with app.app_context():
        factories.workspace(curator="veille@cnig.example.org")
    call("get", "/ctds/{slug}/projects", "/ctds/bretagne/projects", 200)
    call("get", "/ctds/{slug}/projects", "/ctds/nulle-part/projects", 404)
    call("get", "/costs", "/costs?year=2026&ctd=bretagne", 200)
    call("get", "/costs", "/costs?year=deux", 400)

    with app.app_context():  # a thread with a message, for the schema of a discussion
        from cnig_share.discussions import services, subjects
        from cnig_share.extensions import db
        from cnig_share.models import Resource

        subject = subjects.of_resource(db.session.get(Resource, published))
        services.start_thread(
            subject, "Question", "**Texte**", factories.user("veille@cnig.example.org")
        )
        db.session.commit()
    listed = call("get", "/discussions", "/discussions?ctd=bretagne", 200).get_json()
    assert listed["discussions"][0]["messages"][0]["body_html"]
    call("get", "/discussions", "/discussions?since=hier", 400)
    call("get", "/resources/{id}/discussions", f"/resources/{published}/discussions", 200)
    call("get", "/resources/{id}/discussions", "/resources/999999/discussions", 404)
    call("get", "/resources/{id}/discussions", f"/resources/{published}/discussions?page=0", 400)
    opened = factories.consultation(app, "veille@cnig.example.org", "Consultation ouverte")
    hidden = factories.consultation(
        app, "veille@cnig.example.org", "En préparation", opens_today=False
    )
    call("get", "/consultations", "/consultations?state=open&ctd=bretagne", 200)
    call("get", "/consultations", "/consultations?state=bientot", 400)
    call("get", "/consultations/{slug}", f"/consultations/{opened}", 200)
    call("get", "/consultations/{slug}", f"/consultations/{hidden}", 404)
    call("get", "/consultations/{slug}", f"/consultations/{hidden}", 200, headers=curator)

    documented = {(path, method) for path, item in document["paths"].items() for method in item}
    assert documented == called
