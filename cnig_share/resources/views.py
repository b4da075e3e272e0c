"""/ressources/: listing, reading and writing resources, and their attachments
(lifecycle_views.py moves them through their life)."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from markupsafe import Markup
from slugify import slugify
from sqlalchemy import select

from cnig_share import audit, confirmation, conflicts, markdown, permissions
from cnig_share.extensions import db
from cnig_share.glossary import vocabulary
from cnig_share.htmx import is_htmx_request, redirect_after_success, render_page_or_block
from cnig_share.models import KINDS, Attachment, Ctd, GlossaryTerm, Resource
from cnig_share.pagination import page_argument
from cnig_share.resources import attachments, lifecycle, services
from cnig_share.resources.attachments import (
    remove_attachment,
    store_uploads,
)
from cnig_share.resources.forms import (
    BODY_LIMIT,
    BODY_TOO_LONG,
    LICENCES,
    RelayForm,
    ResourceForm,
    ReturnForm,
    choices,
)
from cnig_share.routing import parse_id
from cnig_share.search.service import terms_named_in
from cnig_share.statistics import audience
from cnig_share.text import fold

bp = Blueprint("resources", __name__, url_prefix="/ressources")

PER_PAGE = 12
TERM_SUGGESTIONS = 12


@bp.get("/")
def index():
    kind = request.args.get("kind", "")
    ctd_slug = request.args.get("ctd", "")
    text = " ".join(request.args.get("q", "").split())[:200]
    if text:
        # Words are the search's business: one analysis (accents, plurals,
        # synonyms) and one set of messages on the site, with these filters.
        kept = {"q": text, "kind": kind if kind in KINDS else None, "ctd": ctd_slug[:100] or None}
        return redirect(url_for("search.page", **kept), 302)
    query = permissions.public_resources()
    if kind in KINDS:
        query = query.where(Resource.kind == kind)
    ctd = db.session.scalar(select(Ctd).where(Ctd.slug == ctd_slug)) if ctd_slug else None
    if ctd is not None:
        query = query.where(Resource.ctd_id == ctd.id)
    page = db.paginate(
        query.order_by(Resource.published_at.desc(), Resource.id.desc()),
        page=page_argument(request.args),
        per_page=PER_PAGE,
        error_out=False,
    )
    ctds = sorted(db.session.scalars(select(Ctd)), key=lambda ctd: fold(ctd.region))
    return render_template(
        "resources/index.html",
        page=page,
        total=page.total,
        kinds=KINDS,
        ctds=ctds,
        selected={"kind": kind if kind in KINDS else "", "ctd": ctd.slug if ctd else ""},
    )


def visible_resource_or_404(resource_id: int) -> Resource:
    """The resource, if this person may see it; otherwise the same 404 as a
    missing id, so that a draft's existence does not leak."""
    resource = db.session.get(Resource, resource_id)
    if resource is None or not permissions.can_view(current_user, resource):
        abort(404)
    return resource


def refuse(error: services.ResourceError):
    """Stop with the status and French message of a refused action."""
    abort(error.status, error.message)


@bp.get("/<id:resource_id>")
@bp.get("/<id:resource_id>-<slug>")
def show(resource_id: int, slug: str | None = None):
    resource = visible_resource_or_404(resource_id)
    canonical = slugify(resource.title) or None
    if slug is not None and slug != canonical:
        return redirect(url_for(".show", resource_id=resource.id, slug=canonical), 301)
    audience.count_view(resource)
    return render_show(resource)


def render_show(
    resource: Resource,
    return_form: ReturnForm | None = None,
    relay_form: RelayForm | None = None,
    status: int = 200,
):
    """The resource page, with the forms as posted when one was refused."""
    returned = None
    if resource.status == "draft" and permissions.can_edit(current_user, resource):
        returned = services.last_return_comment(resource)
    response = current_app.make_response(
        (
            render_template(
                "resources/show.html",
                resource=resource,
                return_form=return_form or ReturnForm(),
                relay_form=relay_form or RelayForm(data={"note": resource.relay_note}),
                returned=returned,
                transitions=lifecycle.TRANSITIONS,
                allowed_steps=lifecycle.allowed(current_user, resource),
            ),
            status,
        )
    )
    if not resource.is_published:
        response.headers["Cache-Control"] = "private, no-store"
    return response


# --- writing --------------------------------------------------------------------------


