"""Discussions in what people follow (cnig_share/following/): a thread can be
followed; a new thread and a reply are two more sources of `/fil` and of the
emails. A new thread is news for those who follow its subject (the resource, the
project, the CTD, the consultation); a reply only for those who follow the
thread — whoever writes in a thread follows it — and it is told at once unless
they chose otherwise."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from cnig_share import permissions
from cnig_share.extensions import db
from cnig_share.following import kinds, sources
from cnig_share.following.services import Followed
from cnig_share.following.sources import in_ids
from cnig_share.models import Message, Thread


def _subject_followed(followed: Followed):
    return or_(
        in_ids(Thread.id, followed["thread"]),
        in_ids(Thread.resource_id, followed["resource"]),
        in_ids(Thread.project_id, followed["project"]),
        in_ids(Thread.ctd_id, followed["ctd"]),
        in_ids(Thread.consultation_id, followed["consultation"]),
    )


def _thread_rows(followed: Followed) -> Select:
    return select(Thread.id, Thread.created_at).where(
        permissions.public_threads(), _subject_followed(followed)
    )


def _event(
    kind: str, ref: int, at, what: str, thread: Thread, anchor: str = ""
) -> sources.FeedEvent:
    values = {"thread_id": thread.id} | ({"_anchor": anchor} if anchor else {})
    return sources.FeedEvent(
        kind, ref, at, what, thread.title, "discussions.show", values, thread.owner_name,
        f"thread:{thread.id}",
    )  # fmt: skip


def _public(threads: Iterable[Thread]) -> list[Thread]:
    return [thread for thread in threads if permissions.thread_subject_public(thread)]


def _load_threads(ids: Iterable[int]) -> dict[int, sources.FeedEvent]:
    threads = db.session.scalars(
        select(Thread).where(Thread.id.in_(list(ids))).options(selectinload(Thread.ctd))
    )
    return {
        thread.id: _event("thread", thread.id, thread.created_at, "Nouvelle discussion", thread)
        for thread in _public(threads)
    }


def _thread_targets(thread_id: int) -> list[sources.Target]:
    thread = db.session.get(Thread, thread_id)
    if thread is None or not permissions.thread_subject_public(thread):
        return []
    subject = {
        "resource": thread.resource_id,
        "project": thread.project_id,
        "consultation": thread.consultation_id,
    }
    concerned = [(kind, id_) for kind, id_ in subject.items() if id_ is not None]
    if thread.ctd_id is not None:
        concerned.append(("ctd", thread.ctd_id))
    return [("thread", thread.id), *concerned]


_first = aliased(Message)
# A thread's first message is the thread itself (its own source): the others are replies.
_IS_REPLY = Message.id > (
    select(func.min(_first.id)).where(_first.thread_id == Message.thread_id).scalar_subquery()
)
_SHOWN = (Message.deleted_at.is_(None), Message.hidden_at.is_(None))


def _reply_rows(followed: Followed) -> Select:
    return (
        select(Message.id, Message.created_at)
        .join(Thread, Thread.id == Message.thread_id)
        .where(
            permissions.public_threads(), _IS_REPLY, *_SHOWN, in_ids(Thread.id, followed["thread"])
        )
    )


def _load_replies(ids: Iterable[int]) -> dict[int, sources.FeedEvent]:
    messages = db.session.scalars(
        select(Message).where(Message.id.in_(list(ids)), _IS_REPLY, *_SHOWN)
    )
    return {
        m.id: _event("reply", m.id, m.created_at, "Réponse", m.thread, f"message-{m.id}")
        for m in messages
        if permissions.thread_subject_public(m.thread)
    }


def _reply_targets(message_id: int) -> list[sources.Target]:
    message = db.session.get(Message, message_id)
    return [("thread", message.thread_id)] if message else []


def register() -> None:
    kinds.register(
        kinds.FollowKind(
            name="thread",
            label="la discussion",
            model=Thread,
            title=lambda thread: thread.title,
            endpoint="discussions.show",
            url_values=lambda thread: {"thread_id": thread.id},
            may_follow=permissions.thread_subject_public,
        )
    )
    sources.register(
        sources.EventSource(
            name="thread",
            label="Nouvelles discussions",
            default_mode="digest",
            rows=_thread_rows,
            at=Thread.created_at,
            load=_load_threads,
            targets=_thread_targets,
        )
    )
    sources.register(
        sources.EventSource(
            name="reply",
            label="Réponses dans les discussions suivies",
            default_mode="immediate",
            rows=_reply_rows,
            at=Message.created_at,
            load=_load_replies,
            targets=_reply_targets,
        )
    )
