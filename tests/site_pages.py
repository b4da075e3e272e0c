"""Every page of the site, for each role that sees it, on the site `seed-demo` fills.

`PAGES` is the one list the browser scans read (axe-core and the phone width in
test_layout.py, axe-core at a desktop width in test_journeys.py) and that
bench/page_sizes.py measures. A new page is one line: the role that sees it and its
path, where `{name}` stands for an address found in the demo content (`_places`), and
its status in `STATUSES` when it is not 200 (the error pages). `POSTS` are the pages a
form's answer shows (the confirmation pages of destructive actions, a conflict).

`demo_site` serves the site as `init-db` then `seed-demo` leave it, plus one account
per role with the tests' password and a draft of the member's own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from tests.serving import serving

ROLES = ("visiteur", "membre", "coordination", "veille", "admin")

# The demo's consultations (content/consultations.toml): with its synthesis, open, in preparation.
LIDAR = "/consultations/programme-lidar-hd-les-besoins-des-territoires"
PCRS = "/consultations/standard-pcrs-revision-du-modele-de-donnees"
ADDRESSES = "/consultations/referentiel-national-des-adresses-gouvernance-locale"

# (role, path): each role's pages, in the order a person would meet them.
PAGES: list[tuple[str, str]] = [
    # A visitor: every public page.
    ("visiteur", "/"),
    ("visiteur", "/recherche"),
    ("visiteur", "/recherche?q=adresse"),
    ("visiteur", "/ressources/"),
    ("visiteur", "{resource}"),
    ("visiteur", "{table_resource}"),
    ("visiteur", "{resource}/historique"),
    ("visiteur", "/ctd/"),
    ("visiteur", "/ctd/couverture"),
    ("visiteur", "/ctd/carte"),
    ("visiteur", "/ctd/carte?couleur=activite"),
    ("visiteur", "/widget/ctd/occitanie"),
    ("visiteur", "/widget/recherche?q=adresse&kind=bonne-pratique"),
    ("visiteur", "/ctd/occitanie"),
    ("visiteur", "/ctd/bretagne"),
    ("visiteur", "/ctd/bretagne/feuille-de-route"),
    ("visiteur", "{roadmap_version}"),
    ("visiteur", "{project}"),
    ("visiteur", "/ctd/bretagne/couts"),
    ("visiteur", "/couts/"),
    ("visiteur", "/acteurs/"),
    ("visiteur", "/acteurs/carte"),
    ("visiteur", "/acteurs/ign"),
    ("visiteur", "/glossaire/"),
    ("visiteur", "/glossaire/donnee-ouverte"),
    ("visiteur", "/relais/"),
    ("visiteur", "/selections/"),
    ("visiteur", "{selection}"),
    ("visiteur", "/abonnement?q=adresse"),
    ("visiteur", "/connexion"),
    ("visiteur", "/mot-de-passe-oublie"),
    ("visiteur", "/api/"),
    ("visiteur", "/plan-du-site"),
    ("visiteur", "/accessibilite"),
    ("visiteur", "/mentions-legales"),
    ("visiteur", "/donnees-personnelles"),
    ("visiteur", "/cookies"),
    ("visiteur", "/statistiques"),
    ("visiteur", "{invitation}"),
    ("visiteur", "{invitation_to_member}"),
    ("visiteur", "/discussions"),
    ("visiteur", "{thread}"),
    ("visiteur", "/consultations/"),
    ("visiteur", LIDAR),
    ("visiteur", f"{LIDAR}/contributions/bretagne"),
    ("visiteur", PCRS),
    # Pages a link from an email opens.
    ("visiteur", "{password_reset}"),
    ("visiteur", "{alert_confirm}"),
    ("visiteur", "{alert_unsubscribe}"),
    ("visiteur", "{notifications_unsubscribe}"),
    # The error pages.
    ("visiteur", "/ressources/999999999"),
    ("membre", "/admin/comptes"),
    # A member of the Bretagne CTD.
    ("membre", "/"),
    ("membre", "/profil"),
    ("membre", "/fil"),
    ("membre", "/ressources/nouvelle"),
    ("membre", "{draft}"),
    ("membre", "{draft}/modifier"),
    ("membre", "{resource}"),
    ("membre", "/ctd/bretagne"),
    ("membre", "/ctd/bretagne/feuille-de-route/modifier"),
    ("membre", "/ctd/bretagne/gouvernance/modifier"),
    ("membre", "/ctd/bretagne/projets/nouveau"),
    ("membre", "{project}/modifier"),
    ("membre", "/ctd/bretagne/couts"),
    ("membre", "/ctd/bretagne/membres"),
    ("membre", "/ctd/corse/rejoindre"),
    ("membre", "/ctd/occitanie/rejoindre"),
    ("membre", "/ctd/normandie/rejoindre"),
    ("membre", "{invitation_to_member}"),
    ("membre", "{thread}"),
    ("membre", "{report_message}"),
    ("membre", "{edit_message}"),
    ("membre", "{new_thread}"),
    ("membre", f"{PCRS}/contributions/bretagne"),
    # Its coordinator.
    ("coordination", "/profil"),
    ("coordination", "/ctd/bretagne"),
    ("coordination", "/ctd/bretagne/couts"),
    ("coordination", "/ctd/bretagne/membres"),
    ("coordination", "/ctd/bretagne/membres/invitations"),
    ("coordination", "/ctd/bretagne/etape"),
    ("coordination", f"{PCRS}/contributions/bretagne"),
    # The CNIG watch team.
    ("veille", "/curation/"),
    ("veille", "/ctd/corse/membres"),
    ("veille", "/curation/journal"),
    ("veille", "/curation/tableau-de-bord"),
    ("veille", "{resource}"),
    ("veille", "{resource}/modifier"),
    ("veille", "{compare}"),
    ("veille", "/glossaire/nouveau"),
    ("veille", "/glossaire/donnee-ouverte/modifier"),
    ("veille", "/glossaire/donnee-ouverte/fusionner"),
    ("veille", "/selections/nouvelle"),
    ("veille", "{selection}/modifier"),
    ("veille", "/acteurs/nouveau"),
    ("veille", "/acteurs/ign/modifier"),
    ("veille", "/curation/signalements"),
    ("veille", "{thread}"),
    ("veille", "{hide_message}"),
    ("veille", "{message_versions}"),
    ("veille", "/curation/synonymes/"),
    ("veille", "/consultations/nouvelle"),
    ("veille", ADDRESSES),
    ("veille", f"{PCRS}/modifier"),
    ("veille", f"{PCRS}/suivi"),
    ("veille", f"{LIDAR}/suivi"),
    # An administrator.
    ("admin", "/admin/comptes"),
    ("admin", "{account}"),
    ("admin", "/admin/comptes/invitations"),
]

# The pages of PAGES that answer with an error page, and its status.
STATUSES = {("visiteur", "/ressources/999999999"): 404, ("membre", "/admin/comptes"): 403}

# (role, page, form action, where it is posted, status): a form of the page posted as a
# browser without JavaScript posts it. Unconfirmed, a destructive action answers with its
# confirmation page; the consultation already open answers a stale « Ouvrir » with 409.
POSTS: list[tuple[str, str, str, str, int]] = [
    ("membre", "/ctd/bretagne/couts", "{costs_delete}", "{costs_delete}", 200),
    ("membre", "{own_project}", "{own_project}/supprimer", "{own_project}/supprimer", 200),
    ("membre", "{thread}", "{delete_message}", "{delete_message}", 200),
    ("veille", "{selection}", "{selection}/supprimer", "{selection}/supprimer", 200),
    ("veille", "{term_edit}", "{term_delete}", "{term_delete}", 200),
    ("veille", "{resource}/modifier", "{attachment_delete}", "{attachment_delete}", 200),
    ("veille", "{resource}", "{resource}/archiver", "{resource}/archiver", 200),
    ("veille", ADDRESSES, f"{ADDRESSES}/ouvrir", f"{PCRS}/ouvrir", 409),
]


@dataclass(frozen=True)
class Account:
    email: str
    site_role: str
    ctds: tuple[str, ...] = ()
    coordinator_of: tuple[str, ...] = ()


# The account each role signs in with (the visitor has none).
ACCOUNTS = {
    "membre": Account("membre@pages.example.org", "member", ("bretagne",)),
    "coordination": Account(
        "coordination@pages.example.org", "member", ("bretagne",), ("bretagne",)
    ),
    "veille": Account("veille@pages.example.org", "curator"),
    "admin": Account("admin@pages.example.org", "admin"),
}


def pages_of(role: str) -> list[str]:
    """The paths (with their `{name}` places) a role's scan visits."""
    return [path for page_role, path in PAGES if page_role == role]


