"""The conversation with ProConnect (OpenID Connect), through Authlib's Flask client.

Authlib does the protocol: discovery, the authorization URL, the code exchange and
the ID token's checks (signature against the provider's JWKS, issuer, audience,
expiry, nonce). Two things it leaves to us: ProConnect answers /userinfo as a
signed JWT (application/jwt), which :func:`_signed_userinfo` verifies with the
same keys; and the flows kept in the session carry our own data (where to go
next, why the flow began), so the callback reads its state itself.

Every failure becomes a :class:`ProConnectError`, a French message and a 4xx:
the provider's answers are untrusted input, and a library parsing garbage can
raise almost anything (a KeyError on a document that is a list, a TypeError on a
key set that is a string), so :func:`finish` turns any of them into one.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import current_app, request, session, url_for
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

log = logging.getLogger(__name__)

CLIENT_NAME = "proconnect"
# A browser may start a few flows (two tabs, a double click); older ones are dropped
# so that the session cookie stays small.
MAX_PENDING_FLOWS = 3
FLOW_KEY_PREFIX = f"_state_{CLIENT_NAME}_"
# Why a flow began: to sign in, to link the signed-in account, to confirm a deletion.
PURPOSES = ("sign_in", "link", "reauthenticate")
# At least 32 characters each (issue 16): 32 random bytes give 43.
TOKEN_BYTES = 32

BACK_TO_SIGN_IN = "Recommencez la connexion depuis la page « Se connecter »."
FLOW_UNKNOWN = (
    "Cette connexion ProConnect n'a pas été commencée depuis ce navigateur, ou elle a "
    "expiré. " + BACK_TO_SIGN_IN
)
PROVIDER_REFUSED = "ProConnect a refusé la connexion. " + BACK_TO_SIGN_IN
PROVIDER_UNAVAILABLE = (
    "ProConnect n'a pas répondu correctement. Réessayez dans quelques minutes, ou "
    "connectez-vous avec votre adresse électronique et votre mot de passe."
)
ANSWER_REFUSED = (
    "La réponse de ProConnect n'a pas pu être vérifiée : par prudence, la connexion est "
    "refusée. " + BACK_TO_SIGN_IN
)


class ProConnectError(Exception):
    """A sign-in that cannot go on: a French message for the person, and a status.

    ``next_url`` is where the failed flow was to lead (an invitation's page, say): the
    error page's way back to the sign-in keeps it, so the person does not lose it."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.next_url: str | None = None


@dataclass(frozen=True)
class Identity:
    """Who ProConnect says signed in, its answers checked."""

    issuer: str
    subject: str
    email: str | None
    given_name: str
    usual_name: str
    id_token: str
    auth_time: int | None
    claims: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.usual_name}".strip()


@dataclass(frozen=True)
class Flow:
    """What a flow started with: why, where to go next, for whom, and when."""

    purpose: str
    next_url: str | None
    user_id: int | None
    started_at: float

    @contextmanager
    def failures_lead_back(self) -> Iterator[None]:
        """A ProConnectError raised within says where this flow was to lead."""
        try:
            yield
        except ProConnectError as error:
            error.next_url = error.next_url or self.next_url
            raise


def is_enabled() -> bool:
    """ProConnect is offered only when the deployment set its discovery URL."""
    return bool(current_app.config.get("PROCONNECT_DISCOVERY_URL"))


def _client():
    """This app's Authlib client, made on first use from the settings of that moment."""
    registry: OAuth = current_app.extensions["proconnect"]
    client = registry.create_client(CLIENT_NAME)
    if client is None:
        config = current_app.config
        registry.register(
            CLIENT_NAME,
            client_id=config["PROCONNECT_CLIENT_ID"],
            client_secret=config["PROCONNECT_CLIENT_SECRET"],
            server_metadata_url=config["PROCONNECT_DISCOVERY_URL"],
            client_kwargs={
                "scope": config["PROCONNECT_SCOPES"],
                "default_timeout": config["PROCONNECT_TIMEOUT"],
                "token_endpoint_auth_method": config["PROCONNECT_TOKEN_AUTH_METHOD"],
            },
        )
        client = registry.create_client(CLIENT_NAME)
    return client


def redirect_uri() -> str:
    """The redirect URI registered at ProConnect: <PUBLIC_URL>/connexion/proconnect/retour."""
    return url_for("proconnect.callback", _external=True)


def authorization_url(
    purpose: str,
    next_url: str | None = None,
    user_id: int | None = None,
    reauthenticate: bool = False,
) -> str:
    """Where to send the browser to sign in at ProConnect; the flow is kept in the session.
    ``reauthenticate`` asks the person to authenticate again (prompt=login); the ID
    token must then say when they did (auth_time), which the caller compares with
    the flow's start. No max_age: ProConnect refuses any parameter its documentation
    does not list (Y000400), and max_age is not one of them."""
    client = _client()
    state = secrets.token_urlsafe(TOKEN_BYTES)
    nonce = secrets.token_urlsafe(TOKEN_BYTES)
    extra: dict[str, Any] = {}
    if current_app.config["PROCONNECT_ACR_VALUES"]:
        extra["acr_values"] = current_app.config["PROCONNECT_ACR_VALUES"]
    if reauthenticate:
        extra["prompt"] = "login"
    try:
        found = client.create_authorization_url(redirect_uri(), state=state, nonce=nonce, **extra)
    except Exception as error:  # discovery failed: unreachable, or not a metadata document
        log.warning("ProConnect discovery failed: %r", error)
        raise ProConnectError(PROVIDER_UNAVAILABLE) from error
    _drop_older_flows()
    client.framework.set_state_data(
        session,
        state,
        {
            "redirect_uri": redirect_uri(),
            "nonce": nonce,
            "purpose": purpose,
            "next": next_url,
            "user_id": user_id,
            "started_at": time.time(),
            "reauthenticate": reauthenticate,
        },
    )
    return found["url"]


