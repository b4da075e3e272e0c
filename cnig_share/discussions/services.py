"""What people do in discussions: open a thread, reply, edit, delete, mark it
résolue; what curators do: hide a message. Each function checks its permission
(permissions.py), records its audit event and leaves the commit to the caller;
emails leave after that commit. Whoever writes in a thread follows it
(discussions/followable.py); its followers hear of it through following.notify."""

from __future__ import annotations

from sqlalchemy import func, select, update

from cnig_share import audit, conflicts, following, markdown, permissions
from cnig_share.discussions import fields, notifications, quota
from cnig_share.discussions.subjects import Subject
from cnig_share.extensions import db
from cnig_share.following import services as following_services
from cnig_share.models import Message, MessageVersion, Report, Thread, User, utcnow

SUBJECT_NOT_OPEN = (
    "Cette page n'accueille pas de discussion : seules les ressources publiées, les projets "
    "et les feuilles de route en ont."
)
SIGN_IN = "Connectez-vous avec un compte actif pour écrire."
NOT_YOURS = "Seul l'auteur ou l'autrice d'un message peut le modifier ou le supprimer."
HIDDEN_NO_EDIT = "Ce message a été masqué par la modération : il ne peut plus être modifié."
DELETED = "Ce message a été supprimé."
NOT_RESOLVER = (
    "Seuls l'auteur ou l'autrice de la discussion et les membres du CTD concerné peuvent la "
    "marquer comme résolue."
)
CURATORS_ONLY = "Seule l'équipe du CNIG modère les discussions."


class DiscussionError(Exception):
    """A refused action: its HTTP status and French message."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def _check_body(author: User, body: str) -> None:
    """The limits a text must keep, whoever sends it (form, API, demo)."""
    refusal = fields.BODY.refusal(body)
    if refusal:
        raise DiscussionError(f"Message : {refusal}.")
    # Accounts outside any CTD are the ones a spammer would open: few links.
    outsider = not author.memberships and not author.is_curator
    if (
        outsider
        and fields.link_count(body, markdown.render(body).html) > fields.MAX_LINKS_WITHOUT_CTD
    ):
        raise DiscussionError(fields.TOO_MANY_LINKS)


def _spend(author: User) -> None:
    try:
        quota.spend(author)
    except quota.QuotaExceeded as exceeded:
        raise DiscussionError(str(exceeded), 429) from exceeded


def start_thread(subject: Subject, title: str, body: str, by: User) -> Thread:
    """A new thread on a public subject, with its first message."""
    if not permissions.can_start_thread(by, subject.is_public):
        raise DiscussionError(SUBJECT_NOT_OPEN if subject.is_public is False else SIGN_IN, 403)
    title = " ".join(title.split())
    refusal = fields.TITLE.refusal(title)
    if refusal:
        raise DiscussionError(f"Titre : {refusal}.")
    _check_body(by, body)
    _spend(by)
    now = utcnow()
    thread = Thread(
        title=title, author=by, created_at=now, last_message_at=now, **subject.thread_values()
    )
    thread.messages.append(Message(author=by, body=body, created_at=now))
    db.session.add(thread)
    db.session.flush()
    audit.record("discussion.create", "discussion", thread.id, by, title=title)
    following_services.follow(by, "thread", thread.id)  # its author hears the replies
    following.notify("thread", thread.id, by)
    notifications.new_thread(thread)
    return thread


def reply(thread: Thread, body: str, by: User) -> Message:
    """A reply at the end of the thread (one level: replies answer the thread)."""
    if not permissions.can_reply(by, thread):
        raise DiscussionError(SIGN_IN if by is None else SUBJECT_NOT_OPEN, 403)
    _check_body(by, body)
    _spend(by)
    now = utcnow()
    message = Message(thread=thread, author=by, body=body, created_at=now)
    db.session.add(message)
    # The thread's last activity: a plain column update, so that two replies at
    # once never conflict with each other.
    db.session.execute(update(Thread).where(Thread.id == thread.id).values(last_message_at=now))
    db.session.flush()
    following_services.follow(by, "thread", thread.id)  # a thread one wrote in
    following.notify("reply", message.id, by)
    return message


def edit(message: Message, body: str, by: User, loaded_version: int | None) -> bool:
    """Replace a message's text, keeping the old one for the curators. A page
    loaded before someone else's save gets EditConflict (409). False: unchanged."""
    if message.is_hidden:
        raise DiscussionError(HIDDEN_NO_EDIT, 403)
    if not permissions.can_edit_message(by, message):
        raise DiscussionError(DELETED if message.is_deleted else NOT_YOURS, 403)
    conflicts.require_version(message.version, loaded_version)
    if body.replace("\r\n", "\n") == message.body.replace("\r\n", "\n"):
        return False
    _check_body(by, body)
    written_at = message.edited_at or message.created_at
    message.versions.append(MessageVersion(body=message.body, written_at=written_at))
    message.body = body
    message.edited_at = utcnow()
    db.session.flush()
    return True


