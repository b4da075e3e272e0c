"""Following CTDs, terms, resources, projects and national actors: /fil, and
email notifications (immediate, grouped by the hour, or in a digest)."""

from __future__ import annotations

from collections.abc import Collection

from flask import Flask


def init_app(app: Flask) -> None:
    from flask_login import current_user

    from cnig_share.following import forgetting, services
    from cnig_share.following.views import bp

    app.register_blueprint(bp)
    forgetting.init_app()

    def is_following(kind_name: str, target_id: int) -> bool:
        """For the button: does the signed-in person follow this?"""
        return current_user.is_authenticated and services.is_following(
            current_user, kind_name, target_id
        )

    app.jinja_env.globals["is_following"] = is_following


def notify(event_kind: str, ref: int, by=None, told: Collection[int] = ()) -> None:
    """An event of a registered source happened (after the flush that gave it
    its id): tell its followers who want it at once; mail leaves after the commit.
    The one call every domain makes: `following.notify("version", revision.id, by)`.
    `told`: ids of people the domain has just written to about this very event."""
    from cnig_share.following.notifications import notify as notify_followers

    notify_followers(event_kind, ref, by, told)
