"""/abonnement: follow a search or a term by Atom feed or by email, and the
signed links that confirm or end an alert."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for

from cnig_share.alerts import services
from cnig_share.alerts.forms import SubscribeForm
from cnig_share.extensions import csrf, db, limiter
from cnig_share.feeds.views import describe
from cnig_share.glossary.services import find_term
from cnig_share.search.service import params_from

bp = Blueprint("alerts", __name__, url_prefix="/abonnement")


def _search_args() -> dict[str, list[str]]:
    """The followed search, as query-string arguments (for links and the form)."""
    params = params_from(request.values)
    query = services.canonical(params)
    return {
        name: values if isinstance(values, list) else [values] for name, values in query.items()
    }


@bp.route("", methods=["GET", "POST"])
@limiter.limit(
    "10 per minute",
    methods=["POST"],
    error_message="Trop de demandes d'abonnement : réessayez dans une minute.",
)
def subscribe():
    args = _search_args()
    params = params_from(request.values)
    term = find_term(args["term"][0]) if list(args) == ["term"] and len(args["term"]) == 1 else None
    form = SubscribeForm()
    if form.validate_on_submit():
        services.subscribe(form.email.data.strip().lower(), params, form.period.data)
        db.session.commit()
        return render_template("alerts/check_inbox.html", email=form.email.data.strip())
    status = 422 if form.is_submitted() else 200
    return render_template(
        "alerts/subscribe.html",
        form=form,
        args=args,
        term=term,
        description=describe(params),
        feed_url=url_for("feeds.resources", _external=True, **args),
    ), status


@bp.route("/confirmer/<token>", methods=["GET", "POST"])
def confirm(token: str):
    """A page with a button: mail scanners that open links do not confirm."""
    try:
        subscription = services.from_token(token, "confirm")
    except services.AlertError as error:
        return render_template("alerts/link_error.html", message=error.message), 400
    if request.method == "POST":
        services.confirm(subscription)
        db.session.commit()
        return render_template(
            "alerts/done.html", confirmed=True, label=services.label(subscription)
        )
    return render_template(
        "alerts/confirm.html", subscription=subscription, label=services.label(subscription)
    )


@bp.route("/desabonner/<token>", methods=["GET", "POST"])
@csrf.exempt  # mail clients post the one-click unsubscribe (RFC 8058) without a form
def unsubscribe(token: str):
    try:
        subscription = services.from_token(token, "unsubscribe")
    except services.AlertError as error:
        return render_template("alerts/link_error.html", message=error.message), 400
    label = services.label(subscription)
    if request.method == "POST":
        services.unsubscribe(subscription)
        db.session.commit()
        return render_template("alerts/done.html", confirmed=False, label=label)
    return render_template("alerts/unsubscribe.html", label=label)
