"""Writing through the API, with a Bearer token and the web's permissions:
create, change, attach, and move a resource through its life cycle. No CORS
here: only programs holding a token write."""

from __future__ import annotations

import functools
from dataclasses import replace

from flask import current_app, request, url_for
from werkzeug.exceptions import BadRequest

from cnig_share import conflicts, permissions
from cnig_share.api.serialize import resource_etag, resource_json
from cnig_share.api.tokens import user_for
from cnig_share.api.views import body_too_large, bp, caller, error, json_too_large
from cnig_share.extensions import db, limiter
from cnig_share.models import Resource, utcnow
from cnig_share.resources import exchange, lifecycle, services
from cnig_share.resources.attachments import UploadRejected, add_attachment, read_upload


def _write_limit() -> str:
    return current_app.config["API_WRITE_RATE_LIMIT"]


def _writer_key() -> str:
    """Limits count per account, whatever token or spelling of the header it
    uses; requests without a valid token count per address."""
    user = user_for(request.headers.get("Authorization"))
    return f"api-writer:user:{user.id}" if user else f"api-writer:address:{request.remote_addr}"


def token_required(view):
    """401 without a valid token; the rate limit counts per token holder."""

    @functools.wraps(view)
    @limiter.limit(_write_limit, key_func=_writer_key)
    def wrapped(*args, **kwargs):
        if caller() is None:
            response, status = error(
                401, "missing_token", "Ce point d'accès demande un jeton : Authorization: Bearer …"
            )
            response.headers["WWW-Authenticate"] = 'Bearer realm="CNIG Partage"'
            return response, status
        return view(*args, **kwargs)

    return wrapped


def _json_body() -> dict | tuple:
    if not request.is_json:
        message = "Envoyez du JSON (Content-Type: application/json)."
        return error(415, "unsupported_media_type", message)
    if body_too_large():
        return json_too_large()
    try:
        return request.get_json()
    except (BadRequest, ValueError, RecursionError):  # also absurd nesting, huge numbers
        return error(400, "invalid_json", "Le corps de la requête n'est pas du JSON valide.")


def _has_body() -> bool:
    """Whether the client sent a body, known without reading it."""
    return bool(request.content_length) or "Transfer-Encoding" in request.headers


def _invalid(found: list[exchange.FieldError]):
    return error(
        422,
        "validation_failed",
        "Certains champs ne sont pas valides.",
        fields=[problem.as_dict() for problem in found],
    )


def _refused(failure: services.ResourceError):
    db.session.rollback()
    codes = {403: "forbidden", 409: "conflict", 422: "validation_failed"}
    code = codes.get(failure.status, "error")
    return error(failure.status, code, failure.message)


def _stale(resource: Resource):
    """412 when the request names, in If-Match, a version that is no longer the
    current one. If-Match stays optional (scripts written without it keep working;
    a published resource keeps a revision of every edit anyway)."""
    if request.if_match and not request.if_match.contains(resource_etag(resource)):
        db.session.rollback()
        return error(412, "precondition_failed", STALE_ETAG)
    return None


STALE_ETAG = (
    "La ressource a changé depuis que vous l'avez lue (son ETag n'est plus celui envoyé "
    "dans If-Match) : rien n'a été modifié. Relisez-la, puis renvoyez votre modification "
    "avec son nouvel ETag."
)


def _lost():
    """A save that lost a race to another one made from the same version:
    412 if the caller sent If-Match, 409 otherwise; nothing is applied."""
    db.session.rollback()
    if request.if_match:
        return error(412, "precondition_failed", STALE_ETAG)
    return error(409, "conflict", conflicts.STALE_MESSAGE)


def _saved(resource: Resource, status: int = 200):
    """Commit, then the resource and its new ETag."""
    try:
        db.session.commit()
    except conflicts.LOST:
        return _lost()
    return resource_json(resource), status, {"ETag": f'"{resource_etag(resource)}"'}


def _resource_or_404(resource_id: int) -> Resource | None:
    resource = db.session.get(Resource, resource_id)
    if resource is None or not permissions.can_view(caller(), resource):
        return None
    return resource


def _input(record: exchange.Record, base: services.ResourceInput | None) -> services.ResourceInput:
    """The record's fields over `base` (the resource as it is), or alone."""
    values = record.values
    data = base or services.ResourceInput(title="", kind="", ctd=record.ctd)
    texts = ("title", "kind", "summary", "body", "licence")
    changes = {name: values[name] for name in texts if name in values}
    if record.ctd is not None:
        changes["ctd"] = record.ctd
    if "terms" in values or record.terms:
        changes["terms"] = list(record.terms)
    if "links" in values:
        changes["links"] = list(values["links"])
    return replace(data, **changes)