def _add_accounts(password: str) -> None:
    from cnig_share.accounts.services import create_user
    from cnig_share.extensions import db
    from cnig_share.models import Ctd, Membership

    for account in ACCOUNTS.values():
        user = create_user(account.email, password, account.site_role, account.ctds)
        db.session.flush()
        for slug in account.coordinator_of:
            ctd = db.session.scalar(select(Ctd).where(Ctd.slug == slug))
            membership = db.session.scalar(
                select(Membership).where(Membership.user_id == user.id, Membership.ctd_id == ctd.id)
            )
            membership.role = "coordinator"
    db.session.commit()


def _places() -> dict[str, str]:
    """The addresses of `PAGES`' `{name}` places, found in the demo content."""
    from cnig_share.extensions import db
    from cnig_share.invitations import links
    from cnig_share.models import (
        Attachment,
        Ctd,
        Invitation,
        JoinRequest,
        Project,
        Resource,
        Revision,
        RoadmapVersion,
        Selection,
        User,
        utcnow,
    )

    member = db.session.scalar(select(User).where(User.email == ACCOUNTS["membre"].email))
    bretagne = db.session.scalar(select(Ctd).where(Ctd.slug == "bretagne"))
    draft = Resource(
        title="Brouillon du membre",
        kind="bonne-pratique",
        ctd=bretagne,
        author=member,
        summary="Un brouillon.",
        body="## Démarche\n\n| Commune | Voies |\n|---|---|\n| Rennes | 1 200 |",
    )
    db.session.add(draft)
    db.session.commit()
    # A published resource with an attachment and a relay note: the fullest page.
    resource_id = db.session.scalar(
        select(Resource.id)
        .join(Attachment)
        .where(Resource.status == "published", Resource.relayed_at.is_not(None))
        .order_by(Resource.id)
        .limit(1)
    )
    # The demo resource with the widest Markdown table (a row of many cells).
    with_tables = db.session.scalars(
        select(Resource).where(Resource.status == "published", Resource.body.contains("|---"))
    ).all()
    widest = max(with_tables, key=lambda r: max(len(line) for line in r.body.splitlines()))
    revisions = db.session.scalars(
        select(Revision.id).where(Revision.resource_id == resource_id).order_by(Revision.id)
    ).all()
    selection = db.session.scalar(
        select(Selection.slug).where(Selection.published_at <= utcnow()).limit(1)
    )
    project = db.session.scalar(select(Project).where(Project.avoided_cost_eur.is_not(None)))
    version = db.session.scalar(
        select(RoadmapVersion).where(RoadmapVersion.ctd_id == bretagne.id).limit(1)
    )

    # A demo thread with replies, a hidden message and a reported one; a message of
    # the member's own (so that its edit page is theirs).
    from cnig_share.models import Message, Thread

    thread = db.session.scalar(
        select(Thread).where(Thread.title.contains("éclairage public")).limit(1)
    )
    first = thread.messages[0]
    own = Message(thread=thread, author=member, body="Une précision, **merci**.")
    db.session.add(own)
    db.session.flush()
    # Written again, so that its versions page has one to show.
    from cnig_share.discussions.services import edit

    edit(own, "Une précision, **merci** beaucoup.", member, None)
    db.session.commit()

    # The demo's pending invitation: the page its link opens.
    invitation = db.session.scalar(select(Invitation).limit(1))
    # An invitation for the member's own address: the page asks to sign in, or, signed
    # in, offers "Accepter l'invitation".
    admin = db.session.scalar(select(User).where(User.email == ACCOUNTS["admin"].email))
    corse = db.session.scalar(select(Ctd).where(Ctd.slug == "corse"))
    to_member = Invitation(
        email=member.email, ctd=corse, ctd_role="member", invited_by=admin, sendings=1
    )
    # The member's request to Occitanie waits; the one to Normandie was declined
    # today (no new one before 30 days).
    occitanie, normandie = (
        db.session.scalar(select(Ctd).where(Ctd.slug == slug))
        for slug in ("occitanie", "normandie")
    )
    db.session.add_all(
        [
            to_member,
            JoinRequest(user=member, ctd=occitanie, message="Chargé de mission SIG."),
            JoinRequest(
                user=member,
                ctd=normandie,
                message="Chargé de mission SIG.",
                status="declined",
                answered_at=utcnow(),
                answered_by=admin,
                decline_reason="Ce comité réunit les acteurs normands.",
            ),
        ]
    )
    db.session.commit()

    places = {
        **_email_links(member),
        **_forms_to_post(bretagne, resource_id, own),
        "new_thread": f"/discussions/nouvelle?subject_type=resource&subject_id={resource_id}",
        "message_versions": f"/discussions/messages/{own.id}/versions",
    }

    places |= {
        "invitation": f"/invitation/{links.token_for(invitation)}",
        "invitation_to_member": f"/invitation/{links.token_for(to_member)}",
        "resource": f"/ressources/{resource_id}",
        "table_resource": f"/ressources/{widest.id}",
        "draft": f"/ressources/{draft.id}",
        "selection": f"/selections/{selection}",
        "project": f"/ctd/{project.ctd.slug}/projets/{project.id}",
        "account": f"/admin/comptes/{member.id}",
        "thread": f"/discussions/{thread.id}",
        "report_message": f"/signaler/message/{first.id}",
        "edit_message": f"/discussions/messages/{own.id}/modifier",
        "hide_message": f"/discussions/messages/{first.id}/masquer",
        "compare": f"/ressources/{resource_id}/historique/comparer"
        f"?de={revisions[0]}&a={revisions[-1]}",
    }
    if version is not None:
        places["roadmap_version"] = f"/ctd/bretagne/feuille-de-route/versions/{version.id}"
    return places


