"""Error pages in French, and JSON errors for the API: never a traceback."""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from cnig_share.markdown import RenderRefused

MESSAGES: dict[int, tuple[str, str]] = {
    400: (
        "Requête incorrecte",
        "La demande envoyée n'a pas pu être comprise. Vérifiez l'adresse ou le "
        "formulaire, puis réessayez.",
    ),
    401: ("Connexion requise", "Connectez-vous pour accéder à cette page."),
    403: (
        "Accès refusé",
        "Vous n'avez pas les droits nécessaires pour effectuer cette action.",
    ),
    404: (
        "Page non trouvée",
        "La page que vous cherchez est introuvable. Excusez-nous pour la gêne "
        "occasionnée. Si vous avez tapé l'adresse web dans le navigateur, "
        "vérifiez qu'elle est correcte. La page n'est peut-être plus disponible.",
    ),
    405: ("Méthode non autorisée", "Cette action n'est pas possible à cette adresse."),
    409: (
        "Action impossible pour l'instant",
        "Ce que vous demandez n'est plus possible : la page a changé depuis que vous "
        "l'avez ouverte. Rechargez-la pour voir où en sont les choses.",
    ),
    413: (
        "Fichier trop volumineux",
        "Le fichier ou le formulaire envoyé dépasse la taille autorisée. Réduisez sa "
        "taille ou découpez-le, puis réessayez. Rien n'a été enregistré.",
    ),
    415: ("Format non pris en charge", "Le format envoyé n'est pas accepté ici."),
    422: ("Données invalides", "Certaines informations envoyées ne sont pas valides."),
    429: (
        "Trop de tentatives",
        "Vous avez effectué trop de demandes en peu de temps. Patientez une minute "
        "avant de réessayer.",
    ),
    500: (
        "Erreur inattendue",
        "Désolé, le service rencontre un problème. Nous y travaillons. Réessayez plus "
        "tard ; si le problème persiste, contactez l'équipe du CNIG.",
    ),
}

UNTRUSTED_HOST = (
    "Requête incorrecte : ce nom d'hôte n'est pas celui du site. Utilisez l'adresse "
    "publique du site."
)

CSRF_MESSAGE = (
    "Le formulaire a expiré ou n'a pas pu être vérifié. Rechargez la page et envoyez-le de nouveau."
)


# Stable machine-readable codes for API clients.
CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
}


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(SecurityError, _untrusted_host)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(RenderRefused, _render_refused)
    app.register_error_handler(Exception, _unexpected_error)


def error_response(status: int, message: str | None = None) -> tuple[Response | str, int]:
    """The French page, or the JSON error under /api/, for a status."""
    title, default = MESSAGES.get(status, MESSAGES[400 if status < 500 else 500])
    text = message or default
    if request.path.startswith("/api/"):
        code = CODES.get(status, "error")
        return jsonify(error={"code": code, "message": text}), status
    return render_template("errors/error.html", status=status, title=title, message=text), status


def _untrusted_host(error: SecurityError):
    # A Host outside TRUSTED_HOSTS: Flask has no URL adapter for the request,
    # so no page with links can be drawn; a short text says what is wrong.
    return Response(UNTRUSTED_HOST, 400, mimetype="text/plain")


def _csrf_error(error: CSRFError):
    return error_response(400, CSRF_MESSAGE)


def _http_error(error: HTTPException):
    status = error.code or 500
    # A view may abort with a French message of its own; Werkzeug's English
    # defaults and Flask-Limiter's limit strings are replaced by ours.
    if isinstance(error, RateLimitExceeded):
        own = bool(error.limit.error_message)
    else:
        own = bool(error.description) and error.description != type(error).description
    response, status = error_response(status, error.description if own else None)
    return response, status


def _render_refused(error: RenderRefused):
    # Forms, the API and the imports check a text before saving it; a path
    # that did not still stores nothing (the request's transaction is dropped).
    return error_response(422, str(error))


def _unexpected_error(error: Exception):
    # Logged by Flask with its traceback; the visitor sees a calm French page.
    current_app.logger.exception("Unhandled error", exc_info=error)
    return error_response(InternalServerError.code)
