"""What templates of other domains use to show discussions: a subject's
section (its threads and the new-thread form), a resource's count for its card,
the latest threads for the home and CTD pages, how a message is signed."""

from __future__ import annotations

from flask import Flask, g

from cnig_share.discussions import queries, subjects
from cnig_share.discussions.forms import ThreadForm
from cnig_share.extensions import db
from cnig_share.models import Consultation, Ctd, Project, Resource


def discussion_subject(obj: Resource | Project | Ctd | Consultation) -> subjects.Subject:
    """A resource, a project, a CTD (for its roadmap) or a consultation as a subject."""
    if isinstance(obj, Resource):
        return subjects.of_resource(obj)
    if isinstance(obj, Consultation):
        return subjects.of_consultation(obj)
    if isinstance(obj, Project):
        return subjects.of_project(obj)
    return subjects.of_roadmap(obj)


def new_thread_form(subject: subjects.Subject) -> ThreadForm:
    return ThreadForm(formdata=None, subject_type=subject.type, subject_id=subject.id)


# Resources counted together at a page's first card: a query per card was half the
# queries of a search page.
COUNTED_TOGETHER = 200


def discussion_count(resource: Resource) -> int:
    """A published resource's threads ("3 discussions" on its card); 0 otherwise.
    The first card of a request counts those of every published resource it has
    loaded, which are the other cards."""
    if not resource.is_published:
        return 0
    counts: dict[int, int] = g.setdefault("discussion_counts", {})
    if resource.id not in counts:
        loaded = {
            item.id
            for item in list(db.session.identity_map.values())
            if isinstance(item, Resource) and item.is_published and item.id not in counts
        }
        ids = [*sorted(loaded - {resource.id})[: COUNTED_TOGETHER - 1], resource.id]
        counts.update(dict.fromkeys(ids, 0))
        counts.update(queries.count_on_resources(ids))
    return counts[resource.id]


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        discussion_subject=discussion_subject,
        discussion_threads=lambda subject: queries.threads_of(subject.threads_clause()),
        new_thread_form=new_thread_form,
        discussion_count=discussion_count,
        latest_discussions=queries.latest,
        discussion_replies=queries.reply_counts,
        thread_subject=subjects.of_thread,
    )
    app.add_template_filter(queries.author_name, "author_name")
