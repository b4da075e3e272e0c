"""/ressources/<id>/…: the steps of a resource's life (the table in lifecycle.py),
taken from its page or from the curation queue, and the curators' actions on a
published resource."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from cnig_share import confirmation, conflicts, permissions
from cnig_share.curation import queue as review_queue
from cnig_share.extensions import db
from cnig_share.models import Resource
from cnig_share.resources import lifecycle, services
from cnig_share.resources.forms import RelayForm, ReturnForm
from cnig_share.resources.views import bp, refuse, render_show, visible_resource_or_404

# Actions on a published resource that leave its state as it is.
CURATION_ACTIONS = {
    "mettre-a-la-une": (
        lambda r, by: services.set_featured(r, by, True),
        "La ressource est à la une.",
    ),
    "retirer-de-la-une": (
        lambda r, by: services.set_featured(r, by, False),
        "La ressource n'est plus à la une.",
    ),
    "marquer-verifiee": (
        services.mark_reviewed,
        "La ressource est marquée comme vérifiée : sa date de vérification est repoussée.",
    ),
    "ne-plus-relayer": (services.unrelay, "La ressource n'est plus relayée par le CNIG."),
}


def _from_queue() -> bool:
    """The curation queue posts its decisions here too (or to its own former
    addresses), and its curator goes back to the queue."""
    return request.blueprint == "curation" or "queue" in request.form


def _refused(error: services.ResourceError):
    db.session.rollback()
    if _from_queue():
        return review_queue.decided(error.message, "error")
    refuse(error)


def _take(step: lifecycle.Transition, resource: Resource, *details: str):
    """One step of the life cycle, made from the version the page showed; of two
    concurrent decisions, the later is refused (409)."""
    try:
        conflicts.require_posted_version(resource.version)
        step.apply(resource, current_user, *details)
        title = resource.title
        conflicts.commit()
    except services.ResourceError as error:
        return _refused(error)
    except conflicts.LOST:
        if _from_queue():
            return review_queue.overtaken()
        raise  # the 409 page (conflicts.init_app)
    if _from_queue():
        return review_queue.decided(f"« {title} » est {step.outcome}.")
    flash(f"La ressource est {step.outcome}.", "success")
    return redirect(url_for(".show", resource_id=resource.id), 303)


@bp.post("/<id:resource_id>/relayer")
@login_required
def relay(resource_id: int):
    resource = visible_resource_or_404(resource_id)
    if not permissions.can_relay(current_user, resource):
        abort(403, "Seule l'équipe du CNIG relaie les ressources publiées.")
    form = RelayForm()
    if not form.validate():
        return render_show(resource, relay_form=form, status=422)
    try:
        services.relay(resource, current_user, form.note.data)
    except services.ResourceError as error:
        db.session.rollback()
        refuse(error)
    db.session.commit()
    flash("La ressource est relayée par le CNIG.", "success")
    return redirect(url_for(".show", resource_id=resource.id), 303)


@bp.post(f"/<id:resource_id>/{lifecycle.RETURN.path}")
@login_required
def return_to_authors(resource_id: int):
    """Back to draft, with a comment: from the resource page or the queue."""
    resource = visible_resource_or_404(resource_id)
    form = ReturnForm()
    if form.validate():
        return _take(lifecycle.RETURN, resource, form.comment.data)
    try:
        lifecycle.check(lifecycle.RETURN, resource, current_user)
    except services.ResourceError as error:
        return _refused(error)
    if _from_queue():
        return review_queue.decided(form.comment.errors[0], "error")
    return render_show(resource, return_form=form, status=422)


@bp.post("/<id:resource_id>/<action>")
@login_required
def transition(resource_id: int, action: str):
    """Submit, publish, archive (lifecycle.TRANSITIONS), and the curators'
    actions on a published resource."""
    resource = visible_resource_or_404(resource_id)
    if action == lifecycle.ARCHIVE.path and not confirmation.confirmed():
        return _ask_before_archiving(resource)
    if action in lifecycle.AT_PATH:
        return _take(lifecycle.AT_PATH[action], resource)
    if action not in CURATION_ACTIONS:
        abort(404)
    apply, message = CURATION_ACTIONS[action]
    try:
        conflicts.require_posted_version(resource.version)
        apply(resource, current_user)
    except services.ResourceError as error:
        db.session.rollback()
        refuse(error)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".show", resource_id=resource.id), 303)


def _ask_before_archiving(resource: Resource):
    """Archiving takes a resource off the site: asked first, of whom may do it."""
    try:
        lifecycle.check(lifecycle.ARCHIVE, resource, current_user)
    except services.ResourceError as error:
        return _refused(error)
    back = url_for(".show", resource_id=resource.id)
    return confirmation.ask(confirmation.archive(resource), back)
