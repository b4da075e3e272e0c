"""/relais/ and /selections/: what the CNIG watch relays, in public, and the
curators' pages to compose selections."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cnig_share import confirmation, conflicts, permissions
from cnig_share.extensions import db
from cnig_share.models import Resource, Selection
from cnig_share.pagination import page_argument
from cnig_share.routing import resource_reference
from cnig_share.watch import services
from cnig_share.watch.forms import ItemForm, SelectionForm

bp = Blueprint("watch", __name__)

PER_PAGE = 20  # relays and selections on one page of their listing


def relayed_resources(limit: int | None = None):
    """Relayed resources, newest relay first (the first `limit`, if given)."""
    query = (
        permissions.public_resources()
        .where(Resource.relayed_at.is_not(None))
        .options(selectinload(Resource.ctd), selectinload(Resource.terms))
        .order_by(Resource.relayed_at.desc(), Resource.id.desc())
    )
    return query if limit is None else query.limit(limit)


def _page_of(query):
    return db.paginate(query, page=page_argument(request.args), per_page=PER_PAGE, error_out=False)


@bp.get("/relais/")
def relays():
    return render_template("watch/relays.html", page=_page_of(relayed_resources()))


@bp.get("/selections/")
def selections():
    page = _page_of(services.public_selections())
    drafts = []
    if permissions.can_curate(current_user):
        drafts = [
            s for s in db.session.scalars(select(Selection).order_by(Selection.created_at.desc()))
            if not services.is_public(s)
        ]  # fmt: skip
    return render_template("watch/selections.html", page=page, drafts=drafts)


def _selection_or_404(slug: str) -> Selection:
    selection = db.first_or_404(select(Selection).where(Selection.slug == slug))
    if not services.is_public(selection) and not permissions.can_curate(current_user):
        abort(404)
    return selection


@bp.get("/selections/<slug>")
def show(slug: str):
    selection = _selection_or_404(slug)
    items = [item for item in selection.items if permissions.can_view(None, item.resource)]
    return render_template(
        "watch/selection.html",
        selection=selection,
        items=items,
        item_form=ItemForm(),
        public=services.is_public(selection),
    )


# --- curators ---------------------------------------------------------------------------


def _require_curator() -> None:
    if not permissions.can_curate(current_user):
        abort(403, "Seule l'équipe du CNIG compose les sélections.")


def _published_at(form: SelectionForm) -> datetime | None:
    day = form.published_on.data
    return datetime.combine(day, time(6), tzinfo=UTC) if day else None


def _edit(selection: Selection | None):
    initial = None
    if selection is not None and request.method == "GET":
        initial = {
            "title": selection.title,
            "introduction": selection.introduction,
            "published_on": selection.published_at.date() if selection.published_at else None,
            "version": selection.version,
        }
    form = SelectionForm(data=initial)
    if form.validate_on_submit():
        try:
            selection = services.save_selection(
                selection, form.title.data, form.introduction.data or "", _published_at(form),
                current_user, form.loaded_version(),
            )  # fmt: skip
            conflicts.commit()
        except conflicts.LOST:
            return _conflict(selection.slug, form)
        flash("La sélection est enregistrée.", "success")
        return redirect(url_for(".show", slug=selection.slug), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("watch/selection_form.html", form=form, selection=selection), status


def _conflict(slug: str, form: SelectionForm):
    """409: saved by someone else since this form was loaded; the text is kept."""
    db.session.rollback()
    selection = _selection_or_404(slug)
    form.version.data = selection.version
    conflict = conflicts.compare(
        selection.version,
        [
            ("Titre", selection.title, form.title.data),
            ("Introduction", selection.introduction, form.introduction.data),
        ],
    )
    page = render_template(
        "watch/selection_form.html", form=form, selection=selection, conflict=conflict
    )
    return page, 409


@bp.route("/selections/nouvelle", methods=["GET", "POST"])
@login_required
def create():
    _require_curator()
    return _edit(None)


@bp.route("/selections/<slug>/modifier", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    _require_curator()
    return _edit(_selection_or_404(slug))


def _back(selection: Selection, message: str, level: str = "success"):
    flash(message, level)
    return redirect(url_for(".show", slug=selection.slug) + "#composition", 303)


@bp.post("/selections/<slug>/elements")
@login_required
def add_item(slug: str):
    _require_curator()
    selection = _selection_or_404(slug)
    form = ItemForm()
    if not form.validate():
        errors = [e for field in (form.resource, form.note, form.csrf_token) for e in field.errors]
        return _back(selection, " ".join(errors), "error")
    number = resource_reference(form.resource.data)
    resource = db.session.get(Resource, number) if number else None
    if resource is None:
        return _back(selection, "Aucune ressource ne porte ce numéro ou cette adresse.", "error")
    try:
        services.add_item(selection, resource, form.note.data or "", current_user)
    except services.SelectionError as error:
        db.session.rollback()
        return _back(selection, error.message, "error")
    db.session.commit()
    return _back(selection, f"« {resource.title} » est ajoutée à la sélection.")


@bp.post("/selections/<slug>/elements/<id:item_id>/<action>")
@login_required
def change_item(slug: str, item_id: int, action: str):
    _require_curator()
    selection = _selection_or_404(slug)
    try:
        if action == "monter":
            services.move_item(selection, item_id, -1, current_user)
        elif action == "descendre":
            services.move_item(selection, item_id, +1, current_user)
        elif action == "retirer":
            services.remove_item(selection, item_id, current_user)
        else:
            abort(404)
    except services.SelectionError as error:
        db.session.rollback()
        return _back(selection, error.message, "error")
    db.session.commit()
    return _back(selection, "La sélection est mise à jour.")


@bp.post("/selections/<slug>/supprimer")
@login_required
def delete(slug: str):
    _require_curator()
    selection = _selection_or_404(slug)
    if not confirmation.confirmed():
        back = url_for(".show", slug=selection.slug)
        return confirmation.ask(confirmation.selection(selection), back)
    services.delete_selection(selection, current_user)
    db.session.commit()
    flash("La sélection est supprimée.", "success")
    return redirect(url_for(".selections"), 303)
