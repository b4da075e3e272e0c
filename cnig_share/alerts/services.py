"""Subscribing (double opt-in by a signed link), unsubscribing, and the
digests: one message per address listing what was published since the last."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from cnig_share import mail
from cnig_share.alerts import quota
from cnig_share.extensions import db
from cnig_share.formatting import french_date, plural
from cnig_share.glossary.services import find_term
from cnig_share.models import KINDS, PERIODS, Ctd, Resource, Subscription, utcnow
from cnig_share.search.service import FACETS, SearchParams, search

CONFIRM_DAYS = 7
DIGEST_SIZE = 30  # resources listed per subscription in one message
DIGEST_WHEN = {"daily": "aujourd'hui", "weekly": "cette semaine"}
# What a label keeps of the words searched, and of each filter's values.
LABEL_QUERY_CHARS = 60
LABEL_VALUES = 3
# Words that could carry an address or a message: links, domains, emails, "x:".
ADDRESS_LIKE = re.compile(r"[/\\@:]|\w\.\w")


class AlertError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _signer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=f"alert-{purpose}")


def token(subscription: Subscription, purpose: str) -> str:
    return _signer(purpose).dumps(subscription.id)


def from_token(value: str, purpose: str) -> Subscription:
    """The subscription a signed link names; AlertError when it is not valid."""
    max_age = CONFIRM_DAYS * 86400 if purpose == "confirm" else None
    try:
        subscription_id = _signer(purpose).loads(value, max_age=max_age)
    except SignatureExpired:
        raise AlertError("Ce lien a expiré : abonnez-vous de nouveau.") from None
    except BadSignature:
        raise AlertError("Ce lien n'est pas valide.") from None
    found = (
        db.session.get(Subscription, subscription_id) if isinstance(subscription_id, int) else None
    )
    if found is None:
        raise AlertError("Cette alerte n'existe plus.")
    return found


def canonical(params: SearchParams) -> dict:
    """The search an alert follows, without paging or order."""
    query = {name: sorted(set(params.filters.get(name, []))) for name in FACETS}
    query = {name: values for name, values in query.items() if values}
    if params.q.strip():
        query["q"] = " ".join(params.q.split())
    return query


def params_of(subscription: Subscription) -> SearchParams:
    query = subscription.query or {}
    return SearchParams(
        q=query.get("q", ""),
        filters={name: list(query.get(name, [])) for name in FACETS},
        sort="recent",
        per_page=DIGEST_SIZE,
        resources_only=True,
    )


def label(subscription: Subscription) -> str:
    """The alert in a few safe words, for its emails and pages. Anyone may type
    any address and any search, so the label keeps only recognised filters and
    60 characters of plain words: no link, domain or line break of a stranger's
    choosing reaches someone else's mailbox."""
    if subscription.term is not None:
        return f"le terme « {subscription.term.pref_label} »"
    query = subscription.query or {}
    parts = [f"« {words} »"] if (words := _plain_words(query.get("q", ""))) else []
    for name, values in _known_filters(query).items():
        if values:
            shown = ", ".join(values[:LABEL_VALUES]) + (" …" if len(values) > LABEL_VALUES else "")
            parts.append(f"{name} : {shown}")
    return "la recherche " + (" ; ".join(parts) or "de toutes les ressources")


def _plain_words(text: str) -> str:
    """The searched words without control characters or address-like words, cut short."""
    text = "".join(" " if unicodedata.category(char)[0] in "CZ" else char for char in text)
    words = [word for word in text.split() if not ADDRESS_LIKE.search(word)]
    kept = " ".join(words)
    if len(kept) <= LABEL_QUERY_CHARS:
        return kept
    return kept[:LABEL_QUERY_CHARS].rsplit(" ", 1)[0] + " …"


def _known_filters(query: dict) -> dict[str, list[str]]:
    """The filters in words, keeping only values the site knows."""
    ctds = db.session.scalars(select(Ctd.name).where(Ctd.slug.in_(query.get("ctd", []))))
    # One more than is shown, so that "…" still tells there were others.
    terms = [find_term(slug) for slug in query.get("term", [])[: LABEL_VALUES + 1]]
    return {
        "type": [KINDS[kind] for kind in query.get("kind", []) if kind in KINDS],
        "CTD": sorted(ctds),
        "terme": [term.pref_label for term in terms if term is not None],
        "année": [year for year in query.get("year", []) if re.fullmatch(r"\d{4}", str(year))],
    }


