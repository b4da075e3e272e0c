"""/glossaire/: the A–Z index, each term's page, the curators' forms, and
the vocabulary as SKOS and CSV."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from cnig_share import confirmation, conflicts, permissions
from cnig_share.csv_files import import_download
from cnig_share.extensions import db
from cnig_share.glossary import exchange, services, vocabulary
from cnig_share.glossary.forms import MergeForm, TermForm
from cnig_share.htmx import render_page_or_block
from cnig_share.models import GlossaryTerm, Resource
from cnig_share.text import fold

bp = Blueprint("glossary", __name__)

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _letter(term: GlossaryTerm) -> str:
    first = fold(term.pref_label).replace("œ", "o").replace("æ", "a")[:1].upper()
    return first if first in LETTERS else "#"


@bp.get("/glossaire/")
def index():
    terms = vocabulary.all_terms()
    needle = fold(request.args.get("q", "").strip())[:100]
    shown = [term for term in terms if vocabulary.matches_filter(term, needle)]
    groups: dict[str, list[GlossaryTerm]] = {}
    for term in shown:
        groups.setdefault(_letter(term), []).append(term)
    return render_page_or_block(
        "glossary/index.html",
        "entries",
        groups=groups,
        letters=LETTERS,
        total=len(terms),
        shown=len(shown),
        counts=vocabulary.published_counts(shown),
        query=request.args.get("q", "")[:100],
    )


def _term_or_redirect(slug: str) -> GlossaryTerm | Response:
    term = services.find_term(slug)
    if term is None:
        abort(404)
    if term.slug != slug:  # renamed or merged: the old address stays valid
        endpoint = request.endpoint or "glossary.show"
        return redirect(url_for(endpoint, slug=term.slug), 301)
    return term


@bp.get("/glossaire/<slug>")
def show(slug: str):
    term = _term_or_redirect(slug)
    if isinstance(term, Response):
        return term
    query = vocabulary.published_resources(term)
    # The newest only: the search page lists them all, with paging and facets
    # (a broad term's page once held 1,500 cards and weighed 1.5 MB).
    resources = db.session.scalars(
        query.options(selectinload(Resource.ctd), selectinload(Resource.terms)).limit(
            RESOURCES_SHOWN
        )
    ).all()
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    return render_template("glossary/show.html", term=term, resources=resources, total=total)


RESOURCES_SHOWN = 12


# --- curators ---------------------------------------------------------------------------


def _require_curator() -> None:
    if not permissions.can_manage_glossary(current_user):
        abort(403, "Seule l'équipe du CNIG gère le glossaire.")


def _save(form: TermForm, term: GlossaryTerm | None):
    terms = vocabulary.all_terms()
    form.set_term_choices(terms, term)
    if form.validate_on_submit():
        by_id = {t.id: t for t in terms}
        data = services.TermInput(
            pref_label=form.pref_label.data,
            definition=form.definition.data,
            alt_labels=form.labels(),
            broader=[by_id[i] for i in form.broader.data],
            related=[by_id[i] for i in form.related.data],
            scope_note=form.scope_note.data or "",
            source=form.source.data or "",
        )
        try:
            if term is None:
                term = services.create_term(data, current_user)
                message = "Le terme est ajouté au glossaire."
            else:
                version = form.loaded_version()
                services.update_term(term, data, current_user, version=version)
                message = "Le terme est enregistré."
            conflicts.commit()
        except services.GlossaryError as error:
            db.session.rollback()
            target = getattr(form, error.field or "", None) or form.pref_label
            target.errors = [*target.errors, error.message]
        except conflicts.LOST:
            return _conflict(term.id, form)
        else:
            flash(message, "success")
            return redirect(url_for("glossary.show", slug=term.slug))
    status = 422 if form.is_submitted() else 200
    return render_template("glossary/form.html", form=form, term=term), status


def _conflict(term_id: int, form: TermForm):
    """409: the term was saved by someone else since this form was loaded."""
    db.session.rollback()
    term = db.session.get(GlossaryTerm, term_id)
    if term is None:  # merged or deleted meanwhile
        abort(409, conflicts.STALE_MESSAGE)
    form.version.data = term.version
    values = [
        ("Libellé préférentiel", term.pref_label, form.pref_label.data),
        ("Appellations alternatives", "\n".join(term.alt_label_texts), form.alt_labels.data),
        ("Définition", term.definition, form.definition.data),
        ("Note d'application", term.scope_note, form.scope_note.data),
        ("Source", term.source, form.source.data),
    ]
    conflict = conflicts.compare(term.version, values)
    return render_template("glossary/form.html", form=form, term=term, conflict=conflict), 409


@bp.route("/glossaire/nouveau", methods=["GET", "POST"])
@login_required
def create():
    _require_curator()
    return _save(TermForm(), None)


@bp.route("/glossaire/<slug>/modifier", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    _require_curator()
    term = _term_or_redirect(slug)
    if isinstance(term, Response):
        return term
    initial = None
    if request.method == "GET":
        initial = {
            "pref_label": term.pref_label,
            "alt_labels": "\n".join(term.alt_label_texts),
            "definition": term.definition,
            "scope_note": term.scope_note,
            "source": term.source,
            "broader": [t.id for t in term.broader],
            "related": [t.id for t in term.related],
            "version": term.version,
        }
    return _save(TermForm(data=initial), term)


@bp.route("/glossaire/<slug>/fusionner", methods=["GET", "POST"])
@login_required
def merge(slug: str):
    _require_curator()
    merged = _term_or_redirect(slug)
    if isinstance(merged, Response):
        return merged
    form = MergeForm()
    terms = vocabulary.all_terms()
    form.set_term_choices(terms, merged)
    if form.validate_on_submit():
        kept = next(t for t in terms if t.id == form.kept.data)
        try:
            services.merge_terms(merged, kept, current_user)
        except services.GlossaryError as error:
            db.session.rollback()
            form.kept.errors = [*form.kept.errors, error.message]
        else:
            db.session.commit()
            flash(f"« {merged.pref_label} » est fusionné dans ce terme.", "success")
            return redirect(url_for("glossary.show", slug=kept.slug))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "glossary/merge.html",
        form=form,
        term=merged,
        usage=services.usage(merged),
        project_usage=services.project_usage(merged),
    ), status


@bp.post("/glossaire/<slug>/supprimer")
@login_required
def delete(slug: str):
    _require_curator()
    term = services.find_term(slug)
    if term is None or term.slug != slug:
        abort(404)
    # A term in use is refused at once (below), not asked about first.
    if services.deletion_refusal(term) is None and not confirmation.confirmed():
        return confirmation.ask(confirmation.term(term), url_for("glossary.edit", slug=term.slug))
    try:
        services.delete_term(term, current_user)  # refused here if in use
    except services.GlossaryError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("glossary.edit", slug=slug))
    db.session.commit()
    flash(f"« {term.pref_label} » est supprimé du glossaire.", "success")
    return redirect(url_for("glossary.index"))


# --- exchange ---------------------------------------------------------------------------


def _download(body: str, media_type: str, filename: str) -> Response:
    response = Response(body, mimetype=media_type)
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/glossaire.ttl")
def turtle():
    body = exchange.export_skos(current_app.config["PUBLIC_URL"], "turtle")
    return _download(body, "text/turtle", "glossaire-cnig-partage.ttl")


@bp.get("/glossaire.jsonld")
def jsonld():
    body = exchange.export_skos(current_app.config["PUBLIC_URL"], "json-ld")
    return _download(body, "application/ld+json", "glossaire-cnig-partage.jsonld")


@bp.get("/glossaire.csv")
def csv():
    response = import_download("glossaire", exchange.csv_rows())
    response.headers["Access-Control-Allow-Origin"] = "*"  # open data, like the SKOS files
    return response
