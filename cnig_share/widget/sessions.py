"""No session on the widget's pages: a framed page must not know who is
signed in on the site (what it shows is the anonymous view) and must not
set or refresh a cookie in someone else's page."""

from __future__ import annotations

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

WIDGET_PREFIX = "/widget/"


class ForgottenSession(SecureCookieSession):
    """An empty session that is never saved: what a page writes in it (an
    error page's CSRF token) lives for this request only."""

    @property  # type: ignore[override]
    def modified(self) -> bool:
        return False

    @modified.setter
    def modified(self, value: bool) -> None:
        pass


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, except on the widget's paths."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if request.path.startswith(WIDGET_PREFIX):
            return ForgottenSession()
        return super().open_session(app, request)