def _email_links(member) -> dict[str, str]:
    """The pages the links of the site's emails open, for a reader who is not signed in."""
    from urllib.parse import urlsplit

    from cnig_share.accounts.password_reset import token_for
    from cnig_share.accounts.services import create_user
    from cnig_share.alerts import services as alerts
    from cnig_share.extensions import db
    from cnig_share.following import notifications, sources
    from cnig_share.search.service import SearchParams

    # An account nobody signs in with: signing in would end its reset link.
    forgetful = create_user("oubli@pages.example.org", "un mot de passe long oublié", "member", ())
    alert = alerts.subscribe("alerte@pages.example.org", SearchParams(q="adresse"), "weekly")
    db.session.commit()
    stop = notifications.unsubscribe_url(member.id, sorted(sources.SOURCES)[:1])
    return {
        "password_reset": f"/mot-de-passe/{token_for(forgetful)}",
        "alert_confirm": f"/abonnement/confirmer/{alerts.token(alert, 'confirm')}",
        "alert_unsubscribe": f"/abonnement/desabonner/{alerts.token(alert, 'unsubscribe')}",
        "notifications_unsubscribe": urlsplit(stop).path,
    }


def _forms_to_post(bretagne, resource_id: int, own) -> dict[str, str]:
    """The actions of `POSTS`' forms: things of the demo a member or a curator may delete."""
    from cnig_share.extensions import db
    from cnig_share.glossary.services import TermInput, create_term
    from cnig_share.models import Attachment, Project
    from cnig_share.models.workspace import CostYear

    year = db.session.scalar(
        select(CostYear.year).where(CostYear.ctd_id == bretagne.id).order_by(CostYear.year)
    )
    project = db.session.scalar(
        select(Project.id).where(Project.ctd_id == bretagne.id).order_by(Project.id)
    )
    # Every demo term tags something (and is refused at once): one that tags nothing yet.
    unused = create_term(
        TermInput("Terme à supprimer", definition="Un terme que rien n'utilise encore."), None
    )
    db.session.commit()
    attachment = db.session.scalar(
        select(Attachment.id).where(Attachment.resource_id == resource_id).limit(1)
    )
    return {
        "costs_delete": f"/ctd/bretagne/couts/{year}/supprimer",
        "own_project": f"/ctd/bretagne/projets/{project}",
        "delete_message": f"/discussions/messages/{own.id}/supprimer",
        "term_edit": f"/glossaire/{unused.slug}/modifier",
        "term_delete": f"/glossaire/{unused.slug}/supprimer",
        "attachment_delete": f"/ressources/{resource_id}/pieces-jointes/{attachment}/supprimer",
    }


@contextmanager
def demo_site(
    url: str, instance: Path, password: str, hash_method: str
) -> Iterator[tuple[str, dict[str, str]]]:
    """The demo site on `url`, served on a free loopback port: (address, places); its
    passwords hashed by `hash_method`."""
    from cnig_share import create_app, demo
    from cnig_share.database import ensure_reference_data
    from cnig_share.extensions import db
    from cnig_share.search import sync

    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "SEARCH_REINDEX_PROCS": 1,
            "PASSWORD_HASH_METHOD": hash_method,
        },
        environ={"CNIG_SHARE_INSTANCE_PATH": str(instance)},
    )
    with app.app_context():
        db.create_all()
        ensure_reference_data()
        sync.rebuild()
        demo.seed()
        _add_accounts(password)
        places = _places()
    try:
        with serving(app) as address:
            yield address, places
    finally:
        app.extensions["search"].close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