def _drop_older_flows() -> None:
    flows = sorted(
        (value.get("exp", 0), key)
        for key, value in session.items()
        if key.startswith(FLOW_KEY_PREFIX)
    )
    for _, key in flows[: max(0, len(flows) - MAX_PENDING_FLOWS + 1)]:
        session.pop(key, None)


def finish() -> tuple[Flow, Identity]:
    """At the redirect URI: the flow this answer ends and the identity it proves.
    The flow is spent whatever happens, so an answer cannot be replayed."""
    client = _client()
    state = request.args.get("state", "")
    data = client.framework.get_state_data(session, state) if state else None
    if not data or data.get("purpose") not in PURPOSES:  # a sign-out's state is not one
        raise ProConnectError(FLOW_UNKNOWN)
    client.framework.clear_state_data(session, state)
    flow = Flow(data["purpose"], data["next"], data["user_id"], data["started_at"])
    with flow.failures_lead_back():
        code = request.args.get("code")
        if request.args.get("error") or not code:
            raise ProConnectError(PROVIDER_REFUSED)
        try:
            return flow, _identity(client, code, data)
        except ProConnectError:
            raise
        except Exception as error:
            log.warning("ProConnect sign-in failed: %r", error)
            raise ProConnectError(_message_for(error)) from error


def _identity(client, code: str, data: dict[str, Any]) -> Identity:
    token = client.fetch_access_token(code=code, redirect_uri=data["redirect_uri"])
    if not isinstance(token, dict) or "id_token" not in token:
        raise ProConnectError(PROVIDER_UNAVAILABLE)
    options: dict[str, Any] = {"iss": {"essential": True, "values": [_issuer(client)]}}
    acr_values = current_app.config["PROCONNECT_ACR_VALUES"]
    if acr_values:
        options["acr"] = {"essential": True, "values": acr_values.split()}
    if data.get("reauthenticate"):
        options["auth_time"] = {"essential": True}
    id_claims = client.parse_id_token(token, nonce=data["nonce"], claims_options=options)
    userinfo = _signed_userinfo(client, token["access_token"], id_claims["sub"])
    email = userinfo.get("email")
    return Identity(
        issuer=_issuer(client),
        subject=str(id_claims["sub"]),
        email=email if isinstance(email, str) and email.strip() else None,
        given_name=_text(userinfo.get("given_name")),
        usual_name=_text(userinfo.get("usual_name")),
        id_token=token["id_token"],
        auth_time=id_claims.get("auth_time"),
        claims={key: userinfo[key] for key in ("siret", "uid", "idp_id") if key in userinfo},
    )


def _signed_userinfo(client, access_token: str, subject: str) -> dict[str, Any]:
    """ProConnect's /userinfo: a JWT signed like the ID token, for the same subject.
    A plain JSON answer is refused: nothing would prove who wrote it."""
    metadata = client.load_server_metadata()
    response = client.get(
        metadata["userinfo_endpoint"], token={"access_token": access_token, "token_type": "Bearer"}
    )
    response.raise_for_status()
    if response.headers.get("Content-Type", "").split(";")[0].strip() != "application/jwt":
        raise ProConnectError(ANSWER_REFUSED)
    keys = KeySet.import_key_set(client.fetch_jwk_set())
    algorithms = metadata.get("userinfo_signing_alg_values_supported") or ["RS256", "ES256"]
    token = jwt.decode(response.text.strip(), keys, algorithms=algorithms)
    jwt.JWTClaimsRegistry(
        sub={"essential": True, "value": subject},
        iss={"essential": False, "value": _issuer(client)},
    ).validate(token.claims)
    audience = token.claims.get("aud")
    if audience is not None and client.client_id not in (
        audience if isinstance(audience, list) else [audience]
    ):
        raise ProConnectError(ANSWER_REFUSED)
    return token.claims


def _issuer(client) -> str:
    return client.load_server_metadata()["issuer"]


def _text(value: Any, limit: int = 100) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def _message_for(error: Exception) -> str:
    """Refused answers (a code spent or expired, a signature, a nonce) apart from a
    provider that failed to answer."""
    if isinstance(error, OAuthError):  # the token endpoint refused the code
        return PROVIDER_REFUSED
    if isinstance(error, JoseError):
        return ANSWER_REFUSED
    return PROVIDER_UNAVAILABLE


def end_session_origin() -> str | None:
    """The scheme and host of the provider's end-session endpoint, once discovery is done."""
    endpoint = _client().server_metadata.get("end_session_endpoint")
    return origin(endpoint) if isinstance(endpoint, str) else None


def end_session_url(id_token: str) -> str | None:
    """Where to send the browser to end its ProConnect session too, or None when the
    provider cannot be asked (the local session ends anyway)."""
    client = _client()
    state = secrets.token_urlsafe(TOKEN_BYTES)
    post_logout = url_for("proconnect.logged_out", _external=True)
    try:
        found = client.create_logout_url(
            post_logout_redirect_uri=post_logout, id_token_hint=id_token, state=state
        )
    except Exception as error:
        log.warning("ProConnect end-session unavailable: %r", error)
        return None
    client.framework.set_state_data(session, state, {"purpose": "logout"})
    return found["url"]


def finish_logout() -> bool:
    """At the post-logout URI: whether the answer carries the state this browser sent."""
    client = _client()
    state = request.args.get("state", "")
    data = client.framework.get_state_data(session, state) if state else None
    if not data or data.get("purpose") != "logout":
        return False
    client.framework.clear_state_data(session, state)
    return True


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
