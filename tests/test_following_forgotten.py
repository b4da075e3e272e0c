"""What is deleted takes its follows with it, and a merged term's followers follow
the term it merged into: a follow never points at a stranger that reused an id."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cnig_share.extensions import db
from cnig_share.models import Follow
from cnig_share.workspace import services as workspace
from tests import factories
from tests.conftest import csrf_token_from

MEMBER = "lea@bretagne.example.org"
FOLLOWER = "paul@occitanie.example.org"
CURATOR = "veille@cnig.example.org"


def post(client, path: str, data: dict, page: str):
    token = csrf_token_from(client.get(page).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def new_project(app, title: str) -> int:
    with app.app_context():
        project = workspace.save_project(
            None, factories.ctd("bretagne"),
            workspace.ProjectInput(title=title), factories.user(MEMBER),
        )  # fmt: skip
        db.session.commit()
        return project.id


def follows_of(app, kind: str, target_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count())
            .select_from(Follow)
            .where(Follow.target_kind == kind, Follow.target_id == target_id)
        )


def test_a_deleted_projects_follows_go_and_its_id_reused_is_not_followed(
    app, client, auth, make_user
):
    make_user(MEMBER, ctds=("bretagne",))
    make_user(FOLLOWER, ctds=("occitanie",))
    deleted = new_project(app, "Réseau d'adresses")
    page = f"/ctd/bretagne/projets/{deleted}"
    auth.login(FOLLOWER)
    assert post(client, f"/suivis/project/{deleted}", {}, page).status_code == 303
    auth.logout()
    auth.login(MEMBER)
    response = post(client, f"{page}/supprimer", {"confirmed": "1"}, page)
    assert response.status_code == 303
    assert follows_of(app, "project", deleted) == 0
    successor = new_project(app, "Projet d'un autre")
    auth.logout()
    auth.login(FOLLOWER)
    assert "Ne plus suivre" not in client.get(f"/ctd/bretagne/projets/{successor}").get_data(
        as_text=True
    )
    assert "Projet d'un autre" not in client.get("/profil").get_data(as_text=True)


@pytest.mark.parametrize("followed_both", [True, False])
def test_a_merged_terms_followers_follow_the_term_kept(app, client, auth, make_user, followed_both):
    make_user(FOLLOWER, ctds=("occitanie",))
    make_user(CURATOR, role="curator")
    with app.app_context():
        merged = factories.term("plateforme-de-donnees").id
        kept = factories.term("espace-commun-de-donnees").id
    followed = [(merged, "plateforme-de-donnees")]
    if followed_both:
        followed.append((kept, "espace-commun-de-donnees"))
    auth.login(FOLLOWER)
    for term_id, page in followed:
        assert post(client, f"/suivis/term/{term_id}", {}, f"/glossaire/{page}").status_code == 303
    auth.logout()
    auth.login(CURATOR)
    url = "/glossaire/plateforme-de-donnees/fusionner"
    assert post(client, url, {"kept": kept}, url).status_code == 302
    # One follow of the term kept, whether the follower followed one term or both.
    assert (follows_of(app, "term", merged), follows_of(app, "term", kept)) == (0, 1)
    auth.logout()
    auth.login(FOLLOWER)
    page = client.get("/glossaire/espace-commun-de-donnees").get_data(as_text=True)
    assert "Ne plus suivre" in page
