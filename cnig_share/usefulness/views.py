"""POST /ressources/<id>/utile and …/utile/retirer: htmx swaps the block in
place; without JavaScript, a 303 back to the resource."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, url_for
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block

from cnig_share.extensions import db
from cnig_share.htmx import is_htmx_request
from cnig_share.models import Resource, User
from cnig_share.resources.views import visible_resource_or_404
from cnig_share.usefulness import services

bp = Blueprint("usefulness", __name__, url_prefix="/ressources")


@bp.post("/<id:resource_id>/utile")
@login_required
def mark(resource_id: int):
    return _answer(resource_id, services.mark, "Merci : votre avis est compté.")


@bp.post("/<id:resource_id>/utile/retirer")
@login_required
def withdraw(resource_id: int):
    return _answer(resource_id, services.withdraw, "Votre avis « utile » est retiré.")


def _answer(resource_id: int, action: Callable[[User, Resource], None], done: str):
    resource = visible_resource_or_404(resource_id)
    try:
        action(current_user, resource)
    except services.UsefulnessError as error:
        abort(error.status, error.message)
    db.session.commit()
    if is_htmx_request():
        response = render_block("usefulness/_panel.html", "utile", resource=resource)
        return response, 200, {"Vary": "HX-Request"}
    flash(done, "success")
    response = redirect(url_for("resources.show", resource_id=resource.id) + "#utile", 303)
    response.vary.add("HX-Request")
    return response
