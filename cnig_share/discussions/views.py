"""/discussions: every thread, one thread, and writing in them (new thread,
reply, edit, delete, résolue). htmx posts swap the thread's messages or the
subject's discussions in place; without JavaScript each form posts and the
page comes back (303), or the form with its errors (422)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from cnig_share import confirmation, conflicts, permissions
from cnig_share.discussions import queries, services, subjects
from cnig_share.discussions.forms import ButtonForm, EditForm, ReplyForm, ThreadForm
from cnig_share.discussions.services import DiscussionError
from cnig_share.extensions import db
from cnig_share.htmx import is_htmx_request, redirect_after_success, render_page_or_block
from cnig_share.models import SUBJECT_TYPES, Ctd, Message, Thread
from cnig_share.pagination import page_argument
from cnig_share.routing import parse_id
from cnig_share.text import fold

bp = Blueprint("discussions", __name__)

PER_PAGE = 20


def thread_or_404(thread_id: int) -> Thread:
    """The thread, if this person may read it; the same 404 as a missing one."""
    thread = db.session.get(Thread, thread_id)
    if thread is None or not permissions.can_view_thread(current_user, thread):
        abort(404)
    return thread


def message_or_404(message_id: int) -> Message:
    message = db.session.get(Message, message_id)
    if message is None or not permissions.can_view_thread(current_user, message.thread):
        abort(404)
    return message


# --- reading ------------------------------------------------------------------------------


@bp.get("/discussions")
def index():
    args = request.args
    ctd = queries.ctd_named(args.get("ctd"))
    kind = args.get("kind", "") if args.get("kind", "") in SUBJECT_TYPES else ""
    state = args.get("state", "") if args.get("state", "") in queries.STATES else ""
    page = db.paginate(
        queries.filtered(ctd, kind, state),
        page=page_argument(args),
        per_page=PER_PAGE,
        error_out=False,
    )
    ctds = sorted(db.session.scalars(select(Ctd)), key=lambda c: fold(c.name))
    return render_page_or_block(
        "discussions/index.html",
        "results",
        page=page,
        replies=queries.reply_counts(page.items),
        ctds=ctds,
        kinds=SUBJECT_TYPES,
        states=queries.STATES,
        selected={"ctd": ctd.slug if ctd else "", "kind": kind, "state": state},
        args=args,
    )


@bp.get("/discussions/<id:thread_id>")
def show(thread_id: int):
    return _thread_page(thread_or_404(thread_id))


def _thread_page(
    thread: Thread, form: ReplyForm | None = None, status: int = 200, notice="", refusal=""
):
    response = render_page_or_block(
        "discussions/show.html",
        "messages",
        status,
        thread=thread,
        subject=subjects.of_thread(thread),
        shown=queries.shown_messages(thread, current_user),
        form=form or ReplyForm(formdata=None),
        notice=notice,
        refusal=refusal,
    )
    if not permissions.thread_subject_public(thread):
        response.headers["Cache-Control"] = "private, no-store"
    return response


# --- writing ------------------------------------------------------------------------------


def _subject_from(form: ThreadForm) -> subjects.Subject:
    subject = subjects.find(form.subject_type.data or "", parse_id(form.subject_id.data or ""))
    if subject is None or not (subject.is_public or permissions.can_curate(current_user)):
        abort(404)
    return subject


def _new_thread_page(subject: subjects.Subject, form: ThreadForm, status: int, refusal: str = ""):
    """The subject's discussions block for htmx, else the new-thread page."""
    if is_htmx_request():
        return render_page_or_block(
            "discussions/_section.html",
            "discussions",
            status,
            subject=subject,
            thread_form=form,
            refusal=refusal,
        )
    return render_template(
        "discussions/new.html", subject=subject, form=form, refusal=refusal
    ), status


