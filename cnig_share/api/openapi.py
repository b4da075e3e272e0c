"""The OpenAPI 3.1 description of /api/v1, written next to the code it
describes: the input schema comes from the resource's field definitions
(resources/fields.py), and tests/test_openapi.py checks every documented
operation against the live application's answers."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify

from cnig_share.api import consultations
from cnig_share.api.views import bp, open_to_all
from cnig_share.discussions import api as discussions_api
from cnig_share.models import (
    ACTOR_ROLES,
    ACTOR_TYPES,
    CTD_STAGES,
    KINDS,
    PROJECT_STATUSES,
    STATUSES,
)
from cnig_share.resources import fields
from cnig_share.search.service import FACETS

STRING = {"type": "string"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
NULLABLE_TEXT = {"type": ["string", "null"]}
STRINGS = {"type": "array", "items": STRING}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _list(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


def _object(properties: dict[str, Any], optional: tuple[str, ...] = ()) -> dict[str, Any]:
    """An object whose properties are all required but the `optional` ones."""
    required = [name for name in properties if name not in optional]
    return {"type": "object", "required": required, "properties": properties}


def _json(schema: dict, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> dict[str, Any]:
    meanings = {
        400: "Requête mal formée (paramètre, JSON illisible)",
        401: "Jeton absent, invalide ou révoqué",
        403: "Droit manquant",
        404: "Introuvable (ou non visible)",
        409: "Impossible dans l'état actuel de la ressource, ou modifiée au même moment",
        412: "If-Match ne nomme plus la version actuelle (ETag) : rien n'a changé",
        413: "Trop volumineux",
        415: "Type de contenu non accepté",
        422: "Champs non valides (liste dans error.fields)",
        429: "Trop de requêtes",
    }
    return {str(status): _json(_ref("Error"), meanings[status]) for status in statuses}


ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
WRITE_ERRORS = (400, 401, 403, 404, 409, 412, 413, 415, 422, 429)
# Optional: a write that names the version it was made from is refused (412)
# if the resource changed since; without it, the write applies as before.
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": "L'ETag lu (GET) : la modification n'a lieu que s'il est toujours actuel.",
    "schema": STRING,
}
ETAG = {"ETag": {"schema": STRING}}


def _resource_input() -> dict[str, Any]:
    """The import format (SPEC §4), its limits from the resource's field definitions."""
    properties: dict[str, Any] = {
        **{name: rule.schema() for name, rule in fields.TEXTS.items()},
        "kind": {"enum": list(KINDS)},
        "ctd": {"type": "string", "description": "slug du CTD, par exemple occitanie"},
        "terms": {
            **STRINGS,
            "description": "libellé, autre appellation ou slug d'un terme du glossaire",
        },
        "status": {"enum": list(STATUSES), "default": "draft"},
        "published_at": {
            **NULLABLE_TEXT,
            "description": "ISO 8601 ; l'import la garde, l'API l'ignore (publish la fixe)",
        },
        **{name: {"description": "lu dans un export, ignoré"} for name in fields.EXPORT_ONLY},
        "attachments": {
            "type": "array",
            "maxItems": 0,
            "description": "l'API joint les fichiers par POST …/attachments",
        },
        "featured": BOOLEAN,
        "links": {**_list(_ref("Link")), "maxItems": fields.MAX_LINKS},
    }
    return {
        "description": "Format d'import (SPEC §4) ; "
        f"{', '.join(fields.REQUIRED)} obligatoires à la création.",
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }


