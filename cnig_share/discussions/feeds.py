"""Atom feeds of discussions: every public thread (with /discussions' filters),
and the messages of one thread. Hidden and deleted messages are never in them."""

from __future__ import annotations

from flask import abort, request, url_for

from cnig_share import permissions
from cnig_share.discussions import queries, subjects
from cnig_share.discussions.views import bp
from cnig_share.extensions import db
from cnig_share.feeds.atom import Entry, feed_response
from cnig_share.models import SUBJECT_TYPES, Thread

FEED_SIZE = 50


def thread_entry(thread: Thread) -> Entry:
    url = url_for("discussions.show", thread_id=thread.id, _external=True)
    first = next(iter(queries.public_messages(thread)), None)
    subject = subjects.of_thread(thread)
    state = " (résolue)" if thread.is_resolved else ""
    return Entry(
        id=url,
        title=f"{thread.title}{state}",
        url=url,
        updated=thread.last_message_at,
        published=thread.created_at,
        author=queries.author_name(thread.author),
        summary=f"Sur « {subject.title} » — {first.body_text if first else ''}".strip(" —"),
        categories=[thread.owner_name, thread.subject_label],
    )


@bp.get("/flux/discussions.atom")
def threads_feed():
    ctd = queries.ctd_named(request.args.get("ctd"))
    kind = request.args.get("kind", "")
    kind = kind if kind in SUBJECT_TYPES else ""
    threads = db.session.scalars(queries.filtered(ctd, kind).limit(FEED_SIZE)).all()
    title = "CNIG Partage — discussions" + (f" — {ctd.name}" if ctd else "")
    page = url_for("discussions.index", _external=True, **request.args.to_dict())
    return feed_response(
        title, "Les discussions ouvertes sur ce que partagent les CTD", page,
        [thread_entry(thread) for thread in threads],
    )  # fmt: skip


@bp.get("/flux/discussions/<id:thread_id>.atom")
def thread_feed(thread_id: int):
    thread = db.session.get(Thread, thread_id)
    # A feed is public: a thread whose subject is not is a 404, whoever asks.
    if thread is None or not permissions.thread_subject_public(thread):
        abort(404)
    page = url_for("discussions.show", thread_id=thread.id, _external=True)
    entries = [
        Entry(
            id=f"{page}#message-{message.id}",
            title=f"{queries.author_name(message.author)} dans « {thread.title} »",
            url=f"{page}#message-{message.id}",
            updated=message.edited_at or message.created_at,
            published=message.created_at,
            author=queries.author_name(message.author),
            summary=message.body_text,
        )
        for message in reversed(queries.public_messages(thread))
    ]
    return feed_response(
        f"CNIG Partage — discussion « {thread.title} »",
        f"Les messages de la discussion sur « {subjects.of_thread(thread).title} »",
        page,
        entries[:FEED_SIZE],
    )
