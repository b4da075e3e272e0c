"""Suivre / Ne plus suivre (htmx in place, a plain form without JavaScript),
/fil, the email preferences of /profil, and the one-click unsubscribe link."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from cnig_share import htmx, permissions
from cnig_share.accounts.services import safe_next_url
from cnig_share.extensions import csrf, db
from cnig_share.following import notifications, services, sources
from cnig_share.following.forms import preferences_form
from cnig_share.pagination import ListPage, page_argument

bp = Blueprint("following", __name__)

PER_PAGE = 20


def _toggled(kind_name: str, target_id: int, following: bool):
    """The button again for htmx; else back where the person was (or the thing's page)."""
    kind, item = services.target(kind_name, target_id)
    db.session.commit()
    if htmx.is_htmx_request():
        response = make_response(
            render_template(
                "following/button.html",
                kind=kind.name,
                target_id=target_id,
                following=following,
                title=kind.title(item),
            )
        )
        response.vary.add("HX-Request")
        return response
    flash(
        (f"Vous suivez {kind.label} « {kind.title(item)} »." if following
         else f"Vous ne suivez plus {kind.label} « {kind.title(item)} »."),
        "success",
    )  # fmt: skip
    return redirect(safe_next_url(request.form.get("next")) or kind.url(item), 303)


def _target_or_404(kind_name: str, target_id: int) -> None:
    if not permissions.can_follow(current_user):
        abort(403)
    try:
        services.target(kind_name, target_id)
    except services.FollowError as error:
        abort(error.status, error.message)


@bp.post("/suivis/<kind_name>/<id:target_id>")
@login_required
def follow(kind_name: str, target_id: int):
    _target_or_404(kind_name, target_id)
    services.follow(current_user, kind_name, target_id)
    return _toggled(kind_name, target_id, True)


@bp.post("/suivis/<kind_name>/<id:target_id>/retirer")
@login_required
def unfollow(kind_name: str, target_id: int):
    if kind_name not in services.FOLLOW_KINDS:
        abort(404)
    services.unfollow(current_user, kind_name, target_id)
    try:
        return _toggled(kind_name, target_id, False)
    except services.FollowError:  # gone or no longer public: unfollowed all the same
        db.session.commit()
        return redirect(safe_next_url(request.form.get("next")) or url_for(".feed"), 303)


@bp.get("/fil")
@login_required
def feed():
    chosen = [kind for kind in request.args.getlist("type") if kind in sources.SOURCES]
    kinds = chosen or list(sources.SOURCES)
    followed = services.followed_by(current_user.id)
    query = sources.events_query(followed, kinds)
    page = page_argument(request.args)
    total = sources.count(query)
    rows = []
    if query is not None:
        rows = db.session.execute(query.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    events = ListPage(sources.load(rows), page, max(1, -(-total // PER_PAGE)), total)
    return htmx.render_page_or_block(
        "following/feed.html", "feed_results",
        events=events, sources=sources.SOURCES, chosen=chosen,
        following=bool(followed),
    )  # fmt: skip


@bp.post("/profil/notifications")
@login_required
def save_preferences():
    form = preferences_form(current_user, submitted=True)
    if form.validate():
        modes = {name: form[f"mode_{name}"].data for name in sources.SOURCES}
        services.save_settings(current_user, modes, form.period.data)
        db.session.commit()
        flash("Vos préférences de courriel sont enregistrées.", "success")
        return redirect(url_for("accounts.profile") + "#suivis", 303)
    from cnig_share.accounts.profile_views import _profile

    return _profile(preferences_form=form, status=422)


@bp.route("/notifications/desabonner/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: mail clients post the one-click unsubscribe, without a session
def unsubscribe(token: str):
    found = notifications.from_unsubscribe_token(token)
    if found is None:
        return render_template("following/unsubscribe.html", error="Ce lien n'est pas valide."), 400
    user, kinds = found
    labels = [sources.SOURCES[kind].label for kind in kinds]
    if request.method == "POST":
        notifications.unsubscribe(user, kinds)
        db.session.commit()
        return render_template("following/unsubscribe.html", done=True, labels=labels)
    return render_template("following/unsubscribe.html", done=False, labels=labels, token=token)
