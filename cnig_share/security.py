"""Headers every response carries (SPEC §8)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, g, request

from cnig_share.config import ConfigurationError

# Everything the pages use is served from this site; no inline script or
# style is ever needed (htmx's own indicator style is turned off in base.html).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


NUL_REFUSED = (
    "La requête contient un caractère nul (U+0000), qui ne peut pas être enregistré. "
    "Retirez-le puis réessayez."
)


def init_app(app: Flask) -> None:
    app.config["WIDGET_FRAME_ANCESTORS"] = frame_ancestors(app.config["WIDGET_FRAME_ANCESTORS"])
    app.before_request(refuse_nul_characters)
    app.after_request(add_security_headers)


def refuse_nul_characters() -> None:
    """PostgreSQL cannot store or even compare text holding NUL: refuse it at
    the door with a 400 rather than fail deep inside a query."""
    # Every value of a repeated key, not only the first that .values() gives.
    texts = [request.path, *_keys_and_values(request.args)]
    if request.method in ("POST", "PUT", "PATCH") and not request.is_json:
        texts += _keys_and_values(request.form)
    if any("\x00" in text for text in texts):
        abort(400, NUL_REFUSED)


def _keys_and_values(data) -> list[str]:
    return [text for key, values in data.lists() for text in (key, *values)]


def allow_form_target(origin: str) -> None:
    """Let this response's forms lead to another origin (ProConnect's sign-out)."""
    if origin.startswith(("https://", "http://")) and not any(c in origin for c in " ;,'\""):
        g.setdefault("form_targets", []).append(origin)


def allow_framing() -> None:
    """Let other sites frame this response (the widget's pages alone): the
    ancestors WIDGET_FRAME_ANCESTORS names, and no X-Frame-Options."""
    g.frame_ancestors = current_app.config["WIDGET_FRAME_ANCESTORS"]


def frame_ancestors(setting: str | list[str]) -> str:
    """WIDGET_FRAME_ANCESTORS as a CSP source list: "*", or web origins
    (https://portail.example.fr) separated by spaces; ConfigurationError otherwise."""
    sources = setting.split() if isinstance(setting, str) else [str(s) for s in setting]
    if not sources:
        raise ConfigurationError(_BAD_ANCESTORS)
    for source in sources:
        if source == "*":
            continue
        parts = urlsplit(source)
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or parts.path not in ("", "/")
            or parts.query
            or parts.fragment
            or any(c in source for c in ";,'\"")
        ):
            raise ConfigurationError(_BAD_ANCESTORS)
    return " ".join(sources)


_BAD_ANCESTORS = (
    "WIDGET_FRAME_ANCESTORS : indiquez « * » ou des origines séparées par des espaces "
    "(https://portail.exemple.fr), sans chemin."
)


def _content_security_policy() -> str:
    policy = CONTENT_SECURITY_POLICY
    ancestors = g.get("frame_ancestors")
    if ancestors:
        policy = policy.replace("frame-ancestors 'none'", f"frame-ancestors {ancestors}")
    targets = g.get("form_targets")
    if not targets:
        return policy
    return policy.replace("form-action 'self'", " ".join(["form-action 'self'", *targets]))


def add_security_headers(response: Response) -> Response:
    """Set the protective headers unless a view chose its own."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", _content_security_policy())
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if not g.get("frame_ancestors"):
        headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config["HSTS"]:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response
