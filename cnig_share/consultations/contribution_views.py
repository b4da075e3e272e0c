"""/consultations/<slug>/contributions/<ctd-slug>: a CTD's contribution.

Its members draft it on one page, one form per question: htmx saves a question
and swaps that question's fragment only (the others keep what is being typed);
without JavaScript the same form posts and comes back to the page. A stale save
gets 409 with both texts, the person's kept in the field. A draft is a 404 to
anyone outside the CTD, curators included: it is the CTD's own deliberation."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from cnig_share import conflicts, permissions
from cnig_share.consultations import contributions as service
from cnig_share.consultations.forms import AnswerForm, DeclineForm
from cnig_share.consultations.services import ConsultationError
from cnig_share.consultations.views import bp, visible_or_404
from cnig_share.extensions import db
from cnig_share.htmx import is_htmx_request, redirect_after_success
from cnig_share.models import Consultation, ConsultationQuestion, Contribution

BASE = "/consultations/<slug>/contributions/<ctd_slug>"


def _contribution_or_404(slug: str, ctd_slug: str) -> tuple[Consultation, Contribution]:
    consultation = visible_or_404(slug)
    contribution = service.contribution_of(consultation, ctd_slug)
    if contribution is None or not permissions.can_see_contribution(current_user, contribution):
        abort(404)
    return consultation, contribution


def _answer_form(question: ConsultationQuestion, contribution: Contribution) -> AnswerForm:
    answer = contribution.answer_to(question)
    form = AnswerForm(prefix=f"q{question.id}", formdata=None)
    form.position.data = answer.position if answer else None
    form.text.data = answer.text if answer else ""
    form.version.data = str(answer.version) if answer else ""
    return form


def _page(
    consultation: Consultation,
    contribution: Contribution,
    status: int = 200,
    forms: dict[int, AnswerForm] | None = None,
    conflict: dict[int, conflicts.Conflict] | None = None,
    decline_form: DeclineForm | None = None,
    refusal: str = "",
):
    forms = forms or {}
    context = {
        "consultation": consultation,
        "contribution": contribution,
        "forms": {
            q.id: forms.get(q.id) or _answer_form(q, contribution) for q in consultation.questions
        },
        "conflicts": conflict or {},
        "editable": permissions.can_edit_contribution(current_user, contribution),
        "member": permissions.is_consulted_member(current_user, contribution),
        "can_submit": permissions.can_submit_contribution(current_user, contribution),
        "can_withdraw": permissions.can_withdraw_contribution(current_user, contribution),
        "decline_form": decline_form or DeclineForm(formdata=None),
        "refusal": refusal,
        "progress": service.progress(contribution),
    }
    return render_template("consultations/contribution.html", **context), status


@bp.get(BASE)
def contribution(slug: str, ctd_slug: str):
    consultation, found = _contribution_or_404(slug, ctd_slug)
    return _page(consultation, found)


def _question_or_404(consultation: Consultation, question_id: int) -> ConsultationQuestion:
    question = next((q for q in consultation.questions if q.id == question_id), None)
    return question or abort(404)


@bp.post(f"{BASE}/questions/<id:question_id>")
@login_required
def save_answer(slug: str, ctd_slug: str, question_id: int):
    consultation, found = _contribution_or_404(slug, ctd_slug)
    question = _question_or_404(consultation, question_id)
    form = AnswerForm(prefix=f"q{question.id}")
    if not permissions.can_edit_contribution(current_user, found):
        return _answer_refused(consultation, found, question, form, service.LOCKED, 409)
    if not form.validate():
        return _answer_response(consultation, found, question, form, 422)
    try:
        service.save_answer(
            found,
            question,
            form.position.data,
            form.text.data or "",
            conflicts.parse_version(form.version.data),
            current_user,
        )
        db.session.commit()
    except service.StaleAnswer as stale:
        return _stale(consultation, found, question, form, stale.answer.id)
    except StaleDataError:  # saved by someone else between our read and our write
        db.session.rollback()
        answer = found.answer_to(question)
        return _stale(consultation, found, question, form, answer.id)
    except ConsultationError as error:
        db.session.rollback()
        return _answer_refused(consultation, found, question, form, str(error), error.status)
    if is_htmx_request():
        saved = _answer_form(question, found)
        return _answer_response(consultation, found, question, saved, 200, saved_now=True)
    flash(f"Réponse à la question {question.number} enregistrée.", "success")
    return redirect(
        url_for(".contribution", slug=slug, ctd_slug=ctd_slug, _anchor=f"question-{question.id}"),
        303,
    )


def _stale(consultation, found, question, form: AnswerForm, answer_id: int):
    """409: both texts shown, the person's kept, the form now on the saved version."""
    db.session.expire_all()
    answer = next(a for a in found.answers if a.id == answer_id)
    conflict = conflicts.compare(
        answer.version,
        [
            ("Position", answer.position_label, _label(form.position.data)),
            ("Réponse", answer.text, form.text.data or ""),
        ],
    )
    form.version.data = str(answer.version)
    return _answer_response(consultation, found, question, form, 409, conflict=conflict)


