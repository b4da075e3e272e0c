"""/api/v1/consultations and /api/v1/consultations/<slug> (SPEC §11), open to all.

What the API shows is what the pages show (consultations/read.py): a
consultation in preparation only to a curator's token, a 404 to others;
contributions only as their visibility rule allows; positions only with the
synthesis, never for a consultation whose contributions are never public."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for

from cnig_share.api.views import bp, caller, error, open_to_all
from cnig_share.consultations import read
from cnig_share.consultations.states import STATES, closes_at, in_state, opens_at, state
from cnig_share.extensions import db
from cnig_share.models import POSITIONS, Consultation, Ctd, consultation_ctds


def summary_json(consultation: Consultation) -> dict[str, Any]:
    start = opens_at(consultation)
    return {
        "slug": consultation.slug,
        "title": consultation.title,
        "url": url_for("consultations.show", slug=consultation.slug, _external=True),
        "state": state(consultation),
        "opens_at": start.isoformat() if start else None,
        "closes_at": closes_at(consultation).isoformat(),
        "ctds": sorted(ctd.slug for ctd in consultation.ctds),
        "actors": sorted(actor.slug for actor in consultation.actors),
        "terms": sorted(term.slug for term in consultation.terms),
    }


def detail_json(consultation: Consultation, viewer) -> dict[str, Any]:
    counts = read.public_positions(consultation)
    published = state(consultation) == "synthesis"
    return {
        **summary_json(consultation),
        "questions": [{"id": q.id, "text": q.text, "type": q.type} for q in consultation.questions],
        "positions": (
            {str(question_id): found for question_id, found in counts.items()}
            if counts is not None
            else None
        ),
        "contributions": [
            {
                "ctd": contribution.ctd.slug,
                "submitted_at": contribution.submitted_at.isoformat()
                if contribution.submitted_at
                else None,
                "answers": [
                    {
                        "question": question.id,
                        "position": (answer := contribution.answer_to(question))
                        and answer.position,
                        "text": answer.text if answer else "",
                    }
                    for question in consultation.questions
                ],
            }
            for contribution in read.shown_contributions(viewer, consultation)
        ],
        "declined": [
            {"ctd": c.ctd.slug, "reason": c.decline_reason}
            for c in read.shown_declines(consultation)
        ],
        "synthesis_html": consultation.synthesis_html if published else None,
    }


@bp.get("/consultations")
@open_to_all
def consultations():
    query = read.visible_consultations(caller())
    wanted = request.args.get("state", "")
    if wanted:
        if wanted not in STATES:
            names = ", ".join(STATES)
            return error(400, "bad_request", f"state : une valeur parmi {names}.")
        query = query.where(in_state(wanted))
    ctd_slug = request.args.get("ctd", "")
    if ctd_slug:
        ctd = db.session.scalar(db.select(Ctd).where(Ctd.slug == ctd_slug))
        if ctd is None:
            return error(400, "bad_request", f"Aucun CTD n'a l'identifiant « {ctd_slug[:80]} ».")
        query = query.join(
            consultation_ctds, consultation_ctds.c.consultation_id == Consultation.id
        ).where(consultation_ctds.c.ctd_id == ctd.id)
    found = db.session.scalars(query.order_by(Consultation.closes_on.desc(), Consultation.id))
    return jsonify({"consultations": [summary_json(c) for c in found]})


@bp.get("/consultations/<slug>")
@open_to_all
def consultation(slug: str):
    found = read.visible_or_none(caller(), slug)
    if found is None:
        return error(404, "not_found", "Aucune consultation visible n'a cet identifiant.")
    return jsonify(detail_json(found, caller()))


# --- OpenAPI ---------------------------------------------------------------------------------

_TEXT = {"type": "string"}
_NULLABLE = {"type": ["string", "null"]}
_SLUGS = {"type": "array", "items": _TEXT}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": list(properties), "properties": properties}


_SUMMARY = {
    "slug": _TEXT,
    "title": _TEXT,
    "url": _TEXT,
    "state": {"enum": list(STATES)},
    "opens_at": _NULLABLE,
    "closes_at": _TEXT,
    "ctds": _SLUGS,
    "actors": _SLUGS,
    "terms": _SLUGS,
}
_ANSWER = _object(
    {"question": {"type": "integer"}, "position": {"enum": [*POSITIONS, None]}, "text": _TEXT}
)
SCHEMAS: dict[str, Any] = {
    "ConsultationList": _object({"consultations": {"type": "array", "items": _object(_SUMMARY)}}),
    "Consultation": _object(
        {
            **_SUMMARY,
            "questions": {
                "type": "array",
                "items": _object(
                    {
                        "id": {"type": "integer"},
                        "text": _TEXT,
                        "type": {"enum": ["text", "position"]},
                    }
                ),
            },
            "positions": {
                "type": ["object", "null"],
                "description": "Par question (son id) : nombre de CTD par position ; null avant "
                "la synthèse, et toujours quand les contributions ne sont jamais publiques.",
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": {"type": "integer"},
                },
            },
            "contributions": {
                "type": "array",
                "items": _object(
                    {
                        "ctd": _TEXT,
                        "submitted_at": _NULLABLE,
                        "answers": {"type": "array", "items": _ANSWER},
                    }
                ),
            },
            "declined": {"type": "array", "items": _object({"ctd": _TEXT, "reason": _TEXT})},
            "synthesis_html": _NULLABLE,
        }
    ),
}


def openapi_paths(read_operation, ref, json, query) -> dict[str, Any]:
    """The two paths, built with openapi.py's helpers."""
    slug = {"name": "slug", "in": "path", "required": True, "schema": _TEXT}
    return {
        "/consultations": {
            "get": read_operation(
                "Les consultations du CNIG (hors préparation)",
                json(ref("ConsultationList"), "Les consultations"),
                400,
                401,
                parameters=[
                    query("state", "état", {"enum": list(STATES)}),
                    query("ctd", "slug d'un CTD consulté"),
                ],
            )
        },
        "/consultations/{slug}": {
            "get": read_operation(
                "Une consultation : questions, positions, contributions publiques, synthèse",
                json(ref("Consultation"), "La consultation"),
                401,
                404,
                parameters=[slug],
            )
        },
    }