def delete(message: Message, by: User) -> None:
    """The author takes a message back: its text goes, "message supprimé" stays
    where replies follow. A thread whose every message is deleted goes."""
    if not permissions.can_delete_message(by, message):
        raise DiscussionError(DELETED if message.is_deleted else NOT_YOURS, 403)
    message.deleted_at = utcnow()
    message.body = ""
    message.versions.clear()  # the person took their words back: the history goes too
    db.session.flush()
    thread = message.thread
    audit.record("discussion.message_delete", "discussion", thread.id, by, title=thread.title)
    if all(m.is_deleted for m in thread.messages):
        db.session.delete(thread)
        db.session.flush()


def set_resolved(thread: Thread, resolved: bool, by: User) -> None:
    """Mark the thread résolue, or open again."""
    if not permissions.can_resolve(by, thread):
        raise DiscussionError(NOT_RESOLVER, 403)
    if resolved == thread.is_resolved:
        return
    thread.resolved_at = utcnow() if resolved else None
    thread.resolved_by = by if resolved else None
    action = "discussion.resolve" if resolved else "discussion.reopen"
    audit.record(action, "discussion", thread.id, by, title=thread.title)


def hide(message: Message, reason: str, by: User) -> None:
    """Hide a message (curators): everyone but curators and its author reads
    "masqué par la modération" and the reason; its author is told by email.
    Its open reports are handled by the same decision."""
    if not permissions.can_moderate(by):
        raise DiscussionError(CURATORS_ONLY, 403)
    reason = " ".join(reason.split())
    refusal = fields.HIDE_REASON.refusal(reason)
    if refusal:
        raise DiscussionError(f"Raison : {refusal}.")
    if message.is_deleted or message.is_hidden:
        raise DiscussionError("Ce message est déjà supprimé ou masqué.", 409)
    message.hidden_at = utcnow()
    message.hidden_reason = reason
    message.hidden_by = by
    db.session.flush()
    db.session.execute(
        update(Report)
        .where(
            Report.target_type == "message",
            Report.target_id == message.id,
            Report.status == "open",
        )
        .values(status="hidden", handled_at=utcnow(), handled_by_id=by.id)
    )
    audit.record("discussion.hide", "discussion", message.thread_id, by, reason, message=message.id)
    notifications.message_hidden(message)


def unhide(message: Message, by: User) -> None:
    """Show a hidden message again (curators)."""
    if not permissions.can_moderate(by):
        raise DiscussionError(CURATORS_ONLY, 403)
    if not message.is_hidden:
        return
    message.hidden_at = None
    message.hidden_reason = ""
    message.hidden_by = None
    db.session.flush()
    audit.record("discussion.unhide", "discussion", message.thread_id, by, message=message.id)


def threads_on(subject_clause) -> int:
    """How many threads a subject has (any state), for a deletion's confirmation."""
    return db.session.scalar(select(func.count(Thread.id)).where(subject_clause)) or 0