def _label(position: str | None) -> str:
    from cnig_share.models import POSITIONS

    return POSITIONS.get(position or "", "")


def _answer_refused(consultation, found, question, form, message: str, status: int):
    if is_htmx_request():
        return _answer_response(consultation, found, question, form, status, refusal=message)
    return _page(consultation, found, status, forms={question.id: form}, refusal=message)


def _answer_response(
    consultation, found, question, form, status, conflict=None, refusal="", saved_now=False
):
    """htmx gets the question's fragment; a plain form gets the page."""
    if not is_htmx_request():
        return _page(
            consultation,
            found,
            status,
            forms={question.id: form},
            conflict={question.id: conflict} if conflict else None,
            refusal=refusal,
        )
    body = render_template(
        "consultations/_answer.html",
        consultation=consultation,
        contribution=found,
        question=question,
        form=form,
        conflict=conflict,
        editable=permissions.can_edit_contribution(current_user, found),
        refusal=refusal,
        saved_now=saved_now,
    )
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def _decide(slug: str, ctd_slug: str, action, done: str):
    consultation, found = _contribution_or_404(slug, ctd_slug)
    # No posted version here: the page's own htmx saves move the contribution's
    # version on. Its state decides (a submitted draft cannot be submitted again)
    # and the write is a conditional update (two at once: one wins, one gets 409).
    try:
        action(found)
        conflicts.commit()
    except ConsultationError as error:
        db.session.rollback()
        return _page(consultation, found, error.status, refusal=str(error))
    flash(done, "success")
    return redirect_after_success(url_for(".contribution", slug=slug, ctd_slug=ctd_slug))


@bp.post(f"{BASE}/deposer")
@login_required
def submit(slug: str, ctd_slug: str):
    return _decide(
        slug,
        ctd_slug,
        lambda found: service.submit(found, current_user),
        "La contribution est déposée au nom du comité. Un accusé de réception vous est envoyé.",
    )


@bp.post(f"{BASE}/reprendre")
@login_required
def withdraw(slug: str, ctd_slug: str):
    return _decide(
        slug,
        ctd_slug,
        lambda found: service.withdraw(found, current_user),
        "La contribution est reprise : elle redevient un brouillon du comité.",
    )


@bp.post(f"{BASE}/decliner")
@login_required
def decline(slug: str, ctd_slug: str):
    consultation, found = _contribution_or_404(slug, ctd_slug)
    form = DeclineForm()
    if not form.validate():
        return _page(consultation, found, 422, decline_form=form)
    reason = form.reason.data or ""
    return _decide(
        slug,
        ctd_slug,
        lambda found: service.decline(found, reason, current_user),
        "Le comité décline la consultation ; sa raison figurera dans la synthèse.",
    )