@bp.post("/resources")
@token_required
def create_resource():
    """A record in the import format; 201 with the resource and its address."""
    body = _json_body()
    if isinstance(body, tuple):
        return body
    record, found = exchange.check(body, exchange.Vocabulary())
    if record is None:
        return _invalid(found)
    user = caller()
    try:
        resource = services.create_resource(_input(record, None), user)
        for step in lifecycle.steps(resource.status, record.values.get("status", "draft")):
            step.apply(resource, user)
        if record.values.get("featured"):
            services.set_featured(resource, user, True)
    except services.ResourceError as failure:
        return _refused(failure)
    db.session.commit()
    response = resource_json(resource)
    location = url_for(".get_resource", resource_id=resource.id, _external=True)
    return response, 201, {"Location": location}


@bp.patch("/resources/<id:resource_id>")
@token_required
def update_resource(resource_id: int):
    """Only the fields given change; a `status` is a transition."""
    resource = _resource_or_404(resource_id)
    if resource is None:
        return error(404, "not_found", "Aucune ressource visible ne porte ce numéro.")
    body = _json_body()
    if isinstance(body, tuple):
        return body
    record, found = exchange.check(body, exchange.Vocabulary(), partial=True)
    if record is None:
        return _invalid(found)
    if (refused := _stale(resource)) is not None:
        return refused
    user = caller()
    status = record.values.get("status")
    try:
        services.update_resource(resource, _input(record, services.input_from(resource)), user)
        if status is not None and status != resource.status:
            step = lifecycle.leading_to(status)
            if step is lifecycle.RETURN:  # it needs the curator's comment
                raise services.ResourceError(
                    "Pour renvoyer une ressource en brouillon : POST …/return avec un commentaire.",
                    409,
                )
            step.apply(resource, user)
        if "featured" in record.values and record.values["featured"] != resource.featured:
            services.set_featured(resource, user, record.values["featured"])
    except services.ResourceError as failure:
        return _refused(failure)
    except conflicts.LOST:
        return _lost()
    return _saved(resource)


@bp.post("/resources/<id:resource_id>/attachments")
@token_required
def add_resource_attachment(resource_id: int):
    """Multipart, file field `file`: the checks of the web form."""
    resource = _resource_or_404(resource_id)
    if resource is None:
        return error(404, "not_found", "Aucune ressource visible ne porte ce numéro.")
    if not permissions.can_edit(caller(), resource):
        return error(403, "forbidden", "Vous ne pouvez pas modifier cette ressource.")
    if (refused := _stale(resource)) is not None:
        return refused
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return error(
            422, "validation_failed", "Joignez un fichier dans le champ « file » (multipart).",
            fields=[{"field": "file", "message": "fichier manquant"}],
        )  # fmt: skip
    try:
        add_attachment(resource, read_upload(upload), upload.filename)
    except UploadRejected as rejected:
        db.session.rollback()
        codes = {413: "too_large", 415: "unsupported_media_type"}
        code = codes.get(rejected.status, "validation_failed")
        return error(rejected.status, code, rejected.message)
    resource.updated_at = utcnow()
    return _saved(resource, 201)


@bp.post(f"/resources/<id:resource_id>/<any({', '.join(lifecycle.TRANSITIONS)}):action>")
@token_required
def transition(resource_id: int, action: str):
    """A step of the life cycle (lifecycle.TRANSITIONS); return takes {"comment"}."""
    resource = _resource_or_404(resource_id)
    if resource is None:
        return error(404, "not_found", "Aucune ressource visible ne porte ce numéro.")
    if (refused := _stale(resource)) is not None:
        return refused
    step, details = lifecycle.TRANSITIONS[action], []
    if step is lifecycle.RETURN:
        body = _json_body() if _has_body() else {}
        if isinstance(body, tuple):
            return body
        comment = body.get("comment", "") if isinstance(body, dict) else ""
        details.append(comment if isinstance(comment, str) else "")
    try:
        step.apply(resource, caller(), *details)
    except services.ResourceError as failure:
        return _refused(failure)
    except conflicts.LOST:
        return _lost()
    return _saved(resource)
