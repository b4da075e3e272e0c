"""Nothing a visitor may not see reaches them through discussions, whatever
happens in whatever order (Hypothesis): a resource published, unpublished,
archived, republished; messages hidden, shown again, deleted, replied to.
After each step every public page, feed and API answer is read as a visitor
and holds exactly the texts the rules allow."""

from __future__ import annotations

import os
import uuid

from hypothesis import given, settings
from hypothesis import strategies as st

from cnig_share.discussions import services, subjects
from cnig_share.extensions import db
from cnig_share.models import Message, Resource, Thread
from cnig_share.search import sync
from tests import factories

EXAMPLES = int(os.environ.get("CNIG_SHARE_HYPOTHESIS_EXAMPLES", "5"))
STEPS = ["publish", "unpublish", "archive", "hide", "unhide", "delete", "reply"]


def _visitor_surfaces(client, resource_id: int, thread_id: int) -> dict[str, str]:
    urls = [
        "/",
        "/discussions",
        "/ctd/bretagne",
        f"/discussions/{thread_id}",
        f"/ressources/{resource_id}",
        "/flux/discussions.atom",
        f"/flux/discussions/{thread_id}.atom",
        "/api/v1/discussions",
        f"/api/v1/resources/{resource_id}/discussions",
    ]
    surfaces = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        surfaces[url] = response.get_data(as_text=True)
    return surfaces


def test_no_page_feed_or_api_shows_what_a_visitor_may_not_see(make_app, template, make_user):
    # The index is not under test here: its updates wait in the outbox (faster, and
    # Whoosh does not see a status flip a few milliseconds after the last).
    app = make_app(MESSAGE_RATE_LIMIT="100000 per hour", SEARCH_CATCH_UP_ROWS=0)
    template.copy_index(app)
    make_user("auteur@bretagne.example.org", ctds=("bretagne",))
    make_user("veille@cnig.example.org", role="curator")
    client = app.test_client()
    with app.app_context():
        resource_id = factories.publish("Ressource discutée", ctd="bretagne")

    @settings(max_examples=EXAMPLES, deadline=None, database=None)
    @given(steps=st.lists(st.sampled_from(STEPS), min_size=1, max_size=5))
    def check(steps):
        mark = uuid.uuid4().hex[:10]
        with app.app_context(), sync.deferred(db.session):
            author = factories.user("auteur@bretagne.example.org")
            curator = factories.user("veille@cnig.example.org")
            resource = db.session.get(Resource, resource_id)
            resource.status = "published"  # each sequence starts from a published resource
            subject = subjects.of_resource(resource)
            thread = services.start_thread(subject, f"titre{mark}", f"premier{mark}", author)
            services.reply(thread, f"reponse{mark}0", author)
            db.session.commit()
            thread_id, author_id, curator_id = thread.id, author.id, curator.id
        written = {f"premier{mark}", f"reponse{mark}0"}
        for number, step in enumerate(steps, start=1):
            with app.test_request_context(), sync.deferred(db.session):
                written |= _apply(step, number, mark, resource_id, thread_id, author_id, curator_id)
                db.session.commit()
                expected = _expected(resource_id, thread_id, mark, written)
            surfaces = _visitor_surfaces(client, resource_id, thread_id)
            for url, body in surfaces.items():
                for text, allowed in expected.items():
                    if not allowed:
                        assert text not in body, (steps, url, text)
            if expected[f"titre{mark}"]:
                assert f"titre{mark}" in surfaces["/discussions"], steps
                for text, allowed in expected.items():
                    if allowed:
                        assert text in surfaces[f"/discussions/{thread_id}"], (steps, text)
                        assert text in surfaces[f"/flux/discussions/{thread_id}.atom"], (
                            steps,
                            text,
                        )

    check()


def _apply(step: str, number: int, mark: str, resource_id, thread_id, author_id, curator_id):
    """Take one step; the texts it wrote."""
    resource = db.session.get(Resource, resource_id)
    thread = db.session.get(Thread, thread_id)
    author, curator = (
        db.session.get(factories.User, author_id),
        db.session.get(factories.User, curator_id),
    )
    shown = [m for m in thread.messages if not m.is_deleted]
    if step == "publish" and resource.status != "published":
        resource.status = "published"
    elif step == "unpublish":
        resource.status = "draft"
    elif step == "archive":
        resource.status = "archived"
    elif step == "hide" and any(m.is_public for m in shown):
        services.hide(next(m for m in shown if m.is_public), "Raison", curator)
    elif step == "unhide" and any(m.is_hidden for m in shown):
        services.unhide(next(m for m in shown if m.is_hidden), curator)
    elif step == "delete" and len(shown) > 1:
        services.delete(shown[-1], author)
    elif step == "reply" and resource.is_published:
        services.reply(thread, f"reponse{mark}{number}", author)
        return {f"reponse{mark}{number}"}
    return set()


def _expected(resource_id: int, thread_id: int, mark: str, written: set[str]) -> dict[str, bool]:
    """Each text written → whether a visitor may read it now."""
    public = db.session.get(Resource, resource_id).is_published
    readable = {
        message.body
        for message in db.session.scalars(db.select(Message).where(Message.thread_id == thread_id))
        if message.is_public
    }
    return {f"titre{mark}": public, **{text: public and text in readable for text in written}}
