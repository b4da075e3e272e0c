"""A resource's field limits and web-address rule are defined once: what the
OpenAPI document states is what the form and the import/API refuse one
character further, and the cases where they used to differ now agree."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import AuthActions, csrf_token_from

MEMBER = "membre@bretagne.example.org"
VALID = {"title": "Titre", "kind": "document", "ctd": "bretagne"}


@pytest.fixture
def member(app, make_user):
    make_user(MEMBER, ctds=("bretagne",))
    result = app.test_cli_runner().invoke(args=["create-token", MEMBER, "--name", "tests"])
    client = app.test_client()
    AuthActions(client).login(MEMBER)
    client.environ_base["HTTP_AUTHORIZATION"] = "Bearer " + result.output.strip()
    return client


def openapi(client) -> dict:
    return client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]


def post_form(client, **fields) -> int:
    token = csrf_token_from(client.get("/ressources/nouvelle").get_data(as_text=True))
    data = {"csrf_token": token, "licence": "Licence Ouverte 2.0", **VALID, **fields}
    return client.post("/ressources/nouvelle", data=data).status_code


def post_api(client, **fields):
    return client.post("/api/v1/resources", json={**VALID, **fields})


@pytest.mark.parametrize("name", ["title", "summary", "body"])
def test_a_text_at_its_documented_limit_passes_and_one_more_character_fails(member, name):
    limit = openapi(member)["ResourceInput"]["properties"][name]["maxLength"]
    assert post_api(member, **{name: "a" * limit}).status_code == 201
    refused = post_api(member, **{name: "a" * (limit + 1)})
    assert refused.status_code == 422
    assert {"field": name, "message": f"{limit} caractères au plus"} in (
        refused.get_json()["error"]["fields"]
    )
    assert post_form(member, **{name: "a" * limit}) == 303
    assert post_form(member, **{name: "a" * (limit + 1)}) == 422


def test_the_licence_limit_is_the_documented_one(member):
    limit = openapi(member)["ResourceInput"]["properties"]["licence"]["maxLength"]
    assert post_api(member, licence="L" * limit).status_code == 201
    assert post_api(member, licence="L" * (limit + 1)).status_code == 422


@pytest.mark.parametrize("name", ["title", "url"])
def test_a_link_at_its_documented_limit_passes_and_one_more_character_fails(member, name):
    limit = openapi(member)["Link"]["properties"][name]["maxLength"]
    url = "https://cnig.gouv.fr/"

    def link(length: int) -> dict[str, str]:
        if name == "title":
            return {"title": "t" * length, "url": url}
        return {"title": "Lien", "url": url + "a" * (length - len(url))}

    assert post_api(member, links=[link(limit)]).status_code == 201
    assert post_api(member, links=[link(limit + 1)]).status_code == 422
    form = {f"links-0-{key}": value for key, value in link(limit).items()}
    assert post_form(member, **form) == 303
    form = {f"links-0-{key}": value for key, value in link(limit + 1).items()}
    assert post_form(member, **form) == 422


def test_an_address_padded_past_its_limit_is_refused_by_the_api_as_by_the_form(member):
    # The import used to measure the address after trimming it, the form before.
    limit = openapi(member)["Link"]["properties"]["url"]["maxLength"]
    url = "https://cnig.gouv.fr/" + "a" * (limit - 21) + " "
    assert len(url) == limit + 1
    assert post_api(member, links=[{"url": url}]).status_code == 422
    assert post_form(member, **{"links-0-url": url}) == 422


def test_no_more_links_than_the_form_can_show_are_imported(app, member):
    # An import with 21 links left a resource whose edit page failed (WTForms'
    # FieldList holds max_entries rows at most).
    most = openapi(member)["ResourceInput"]["properties"]["links"]["maxItems"]
    links = [{"url": f"https://cnig.gouv.fr/{n}"} for n in range(most + 1)]
    refused = post_api(member, links=links)
    assert refused.status_code == 422
    assert refused.get_json()["error"]["fields"] == [
        {"field": "links", "message": f"{most} liens au plus"}
    ]
    created = post_api(member, links=links[:most])
    assert created.status_code == 201
    edit = member.get(f"/ressources/{created.get_json()['id']}/modifier")
    assert edit.status_code == 200
    assert edit.get_data(as_text=True).count('name="links-') >= most


@pytest.mark.parametrize(
    "url",
    [
        "https://cnig.gouv.fr",
        "HTTPS://cnig.gouv.fr/x?y#z",
        "https://u:p@cnig.gouv.fr:8080/x",
        "http://[::1]:8080/",
        "http://:80/",  # a port without a host: the old pattern let it through
        "https://user@/",
        "http://[",
        "http://a\x01b.fr",
        "javascript:alert(1)",
        "ftp://cnig.gouv.fr",
    ],
)
def test_the_documented_pattern_agrees_with_the_rule(member, url):
    pattern = openapi(member)["Link"]["properties"]["url"]["pattern"]
    accepted = post_api(member, links=[{"url": url}]).status_code == 201
    assert bool(re.search(pattern, url)) == accepted


def test_the_glossary_download_is_the_exported_file_in_the_sites_csv_shape(app, client, tmp_path):
    target = tmp_path / "glossaire.csv"
    result = app.test_cli_runner().invoke(
        args=["glossary", "export", str(target), "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    response = client.get("/glossaire.csv")
    assert response.get_data() == target.read_bytes()
    assert re.fullmatch(
        r'attachment; filename="cnig-partage-glossaire-\d{4}-\d\d-\d\d\.csv"',
        response.headers["Content-Disposition"],
    )
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_an_instant_before_year_one_in_utc_is_refused_everywhere(app, member, tmp_path):
    moment = "0001-01-01T00:00+01:00"
    refused = post_api(member, published_at=moment)
    assert refused.status_code == 422
    listing = member.get("/api/v1/resources", query_string={"updated_since": moment})
    assert listing.status_code == 400
    path = tmp_path / "termes.csv"
    path.write_text(
        "slug,pref_label,alt_labels,definition,scope_note,source,broader,related,"
        f"created_at,updated_at\nessai,Essai,,,,,,,{moment},\n",
        encoding="utf-8",
    )
    result = app.test_cli_runner().invoke(args=["glossary", "import", str(path)])
    assert result.exit_code != 0
    assert "date ISO 8601 attendue" in result.output


def test_the_workspace_import_holds_to_the_workspace_forms_limits(app, make_user, tmp_path):
    # The import allowed 100,000 characters of actor description (the form
    # 20,000), any length of partners, organisations and groups, and more
    # actors per project than the project form can show.
    make_user("veille@cnig.example.org", "curator")
    actor = {"actor": "Cerema", "role": "operateur"}
    lines = [
        {"kind": "actor", "name": "Cerema", "type": "etat", "description": "a" * 20_001},
        {"kind": "project", "ctd": "bretagne", "title": "Projet", "partners": ["p" * 99] * 101},
        {"kind": "project", "ctd": "bretagne", "title": "Autre", "actors": [actor] * 41},
        {"kind": "governance", "ctd": "bretagne", "groups": ["g" * 199] * 101},
    ]
    path = tmp_path / "espace.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(
        args=["workspace", "import", str(path), "--as", "veille@cnig.example.org"]
    )
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    for expected in (
        "line 1: description: 20000 caractères au plus",
        "line 2: partners: 10000 caractères au plus",
        "line 3: actors: 40 acteurs au plus",
        "line 4: groups: 20000 caractères au plus",
    ):
        assert any(line.startswith(expected) for line in errors), (expected, errors)


def test_the_glossary_import_holds_to_the_forms_definition_limit(app, tmp_path):
    # Saving checked the labels and the source against the form's limits, but not
    # the definition or the scope note: a file could bring any length.
    path = tmp_path / "termes.csv"
    path.write_text(
        "slug,pref_label,alt_labels,definition,scope_note,source,broader,related,"
        f"created_at,updated_at\nessai,Essai,,{'d' * 20_001},,,,,,\n"
        f"autre,Autre,,Une définition.,{'n' * 5001},,,,,\n",
        encoding="utf-8",
    )
    result = app.test_cli_runner().invoke(args=["glossary", "import", str(path)])
    assert result.exit_code == 1
    assert "La définition tient en 20\u202f000 caractères" in result.output
    assert "La note d'application tient en 5\u202f000 caractères" in result.output