RESOURCE = _object({
    "id": INTEGER, "url": STRING, "title": STRING, "summary": STRING, "body": STRING,
    "kind": {"enum": list(KINDS)}, "ctd": STRING, "terms": STRINGS,
    "status": {"enum": list(STATUSES)}, "published_at": NULLABLE_TEXT, "featured": BOOLEAN,
    "links": _list(_ref("Link")), "licence": STRING, "created_at": STRING,
    "updated_at": STRING, "attachments": _list(_ref("Attachment")),
})  # fmt: skip
SEARCH_HIT = _object(
    {
        "id": {
            "type": "integer",
            "description": "numéro de la ressource, du projet, de l'acteur "
            "ou de la version en vigueur d'une feuille de route",
        },
        "title": STRING,
        "url": STRING,
        "kind": {
            "type": "string",
            "description": "type de ressource, ou « projet » (projet de CTD), « acteur » (acteur "
            "national), « feuille-de-route » (feuille de route territoriale d'un CTD)",
        },
        "ctd": {"type": ["string", "null"], "description": "null pour un acteur national"},
        "terms": STRINGS,
        "summary": STRING,
        "snippet": {"type": "string", "description": "HTML : <mark> autour des mots"},
        "published_at": {
            "type": ["string", "null"],
            "description": "publication ; pour un projet ou un acteur, dernière modification ; "
            "pour une feuille de route, sa version en vigueur",
        },
        "score": {"type": ["number", "null"]},
    }
)
SEARCH_FLAGS = {
    "degraded": "vrai pendant la reconstruction de l'index : seuls les titres "
    "et résumés sont consultés, sans facettes ni score",
    "partial": "vrai si la recherche a atteint sa durée maximale : des résultats peuvent manquer",
    "capped": "vrai si des expressions entre guillemets ou des mots au-delà "
    "des limites n'ont pas été pris en compte",
}
SEARCH_RESULTS = _object(
    {
        "query": STRING, "total": INTEGER, "page": INTEGER, "per_page": INTEGER,
        "results": _list(SEARCH_HIT),
        "facets": {"type": "object", "properties": {
            name: {"type": "object", "additionalProperties": INTEGER}
            for name in ("kind", "ctd", "term", "year")
        }},
        "suggestion": NULLABLE_TEXT,
        **{name: {**BOOLEAN, "description": text} for name, text in SEARCH_FLAGS.items()},
    },
    optional=tuple(SEARCH_FLAGS),
)  # fmt: skip
PROJECT = _object(
    {
        "id": INTEGER, "title": STRING, "url": STRING, "ctd": STRING,
        "status": {"enum": list(PROJECT_STATUSES)},
        "description": {"type": "string", "description": "Markdown"},
        "start_date": NULLABLE_TEXT, "end_date": NULLABLE_TEXT, "partners": STRINGS,
        "actors": _list(_object({
            "slug": STRING, "name": STRING, "type": {"enum": list(ACTOR_TYPES)},
            "role": {"enum": list(ACTOR_ROLES)},
        })),
        "terms": STRINGS, "resources": _list(INTEGER), "shared_with": STRINGS,
        "avoided_cost": {
            "type": ["object", "null"],
            "properties": {"eur": INTEGER, "year": INTEGER, "method": STRING},
        },
        "created_at": STRING, "updated_at": STRING,
    },
    optional=("description", "start_date", "end_date", "created_at", "updated_at"),
)  # fmt: skip
COST_LINE = _object(
    {
        "ctd": STRING, "region": STRING, "year": INTEGER, "recorded": BOOLEAN,
        "staff_fte": {"type": "number"}, "day_rate_eur": {"type": ["integer", "null"]},
        "days_per_fte": {"type": ["integer", "null"]}, "staff_eur": INTEGER,
        "tools_eur": INTEGER, "events_eur": INTEGER, "running_eur": INTEGER,
        "avoided_eur": INTEGER, "avoiding_projects": _list(INTEGER),
    },
    optional=("region", "recorded", "staff_fte", "day_rate_eur", "days_per_fte", "staff_eur",
              "tools_eur", "events_eur", "avoiding_projects"),
)  # fmt: skip
COST_TOTAL = _object(
    {
        name: {"type": "number"} if name == "staff_fte" else INTEGER
        for name in ("year", "ctds", "staff_fte", "staff_eur", "tools_eur", "events_eur",
                     "running_eur", "avoided_eur")
    },
    optional=("ctds", "staff_fte", "staff_eur", "tools_eur", "events_eur"),
)  # fmt: skip
ERROR = _object({"code": STRING, "message": STRING,
                 "fields": _list(_object({"field": STRING, "message": STRING}))},
                optional=("fields",))  # fmt: skip
