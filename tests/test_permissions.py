"""Who sees what, and who moves a resource through its life, as matrices: each
permission against its query side and against what lists, pages, feeds and the
API answer, for every role and every status."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from cnig_share import permissions
from cnig_share.extensions import db
from cnig_share.models import STATUSES, Resource
from cnig_share.resources import lifecycle
from tests import factories
from tests.test_api import bearer, token_for

# role → (email, site role, CTDs); every resource below belongs to Bretagne.
ROLES = {
    "visitor": None,
    "member": ("membre@bretagne.example.org", "member", ("bretagne",)),
    "other member": ("membre@corse.example.org", "member", ("corse",)),
    "curator": ("veille@cnig.example.org", "curator", ()),
    "admin": ("admin@cnig.example.org", "admin", ()),
}
# What each role sees, written out, so that the rule and its query side
# cannot agree on a wrong answer.
SEES = {
    "visitor": {"published"},
    "member": set(STATUSES),
    "other member": {"published"},
    "curator": set(STATUSES),
    "admin": set(STATUSES),
}


@pytest.fixture
def people(app, make_user) -> dict[str, str | None]:
    """role → email (None for the visitor)."""
    for role in ROLES.values():
        if role is not None:
            email, site_role, ctds = role
            make_user(email, role=site_role, ctds=ctds)
    return {name: role[0] if role else None for name, role in ROLES.items()}


@pytest.fixture
def one_per_status(app) -> dict[str, int]:
    with app.app_context():
        return {status: factories.resource(f"Toponymie {status}", status=status)
                for status in STATUSES}  # fmt: skip


def test_can_view_and_its_query_side_agree_for_every_role_and_status(app, people, one_per_status):
    with app.app_context():
        for role, email in people.items():
            viewer = factories.user(email) if email else None
            listed = set(db.session.scalars(select(Resource.id).where(
                permissions.visible_to(viewer))))  # fmt: skip
            selected = {r.id for r in db.session.scalars(permissions.visible_resources(viewer))}
            for status, resource_id in one_per_status.items():
                resource = db.session.get(Resource, resource_id)
                expected = status in SEES[role]
                assert permissions.can_view(viewer, resource) is expected, (role, status)
                assert (resource_id in listed) is expected, (role, status)
                assert (resource_id in selected) is expected, (role, status)
        public = {r.id for r in db.session.scalars(permissions.public_resources())}
        assert public == {one_per_status["published"]}


def test_pages_and_the_api_show_a_resource_exactly_to_whom_can_view_allows(
    app, client, auth, people, one_per_status
):
    tokens = {role: token_for(app, email) for role, email in people.items() if email}
    for role, email in people.items():
        headers = bearer(tokens[role]) if email else {}
        listed = client.get("/api/v1/resources", headers=headers).get_json()["resources"]
        expected = {one_per_status[status] for status in SEES[role]}
        assert {item["id"] for item in listed} == expected, role
        if email:
            auth.login(email)
        for status, resource_id in one_per_status.items():
            code = 200 if status in SEES[role] else 404
            api = client.get(f"/api/v1/resources/{resource_id}", headers=headers)
            assert api.status_code == code, (role, status)
            assert client.get(f"/ressources/{resource_id}").status_code == code, (role, status)
        if email:
            auth.logout()


def test_public_lists_counts_feeds_and_search_hold_only_what_a_visitor_may_see(
    client, one_per_status
):
    def linked(text: str, status: str) -> bool:
        return re.search(rf"/ressources/{one_per_status[status]}(?![0-9])", text) is not None

    for path in ("/", "/ressources/", "/ctd/bretagne", "/flux/ressources.atom",
                 "/flux/ressources.atom?q=toponymie", "/recherche?q=toponymie"):  # fmt: skip
        text = client.get(path).get_data(as_text=True)
        assert {s for s in STATUSES if linked(text, s)} == {"published"}, path
    bretagne = next(c for c in client.get("/api/v1/ctds").get_json()["ctds"]
                    if c["slug"] == "bretagne")  # fmt: skip
    assert bretagne["resources"] == 1
    search = client.get("/api/v1/search", query_string={"q": ""}).get_json()
    assert [hit["id"] for hit in search["results"]] == [one_per_status["published"]]


def _expected(viewer, resource: Resource, step: lifecycle.Transition) -> int:
    """What the API answers, from the rules alone: hidden 404, refused 409 (state)
    or 403 (person), else 200."""
    if not permissions.can_view(viewer, resource):
        return 404
    if permissions.can_make(viewer, resource, step):
        return 200
    return 409 if resource.status not in step.sources else 403


def test_every_transition_is_taken_exactly_as_the_table_allows(app, client, people):
    writers = {role: email for role, email in people.items() if email}
    tokens = {role: token_for(app, email) for role, email in writers.items()}
    for role, email in writers.items():
        for status in STATUSES:
            for step in lifecycle.TRANSITIONS.values():
                with app.app_context():
                    resource_id = factories.resource(f"{role} {status} {step.name}", status=status)
                    resource = db.session.get(Resource, resource_id)
                    expected = _expected(factories.user(email), resource, step)
                response = client.post(f"/api/v1/resources/{resource_id}/{step.name}",
                                       json={"comment": "Ajoutez la source."},
                                       headers=bearer(tokens[role]))  # fmt: skip
                case = (role, status, step.name)
                assert response.status_code == expected, case
                if expected == 200:
                    assert response.get_json()["status"] == step.target, case
                    if (role, status, step) == ("member", "submitted", lifecycle.PUBLISH):
                        assert expected == 403  # only curators publish
                    if (role, status, step) == ("member", "draft", lifecycle.SUBMIT):
                        assert expected == 200  # authors submit their drafts


def test_a_record_created_in_a_later_state_takes_the_steps_of_the_table():
    names = {status: [step.name for step in lifecycle.steps("draft", status)]
             for status in STATUSES}  # fmt: skip
    assert names == {
        "draft": [],
        "submitted": ["submit"],
        "published": ["publish"],
        "archived": ["publish", "archive"],
    }
    for status in STATUSES:
        step = lifecycle.leading_to(status)
        assert step is not None and step.target == status