@bp.route("/discussions/nouvelle", methods=["GET", "POST"])
@login_required
def create():
    form = ThreadForm(formdata=request.form if request.method == "POST" else request.args)
    subject = _subject_from(form)
    if request.method == "GET":
        form = ThreadForm(formdata=None, subject_type=subject.type, subject_id=subject.id)
        return _new_thread_page(subject, form, 200)
    if not form.validate():
        return _new_thread_page(subject, form, 422)
    try:
        thread = services.start_thread(subject, form.title.data, form.body.data, current_user)
        db.session.commit()
    except DiscussionError as error:
        db.session.rollback()
        return _new_thread_page(subject, form, error.status, error.message)
    if is_htmx_request():
        fresh = ThreadForm(formdata=None, subject_type=subject.type, subject_id=subject.id)
        notice = f"Discussion « {thread.title} » ouverte."
        return render_page_or_block(
            "discussions/_section.html", "discussions", subject=subject, thread_form=fresh,
            notice=notice,
        )  # fmt: skip
    flash("Votre discussion est ouverte.", "success")
    return redirect(url_for(".show", thread_id=thread.id), 303)


@bp.post("/discussions/<id:thread_id>/repondre")
@login_required
def reply(thread_id: int):
    thread = thread_or_404(thread_id)
    form = ReplyForm()
    if not form.validate():
        return _thread_page(thread, form, 422)
    try:
        message = services.reply(thread, form.body.data, current_user)
        db.session.commit()
    except DiscussionError as error:
        db.session.rollback()
        return _thread_page(thread, form, error.status, refusal=error.message)
    if is_htmx_request():
        db.session.refresh(thread)
        return _thread_page(thread, notice="Votre réponse est publiée.")
    flash("Votre réponse est publiée.", "success")
    return redirect(url_for(".show", thread_id=thread.id, _anchor=f"message-{message.id}"), 303)


@bp.route("/discussions/messages/<id:message_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(message_id: int):
    message = message_or_404(message_id)
    if not permissions.can_edit_message(current_user, message):
        reason = services.HIDDEN_NO_EDIT if message.is_hidden else services.NOT_YOURS
        abort(403, reason)
    form = EditForm(data={"body": message.body, "version": message.version})
    conflict = None
    if form.validate_on_submit():
        try:
            changed = services.edit(message, form.body.data, current_user, form.loaded_version())
            conflicts.commit()
        except DiscussionError as error:
            db.session.rollback()
            return _edit_page(message, form, error.message, status=error.status)
        except conflicts.LOST:
            db.session.rollback()
            message = message_or_404(message_id)
            conflict = conflicts.compare(
                message.version, [("Message", message.body, form.body.data or "")]
            )
            form.version.data = str(message.version)
            return _edit_page(message, form, conflict=conflict, status=409)
        flash("Message modifié." if changed else "Le message n'a pas changé.", "success")
        target = url_for(".show", thread_id=message.thread_id, _anchor=f"message-{message.id}")
        return redirect_after_success(target)
    return _edit_page(message, form, status=422 if form.errors else 200)


def _edit_page(message: Message, form: EditForm, refusal: str = "", conflict=None, status=200):
    return render_template(
        "discussions/edit.html",
        message=message,
        thread=message.thread,
        form=form,
        refusal=refusal,
        conflict=conflict,
    ), status


@bp.post("/discussions/messages/<id:message_id>/supprimer")
@login_required
def delete(message_id: int):
    message = message_or_404(message_id)
    thread_id = message.thread_id
    if not permissions.can_delete_message(current_user, message):
        abort(403, services.NOT_YOURS)
    back = url_for(".show", thread_id=thread_id, _anchor=f"message-{message.id}")
    if not confirmation.confirmed():
        return confirmation.ask(confirmation.message(), back)
    services.delete(message, current_user)
    db.session.commit()
    flash("Message supprimé.", "success")
    if db.session.get(Thread, thread_id) is None:
        return redirect(url_for(".index"), 303)
    return redirect(url_for(".show", thread_id=thread_id), 303)


@bp.post("/discussions/<id:thread_id>/resolution")
@login_required
def resolve(thread_id: int):
    thread = thread_or_404(thread_id)
    form = ButtonForm()
    if not form.validate():
        abort(400)
    resolved = request.form.get("resolved") == "1"
    try:
        services.set_resolved(thread, resolved, current_user)
    except DiscussionError as error:
        db.session.rollback()
        abort(error.status, error.message)
    db.session.commit()
    flash("Discussion marquée comme résolue." if resolved else "Discussion rouverte.", "success")
    return redirect_after_success(url_for(".show", thread_id=thread.id))
