"""What a browser's session remembers of its ProConnect sign-in: the ID token, which
sign-out hands back to the provider (id_token_hint), and the provider's origin, which
the page's Content-Security-Policy must let the sign-out form reach. Kept in the
session, never in the database: they belong to this browser, not to the account."""

from __future__ import annotations

from flask import session

from cnig_share import security
from cnig_share.proconnect import client

ID_TOKEN_KEY = "proconnect_id_token"
LOGOUT_ORIGIN_KEY = "proconnect_logout_origin"


def remember(id_token: str) -> None:
    session[ID_TOKEN_KEY] = id_token
    session[LOGOUT_ORIGIN_KEY] = client.end_session_origin()


def forget() -> str | None:
    """Forget this browser's ProConnect session (a password sign-in replaces it);
    returns its ID token, if there was one."""
    session.pop(LOGOUT_ORIGIN_KEY, None)
    return session.pop(ID_TOKEN_KEY, None)


def end() -> str | None:
    """Forget this browser's ProConnect session, and return where to end it at the
    provider too (None when it was not one, or the provider cannot be asked)."""
    id_token = forget()
    if not id_token or not client.is_enabled():
        return None
    return client.end_session_url(id_token)


def allow_sign_out_at_provider() -> None:
    """Sign-out is a form posted on every page; for a ProConnect session it redirects
    to the provider's end-session endpoint, which the policy's form-action must allow
    (browsers check a form's redirects against it)."""
    origin = session.get(LOGOUT_ORIGIN_KEY)
    if origin:
        security.allow_form_target(origin)