def _form_choices(form: ResourceForm, resource: Resource | None = None) -> None:
    """Offer the CTDs this person may post for, and every glossary term."""
    if current_user.is_curator:
        ctds = list(db.session.scalars(select(Ctd)))
    else:
        ctds = list(current_user.ctds)
        if resource is not None and resource.ctd not in ctds:
            ctds.append(resource.ctd)
    ctds.sort(key=lambda ctd: fold(ctd.name))
    form.ctd.choices = choices([("", "Choisir un CTD")] + [(ctd.slug, ctd.name) for ctd in ctds])
    form.terms.choices = choices((term.id, term.pref_label) for term in vocabulary.all_terms())
    # An imported resource may carry a licence the form does not list: keep it.
    if resource is not None and resource.licence not in LICENCES:
        form.licence.choices = [*form.licence.choices, *choices([(resource.licence,) * 2])]


def _input_from_form(form: ResourceForm) -> services.ResourceInput:
    ctd = db.session.scalar(select(Ctd).where(Ctd.slug == form.ctd.data))
    if ctd is None:  # validated against the choices; kept for safety
        abort(400)
    terms = list(
        db.session.scalars(select(GlossaryTerm).where(GlossaryTerm.id.in_(form.terms.data or [])))
    )
    return services.ResourceInput(
        title=form.title.data or "",
        kind=form.kind.data,
        ctd=ctd,
        summary=form.summary.data or "",
        body=form.body.data or "",
        terms=terms,
        links=form.link_pairs(),
        licence=form.licence.data or "",
    )


# What an htmx post of the form asks for, beside saving it: the block it wants back.
HTMX_ACTIONS = {"preview": "preview", "terms": "term_choices"}


def _render_form(
    form: ResourceForm,
    resource: Resource | None,
    status: int = 200,
    conflict: conflicts.Conflict | None = None,
):
    action = request.values.get("action", "")
    block = HTMX_ACTIONS.get(action, "resource_form")
    preview = _preview(form.body.data) if action == "preview" else None
    context = {"form": form, "resource": resource, "conflict": conflict, "preview": preview}
    if block != "preview" or not is_htmx_request():  # the live preview needs no terms
        context.update(_term_picker(form, resource))
    return render_page_or_block("resources/form.html", block, status=status, **context)


def _term_picker(form: ResourceForm, resource: Resource | None) -> dict:
    """The terms offered, checked and proposed from the text (and the
    attachments of a resource this person may edit)."""
    # The query string too: a GET (?action=terms&terms=…) fills no form.
    asked = {parse_id(value) for value in request.values.getlist("terms")} - {None}
    selected = set(form.terms.data or []) | asked
    added = parse_id(request.values.get("add_term", ""))
    if added is not None and added in {choice.value for choice in form.terms.choices}:
        selected.add(added)
        form.terms.data = sorted(selected)
    texts = [form.title.data or "", form.summary.data or "", form.body.data or ""]
    return {
        "term_choices": _term_choices(request.values.get("term_query", "")[:100], selected),
        "selected_terms": selected,
        "suggested_terms": _named_terms(texts, resource, selected),
        "added_term": added,
    }


def _render_conflict(form: ResourceForm, resource_id: int):
    """409: someone saved first. The form keeps this person's text, shows what
    differs from the saved version, and carries that version for a re-save."""
    db.session.rollback()
    resource = visible_resource_or_404(resource_id)
    form.version.data = resource.version
    conflict = conflicts.compare(
        resource.version,
        [
            ("Titre", resource.title, form.title.data),
            ("Résumé", resource.summary, form.summary.data),
            ("Contenu", resource.body, form.body.data),
        ],
    )
    return _render_form(form, resource, 409, conflict)


def _save(form: ResourceForm, resource: Resource | None):
    """Shared by create and edit: validate, apply, attach, commit, redirect."""
    # "Prévisualiser" and a proposed term's button (without JavaScript) show
    # the form again instead of saving it.
    saving = request.method == "POST" and request.form.get("action") not in HTMX_ACTIONS
    saving = saving and "add_term" not in request.form
    if saving and form.validate():
        data = _input_from_form(form)
        try:
            if resource is None:
                resource = services.create_resource(data, by=current_user)
                message = "La ressource est enregistrée en brouillon."
            else:
                version = form.loaded_version()
                services.update_resource(resource, data, by=current_user, version=version)
                message = "Vos modifications sont enregistrées."
            stored = store_uploads(resource, form.attachments)
            if stored:
                conflicts.commit()
        except services.ResourceError as error:
            db.session.rollback()
            refuse(error)
        except conflicts.LOST:
            return _render_conflict(form, resource.id)
        if stored:
            flash(message, "success")
            return redirect_after_success(url_for(".show", resource_id=resource.id))
        db.session.rollback()
        resource = db.session.get(Resource, resource.id) if resource.id else None
    return _render_form(form, resource, 422 if saving else 200)


