"""A published resource's revisions: the list, a readable diff, restoring one."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from cnig_share.extensions import db
from cnig_share.models import Revision
from cnig_share.resources import services
from cnig_share.resources.views import bp, part_of_or_404, visible_resource_or_404
from cnig_share.routing import parse_id

FIELD_LABELS = {
    "title": "titre",
    "summary": "résumé",
    "body": "contenu",
    "kind": "type",
    "ctd": "CTD",
    "licence": "licence",
    "terms": "termes",
    "links": "liens",
    "status": "publication",
}


@dataclass
class DiffLine:
    tag: str  # "equal", "insert" or "delete"
    text: str


def line_diff(old: str, new: str) -> list[DiffLine] | None:
    """Line by line, as a reader compares two versions of a text; None when
    either text is past REVISION_DIFF_MAX_LINES or REVISION_DIFF_MAX_CHARS.

    Any visitor may ask for a comparison, so its cost is bounded: no
    ndiff (its intra-line matching is cubic: 400 lines took 17 s), and
    SequenceMatcher, superlinear on repetitive lines, only up to the caps
    (bench/diff.py measures the worst case at the cap).
    """
    if not comparable(old) or not comparable(new):
        return None
    old_lines, new_lines = old.splitlines(), new.splitlines()
    lines = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            lines += [DiffLine("equal", text) for text in old_lines[old_start:old_end]]
            continue
        lines += [DiffLine("delete", text) for text in old_lines[old_start:old_end]]
        lines += [DiffLine("insert", text) for text in new_lines[new_start:new_end]]
    return lines


def comparable(text: str) -> bool:
    """Whether a text is small enough to be compared within a request."""
    config = current_app.config
    return (
        len(text) <= config["REVISION_DIFF_MAX_CHARS"]
        and text.count("\n") < config["REVISION_DIFF_MAX_LINES"]
    )


@bp.get("/<id:resource_id>/historique")
def history(resource_id: int):
    resource = visible_resource_or_404(resource_id)
    revisions = db.session.scalars(
        select(Revision).where(Revision.resource_id == resource.id).order_by(Revision.id.desc())
    ).all()
    return render_template(
        "resources/history.html", resource=resource, revisions=revisions, labels=FIELD_LABELS
    )


@bp.get("/<id:resource_id>/historique/comparer")
def compare(resource_id: int):
    resource = visible_resource_or_404(resource_id)
    old_id, new_id = parse_id(request.args.get("de")), parse_id(request.args.get("a"))
    if old_id is None or new_id is None:
        abort(400, "Choisissez deux versions à comparer.")
    old, new = (
        part_of_or_404(Revision, old_id, resource),
        part_of_or_404(Revision, new_id, resource),
    )
    if old.id > new.id:
        old, new = new, old
    fields = {"titre": "title", "résumé": "summary", "contenu": "body"}
    diffs = {
        label: line_diff(getattr(old, name), getattr(new, name)) for label, name in fields.items()
    }
    return render_template(
        "resources/compare.html",
        resource=resource,
        old=old,
        new=new,
        diffs=diffs,
        fields=fields,
        max_lines=current_app.config["REVISION_DIFF_MAX_LINES"],
    )


@bp.post("/<id:resource_id>/historique/<id:revision_id>/restaurer")
@login_required
def restore(resource_id: int, revision_id: int):
    resource = visible_resource_or_404(resource_id)
    revision = part_of_or_404(Revision, revision_id, resource)
    try:
        restored = services.restore_revision(resource, revision, by=current_user)
    except services.ResourceError as error:
        db.session.rollback()
        abort(error.status, error.message)
    db.session.commit()
    if restored is None:
        flash("Cette version est déjà la version en ligne.", "info")
    else:
        flash(
            "La version choisie est restaurée ; l'historique garde la trace du changement.",
            "success",
        )
    return redirect(url_for(".history", resource_id=resource.id), 303)
