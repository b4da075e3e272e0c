"""cnig-share import / export: JSON Lines, all or nothing, round trip."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from sqlalchemy import select

from cnig_share.demo import sample_files
from cnig_share.extensions import db
from cnig_share.models import Resource
from cnig_share.resources.commands import BULK
from cnig_share.resources.fields import BODY
from tests import factories


def write_lines(path, *records) -> None:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n")


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


GOOD = {
    "title": "Adresser les hameaux", "summary": "La méthode bretonne.",
    "body": "## Méthode\n\nUn atelier.", "kind": "bonne-pratique", "ctd": "bretagne",
    "terms": ["Donnée territoriale", "CTD", "referentiel-de-donnees"], "status": "published",
    "published_at": "2025-06-30", "featured": True,
    "links": [{"title": "BAN", "url": "https://adresse.data.gouv.fr"}],
    "licence": "Licence Ouverte 2.0",
}  # fmt: skip


def test_import_creates_resources_indexes_them_and_says_so(app, client, tmp_path):
    (tmp_path / "guide.pdf").write_bytes(sample_files.pdf("Guide", ["Toponymie des hameaux."]))
    write_lines(tmp_path / "in.jsonl", {**GOOD, "attachments": [{"path": "guide.pdf"}]},
                {"title": "Brouillon", "kind": "document", "ctd": "corse"})  # fmt: skip
    result = run(app, "import", str(tmp_path / "in.jsonl"))
    assert result.exit_code == 0, result.stderr
    assert "2 ressource(s) importée(s)" in result.stdout
    assert "1 pièce(s) jointe(s) en attente d'extraction du texte" in result.stdout
    assert factories.run_extraction(app) == 1
    with app.app_context():
        imported = db.session.scalar(select(Resource).where(Resource.title == GOOD["title"]))
        assert {t.slug for t in imported.terms} == {
            "donnee-territoriale", "comite-territorial-de-la-donnee", "referentiel-de-donnees"
        }  # fmt: skip
        assert imported.status == "published" and imported.featured
        assert imported.published_at.date().isoformat() == "2025-06-30"
        assert [a.original_name for a in imported.attachments] == ["guide.pdf"]
        draft = db.session.scalar(select(Resource).where(Resource.title == "Brouillon"))
        assert draft.status == "draft"
    found = client.get("/api/v1/search", query_string={"q": "toponymie"}).get_json()
    assert [hit["title"] for hit in found["results"]] == [GOOD["title"]]
    assert app.test_cli_runner().invoke(args=["search", "check"]).exit_code == 0


def test_a_bad_line_at_the_end_imports_nothing(app, tmp_path):
    bad = [
        {"title": "", "kind": "poème", "ctd": "atlantide", "terms": ["inconnu"]},
        {"title": "Lien", "kind": "document", "ctd": "corse",
         "links": [{"title": "x", "url": "javascript:alert(1)"}], "couleur": "bleu"},
        {"title": "Chemin", "kind": "document", "ctd": "corse",
         "attachments": [{"path": "../../etc/passwd"}], "published_at": "hier"},
    ]  # fmt: skip
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in [GOOD, *bad]) + "\n{pas du json\n[1, 2]\n")
    result = run(app, "import", str(path))
    assert result.exit_code == 1
    err = result.stderr
    for expected in [
        "line 2: title: champ obligatoire", "line 2: kind:", "line 2: ctd: CTD inconnu",
        "line 2: terms: terme inconnu « inconnu »", "line 3: links:",
        "line 3: couleur: champ inconnu",
        "line 4: attachments: chemin hors du dossier", "line 4: published_at:",
        "line 5: JSON illisible", "line 6: ligne: un objet JSON est attendu",
        "rien n'a été importé",
    ]:  # fmt: skip
        assert expected in err, expected
    with app.app_context():
        assert factories.count_resources() == 0


def test_a_refused_attachment_rolls_back_everything(app, tmp_path):
    (tmp_path / "virus.exe").write_bytes(b"MZ\x90\x00" + b"\x00" * 100)
    with_exe = {**GOOD, "title": "Avec un exécutable", "attachments": [{"path": "virus.exe"}]}
    write_lines(tmp_path / "in.jsonl", GOOD, with_exe)
    result = run(app, "import", str(tmp_path / "in.jsonl"))
    assert result.exit_code == 1 and "line 2: attachments:" in result.stderr
    with app.app_context():
        assert factories.count_resources() == 0
    uploads = Path(app.config["UPLOAD_PATH"])
    assert not any(path.is_file() for path in uploads.rglob("*"))


def test_a_bulk_import_renders_in_other_processes_and_refuses_what_takes_too_long(
    app, client, tmp_path
):
    """From BULK lines the Markdown is rendered in other processes, under the same
    budget: a text over it is refused with its line, a text over the length limit is
    refused for its length, and nothing is stored; without them everything is."""
    app.config["MARKDOWN_RENDER_BUDGET"] = 0.2  # a short body takes under a millisecond
    lines = [
        {**GOOD, "title": f"Hameaux {n}", "body": f"## Méthode {n}\n\nUn *atelier* n° {n}."}
        for n in range(BULK + 50)
    ]
    slow = {**lines[120], "body": "*a* " * 47_000}  # about 1.2 s to render
    long = {**lines[200], "body": "x" * (BODY.max_length + 1)}
    write_lines(tmp_path / "bad.jsonl", *lines[:120], slow, *lines[121:200], long, *lines[201:])
    result = run(app, "import", str(tmp_path / "bad.jsonl"))
    assert result.exit_code == 1
    assert "line 121: body: Ce texte demande trop de calcul" in result.stderr
    assert f"line 201: body: {BODY.max_length} caractères au plus" in result.stderr
    assert result.stderr.count("line ") == 2
    with app.app_context():
        assert factories.count_resources() == 0

    write_lines(tmp_path / "good.jsonl", *lines)
    result = run(app, "import", str(tmp_path / "good.jsonl"))
    assert result.exit_code == 0, result.stderr
    assert f"{BULK + 50} ressource(s) importée(s)" in result.stdout
    page = client.get("/recherche?q=atelier+249").get_data(as_text=True)
    assert "Hameaux 249" in page
    with app.app_context():
        stored = db.session.scalar(select(Resource).where(Resource.title == "Hameaux 7"))
        assert stored.body_html == "<h2>Méthode 7</h2>\n<p>Un <em>atelier</em> n° 7.</p>\n"
        assert stored.body_text.split() == ["Méthode", "7", "Un", "atelier", "n°", "7."]


def test_dry_run_checks_without_importing(app, tmp_path):
    write_lines(tmp_path / "in.jsonl", GOOD)
    result = run(app, "import", "--dry-run", str(tmp_path / "in.jsonl"))
    assert result.exit_code == 0 and "1 ressource(s) à importer" in result.stdout
    with app.app_context():
        assert factories.count_resources() == 0


def test_export_then_import_into_an_empty_instance_gives_the_same_resources(
    app, make_app, tmp_path
):
    (tmp_path / "guide.pdf").write_bytes(sample_files.pdf("Guide", ["Toponymie."]))
    write_lines(tmp_path / "in.jsonl", {**GOOD, "attachments": [{"path": "guide.pdf"}]},
                {"title": "Soumise", "kind": "document", "ctd": "corse", "status": "submitted",
                 "terms": ["IA"], "body": "Texte **gras**."},
                {"title": "Archivée", "kind": "retour-experience", "ctd": "occitanie",
                 "status": "archived", "published_at": "2024-01-02T10:00:00+00:00"})  # fmt: skip
    assert run(app, "import", str(tmp_path / "in.jsonl")).exit_code == 0
    exported = tmp_path / "out" / "export.jsonl"
    exported.parent.mkdir()
    result = run(app, "export", str(exported))
    assert result.exit_code == 0 and "3 ressource(s) exportée(s)" in result.stdout
    first = [json.loads(line) for line in exported.read_text().splitlines()]

    other = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'other.db'}",
                     UPLOAD_PATH=str(tmp_path / "other-uploads"),
                     INDEX_PATH=str(tmp_path / "other-index"))  # fmt: skip
    from cnig_share.database import ensure_reference_data
    from cnig_share.search import sync

    with other.app_context():
        db.create_all()
        ensure_reference_data()
        sync.rebuild()
    assert run(other, "import", str(exported)).exit_code == 0
    again = tmp_path / "out" / "again.jsonl"
    assert run(other, "export", str(again)).exit_code == 0
    second = [json.loads(line) for line in again.read_text().splitlines()]

    def comparable(line):
        return {k: v for k, v in line.items() if k not in ("id", "attachments")} | {
            "attachments": [(a["name"], a["size"], a["media_type"]) for a in line["attachments"]]
        }

    assert [comparable(line) for line in first] == [comparable(line) for line in second]
    original = (exported.parent / first[0]["attachments"][0]["path"]).read_bytes()
    copied = (again.parent / second[0]["attachments"][0]["path"]).read_bytes()
    assert original == copied


def test_csv_export_for_spreadsheets(app, tmp_path):
    write_lines(tmp_path / "in.jsonl", GOOD)
    run(app, "import", str(tmp_path / "in.jsonl"))
    result = run(app, "export", "--format", "csv", str(tmp_path / "out.csv"))
    assert result.exit_code == 0
    with (tmp_path / "out.csv").open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:6] == ["id", "title", "kind", "ctd", "status", "terms"]
    assert rows[1][1] == GOOD["title"] and "donnée territoriale" in rows[1][5]


def test_csv_export_keeps_its_column_names_and_neutralises_formulas(app, tmp_path):
    write_lines(tmp_path / "in.jsonl", {**GOOD, "title": "=1+2", "summary": "- un point"})
    run(app, "import", str(tmp_path / "in.jsonl"))
    assert run(app, "export", "--format", "csv", str(tmp_path / "out.csv")).exit_code == 0
    raw = (tmp_path / "out.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # the import dialect: no byte order mark
    with (tmp_path / "out.csv").open(newline="", encoding="utf-8") as handle:
        row = next(csv.DictReader(handle))
    assert (row["title"], row["summary"]) == ("'=1+2", "'- un point")


def test_absurd_lines_are_line_errors_not_a_crash(app, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("[" * 5000 + "]" * 5000 + "\n" + "1" * 5000 + "\n"
                    + json.dumps({**GOOD, "kind": ["x"], "status": {"a": 1}}) + "\n")  # fmt: skip
    result = run(app, "import", str(path))
    assert result.exit_code == 1
    assert "line 1: JSON illisible" in result.stderr and "line 2: JSON illisible" in result.stderr
    assert "line 3: kind:" in result.stderr and "line 3: status:" in result.stderr