@bp.route("/nouvelle", methods=["GET", "POST"])
@login_required
def create():
    if not permissions.can_create(current_user):
        abort(403, "Seuls les membres d'un CTD et l'équipe du CNIG peuvent proposer une ressource.")
    form = ResourceForm()
    _form_choices(form)
    if request.method == "GET" and len(form.ctd.choices) == 2:
        form.ctd.data = form.ctd.choices[1].value
    return _save(form, None)


@bp.route("/<id:resource_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(resource_id: int):
    resource = visible_resource_or_404(resource_id)
    if not permissions.can_edit(current_user, resource):
        abort(403, "Vous ne pouvez pas modifier cette ressource.")
    initial = None
    if request.method == "GET":
        initial = {
            "title": resource.title,
            "summary": resource.summary,
            "body": resource.body,
            "kind": resource.kind,
            "ctd": resource.ctd.slug,
            "terms": [term.id for term in resource.terms],
            "licence": resource.licence,
            "links": [{"title": link.title, "url": link.url} for link in resource.links],
            "version": resource.version,
        }
    form = ResourceForm(data=initial)
    _form_choices(form, resource)
    return _save(form, resource)


def _preview(body: str | None) -> Markup:
    """The body rendered as it would be saved, or why it would not be."""
    if len(body or "") > BODY_LIMIT:
        return Markup('<p class="fr-error-text">{}</p>').format(BODY_TOO_LONG)
    try:
        return Markup(markdown.render(body).html)  # sanitised by markdown.render
    except markdown.RenderRefused as refused:
        return Markup('<p class="fr-error-text">{}</p>').format(str(refused))


def _named_terms(
    texts: list[str], resource: Resource | None, selected: set[int]
) -> list[GlossaryTerm]:
    """Terms whose labels the resource's text or its attachments name, not yet checked."""
    if resource is not None:  # only ever one this person may edit
        texts = [*texts, *(attachment.text for attachment in resource.attachments)]
    slugs = terms_named_in(texts)
    return [
        term for term in vocabulary.all_terms() if term.slug in slugs and term.id not in selected
    ]


def _term_choices(query: str, selected: set[int]) -> list[tuple[GlossaryTerm, str]]:
    """(term, the alternative label that matched, if any): checked terms first."""
    needle = fold(query.strip())
    chosen, matches = [], []
    for term in vocabulary.all_terms():
        if term.id in selected:
            chosen.append((term, ""))
            continue
        if not needle or needle in fold(term.pref_label):
            matches.append((term, ""))
            continue
        alt = next((a for a in term.alt_label_texts if needle in fold(a)), None)
        if alt is not None:
            matches.append((term, alt))
    return chosen + (matches if not needle else matches[:TERM_SUGGESTIONS])


# --- attachments ------------------------------------------------------------------------


def part_of_or_404(model, object_id: int, resource: Resource):
    """A row (attachment, revision…) that belongs to this resource, else 404."""
    item = db.session.get(model, object_id)
    if item is None or item.resource_id != resource.id:
        abort(404)
    return item


@bp.get("/<id:resource_id>/pieces-jointes/<id:attachment_id>")
def download(resource_id: int, attachment_id: int):
    resource = visible_resource_or_404(resource_id)
    attachment = part_of_or_404(Attachment, attachment_id, resource)
    response = attachments.download(
        attachment, resource.is_published, "Le fichier de cette pièce jointe est introuvable."
    )
    if response.status_code == 200:  # not a cache's revalidation (304) nor a range (206)
        audience.count_download(resource)
    return response


@bp.post("/<id:resource_id>/pieces-jointes/<id:attachment_id>/supprimer")
@login_required
def delete_attachment(resource_id: int, attachment_id: int):
    resource = visible_resource_or_404(resource_id)
    attachment = part_of_or_404(Attachment, attachment_id, resource)
    if not permissions.can_edit(current_user, resource):
        abort(403, "Vous ne pouvez pas modifier cette ressource.")
    name = attachment.original_name
    if not confirmation.confirmed():
        back = url_for(".edit", resource_id=resource.id)
        return confirmation.ask(confirmation.attachment(attachment), back)
    remove_attachment(attachment)
    audit.record("attachment.delete", "resource", resource.id, current_user, name=name)
    db.session.commit()
    flash(f"La pièce jointe « {name} » est supprimée.", "success")
    return redirect(url_for(".edit", resource_id=resource.id), 303)
