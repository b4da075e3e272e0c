"""The demo's discussions and reports (content/discussions.toml), added through
the discussion services, so they follow the site's rules. A thread is known by
its title: a second seed adds nothing."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import select

from cnig_share import mail
from cnig_share.demo.content import Folder, Page
from cnig_share.discussions import reports, services, subjects
from cnig_share.discussions.services import DiscussionError
from cnig_share.extensions import db
from cnig_share.models import REPORT_REASONS, Ctd, Project, Resource, Thread, User

FILE = "discussions.toml"


@dataclass
class Plan:
    threads: list[dict[str, Any]] = field(default_factory=list)
    reports: list[dict[str, Any]] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)  # resource file → title
    domain: str = ""


def check(folder: Folder, resource_pages: list[Page], logins: set[str], domain: str) -> Plan:
    """Read and check the file; problems are noted in `folder`."""
    plan = Plan(domain=domain)
    if not (folder.root / FILE).is_file():
        return plan  # another content folder may have no discussions
    published = {
        page.key: page.header.get("title")
        for page in resource_pages
        if page.header.get("status") == "published"
    }
    plan.titles = published
    for thread in folder.tables(FILE, "threads"):
        where = f"« {thread.get('title')} »"
        if not isinstance(thread.get("title"), str) or not thread["title"].strip():
            folder.fail(FILE, "threads: title attendu")
        if "resource" in thread and thread["resource"] not in published:
            folder.fail(FILE, f"{where}: resource « {thread['resource']} » n'est pas publiée")
        if not any(key in thread for key in ("resource", "project", "roadmap")):
            folder.fail(FILE, f"{where}: resource, project ou roadmap attendu")
        messages = thread.get("messages", [])
        if not isinstance(messages, list) or not messages:
            folder.fail(FILE, f"{where}: des [[threads.messages]] attendus")
            continue
        for message in messages:
            _check_person(folder, where, message.get("by"), logins)
            if "reported_by" in message:
                _check_person(folder, where, message["reported_by"], logins)
                if message.get("reason") not in REPORT_REASONS:
                    folder.fail(FILE, f"{where}: reason, l'une de {', '.join(REPORT_REASONS)}")
        plan.threads.append(thread)
    for entry in folder.tables(FILE, "reports"):
        if entry.get("resource") not in published:
            folder.fail(FILE, f"reports: « {entry.get('resource')} » n'est pas publiée")
        _check_person(folder, "reports", entry.get("by"), logins)
        if entry.get("reason") not in REPORT_REASONS:
            folder.fail(FILE, f"reports: reason, l'une de {', '.join(REPORT_REASONS)}")
        plan.reports.append(entry)
    return plan


def _check_person(folder: Folder, where: str, login: object, logins: set[str]) -> None:
    if login not in logins:
        folder.fail(FILE, f"{where}: « {login} » n'est pas un login de accounts.toml")


def create(plan: Plan, curator: User) -> int:
    """Add the threads not there yet; return how many were added."""
    # The services write emails with links (a hidden message's author is told),
    # which need a request to build; the demo's addresses have no inbox.
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        added = _create(plan, curator)
        mail.discard_pending(db.session)
    return added


def _person(plan: Plan, login: str) -> User:
    return db.session.scalar(select(User).where(User.email == f"{login}@{plan.domain}"))


def _subject(plan: Plan, entry: dict[str, Any]) -> subjects.Subject | None:
    if "resource" in entry:
        title = plan.titles[entry["resource"]]
        resource = db.session.scalar(select(Resource).where(Resource.title == title))
        return subjects.of_resource(resource) if resource else None
    if "project" in entry:
        project = db.session.scalar(
            select(Project)
            .join(Ctd)
            .where(Project.title == entry["project"], Ctd.slug == entry.get("ctd"))
        )
        return subjects.of_project(project) if project else None
    ctd = db.session.scalar(select(Ctd).where(Ctd.slug == entry["roadmap"]))
    return subjects.of_roadmap(ctd) if ctd else None


def _create(plan: Plan, curator: User) -> int:
    existing = set(db.session.scalars(select(Thread.title)))
    added = 0
    for entry in plan.threads:
        subject = _subject(plan, entry)
        if entry["title"] in existing or subject is None:
            continue
        first, *rest = entry["messages"]
        thread = services.start_thread(
            subject, entry["title"], first["body"].strip(), _person(plan, first["by"])
        )
        posted = [(thread.messages[0], first)]
        for reply in rest:
            message = services.reply(thread, reply["body"].strip(), _person(plan, reply["by"]))
            posted.append((message, reply))
        for message, source in posted:
            _moderate(plan, message, source, curator)
        if entry.get("resolved"):
            services.set_resolved(thread, True, thread.author)
        added += 1
    if added:
        for entry in plan.reports:
            resource = _subject(plan, entry)
            if resource is not None:
                _report(plan, "resource", resource.id, entry)
    db.session.flush()
    return added


def _moderate(plan: Plan, message, source: dict[str, Any], curator: User) -> None:
    if source.get("reported_by"):
        _report(plan, "message", message.id, source)
    if source.get("hidden"):
        services.hide(message, source["hidden"], curator)


def _report(plan: Plan, target_type: str, target_id: int, source: dict[str, Any]) -> None:
    by = _person(plan, source.get("reported_by") or source["by"])
    with contextlib.suppress(DiscussionError):  # already reported by this person
        reports.report(target_type, target_id, source["reason"], source.get("comment", ""), by)
