"""The emails discussions send themselves: to an author whose message was
hidden, to the author of a resource a thread was opened on, and to the authors
of the threads on a project deleted. Each leaves after commit; links come from
PUBLIC_URL. (Followers hear of new threads and replies through following/.)"""

from __future__ import annotations

from cnig_share import mail
from cnig_share.extensions import db
from cnig_share.following import services as following_services
from cnig_share.models import Message, Thread, User

SIGNATURE = "— CNIG Partage, centre de ressources des comités territoriaux de la donnée\n"


def _can_be_told(user: User | None) -> bool:
    return user is not None and user.active


def message_hidden(message: Message) -> None:
    """Tell the author that the CNIG team hid their message, and why."""
    author = message.author
    if not _can_be_told(author):
        return
    thread = message.thread
    link = mail.public_url("discussions.show", thread_id=thread.id, _anchor=f"message-{message.id}")
    body = (
        "Bonjour,\n\n"
        "L'équipe du CNIG a masqué votre message dans la discussion "
        f"« {mail.defanged(thread.title)} ».\n\n"
        f"Raison : {mail.defanged(message.hidden_reason)}\n\n"
        "Les autres personnes voient désormais « Message masqué par la modération » et cette "
        f"raison à sa place ; vous pouvez toujours le lire, et le supprimer :\n{link}\n\n"
        f"{SIGNATURE}"
    )
    mail.send_after_commit(
        db.session, mail.message(author.email, "Votre message a été masqué", body)
    )


def new_thread(thread: Thread) -> None:
    """Tell a resource's author that someone opened a discussion on it; they then
    follow the thread, so its replies reach them as their settings say."""
    resource = thread.resource
    author = resource.author if resource is not None else None
    if not _can_be_told(author) or author.id == thread.author_id:
        return
    following_services.follow(author, "thread", thread.id)
    link = mail.public_url("discussions.show", thread_id=thread.id)
    body = (
        "Bonjour,\n\n"
        f"{mail.defanged(thread.author.display_name)} a ouvert une discussion sur votre ressource "
        f"« {mail.defanged(resource.title)} » :\n\n"
        f"« {mail.defanged(thread.title)} »\n{link}\n\n"
        "Vous suivez désormais cette discussion : ses réponses vous parviendront selon vos "
        f"préférences de notification (votre profil).\n\n{SIGNATURE}"
    )
    subject = "Une discussion sur votre ressource"
    mail.send_after_commit(db.session, mail.message(author.email, subject, body))


def subject_deleted(threads: list[Thread], what: str) -> None:
    """Tell each author of a thread on a deleted project that their discussion
    went with it (one email per person, whatever the number of threads)."""
    titles: dict[int, tuple[User, list[str]]] = {}
    for thread in threads:
        authors = {m.author_id: m.author for m in thread.messages if not m.is_deleted}
        for author in authors.values():
            if _can_be_told(author):
                titles.setdefault(author.id, (author, []))[1].append(thread.title)
    for author, threads_titles in titles.values():
        listed = "\n".join(f"- {mail.defanged(title)}" for title in threads_titles)
        body = (
            "Bonjour,\n\n"
            f"{what} a été supprimé. Les discussions où vous aviez écrit ont été supprimées "
            f"avec lui :\n\n{listed}\n\n{SIGNATURE}"
        )
        subject = "Une discussion où vous avez écrit a été supprimée"
        mail.send_after_commit(db.session, mail.message(author.email, subject, body))
