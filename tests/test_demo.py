"""seed-demo reads its content from files people can edit, through the
import's rules: a file that breaks one names itself and adds nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cnig_share.demo.content import PACKAGED
from cnig_share.extensions import db
from cnig_share.models import (
    Attachment,
    Invitation,
    JoinRequest,
    Membership,
    Project,
    Resource,
    Selection,
    User,
)

BAL = "resources/occitanie-bal-accompagnement.md"
GUIDE = "Guide adressage Occitanie 2025.pdf"
SUBMITTED = "occitanie-ia-panneaux-solaires"
PROJECT = "workspace/projects/occitanie-jumeau-numerique-du-littoral.md"
STAGES = "ctds/stages.toml"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the packaged demo content, to edit, with only the resources
    the tests, the selections and the discussions name (checking all of them takes
    seconds)."""
    folder = tmp_path / "demo"
    shutil.copytree(PACKAGED, folder)
    named = " ".join(path.read_text() for path in (folder / "selections").glob("*.md"))
    named += (folder / "discussions.toml").read_text()
    for path in (folder / "resources").glob("*.md"):
        if f'"{path.stem}"' not in named and path.stem != SUBMITTED:
            path.unlink()
    return folder


def edit(content: Path, name: str, old: str, new: str) -> None:
    path = content / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def counts(app) -> tuple[int, ...]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (User, Resource, Attachment, Selection, Project)
        )


def seed(runner, content: Path):
    return runner.invoke(args=["seed-demo", "--content", str(content)])


@pytest.mark.parametrize(
    ("name", "old", "new", "reason"),
    [
        (BAL, 'kind = "bonne-pratique"', 'kind = "recette"', "kind: l'une des valeurs"),
        (BAL, '"mutualisation"', '"cuisine"', "terms: terme inconnu « cuisine »"),
        (BAL, "https://adresse.data.gouv.fr", "javascript:alert(1)", "links: adresse web"),
        (BAL, "featured = true", "featured = oui", "en-tête TOML illisible"),
        (BAL, "featured = true", "vedette = true", "vedette: champ inconnu"),
        (BAL, GUIDE, "Guide.exe", "attachment: un nom de fichier en .pdf"),
        (BAL, GUIDE, "../Guide.pdf", "attachment: un nom de fichier (name)"),
        (PROJECT, 'role = "operateur"', 'role = "chef"', "actors: rôle"),
        (
            "selections/selection-veille-octobre-2026.md",
            'resource = "ara-ia-friches"',
            f'resource = "{SUBMITTED}"',
            f"« {SUBMITTED} » n'est pas une ressource publiée",
        ),
        ("workspace/costs.toml", "staff_fte = 1.5", "staff_fte = -1", "staff_fte: un nombre"),
        (
            "accounts.toml",
            'ctds = ["bretagne"]\ncoordinates = ["bretagne"]',
            'ctds = ["atlantide"]\ncoordinates = ["atlantide"]',
            "CTD inconnu : atlantide",
        ),
        (
            "accounts.toml",
            'coordinates = ["bretagne"]',
            'coordinates = ["corse"]',
            "bretagne: coordinates ne peut nommer que des CTD de ctds",
        ),
        (
            STAGES,
            'stage = "preparation"',
            'stage = "dissous"',
            "bretagne : Choisissez une étape dans la liste",
        ),
        (STAGES, "2025-03-14", "2099-03-14", "occitanie : La date d'installation ne peut pas"),
        (STAGES, "2025-03-14", '"hier"', "occitanie : « installed_on » doit être une date"),
        (STAGES, "[bretagne]", "[atlantide]", "atlantide : une table [<ctd>] d'un CTD existant"),
        (
            STAGES,
            '[bretagne]\nstage = "preparation"',
            '[bretagne]\nstage = "preparation"\ninstalled_on = 2025-01-02',
            "bretagne : Seul un comité constitué a une date d'installation",
        ),
    ],
)
def test_a_demo_file_breaking_a_rule_names_itself_and_adds_nothing(
    runner, app, content, name, old, new, reason
):
    edit(content, name, old, new)
    result = seed(runner, content)
    assert result.exit_code == 1
    assert f"{name}" in result.output
    assert reason in result.output
    assert "rien n'a été ajouté" in result.output
    assert counts(app) == (0, 0, 0, 0, 0)


