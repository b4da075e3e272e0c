"""Sending email: through SMTP when MAIL_SERVER is set; else, in development,
printed readably on the console (subject, recipients and the decoded text with
its links), so that a newcomer running `make run` can follow an alert
confirmation, a password reset or an invitation.

Messages caused by a change in the database are sent only once that change
is committed, and never when it is rolled back."""

from __future__ import annotations

import logging
import re
import smtplib
import sys
import threading
from email import policy
from email.message import EmailMessage
from email.utils import make_msgid

from flask import Flask, current_app, has_app_context, has_request_context, url_for
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction, scoped_session

logger = logging.getLogger(__name__)

_PENDING = "mail_after_commit"
# Long headers (List-Unsubscribe links) stay whole: folding them into encoded
# words would hide the address from mail clients. RFC 5322 allows 998.
POLICY = policy.SMTP.clone(max_line_length=998)


def message(
    to: str, subject: str, body: str, headers: dict[str, str] | None = None
) -> EmailMessage:
    """A plain-text French message from the site's address."""
    mail = EmailMessage(policy=POLICY)
    mail["From"] = current_app.config["MAIL_FROM"]
    mail["To"] = to
    mail["Subject"] = subject
    mail["Message-ID"] = make_msgid(domain="cnig-partage")
    for name, value in (headers or {}).items():
        mail[name] = value
    mail.set_content(body)
    return mail


# "exemple.fr", "contact@exemple.fr": mail clients make these clickable.
_DOMAIN_DOT = re.compile(r"(?<=[\w-])\.(?=[a-zA-Z]{2,24}\b)")
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


def defanged(text: str) -> str:
    """Text someone typed, safe to put in a message from the site: control
    characters gone and every domain-looking dot defanged ("exemple[.]fr"), so
    that nothing in it is a link the site seems to send."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _DOMAIN_DOT.sub("[.]", text)


def quoted_message(author: str, text: str) -> str:
    """Someone's own words inside a message from the site, introduced by who
    wrote them and quoted line by line; both defanged."""
    text = defanged(text).strip()
    if not text:
        return ""
    quoted = "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))
    return f"Message de {defanged(author)} (texte libre, non vérifié par le CNIG) :\n\n{quoted}\n"


def public_url(endpoint: str, **values) -> str:
    """An absolute link for a message, from PUBLIC_URL: never from the Host
    header of whoever caused the message (it could point readers elsewhere). A
    command or an import sends mail too, outside any request: the path is then built
    in a request of its own."""
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        with current_app.test_request_context():
            path = url_for(endpoint, **values)
    return current_app.config["PUBLIC_URL"].rstrip("/") + path


def send(mail: EmailMessage) -> None:
    """Send now; raises OSError/smtplib.SMTPException when the server refuses."""
    config = current_app.config
    if not config["MAIL_SERVER"]:
        if config["ENV"] == "production":
            logger.warning("Courriel non envoyé à %s : MAIL_SERVER est vide.", mail["To"])
        else:
            print_to_console(mail)
        return
    connect = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with connect(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(mail)


CONSOLE_RULE = "─" * 72


def print_to_console(mail: EmailMessage) -> None:
    """The message as a person reads it, on standard error: headers, then the
    text decoded (never base64 or quoted-printable, so links can be followed)."""
    body = mail.get_body(preferencelist=("plain",))
    text = body.get_content() if body is not None else ""
    lines = [
        CONSOLE_RULE,
        "Courriel (non envoyé : MAIL_SERVER est vide, il est affiché ici)",
        f"De : {mail['From']}",
        f"À : {mail['To']}",
        f"Objet : {mail['Subject']}",
        "",
        text.rstrip("\n"),
        CONSOLE_RULE,
    ]
    # One write, flushed: messages sent from two threads do not interleave.
    sys.stderr.write("\n".join(lines) + "\n")
    sys.stderr.flush()


def send_after_commit(
    session: Session | scoped_session, mail: EmailMessage, *, background: bool = False
) -> None:
    """Send once the session's transaction is committed; forget on rollback.

    A message queued inside a savepoint is forgotten if that savepoint rolls back,
    and waits for the outermost commit if it is released.

    In the background, the answer does not wait for the SMTP server, so it
    takes as long whether a message left or not (a password reset must not
    tell, by its timing, that an account exists)."""
    if isinstance(session, scoped_session):
        session = session()
    queued_in = session.get_nested_transaction()
    session.info.setdefault(_PENDING, []).append((queued_in, mail, background))


def discard_pending(session: Session) -> None:
    """Forget the messages the session's transaction would send (the demo's:
    its addresses have no inbox)."""
    session.info.pop(_PENDING, None)


def _after_commit(session: Session) -> None:
    # SQLAlchemy also calls this when a savepoint is released: nothing is durable yet.
    if session.in_nested_transaction():
        return
    for _, mail, background in session.info.pop(_PENDING, []):
        if not has_app_context():
            continue
        if background:
            app = current_app._get_current_object()
            threading.Thread(target=_send_within, args=(app, mail), name="mail").start()
        else:
            _send_logged(mail)


def _send_within(app: Flask, mail: EmailMessage) -> None:
    with app.app_context():
        _send_logged(mail)


def _send_logged(mail: EmailMessage) -> None:
    try:
        send(mail)
    except (OSError, smtplib.SMTPException):
        # The change stands; a lost notification is logged, not an error page.
        logger.exception("Courriel non envoyé à %s", mail["To"])


def _after_soft_rollback(session: Session, rolled_back: SessionTransaction) -> None:
    """Forget what the rolled-back transaction (or savepoint, and those inside it) queued."""
    pending = session.info.get(_PENDING)
    if not pending:
        return
    if rolled_back.parent is None:
        session.info.pop(_PENDING, None)
        return
    session.info[_PENDING] = [entry for entry in pending if not _within(entry[0], rolled_back)]


def _within(queued_in: SessionTransaction | None, transaction: SessionTransaction) -> bool:
    while queued_in is not None:
        if queued_in is transaction:
            return True
        queued_in = queued_in.parent
    return False


def init_app(app: Flask) -> None:
    if not getattr(init_app, "listening", False):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_soft_rollback)
        init_app.listening = True