GLOSSARY_TERM = _object({
    "slug": STRING, "label": STRING, "alt_labels": STRINGS, "definition": STRING,
    "broader": STRINGS, "narrower": STRINGS, "related": STRINGS, "url": STRING,
})  # fmt: skip
CTD = _object({"slug": STRING, "name": STRING, "region": STRING, "url": STRING,
               "resources": INTEGER, "stage": {"enum": list(CTD_STAGES)},
               "installed_on": {"type": ["string", "null"], "format": "date"}})  # fmt: skip
PAGE_LINKS = _object({"self": STRING, "next": NULLABLE_TEXT, "prev": NULLABLE_TEXT})

SCHEMAS: dict[str, Any] = {
    "Error": _object({"error": ERROR}),
    "Link": _object(
        {"title": fields.LINK_TITLE.schema(), "url": fields.LINK_URL.schema()},
        optional=("title",),
    ),
    "ResourceInput": _resource_input(),
    "Attachment": _object(
        {"id": INTEGER, "name": STRING, "size": INTEGER, "media_type": STRING, "url": STRING}
    ),
    "Resource": RESOURCE,
    "ResourceList": _object({"resources": _list(_ref("Resource")), "total": INTEGER,
                             "page": INTEGER, "per_page": INTEGER, "links": PAGE_LINKS}),
    "SearchResults": SEARCH_RESULTS,
    "Glossary": _object({"terms": _list(GLOSSARY_TERM)}),
    "Ctds": _object({"ctds": _list(CTD)}),
    "Projects": _object({"ctd": STRING, "projects": _list(PROJECT)}),
    "Costs": _object({"costs": _list(COST_LINE), "totals": _list(COST_TOTAL)}),
}  # fmt: skip


def _query(name: str, description: str, schema: dict | None = None) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or STRING}  # fmt: skip


def _read(summary: str, answer: dict[str, Any], *statuses: int, **parts: Any) -> dict[str, Any]:
    """An operation open to all: its 200 answer, its error statuses, other parts."""
    return {"summary": summary, **parts, "responses": {"200": answer, **_errors(*statuses)}}


def _write(
    summary: str, created: str, answer: dict[str, Any], errors: tuple[int, ...], **parts: Any
) -> dict[str, Any]:
    """An operation that needs a token: `created` is its success status."""
    return {
        "summary": summary,
        "security": [{"bearer": []}],
        **parts,
        "responses": {created: answer, **_errors(*errors)},
    }


def _body(schema: dict[str, Any], media_type: str = "application/json") -> dict[str, Any]:
    return {"required": True, "content": {media_type: {"schema": schema}}}


def _transition(summary: str, body: bool = False) -> dict[str, Any]:
    after = {**_json(_ref("Resource"), "La ressource après la transition"), "headers": ETAG}
    comment = {"requestBody": _body(_object({"comment": STRING}))} if body else {}
    errors = (401, 403, 404, 409, 412, 422, 429)
    return {"post": _write(summary, "200", after, errors, parameters=[ID, IF_MATCH], **comment)}


def _search() -> dict[str, Any]:
    parameters = [
        _query("q", "texte libre"),
        *(_query(name, f"filtre {name} (répétable)") for name in FACETS),
        _query(
            "sort",
            "relevance, recent ou useful (les plus marquées « utile » d'abord)",
            {"enum": ["relevance", "recent", "useful"]},
        ),
        _query("page", "page", STRING),
        _query("per_page", "résultats par page (50 au plus)", STRING),
    ]
    return {"get": _read(
        "Rechercher dans les ressources publiées, les projets et feuilles de route des CTD "
        "et les acteurs nationaux",
        _json(_ref("SearchResults"), "Résultats, facettes, suggestion"), 401,
        parameters=parameters,
    )}  # fmt: skip


def _resources() -> dict[str, Any]:
    listing = [
        _query("ctd", "slug du CTD"),
        _query("kind", "type", {"enum": list(KINDS)}),
        _query("term", "slug d'un terme (termes spécifiques compris)"),
        _query("updated_since", "date ISO 8601"),
        _query("page", "page (1 et plus)"),
        _query("per_page", "par page (100 au plus)"),
    ]
    created = {**_json(_ref("Resource"), "Créée"), "headers": {"Location": {"schema": STRING}}}
    return {
        "get": _read("Lister les ressources (publiées, ou visibles du jeton)",
                     _json(_ref("ResourceList"), "Une page de ressources"), 400, 401,
                     parameters=listing),
        "post": _write("Créer une ressource (format d'import)", "201", created, WRITE_ERRORS,
                       requestBody=_body(_ref("ResourceInput"))),
    }  # fmt: skip