def test_a_resource_file_added_to_the_demo_folder_is_seeded_with_its_attachment(
    runner, app, content
):
    (content / "resources" / "zz-nouvelle-ressource.md").write_text(
        "+++\n"
        'title = "Une ressource ajoutée par un fichier"\n'
        'summary = "Écrite par une personne qui ne programme pas."\n'
        'kind = "document"\nctd = "corse"\nterms = ["Donnée ouverte"]\n'
        'status = "published"\nfeatured = false\npublished_at = 2026-01-15\n\n'
        '[attachment]\nname = "Note.odt"\n'
        "text = '''\nPremier paragraphe de la note.\n\nSecond paragraphe.\n'''\n"
        "+++\n\n## Contexte\n\nUn texte en **Markdown**.\n",
        encoding="utf-8",
    )
    result = seed(runner, content)
    assert result.exit_code == 0, result.output
    assert f"{len(list((content / 'resources').glob('*.md')))} ressources" in result.output
    with app.app_context():
        resource = db.session.scalar(
            select(Resource).where(Resource.title == "Une ressource ajoutée par un fichier")
        )
        assert resource.status == "published"
        assert resource.ctd.slug == "corse"
        assert resource.author.email == "veille@demo.example.org"
        assert [term.slug for term in resource.terms] == ["donnee-ouverte"]
        assert resource.published_at.isoformat().startswith("2026-01-15T09:30")
        assert "<strong>Markdown</strong>" in resource.body_html
        [attachment] = resource.attachments
        assert attachment.original_name == "Note.odt"
        assert attachment.media_type == "application/vnd.oasis.opendocument.text"


def test_the_demo_sets_ctd_stages_but_never_over_a_persons_choice(runner, app, content):
    from cnig_share.ctds import stages
    from cnig_share.models import Ctd

    with app.app_context():
        user = User(email="animation@corse.example.org", password_hash="x")
        db.session.add(user)
        martinique = db.session.scalar(select(Ctd).where(Ctd.slug == "martinique"))
        stages.set_stage(martinique, "constituted", None, user, None)  # a person's choice
        db.session.commit()
    result = seed(runner, content)
    assert result.exit_code == 0, result.output
    assert "Étapes des CTD renseignées : 4." in result.output
    with app.app_context():
        found = {ctd.slug: (ctd.stage, ctd.installed_on) for ctd in db.session.scalars(select(Ctd))}
    assert found["bretagne"] == ("preparation", None)
    assert found["occitanie"][0] == "constituted" and str(found["occitanie"][1]) == "2025-03-14"
    assert found["martinique"] == ("constituted", None)  # left as the person set it
    again = seed(runner, content)
    assert "Étapes des CTD" not in again.output


def test_seed_demo_refuses_a_folder_that_does_not_exist(runner, app, tmp_path):
    result = runner.invoke(args=["seed-demo", "--content", str(tmp_path / "absent")])
    assert result.exit_code == 2
    assert counts(app) == (0, 0, 0, 0, 0)


def test_every_demo_ctd_with_members_has_a_coordinator(runner, app, content):
    result = seed(runner, content)
    assert result.exit_code == 0, result.output
    with app.app_context():
        roles: dict[str, set[str]] = {}
        for membership in db.session.scalars(select(Membership)):
            roles.setdefault(membership.ctd.slug, set()).add(membership.role)
    assert len(roles) == 7
    assert all("coordinator" in found for found in roles.values()), roles
    assert roles["bretagne"] == {"coordinator", "member"}


