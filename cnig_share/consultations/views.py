"""/consultations/: the list, a consultation, its recueil (PDF, CSV) and the
Atom feed /flux/consultations.atom. The CTDs' contributions are in
contribution_views.py, the curators' pages in manage_views.py.

A consultation in preparation is a 404 to anyone but curators: its existence
does not leak."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_login import current_user

from cnig_share import permissions
from cnig_share.consultations import exports, read
from cnig_share.consultations.states import STATES, closes_at, opens_at, state
from cnig_share.extensions import db
from cnig_share.models import POSITIONS, Attachment, Consultation
from cnig_share.pagination import page_of
from cnig_share.resources import attachments
from cnig_share.resources.attachments import type_label

bp = Blueprint("consultations", __name__)

# The list page: what a CTD can still answer first, what is being prepared last.
LIST_SECTIONS = ("open", "closed", "synthesis", "preparation")
CONSULTATIONS_PAGE = 20


def visible_or_404(slug: str) -> Consultation:
    return read.visible_or_none(current_user, slug) or abort(404)


def template_helpers() -> dict:
    """Globals of every template (macros imported without context see them too)."""
    return {
        "consultation_state": state,
        "consultation_ctd_progress": read.ctd_progress_label,
        "consultation_states": STATES,
        "consultation_opens_at": opens_at,
        "consultation_closes_at": closes_at,
        "positions_labels": POSITIONS,
        "attachment_type_label": type_label,
    }


@bp.get("/consultations/")
def index():
    sections = read.by_state(current_user)
    # One list in the sections' order, paged: a page's headings are its consultations' states.
    listed = [(name, consultation) for name in LIST_SECTIONS for consultation in sections[name]]
    page = page_of(listed, request.args, CONSULTATIONS_PAGE)
    return render_template("consultations/index.html", page=page, args=request.args)


@bp.get("/consultations/<slug>")
def show(slug: str):
    consultation = visible_or_404(slug)
    counts = (
        read.positions(consultation)
        if permissions.can_manage_consultations(current_user) and state(consultation) == "synthesis"
        else read.public_positions(consultation)
    )
    own = [
        c for c in consultation.contributions if permissions.is_consulted_member(current_user, c)
    ]
    return render_template(
        "consultations/show.html",
        consultation=consultation,
        contributions=read.shown_contributions(current_user, consultation),
        declines=read.shown_declines(consultation),
        counts=counts,
        own=sorted(own, key=lambda c: c.ctd.name),
        public_contributions=permissions.contributions_are_public(consultation),
    )


@bp.get("/consultations/<slug>/documents/<id:attachment_id>")
def document(slug: str, attachment_id: int):
    consultation = visible_or_404(slug)
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.consultation_id != consultation.id:
        abort(404)
    opened = state(consultation) != "preparation"
    return attachments.download(attachment, opened, "Le fichier de ce document est introuvable.")


@bp.get("/consultations/<slug>/recueil.pdf")
def recueil_pdf(slug: str):
    consultation = visible_or_404(slug)
    shown = read.shown_contributions(current_user, consultation)
    data = exports.recueil_pdf(consultation, shown, read.shown_declines(consultation))
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="recueil-{consultation.slug}.pdf"'
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/consultations/<slug>/reponses.csv")
def answers_csv(slug: str):
    consultation = visible_or_404(slug)
    shown = read.shown_contributions(current_user, consultation)
    response = exports.answers_csv_response(consultation, shown)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/flux/consultations.atom")
def feed():
    from cnig_share.consultations.feed import consultations_feed

    return consultations_feed()


def consultation_url(consultation: Consultation, external: bool = False) -> str:
    return url_for("consultations.show", slug=consultation.slug, _external=external)
