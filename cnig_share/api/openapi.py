"""The OpenAPI 3.1 description of /api/v1, written by hand next to the code
it describes; tests/test_openapi.py checks every documented operation
against the live application's answers."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify

from cnig_share.api.views import bp, open_to_all
from cnig_share.models import ACTOR_ROLES, ACTOR_TYPES, KINDS, PROJECT_STATUSES, STATUSES
from cnig_share.search.service import FACETS
from cnig_share.urls import WEB_URL_PATTERN


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


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


NULLABLE_TEXT = {"type": ["string", "null"]}
ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
WRITE_ERRORS = (400, 401, 403, 404, 409, 412, 413, 415, 422, 429)
# Optional: a write that names the version it was made from is refused (412)
# if the resource changed since; without it, the write applies as before.
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": "L'ETag lu (GET) : la modification n'a lieu que s'il est toujours actuel.",
    "schema": {"type": "string"},
}
ETAG = {"ETag": {"schema": {"type": "string"}}}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "fields": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["field", "message"],
                            "properties": {
                                "field": {"type": "string"},
                                "message": {"type": "string"},
                            },
                        },
                    },
                },
            }
        },
    },
    "Link": {
        "type": "object",
        "required": ["url"],
        "properties": {
            "title": {"type": "string"},
            "url": {"type": "string", "format": "uri", "pattern": WEB_URL_PATTERN},
        },
    },
    "ResourceInput": {
        "description": "Format d'import (SPEC §4) ; title, kind, ctd obligatoires à la création.",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "title": {"type": "string", "maxLength": 300},
            "summary": {"type": "string", "maxLength": 1000},
            "body": {"type": "string", "description": "Markdown", "maxLength": 200000},
            "kind": {"enum": list(KINDS)},
            "ctd": {"type": "string", "description": "slug du CTD, par exemple occitanie"},
            "terms": {
                "type": "array",
                "items": {"type": "string"},
                "description": "libellé, autre appellation ou slug d'un terme du glossaire",
            },
            "status": {"enum": list(STATUSES), "default": "draft"},
            "published_at": {
                "type": ["string", "null"],
                "description": "ISO 8601 ; l'import la garde, l'API l'ignore (publish la fixe)",
            },
            **{
                name: {"description": "lu dans un export, ignoré"}
                for name in ("id", "url", "created_at", "updated_at")
            },
            "attachments": {
                "type": "array",
                "maxItems": 0,
                "description": "l'API joint les fichiers par POST …/attachments",
            },
            "featured": {"type": "boolean"},
            "links": {"type": "array", "items": _ref("Link")},
            "licence": {"type": "string", "maxLength": 200},
        },
    },
    "Attachment": {
        "type": "object",
        "required": ["id", "name", "size", "media_type", "url"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "size": {"type": "integer"},
            "media_type": {"type": "string"},
            "url": {"type": "string"},
        },
    },
    "Resource": {
        "type": "object",
        "required": [
            "id",
            "url",
            "title",
            "summary",
            "body",
            "kind",
            "ctd",
            "terms",
            "status",
            "published_at",
            "featured",
            "links",
            "licence",
            "created_at",
            "updated_at",
            "attachments",
        ],
        "properties": {
            "id": {"type": "integer"},
            "url": {"type": "string"},
            "title": {"type": "string"},
            "summary": {"type": "string"},
            "body": {"type": "string"},
            "kind": {"enum": list(KINDS)},
            "ctd": {"type": "string"},
            "terms": {"type": "array", "items": {"type": "string"}},
            "status": {"enum": list(STATUSES)},
            "published_at": NULLABLE_TEXT,
            "featured": {"type": "boolean"},
            "links": {"type": "array", "items": _ref("Link")},
            "licence": {"type": "string"},
            "created_at": {"type": "string"},
            "updated_at": {"type": "string"},
            "attachments": {"type": "array", "items": _ref("Attachment")},
        },
    },
    "ResourceList": {
        "type": "object",
        "required": ["resources", "total", "page", "per_page", "links"],
        "properties": {
            "resources": {"type": "array", "items": _ref("Resource")},
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "links": {
                "type": "object",
                "required": ["self", "next", "prev"],
                "properties": {
                    "self": {"type": "string"},
                    "next": NULLABLE_TEXT,
                    "prev": NULLABLE_TEXT,
                },
            },
        },
    },
    "SearchResults": {
        "type": "object",
        "required": ["query", "total", "page", "per_page", "results", "facets", "suggestion"],
        "properties": {
            "query": {"type": "string"},
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "results": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": [
                        "id",
                        "title",
                        "url",
                        "kind",
                        "ctd",
                        "terms",
                        "summary",
                        "snippet",
                        "published_at",
                        "score",
                    ],
                    "properties": {
                        "id": {
                            "type": "integer",
                            "description": "numéro de la ressource, du projet, de l'acteur "
                            "ou de la version en vigueur d'une feuille de route",
                        },
                        "title": {"type": "string"},
                        "url": {"type": "string"},
                        "kind": {
                            "type": "string",
                            "description": "type de ressource, ou « projet » (projet de CTD), "
                            "« acteur » (acteur national), « feuille-de-route » (feuille de "
                            "route territoriale d'un CTD)",
                        },
                        "ctd": {
                            "type": ["string", "null"],
                            "description": "null pour un acteur national",
                        },
                        "terms": {"type": "array", "items": {"type": "string"}},
                        "summary": {"type": "string"},
                        "snippet": {
                            "type": "string",
                            "description": "HTML : <mark> autour des mots",
                        },
                        "published_at": {
                            "type": ["string", "null"],
                            "description": "publication ; pour un projet ou un acteur, "
                            "dernière modification ; pour une feuille de route, "
                            "sa version en vigueur",
                        },
                        "score": {"type": ["number", "null"]},
                    },
                },
            },
            "facets": {
                "type": "object",
                "properties": {
                    name: {"type": "object", "additionalProperties": {"type": "integer"}}
                    for name in ("kind", "ctd", "term", "year")
                },
            },
            "suggestion": NULLABLE_TEXT,
            "degraded": {
                "type": "boolean",
                "description": "vrai pendant la reconstruction de l'index : seuls les titres "
                "et résumés sont consultés, sans facettes ni score",
            },
            "partial": {
                "type": "boolean",
                "description": "vrai si la recherche a atteint sa durée maximale : des "
                "résultats peuvent manquer",
            },
            "capped": {
                "type": "boolean",
                "description": "vrai si des expressions entre guillemets ou des mots au-delà "
                "des limites n'ont pas été pris en compte",
            },
        },
    },
    "Glossary": {
        "type": "object",
        "required": ["terms"],
        "properties": {
            "terms": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": [
                        "slug",
                        "label",
                        "alt_labels",
                        "definition",
                        "broader",
                        "narrower",
                        "related",
                        "url",
                    ],
                    "properties": {
                        "slug": {"type": "string"},
                        "label": {"type": "string"},
                        "alt_labels": {"type": "array", "items": {"type": "string"}},
                        "definition": {"type": "string"},
                        "broader": {"type": "array", "items": {"type": "string"}},
                        "narrower": {"type": "array", "items": {"type": "string"}},
                        "related": {"type": "array", "items": {"type": "string"}},
                        "url": {"type": "string"},
                    },
                },
            }
        },
    },
    "Ctds": {
        "type": "object",
        "required": ["ctds"],
        "properties": {
            "ctds": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["slug", "name", "region", "url", "resources"],
                    "properties": {
                        "slug": {"type": "string"},
                        "name": {"type": "string"},
                        "region": {"type": "string"},
                        "url": {"type": "string"},
                        "resources": {"type": "integer"},
                    },
                },
            }
        },
    },
    "Projects": {
        "type": "object",
        "required": ["ctd", "projects"],
        "properties": {
            "ctd": {"type": "string"},
            "projects": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": [
                        "id",
                        "title",
                        "url",
                        "ctd",
                        "status",
                        "actors",
                        "partners",
                        "terms",
                        "resources",
                        "shared_with",
                        "avoided_cost",
                    ],
                    "properties": {
                        "id": {"type": "integer"},
                        "title": {"type": "string"},
                        "url": {"type": "string"},
                        "ctd": {"type": "string"},
                        "status": {"enum": list(PROJECT_STATUSES)},
                        "description": {"type": "string", "description": "Markdown"},
                        "start_date": NULLABLE_TEXT,
                        "end_date": NULLABLE_TEXT,
                        "partners": {"type": "array", "items": {"type": "string"}},
                        "actors": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["slug", "name", "type", "role"],
                                "properties": {
                                    "slug": {"type": "string"},
                                    "name": {"type": "string"},
                                    "type": {"enum": list(ACTOR_TYPES)},
                                    "role": {"enum": list(ACTOR_ROLES)},
                                },
                            },
                        },
                        "terms": {"type": "array", "items": {"type": "string"}},
                        "resources": {"type": "array", "items": {"type": "integer"}},
                        "shared_with": {"type": "array", "items": {"type": "string"}},
                        "avoided_cost": {
                            "type": ["object", "null"],
                            "properties": {
                                "eur": {"type": "integer"},
                                "year": {"type": "integer"},
                                "method": {"type": "string"},
                            },
                        },
                        "created_at": {"type": "string"},
                        "updated_at": {"type": "string"},
                    },
                },
            },
        },
    },
    "Costs": {
        "type": "object",
        "required": ["costs", "totals"],
        "properties": {
            "costs": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["ctd", "year", "running_eur", "avoided_eur"],
                    "properties": {
                        "ctd": {"type": "string"},
                        "region": {"type": "string"},
                        "year": {"type": "integer"},
                        "recorded": {"type": "boolean"},
                        "staff_fte": {"type": "number"},
                        "day_rate_eur": {"type": ["integer", "null"]},
                        "days_per_fte": {"type": ["integer", "null"]},
                        "staff_eur": {"type": "integer"},
                        "tools_eur": {"type": "integer"},
                        "events_eur": {"type": "integer"},
                        "running_eur": {"type": "integer"},
                        "avoided_eur": {"type": "integer"},
                        "avoiding_projects": {"type": "array", "items": {"type": "integer"}},
                    },
                },
            },
            "totals": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["year", "running_eur", "avoided_eur"],
                    "properties": {
                        name: {"type": "number" if name == "staff_fte" else "integer"}
                        for name in (
                            "year",
                            "ctds",
                            "staff_fte",
                            "staff_eur",
                            "tools_eur",
                            "events_eur",
                            "running_eur",
                            "avoided_eur",
                        )
                    },
                },
            },
        },
    },
}


def _query(name: str, description: str, schema: dict | None = None) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or {"type": "string"}}  # fmt: skip


def _transition(summary: str, body: bool = False) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": summary,
        "security": [{"bearer": []}],
        "parameters": [ID, IF_MATCH],
        "responses": {
            "200": {**_json(_ref("Resource"), "La ressource après la transition"), "headers": ETAG},
            **_errors(401, 403, 404, 409, 412, 422, 429),
        },
    }
    if body:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {
                "type": "object", "required": ["comment"],
                "properties": {"comment": {"type": "string"}},
            }}},
        }  # fmt: skip
    return {"post": operation}


def document() -> dict[str, Any]:
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
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "paths": {
            "/search": {
                "get": {
                    "summary": "Rechercher dans les ressources publiées, les projets et "
                    "feuilles de route des CTD et les acteurs nationaux",
                    "parameters": [
                        _query("q", "texte libre"),
                        *(_query(name, f"filtre {name} (répétable)") for name in FACETS),
                        _query("sort", "relevance ou recent", {"enum": ["relevance", "recent"]}),
                        _query("page", "page", {"type": "string"}),
                        _query("per_page", "résultats par page (50 au plus)", {"type": "string"}),
                    ],
                    "responses": {
                        "200": _json(_ref("SearchResults"), "Résultats, facettes, suggestion"),
                        **_errors(401),
                    },
                }
            },
            "/resources": {
                "get": {
                    "summary": "Lister les ressources (publiées, ou visibles du jeton)",
                    "parameters": [
                        _query("ctd", "slug du CTD"),
                        _query("kind", "type", {"enum": list(KINDS)}),
                        _query("term", "slug d'un terme (termes spécifiques compris)"),
                        _query("updated_since", "date ISO 8601"),
                        _query("page", "page (1 et plus)"),
                        _query("per_page", "par page (100 au plus)"),
                    ],
                    "responses": {
                        "200": _json(_ref("ResourceList"), "Une page de ressources"),
                        **_errors(400, 401),
                    },
                },
                "post": {
                    "summary": "Créer une ressource (format d'import)",
                    "security": [{"bearer": []}],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("ResourceInput")}},
                    },
                    "responses": {
                        "201": {
                            **_json(_ref("Resource"), "Créée"),
                            "headers": {"Location": {"schema": {"type": "string"}}},
                        },
                        **_errors(*WRITE_ERRORS),
                    },
                },
            },
            "/resources/{id}": {
                "get": {
                    "summary": "Une ressource",
                    "parameters": [ID],
                    "responses": {
                        "200": {
                            **_json(_ref("Resource"), "La ressource"),
                            "headers": {
                                "ETag": {"schema": {"type": "string"}},
                                "Last-Modified": {"schema": {"type": "string"}},
                            },
                        },
                        "304": {
                            "description": "Inchangée depuis If-None-Match / If-Modified-Since"
                        },
                        **_errors(401, 404),
                    },
                },
                "patch": {
                    "summary": "Modifier les champs donnés (status : une transition)",
                    "security": [{"bearer": []}],
                    "parameters": [ID, IF_MATCH],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("ResourceInput")}},
                    },
                    "responses": {
                        "200": {
                            **_json(_ref("Resource"), "La ressource modifiée"),
                            "headers": ETAG,
                        },
                        **_errors(*WRITE_ERRORS),
                    },
                },
            },
            "/resources/{id}/attachments": {
                "post": {
                    "summary": "Joindre un fichier (mêmes contrôles que le formulaire)",
                    "security": [{"bearer": []}],
                    "parameters": [ID, IF_MATCH],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "required": ["file"],
                                    "properties": {"file": {"type": "string", "format": "binary"}},
                                }
                            }
                        },
                    },
                    "responses": {
                        "201": {
                            **_json(_ref("Resource"), "La ressource et ses pièces jointes"),
                            "headers": ETAG,
                        },
                        **_errors(401, 403, 404, 409, 412, 413, 415, 422, 429),
                    },
                }
            },
            "/resources/{id}/submit": _transition("Soumettre un brouillon à l'équipe du CNIG"),
            "/resources/{id}/publish": _transition("Publier (équipe du CNIG)"),
            "/resources/{id}/return": _transition("Renvoyer aux auteurs avec un commentaire", True),
            "/resources/{id}/archive": _transition("Archiver une ressource publiée"),
            "/glossary": {
                "get": {
                    "summary": "Le glossaire",
                    "responses": {"200": _json(_ref("Glossary"), "Les termes"), **_errors(401)},
                }
            },
            "/ctds": {
                "get": {
                    "summary": "Les CTD",
                    "responses": {"200": _json(_ref("Ctds"), "Les 18 CTD"), **_errors(401)},
                }
            },
            "/ctds/{slug}/projects": {
                "get": {
                    "summary": "Les projets d'un CTD",
                    "parameters": [
                        {
                            "name": "slug",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                            "description": "Identifiant du CTD",
                        }
                    ],
                    "responses": {
                        "200": _json(_ref("Projects"), "Les projets, acteurs et coûts évités"),
                        **_errors(401, 404),
                    },
                }
            },
            "/costs": {
                "get": {
                    "summary": "Coûts de fonctionnement et coûts évités, par CTD et par année",
                    "parameters": [
                        _query("year", "Une année", {"type": "integer"}),
                        _query("ctd", "Identifiant d'un CTD"),
                    ],
                    "responses": {
                        "200": _json(_ref("Costs"), "Lignes par CTD et année, totaux par année"),
                        **_errors(400, 401),
                    },
                }
            },
        },
    }


@bp.get("/openapi.json")
@open_to_all
def openapi():
    return jsonify(document())