def test_the_demo_has_a_pending_invitation_and_a_pending_join_request(runner, app, content):
    result = seed(runner, content)
    assert result.exit_code == 0, result.output
    assert "Demandes pour rejoindre un CTD en attente : 1." in result.output
    assert "Invitation en attente pour nouvelle.recrue@demo.example.org" in result.output
    link = result.output.split("(aucun courriel envoyé) : ")[1].split()[0]
    assert link.startswith("http://127.0.0.1:5000/invitation/")
    client = app.test_client()
    page = client.get(link.removeprefix("http://127.0.0.1:5000"))
    assert page.status_code == 200 and "CTD Occitanie" in page.get_data(as_text=True)
    with app.app_context():
        [request] = db.session.scalars(select(JoinRequest)).all()
        assert (request.user.email, request.ctd.slug) == ("agent@demo.example.org", "bretagne")
    again = seed(runner, content)
    assert "rien à ajouter" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Invitation)) == 1


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ('ctd = "occitanie"\nrole', 'ctd = "atlantide"\nrole', "CTD inconnu : atlantide"),
        ('role = "member"\nby', 'role = "chef"\nby', "role: l'une des valeurs"),
        ('by = "occitanie"', 'by = "personne"', "by: aucun compte"),
        ('login = "agent"\nctd', 'login = "inconnu"\nctd', "login: aucun compte"),
        ("Chargée de mission", "Voir https://piege.example, chargée de mission", "lien"),
    ],
)
def test_a_demo_invitation_or_request_breaking_a_rule_adds_nothing(
    runner, app, content, old, new, reason
):
    edit(content, "accounts.toml", old, new)
    result = seed(runner, content)
    assert result.exit_code == 1
    assert "accounts.toml" in result.output and reason in result.output
    assert counts(app) == (0, 0, 0, 0, 0)


def test_the_demo_consultations_tell_their_followers_on_their_own_dates(runner, app, content):
    """The past consultation opened, closed and has its synthesis on its dates; the
    open one opened on its date; the one in preparation has told nobody anything."""
    from cnig_share.consultations.states import closes_at, opens_at
    from cnig_share.models import Consultation, ConsultationEvent

    result = seed(runner, content)
    assert result.exit_code == 0, result.output
    with app.app_context():
        told: dict[str, dict[str, object]] = {}
        for consultation in db.session.scalars(select(Consultation)):
            events = db.session.scalars(
                select(ConsultationEvent).where(
                    ConsultationEvent.consultation_id == consultation.id
                )
            )
            told[consultation.slug] = {event.kind: event.happened_at for event in events}
            if consultation.synthesis_published_at is not None:
                past = told[consultation.slug]
                assert past["opening"] == opens_at(consultation)
                assert past["closing"] == closes_at(consultation)
                assert past["synthesis"] == consultation.synthesis_published_at
    assert sorted(sorted(kinds) for kinds in told.values()) == [
        [],
        ["closing", "opening", "synthesis"],
        ["opening"],
    ]


def test_the_demo_has_the_issues_three_consultations(runner, app, content):
    """One with its synthesis and four contributions; one open with two CTDs drafting
    and one declined; one in preparation (issue 19)."""
    from cnig_share.consultations.states import state
    from cnig_share.models import Consultation

    result = seed(runner, content)
    assert result.exit_code == 0, result.output
    client = app.test_client()
    listed = client.get("/api/v1/consultations").get_json()["consultations"]
    assert sorted(c["state"] for c in listed) == ["open", "synthesis"]  # not the one in preparation
    by_state = {c["state"]: client.get(f"/api/v1/consultations/{c['slug']}").get_json()
                for c in listed}  # fmt: skip
    concluded, running = by_state["synthesis"], by_state["open"]
    assert concluded["synthesis_html"] and len(concluded["contributions"]) == 4
    assert sum(sum(concluded["positions"][str(q["id"])].values()) for q in concluded["questions"]
               if q["type"] == "position") == 4  # fmt: skip
    assert len(running["declined"]) == 1 and running["contributions"] == []
    with app.app_context():
        found = {state(c): c for c in db.session.scalars(select(Consultation))}
        assert sorted(found) == ["open", "preparation", "synthesis"]
        drafting = [
            c for c in found["open"].contributions
            if c.status == "draft" and any(a.versions for a in c.answers)
        ]  # fmt: skip
        assert len(drafting) == 2
        # Drafting together: at least one of the drafts has two authors.
        assert any(len({v.author_id for a in c.answers for v in a.versions}) >= 2 for c in drafting)
        assert found["preparation"].opens_on is None
