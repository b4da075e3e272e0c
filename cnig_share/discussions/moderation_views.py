"""*Signaler* (any signed-in account) and moderation (curators): the report
form, the queue /curation/signalements, hiding a message, its versions."""

from __future__ import annotations

from flask import Blueprint, abort, flash, render_template, request, url_for
from flask_login import current_user, login_required

from cnig_share import permissions
from cnig_share.discussions import reports, services
from cnig_share.discussions.forms import ButtonForm, HideForm, ReportForm
from cnig_share.discussions.services import DiscussionError
from cnig_share.discussions.views import message_or_404
from cnig_share.extensions import db
from cnig_share.htmx import redirect_after_success
from cnig_share.models import Report
from cnig_share.pagination import page_of

# Its own blueprint: the main navigation marks Discussions for the discussions'
# pages, and the curators' link for the queue.
bp = Blueprint("moderation", __name__)

# The French words of the report URLs, and the kinds they name.
REPORTS_PAGE = 20  # reported objects a page, each with its reports
TARGETS_IN_URLS = {"ressource": "resource", "projet": "project", "message": "message"}


def _curators_only() -> None:
    if not permissions.can_moderate(current_user):
        abort(403, services.CURATORS_ONLY)


def _back_to(target_type: str, target: object) -> str:
    if target_type == "resource":
        return url_for("resources.show", resource_id=target.id)
    if target_type == "project":
        return url_for("workspace.project", slug=target.ctd.slug, project_id=target.id)
    return url_for("discussions.show", thread_id=target.thread_id, _anchor=f"message-{target.id}")


@bp.route("/signaler/<kind>/<id:target_id>", methods=["GET", "POST"])
@login_required
def report(kind: str, target_id: int):
    target_type = TARGETS_IN_URLS.get(kind) or abort(404)
    target = reports.target(target_type, target_id, current_user) or abort(404)
    form = ReportForm()
    back = _back_to(target_type, target)
    refusal, status = "", 200
    if form.validate_on_submit():
        try:
            reports.report(
                target_type, target_id, form.reason.data, form.comment.data or "", current_user
            )
            db.session.commit()
        except DiscussionError as error:
            db.session.rollback()
            refusal, status = error.message, error.status
        else:
            flash("Merci : votre signalement est transmis à l'équipe du CNIG.", "success")
            return redirect_after_success(back)
    elif form.errors:
        status = 422
    page = render_template(
        "discussions/report.html",
        form=form,
        kind=kind,
        target_id=target_id,
        target_type=target_type,
        target=target,
        back=back,
        refusal=refusal,
    )
    return page, status


@bp.get("/curation/signalements")
@login_required
def queue():
    _curators_only()
    return render_template(
        "discussions/queue.html",
        page=page_of(reports.open_groups(), request.args, REPORTS_PAGE),
        args=request.args,
        hide_form=HideForm(formdata=None),
    )


@bp.post("/curation/signalements/<id:report_id>/classer")
@login_required
def close_report(report_id: int):
    _curators_only()
    row = db.session.get(Report, report_id) or abort(404)
    if not ButtonForm().validate():
        abort(400)
    try:
        reports.close(row, current_user)
    except DiscussionError as error:
        db.session.rollback()
        abort(error.status, error.message)
    db.session.commit()
    flash("Signalement classé.", "success")
    return redirect_after_success(url_for(".queue"))


@bp.route("/discussions/messages/<id:message_id>/masquer", methods=["GET", "POST"])
@login_required
def hide(message_id: int):
    _curators_only()
    message = message_or_404(message_id)
    form = HideForm()
    refusal, status = "", 200
    if form.validate_on_submit():
        try:
            services.hide(message, form.reason.data, current_user)
            db.session.commit()
        except DiscussionError as error:
            db.session.rollback()
            refusal, status = error.message, error.status
        else:
            flash("Message masqué ; son auteur ou autrice en est informé par courriel.", "success")
            if request.form.get("next") == "queue":
                return redirect_after_success(url_for(".queue"))
            anchor = f"message-{message.id}"
            thread = url_for("discussions.show", thread_id=message.thread_id, _anchor=anchor)
            return redirect_after_success(thread)
    elif form.errors:
        status = 422
    page = render_template("discussions/hide.html", message=message, form=form, refusal=refusal)
    return page, status


@bp.post("/discussions/messages/<id:message_id>/afficher")
@login_required
def unhide(message_id: int):
    _curators_only()
    message = message_or_404(message_id)
    if not ButtonForm().validate():
        abort(400)
    services.unhide(message, current_user)
    db.session.commit()
    flash("Message de nouveau visible.", "success")
    return redirect_after_success(
        url_for("discussions.show", thread_id=message.thread_id, _anchor=f"message-{message.id}")
    )


@bp.get("/discussions/messages/<id:message_id>/versions")
@login_required
def versions(message_id: int):
    message = message_or_404(message_id)
    if not permissions.can_see_message_versions(current_user, message):
        abort(403, "Les versions d'un message sont réservées à l'équipe du CNIG.")
    return render_template("discussions/versions.html", message=message, thread=message.thread)
