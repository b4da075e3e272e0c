"""The CNIG team's pages: create and edit a consultation, open it, follow the
CTDs' progress (/suivi), write and publish the synthesis."""

from __future__ import annotations

from flask import abort, flash, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from cnig_share import audit, confirmation, conflicts, permissions
from cnig_share.consultations import read, services
from cnig_share.consultations.contributions import progress
from cnig_share.consultations.forms import ConsultationForm, SynthesisForm
from cnig_share.consultations.services import ConsultationError, ConsultationInput
from cnig_share.consultations.states import has_opened, state
from cnig_share.consultations.views import bp, visible_or_404
from cnig_share.extensions import db
from cnig_share.glossary import vocabulary
from cnig_share.htmx import redirect_after_success
from cnig_share.models import Attachment, Consultation, Ctd, NationalActor
from cnig_share.resources.attachments import (
    remove_attachment,
    store_uploads,
)
from cnig_share.resources.forms import choices

CURATORS_ONLY = "Seule l'équipe du CNIG gère les consultations."


def _curator_only() -> None:
    if not permissions.can_manage_consultations(current_user):
        abort(403, CURATORS_ONLY)


def _fill_choices(form: ConsultationForm) -> list[int]:
    ctds = list(db.session.scalars(select(Ctd).order_by(Ctd.name)))
    form.ctds.choices = choices((ctd.id, ctd.name) for ctd in ctds)
    actors = db.session.scalars(select(NationalActor).order_by(NationalActor.name))
    form.actors.choices = choices((actor.id, actor.name) for actor in actors)
    form.terms.choices = choices((term.id, term.pref_label) for term in vocabulary.all_terms())
    return [ctd.id for ctd in ctds]


def _input(form: ConsultationForm, every_ctd: list[int]) -> ConsultationInput:
    return ConsultationInput(
        title=(form.title.data or "").strip(),
        context=form.context.data or "",
        questions=form.question_pairs(),
        ctd_ids=form.chosen_ctds(every_ctd),
        actor_ids=list(form.actors.data or []),
        term_ids=list(form.terms.data or []),
        opens_on=form.opens_on.data,
        closes_on=form.closes_on.data,
        visibility=form.visibility.data or "closing",
    )


def _form_page(form: ConsultationForm, consultation: Consultation | None, status: int = 200):
    return render_template("consultations/form.html", form=form, consultation=consultation), status


@bp.route("/consultations/nouvelle", methods=["GET", "POST"])
@login_required
def create():
    _curator_only()
    form = ConsultationForm()
    every_ctd = _fill_choices(form)
    if not form.validate_on_submit():
        return _form_page(form, None, 422 if request.method == "POST" else 200)
    try:
        consultation = services.create(_input(form, every_ctd), current_user)
    except ConsultationError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return _form_page(form, None, error.status)
    if not store_uploads(consultation, form.documents):
        db.session.rollback()
        return _form_page(form, None, 415)
    db.session.commit()
    flash("La consultation est enregistrée.", "success")
    return redirect_after_success(url_for(".show", slug=consultation.slug))


def _managed_or_404(slug: str) -> Consultation:
    _curator_only()
    return visible_or_404(slug)


@bp.route("/consultations/<slug>/modifier", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    consultation = _managed_or_404(slug)
    if request.method == "GET":
        form = ConsultationForm(obj=consultation)
        form.version.data = str(consultation.version)
        form.ctds.data = [ctd.id for ctd in consultation.ctds]
        form.actors.data = [actor.id for actor in consultation.actors]
        form.terms.data = [term.id for term in consultation.terms]
        for entry, question in zip(form.questions, consultation.questions, strict=False):
            entry.text.data, entry.kind.data = question.text, question.type
        _fill_choices(form)
        return _form_page(form, consultation)
    form = ConsultationForm()
    form.locked = has_opened(consultation)
    every_ctd = _fill_choices(form)
    if not form.validate_on_submit():
        return _form_page(form, consultation, 422)
    try:
        conflicts.require_version(consultation.version, form.loaded_version())
        services.update(consultation, _input(form, every_ctd), current_user)
        if not store_uploads(consultation, form.documents):
            db.session.rollback()
            return _form_page(form, visible_or_404(slug), 415)
        conflicts.commit()
    except ConsultationError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return _form_page(form, visible_or_404(slug), error.status)
    flash("La consultation est enregistrée.", "success")
    return redirect_after_success(url_for(".show", slug=consultation.slug))


@bp.post("/consultations/<slug>/ouvrir")
@login_required
def open_now(slug: str):
    consultation = _managed_or_404(slug)
    try:
        conflicts.require_posted_version(consultation.version)
        services.open_now(consultation, current_user)
        conflicts.commit()
    except ConsultationError as error:
        db.session.rollback()
        abort(error.status, str(error))
    flash("La consultation est ouverte : les CTD consultés sont prévenus.", "success")
    return redirect_after_success(url_for(".show", slug=slug))


@bp.post("/consultations/<slug>/documents/<id:attachment_id>/supprimer")
@login_required
def delete_document(slug: str, attachment_id: int):
    consultation = _managed_or_404(slug)
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.consultation_id != consultation.id:
        abort(404)
    if not confirmation.confirmed():
        return confirmation.ask(confirmation.attachment(attachment), url_for(".edit", slug=slug))
    name = attachment.original_name
    remove_attachment(attachment)
    audit.record(
        "consultation.document_delete", "consultation", consultation.id, current_user, name=name
    )
    db.session.commit()
    flash(f"Le document « {name} » est supprimé.", "success")
    return redirect_after_success(url_for(".edit", slug=slug))


@bp.get("/consultations/<slug>/suivi")
@login_required
def follow_up(slug: str):
    consultation = _managed_or_404(slug)
    rows = [(c, progress(c)) for c in read.contributions(consultation)]
    return render_template(
        "consultations/follow_up.html",
        consultation=consultation,
        rows=rows,
        counts=read.positions(consultation),
    )


@bp.route("/consultations/<slug>/synthese", methods=["GET", "POST"])
@login_required
def synthesis(slug: str):
    consultation = _managed_or_404(slug)
    if request.method == "GET":
        form = SynthesisForm(obj=consultation)
        form.version.data = str(consultation.version)
        return _synthesis_page(consultation, form)
    form = SynthesisForm()
    if not form.validate_on_submit():
        return _synthesis_page(consultation, form, 422)
    publish = request.form.get("action") == "publish"
    try:
        conflicts.require_version(consultation.version, form.loaded_version())
        services.save_synthesis(consultation, form.synthesis.data or "", publish, current_user)
        conflicts.commit()
    except ConsultationError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return _synthesis_page(visible_or_404(slug), form, error.status)
    if publish:
        flash("La synthèse est publiée ; les contributeurs sont prévenus.", "success")
        return redirect_after_success(url_for(".show", slug=slug))
    flash("La synthèse est enregistrée (non publiée).", "success")
    return redirect_after_success(url_for(".synthesis", slug=slug))


def _synthesis_page(consultation: Consultation, form: SynthesisForm, status: int = 200):
    writable = state(consultation) == "closed"
    return render_template(
        "consultations/synthesis.html",
        consultation=consultation,
        form=form,
        writable=writable,
        opened=has_opened(consultation),
    ), status