def subscribe(email: str, params: SearchParams, period: str) -> Subscription:
    """Record the alert (unconfirmed) and send the confirmation link. Asking
    again resends it, so that nobody learns whether an address is subscribed."""
    if period not in PERIODS:
        raise AlertError("Choisissez une fréquence.")
    query = canonical(params)
    term = None
    if set(query) == {"term"} and len(query["term"]) == 1:
        term = find_term(query["term"][0])
    key = json.dumps(query, sort_keys=True, ensure_ascii=False)[:500]
    subscription = db.session.scalar(
        select(Subscription).where(Subscription.email == email, Subscription.key == key)
    )
    if subscription is None:
        subscription = Subscription(email=email, query=query, key=key, term=term)
        db.session.add(subscription)
    subscription.period = period
    db.session.flush()
    if not quota.may_send(email):
        # The same answer as ever (nothing tells the address is being
        # flooded, or subscribed), but its mailbox gets no more today.
        return subscription
    link = mail.public_url("alerts.confirm", token=token(subscription, "confirm"))
    body = (
        f"Bonjour,\n\nQuelqu'un (vous, sans doute) a demandé à recevoir {PERIODS[period]} "
        f"les nouvelles ressources de CNIG Partage pour {label(subscription)}.\n\n"
        f"Pour confirmer, ouvrez ce lien dans les {CONFIRM_DAYS} jours :\n{link}\n\n"
        "Sans confirmation, vous ne recevrez rien et l'adresse ne sera pas utilisée.\n\n"
        "— CNIG Partage, centre de ressources des comités territoriaux de la donnée\n"
    )
    mail.send_after_commit(
        db.session, mail.message(email, "Confirmez votre alerte CNIG Partage", body)
    )
    return subscription


def confirm(subscription: Subscription) -> None:
    if subscription.confirmed_at is None:
        subscription.confirmed_at = utcnow()
        subscription.last_sent_at = subscription.confirmed_at


def unsubscribe(subscription: Subscription) -> None:
    db.session.delete(subscription)


# --- digests ------------------------------------------------------------------------------


@dataclass
class Section:
    subscription: Subscription
    resources: list[Resource]
    more: int


def _new_resources(subscription: Subscription, since: datetime) -> Section:
    results = search(params_of(subscription))
    fresh = [
        hit.item for hit in results.hits
        if hit.item.published_at and hit.item.published_at > since
    ]  # fmt: skip
    more = 0
    if len(fresh) == DIGEST_SIZE:  # perhaps more on later pages
        more = max(0, results.total - DIGEST_SIZE)
    return Section(subscription, fresh, more)


def send_digests(period: str, now: datetime | None = None) -> tuple[int, int]:
    """Send every confirmed address its digest; (messages sent, addresses)."""
    now = now or utcnow()
    subscriptions = db.session.scalars(
        select(Subscription)
        .where(Subscription.period == period, Subscription.confirmed_at.is_not(None))
        .order_by(Subscription.email, Subscription.id)
    ).all()
    by_email: dict[str, list[Subscription]] = defaultdict(list)
    for subscription in subscriptions:
        by_email[subscription.email].append(subscription)
    sent = 0
    for email, own in by_email.items():
        sections = [_new_resources(s, s.last_sent_at or s.confirmed_at or now) for s in own]
        if any(section.resources for section in sections):
            mail.send(_digest(email, period, sections))
            sent += 1
        for subscription in own:
            subscription.last_sent_at = now
        db.session.commit()  # each address once, even if a later one fails
    return sent, len(by_email)


def _digest(email: str, period: str, sections: list[Section]):
    count = sum(len(section.resources) for section in sections)
    lines = [
        "Bonjour,",
        "",
        f"Voici les ressources publiées sur CNIG Partage depuis le dernier envoi ({count}) :",
    ]
    first_unsubscribe = None
    for section in sections:
        unsubscribe_url = mail.public_url(
            "alerts.unsubscribe", token=token(section.subscription, "unsubscribe")
        )
        first_unsubscribe = first_unsubscribe or unsubscribe_url
        if not section.resources:
            continue
        lines += ["", f"== Pour {label(section.subscription)} ==", ""]
        for resource in section.resources:
            url = mail.public_url("resources.show", resource_id=resource.id)
            lines += [
                f"* {resource.title}",
                f"  {resource.kind_label} · {resource.ctd.name} · publiée le "
                f"{french_date(resource.published_at)}",
                f"  {url}",
            ]
        if section.more:
            lines.append(f"  … et {section.more} autre(s) : voir le site.")
        lines += ["", f"Se désabonner de cette alerte : {unsubscribe_url}"]
    lines += ["", "— CNIG Partage, centre de ressources des comités territoriaux de la donnée"]
    headers = {
        "List-Unsubscribe": f"<{first_unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    found = plural(count, "nouvelle ressource", "nouvelles ressources")
    subject = f"CNIG Partage : {found} {DIGEST_WHEN[period]}"
    return mail.message(email, subject, "\n".join(lines) + "\n", headers)
