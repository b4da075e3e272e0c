"""Failed password attempts, limited wherever a password is typed: the sign-in form,
the profile's forms that ask for it, linking ProConnect to an account (README,
*Accounts*). Only failures count — a view answers 422 to a wrong password — so a
member who signs in often is never locked out."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, current_app

from cnig_share.extensions import limiter


def login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def account_login_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def _failed(response: Response) -> bool:
    return response.status_code == 422


def failed_attempts(
    key_func: Callable[[], str], message: str, limit: Callable[[], str] = login_limit
):
    """Refuse a view's POSTs, with `message`, once the failures counted per `key_func`
    reach `limit` (LOGIN_RATE_LIMIT unless said)."""
    return limiter.limit(
        limit, key_func=key_func, methods=["POST"], deduct_when=_failed, error_message=message
    )


def shared_failed_attempts(scope: str, key_func: Callable[[], str], message: str):
    """`failed_attempts` counted once for every view it decorates."""
    return limiter.shared_limit(
        login_limit,
        scope=scope,
        key_func=key_func,
        methods=["POST"],
        deduct_when=_failed,
        error_message=message,
    )