def _resource() -> dict[str, Any]:
    found = {
        **_json(_ref("Resource"), "La ressource"),
        "headers": {**ETAG, "Last-Modified": {"schema": STRING}},
    }
    get = _read("Une ressource", found, 401, 404, parameters=[ID])
    get["responses"]["304"] = {"description": "Inchangée depuis If-None-Match / If-Modified-Since"}
    changed = {**_json(_ref("Resource"), "La ressource modifiée"), "headers": ETAG}
    return {
        "get": get,
        "patch": _write("Modifier les champs donnés (status : une transition)", "200", changed,
                        WRITE_ERRORS, parameters=[ID, IF_MATCH],
                        requestBody=_body(_ref("ResourceInput"))),
    }  # fmt: skip


def _attachments() -> dict[str, Any]:
    upload = _object({"file": {"type": "string", "format": "binary"}})
    attached = {**_json(_ref("Resource"), "La ressource et ses pièces jointes"), "headers": ETAG}
    return {"post": _write(
        "Joindre un fichier (mêmes contrôles que le formulaire)", "201", attached,
        (401, 403, 404, 409, 412, 413, 415, 422, 429), parameters=[ID, IF_MATCH],
        requestBody=_body(upload, "multipart/form-data"),
    )}  # fmt: skip


def _workspace() -> dict[str, dict[str, Any]]:
    slug = {"name": "slug", "in": "path", "required": True, "schema": STRING,
            "description": "Identifiant du CTD"}  # fmt: skip
    return {
        "/ctds/{slug}/projects": {"get": _read(
            "Les projets d'un CTD", _json(_ref("Projects"), "Les projets, acteurs et coûts évités"),
            401, 404, parameters=[slug],
        )},
        "/costs": {"get": _read(
            "Coûts de fonctionnement et coûts évités, par CTD et par année",
            _json(_ref("Costs"), "Lignes par CTD et année, totaux par année"), 400, 401,
            parameters=[_query("year", "Une année", INTEGER),
                        _query("ctd", "Identifiant d'un CTD")],
        )},
    }  # fmt: skip


def document() -> dict[str, Any]:
    """The OpenAPI document, its server being this site's public address."""
    server = current_app.config["PUBLIC_URL"].rstrip("/") + "/api/v1"
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "API de CNIG Partage",
            "version": "1.0.0",
            "description": "Lire et alimenter le centre de ressources des comités territoriaux "
            "de la donnée. Lecture ouverte (CORS) ; écriture avec un jeton Bearer.",
        },
        "servers": [{"url": server}],
        "components": {
            "schemas": {**SCHEMAS, **discussions_api.SCHEMAS, **consultations.SCHEMAS},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "paths": {
            "/search": _search(),
            "/resources": _resources(),
            "/resources/{id}": _resource(),
            "/resources/{id}/attachments": _attachments(),
            "/resources/{id}/submit": _transition("Soumettre un brouillon à l'équipe du CNIG"),
            "/resources/{id}/publish": _transition("Publier (équipe du CNIG)"),
            "/resources/{id}/return": _transition("Renvoyer aux auteurs avec un commentaire", True),
            "/resources/{id}/archive": _transition("Archiver une ressource publiée"),
            "/glossary": {"get": _read("Le glossaire", _json(_ref("Glossary"), "Les termes"), 401)},
            "/ctds": {"get": _read("Les CTD", _json(_ref("Ctds"), "Les 18 CTD"), 401)},
            **_workspace(),
            **discussions_api.paths(_read, _query, _json, _ref, ID),
            **consultations.openapi_paths(_read, _ref, _json, _query),
        },
    }


@bp.get("/openapi.json")
@open_to_all
def openapi():
    return jsonify(document())
