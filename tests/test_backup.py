"""cnig-share backup / restore: a consistent archive of a running site, restored
byte for byte into an empty instance, and every bad archive refused untouched."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from cnig_share import create_app
from cnig_share.accounts.services import create_user
from cnig_share.backup import snapshot
from cnig_share.database import MIGRATIONS_DIR, ensure_reference_data
from cnig_share.demo import sample_files
from cnig_share.extensions import db
from cnig_share.models import KINDS, Attachment, Consultation, Resource
from cnig_share.models.base import utcnow
from cnig_share.resources.attachments import add_attachment, remove_attachment
from tests import factories
from tests.conftest import AuthActions

CURATOR = "curatrice@example.org"
# Every byte value, behind a PNG signature so the upload check accepts it.
BINARY_PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64
HEAD = ScriptDirectory(MIGRATIONS_DIR).get_current_head()


# --- instances ----------------------------------------------------------------------------


def cli(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def _server_url(url: str) -> sa.URL:
    return sa.make_url(url).set(database="postgres")


def _fresh_database(url: str, suffix: str) -> str:
    """A new empty PostgreSQL database beside the test one."""
    target = sa.make_url(url)
    target = target.set(database=f"{target.database}{suffix}")
    engine = sa.create_engine(_server_url(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    engine.dispose()
    return target.render_as_string(hide_password=False)


def _drop_database(url: str) -> None:
    name = sa.make_url(url).database
    engine = sa.create_engine(_server_url(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture
def make_target(database_url: str, tmp_path: Path):
    """A second, empty instance (own folder, own empty database of the same backend)."""
    apps: list[Flask] = []
    databases: list[str] = []

    def factory() -> Flask:
        folder = tmp_path / "restored"
        folder.mkdir()
        if database_url.startswith("sqlite"):
            url = f"sqlite:///{folder / 'cnig_share.db'}"
        else:
            url = _fresh_database(database_url, "_restore")
            databases.append(url)
        settings = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SEARCH_REINDEX_PROCS": 1}
        app = create_app(settings, environ={"CNIG_SHARE_INSTANCE_PATH": str(folder)})
        apps.append(app)
        return app

    yield factory
    for app in apps:
        app.extensions["search"].close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    for url in databases:
        _drop_database(url)


@pytest.fixture
def source(make_app) -> Flask:
    """A site set up as init-db leaves it (migrations included)."""
    app = make_app()
    result = cli(app, "init-db")
    assert result.exit_code == 0, result.output
    return app


def add_files(app: Flask, resource_id: int, *files: tuple[str, bytes]) -> None:
    with app.app_context():
        resource = db.session.get(Resource, resource_id)
        for name, data in files:
            add_attachment(resource, data, name)
        db.session.commit()
    factories.run_extraction(app)


def small_site(app: Flask) -> None:
    """A published resource with a PDF and a binary file, and a draft."""
    with app.app_context():
        published = factories.resource("Toponymie des hameaux", status="published")
        draft = factories.resource("Brouillon", status="draft", ctd_slug="corse")
    pdf = sample_files.pdf("Guide", ["Adressage des lieux-dits."])
    add_files(app, published, ("guide.pdf", pdf), ("carte.png", BINARY_PNG))
    add_files(app, draft, ("notes.png", BINARY_PNG[:-1] + b"\x00"))


def backup(app: Flask, destination: Path) -> Path:
    result = cli(app, "backup", str(destination))
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first.startswith("Sauvegarde écrite : ")
    return Path(first.removeprefix("Sauvegarde écrite : "))


def manifest_of(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        return json.load(tar.extractfile("manifest.json"))


def all_rows(app: Flask) -> dict[str, list]:
    """Every row of every table (the outbox aside: the index is rebuilt anyway)."""
    with app.app_context(), db.engine.connect() as connection:
        return {
            table.name: sorted((tuple(row) for row in connection.execute(select(table))), key=repr)
            for table in db.metadata.sorted_tables
            if table.name != "search_outbox"
        }


def row_counts(app: Flask) -> dict[str, int]:
    with app.app_context(), db.engine.connect() as connection:
        names = sa.inspect(connection).get_table_names()
        count = select(sa.func.count())
        return {name: connection.scalar(count.select_from(sa.table(name))) for name in names}


def instance_state(app: Flask) -> tuple[list[str], list[str]]:
    """The target's tables and files: a refused restore must change neither."""
    with app.app_context(), db.engine.connect() as connection:
        tables = sorted(sa.inspect(connection).get_table_names())
    folder = Path(app.instance_path)
    return tables, sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def download(client, path: str) -> bytes:
    with client.get(path) as response:
        assert response.status_code == 200
        return response.data


def statuses_count(app: Flask, status: str) -> int:
    with app.app_context():
        query = select(sa.func.count(Resource.id)).where(Resource.status == status)
        return db.session.scalar(query)


# --- the round trip -------------------------------------------------------------------------


def test_restore_reproduces_every_resource_and_attachment_byte_for_byte(
    source, make_target, tmp_path
):
    assert cli(source, "seed-demo").exit_code == 0
    with source.app_context():
        create_user(CURATOR, "correct horse battery staple", "curator", ())
        db.session.commit()
        draft = db.session.scalar(select(Resource.id).where(Resource.status == "draft"))
        published = db.session.scalar(select(Resource.id).where(Resource.status == "published"))
        statuses = set(db.session.scalars(select(Resource.status)))
    assert statuses == {"draft", "submitted", "published", "archived"}
    pdf = sample_files.pdf("Annexe", ["Un chapitre sur la toponymie occitane."])
    add_files(source, published, ("annexe.pdf", pdf), ("carte.png", BINARY_PNG))
    add_files(source, draft, ("brouillon.png", BINARY_PNG))
    token = cli(source, "create-token", CURATOR).stdout.strip()
    (tmp_path / "archives").mkdir()

    archive = backup(source, tmp_path / "archives")
    assert list((tmp_path / "archives").iterdir()) == [archive]  # no temporary file left
    assert not [p for p in Path(source.instance_path).iterdir() if p.name.startswith(".")]
    assert archive.name.startswith("cnig-partage-") and archive.name.endswith("Z.tar.gz")
    manifest = manifest_of(archive)
    with source.app_context():
        attachments = db.session.execute(select(Attachment.id, Attachment.sha256)).all()
        resources = db.session.scalars(select(Resource.id).order_by(Resource.id)).all()
    assert len(manifest["files"]) == len(attachments) >= 15
    assert manifest["database"]["tables"]["resource"] == len(resources)
    assert manifest["database"]["alembic_revision"] == HEAD
    assert {f["sha256"] for f in manifest["files"]} == {sha for _, sha in attachments}

    target = make_target()
    result = cli(target, "restore", str(archive))
    assert result.exit_code == 0, result.output
    assert f"{len(resources)} ressources" in result.stdout
    assert not [p for p in Path(target.instance_path).iterdir() if p.name.startswith(".")]
    assert "Index de recherche reconstruit" in result.stdout
    assert all_rows(target) == all_rows(source)

    bearer = {"Authorization": f"Bearer {token}"}
    before, after = source.test_client(), target.test_client()
    AuthActions(before).login(CURATOR)
    AuthActions(after).login(CURATOR)
    downloaded = 0
    for resource_id in resources:
        original = before.get(f"/api/v1/resources/{resource_id}", headers=bearer)
        restored = after.get(f"/api/v1/resources/{resource_id}", headers=bearer)
        assert restored.status_code == original.status_code == 200
        assert restored.get_json() == original.get_json()
        for attachment in original.get_json()["attachments"]:
            path = urlsplit(attachment["url"]).path
            expected, actual = download(before, path), download(after, path)
            assert actual == expected and len(actual) == attachment["size"]
            downloaded += 1
    assert downloaded == len(attachments)

    assert cli(target, "search", "check").exit_code == 0
    found = after.get("/api/v1/search", query_string={"q": "toponymie occitane"}).get_json()
    assert published in [hit["id"] for hit in found["results"]]
    everything = {"q": "", "sort": "recent", "per_page": 100}
    anonymous_before = source.test_client().get("/api/v1/search", query_string=everything)
    anonymous_after = target.test_client().get("/api/v1/search", query_string=everything)
    # Resources, and the demo workspace's projects and actors.
    ids_before = {(hit["kind"], hit["id"]) for hit in anonymous_before.get_json()["results"]}
    ids_after = {(hit["kind"], hit["id"]) for hit in anonymous_after.get_json()["results"]}
    assert ids_after == ids_before
    resources_found = [kind for kind, _ in ids_after if kind in KINDS]
    assert len(resources_found) == statuses_count(source, "published")
    assert {"projet", "acteur"} <= {kind for kind, _ in ids_after}


def test_extractions_under_way_at_backup_time_are_pending_again_after_restore(
    source, make_target, tmp_path
):
    """A worker was reading a file when the backup was taken: no worker of the
    new instance holds it, so it waits for one instead of staying "running"."""
    small_site(source)
    with source.app_context():
        reading = db.session.scalar(
            select(Attachment).where(Attachment.original_name == "guide.pdf")
        )
        reading.extraction, reading.extraction_claimed_at = "running", utcnow()
        reading.text, reading.pages = "", []
        db.session.commit()
    archive = backup(source, tmp_path)

    target = make_target()
    assert cli(target, "restore", str(archive)).exit_code == 0
    with target.app_context():
        query = select(Attachment.original_name, Attachment.extraction)
        states = dict(db.session.execute(query).all())
    assert states == {"guide.pdf": "pending", "carte.png": "none", "notes.png": "none"}
    assert factories.run_extraction(target) == 1
    with target.app_context():
        restored = db.session.scalar(
            select(Attachment).where(Attachment.original_name == "guide.pdf")
        )
        assert restored.extraction == "done" and "Adressage des lieux-dits" in restored.text


def test_backup_while_the_site_writes_is_consistent(source, make_target, tmp_path):
    small_site(source)
    stop, errors, written = threading.Event(), [], []

    def keep_writing() -> None:
        """New resources with files, and files deleted, as long as the backup runs."""
        n = 0
        try:
            with source.app_context():
                while not stop.is_set():
                    n += 1
                    resource_id = factories.resource(f"Écrite pendant la sauvegarde {n}")
                    add_files(source, resource_id, (f"f{n}.png", BINARY_PNG + bytes([n % 256])))
                    if n % 3 == 0:
                        attachment = db.session.scalar(select(Attachment).limit(1))
                        remove_attachment(attachment)
                        db.session.commit()
                    written.append(n)
        except Exception as error:  # reported by the test below
            errors.append(error)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(written) < 3:
            stop.wait(0.05)
        # Back up again and again until several writes happened meanwhile.
        started, archives = len(written), []
        while len(written) - started < 3 and len(archives) < 30:
            archives.append(backup(source, tmp_path / f"site-{len(archives)}.tar.gz"))
        during = len(written) - started
    finally:
        stop.set()
        writer.join(timeout=60)
    assert errors == [] and during >= 3

    archive = archives[-1]
    manifest = manifest_of(archive)
    target = make_target()
    result = cli(target, "restore", str(archive))
    assert result.exit_code == 0, result.output
    # The restored database holds what the manifest counted (the outbox aside:
    # the restore's reindex empties it).
    counts = row_counts(target)
    expected = manifest["database"]["tables"]
    assert {name: counts[name] for name in expected if name != "search_outbox"} == {
        name: count for name, count in expected.items() if name != "search_outbox"
    }
    uploads = Path(target.config["UPLOAD_PATH"])
    for entry in manifest["files"]:
        data = (uploads / entry["path"].removeprefix("uploads/")).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    with target.app_context():
        rows = db.session.execute(select(Attachment.stored_name, Attachment.sha256)).all()
    assert len(rows) == len(manifest["files"])
    for stored_name, sha256 in rows:
        data = (uploads / stored_name[:2] / stored_name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == sha256
    assert cli(target, "search", "check").exit_code == 0


def run_between_links_and_snapshot(monkeypatch, before=None, after=None) -> None:
    """Act on the site just before and just after the backup's (first) snapshot,
    as a request served at that moment would."""
    take, calls = snapshot.take, []

    def take_with_writes(engine, dump):
        calls.append(dump)
        if before and len(calls) == 1:
            before()
        contents = take(engine, dump)
        if after and len(calls) == 1:
            after()
        return contents

    monkeypatch.setattr(snapshot, "take", take_with_writes)


def delete_attachment(app: Flask, attachment_id: int) -> None:
    with app.app_context():
        remove_attachment(db.session.get(Attachment, attachment_id))
        db.session.commit()


def test_an_attachment_deleted_after_the_snapshot_is_archived_all_the_same(
    source, make_target, tmp_path, monkeypatch
):
    small_site(source)
    with source.app_context():
        victim = db.session.scalar(
            select(Attachment).where(Attachment.original_name == "guide.pdf")
        )
        victim_id, resource_id, sha256 = victim.id, victim.resource_id, victim.sha256
    run_between_links_and_snapshot(monkeypatch, after=lambda: delete_attachment(source, victim_id))
    archive = backup(source, tmp_path / "site.tar.gz")
    with source.app_context():
        assert db.session.get(Attachment, victim_id) is None  # really deleted meanwhile
    manifest = manifest_of(archive)
    assert victim_id in {entry["attachment_id"] for entry in manifest["files"]}
    assert len(manifest["files"]) == manifest["database"]["tables"]["attachment"] == 3

    target = make_target()
    assert cli(target, "restore", str(archive)).exit_code == 0
    with target.app_context():
        assert db.session.get(Attachment, victim_id).sha256 == sha256
    with target.test_client() as client:
        path = f"/ressources/{resource_id}/pieces-jointes/{victim_id}"
        assert hashlib.sha256(download(client, path)).hexdigest() == sha256


def test_an_attachment_added_and_deleted_during_the_backup_makes_it_start_again(
    source, tmp_path, monkeypatch
):
    small_site(source)
    with source.app_context():
        resource_id = factories.resource("Éphémère", status="published")
    added = []

    def upload() -> None:
        add_files(source, resource_id, ("ephemere.png", BINARY_PNG))
        with source.app_context():
            added.append(db.session.scalar(select(sa.func.max(Attachment.id))))

    run_between_links_and_snapshot(
        monkeypatch, before=upload, after=lambda: delete_attachment(source, added[0])
    )
    result = cli(source, "backup", str(tmp_path / "site.tar.gz"))
    assert result.exit_code == 0, result.output
    assert (
        f"la pièce jointe n° {added[0]} de la ressource n° {resource_id} a été ajoutée puis "
        "supprimée pendant la sauvegarde" in result.stdout
    )
    manifest = manifest_of(tmp_path / "site.tar.gz")
    assert added[0] not in {entry["attachment_id"] for entry in manifest["files"]}
    assert len(manifest["files"]) == manifest["database"]["tables"]["attachment"] == 3


def test_restore_of_an_older_schema_migrates_it(make_app, make_target, tmp_path):
    """A site written at the current schema, then taken down to revision 0004
    by the migrations' own downgrades: the archive of an older release."""
    app = make_app()
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        ensure_reference_data()
    small_site(app)
    with app.app_context():
        downgrade(directory=MIGRATIONS_DIR, revision="0004")
        db.engine.dispose()
    archive = backup(app, tmp_path / "old.tar.gz")
    assert manifest_of(archive)["database"]["alembic_revision"] == "0004"

    target = make_target()
    result = cli(target, "restore", str(archive))
    assert result.exit_code == 0, result.output
    assert f"Schéma mis à jour de la révision 0004 à {HEAD}" in result.stdout
    with target.app_context():
        assert db.session.scalar(sa.text("SELECT version_num FROM alembic_version")) == HEAD
        assert "api_token" in sa.inspect(db.engine).get_table_names()
        assert factories.count_resources() == 2
    found = target.test_client().get("/api/v1/search", query_string={"q": "lieux-dits"})
    assert [hit["title"] for hit in found.get_json()["results"]] == ["Toponymie des hameaux"]


# --- backups refused ------------------------------------------------------------------------


def test_backup_refuses_a_missing_folder_or_an_existing_file(source, tmp_path):
    for destination in [tmp_path / "nowhere" / "site.tar.gz", f"{tmp_path / 'absent'}/"]:
        result = cli(source, "backup", str(destination))
        assert result.exit_code == 1
        assert "n'existe pas : aucune sauvegarde n'a été écrite" in result.stderr
    existing = tmp_path / "site.tar.gz"
    existing.write_bytes(b"une autre sauvegarde")
    result = cli(source, "backup", str(existing))
    assert result.exit_code == 1 and "existe déjà" in result.stderr
    assert existing.read_bytes() == b"une autre sauvegarde"
    assert not (tmp_path / "nowhere").exists() and not (tmp_path / "absent").exists()
    # A folder where nothing can be written (Linux's /proc): said, not a traceback.
    result = cli(source, "backup", "/proc/site.tar.gz")
    assert result.exit_code == 1 and "Lecture ou écriture impossible" in result.stderr


def test_an_unreachable_or_unreadable_database_is_reported(make_app, database_url, tmp_path):
    if database_url.startswith("sqlite"):
        garbage = tmp_path / "garbage.db"
        garbage.write_bytes(b"Ceci n'est pas une base SQLite." * 100)
        url = f"sqlite:///{garbage}"
    else:
        url = str(sa.make_url(database_url).set(port=1))  # nothing listens there
    app = make_app(SQLALCHEMY_DATABASE_URI=url)
    for command in [("backup", str(tmp_path)), ("restore", str(tmp_path / "site.tar.gz"))]:
        result = cli(app, *command)
        assert result.exit_code == 1
        assert "Base de données inaccessible ou illisible" in result.stderr
        assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == (
        ["garbage.db", "instance"] if database_url.startswith("sqlite") else ["instance"]
    )


def test_a_schema_made_without_migrations_is_restored_as_it_is(app, make_target, tmp_path):
    small_site(app)
    archive = backup(app, tmp_path / "site.tar.gz")
    assert manifest_of(archive)["database"]["alembic_revision"] is None
    target = make_target()
    result = cli(target, "restore", str(archive))
    assert result.exit_code == 0, result.output
    assert "ne précise pas de révision de schéma" in result.stdout
    assert all_rows(target) == all_rows(app)


def test_backup_names_a_lost_attachment_file_and_writes_nothing(source, tmp_path):
    small_site(source)
    with source.app_context():
        lost = db.session.scalar(select(Attachment).where(Attachment.original_name == "guide.pdf"))
        lost_id, resource_id, stored_name = lost.id, lost.resource_id, lost.stored_name
    Path(source.config["UPLOAD_PATH"], stored_name[:2], stored_name).unlink()
    folder = tmp_path / "archives"
    folder.mkdir()
    result = cli(source, "backup", str(folder))
    assert result.exit_code == 1
    assert f"pièce jointe n° {lost_id} de la ressource n° {resource_id}" in result.stderr
    assert "introuvable" in result.stderr and "aucune sauvegarde n'a été écrite" in result.stderr
    assert list(folder.iterdir()) == []


def test_backup_names_a_lost_consultation_document_by_its_consultation(source, tmp_path):
    with source.app_context():
        create_user("veille@example.fr", "correct horse battery staple", "curator")
        db.session.commit()
    slug = factories.consultation(source, "veille@example.fr", "Consultation PCRS")
    with source.app_context():
        consultation = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
        document = add_attachment(consultation, sample_files.pdf("Note", ["PCRS."]), "note.pdf")
        db.session.commit()
        document_id, consultation_id = document.id, consultation.id
        stored_name = document.stored_name
    Path(source.config["UPLOAD_PATH"], stored_name[:2], stored_name).unlink()
    result = cli(source, "backup", str(tmp_path / "site.tar.gz"))
    assert result.exit_code == 1
    assert f"pièce jointe n° {document_id} de la consultation n° {consultation_id}" in result.stderr
    assert "None" not in result.stderr


# --- restores refused -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def archives() -> dict[str, Path]:
    """The archive of `small_site` made for each backend, by the first test asking."""
    return {}


@pytest.fixture
def archive(request, database_url, archives, tmp_path, tmp_path_factory) -> Path:
    """A backup of `small_site`, made once per backend and test process (a site, its
    extraction and its backup took 2 to 4 s per test): each test gets a copy, and the
    tests below only read it, refusing altered copies of their own."""
    backend = sa.make_url(database_url).get_backend_name()
    if backend not in archives:
        source = request.getfixturevalue("source")
        small_site(source)
        archives[backend] = backup(source, tmp_path_factory.mktemp(f"archive-{backend}"))
    return Path(shutil.copy(archives[backend], tmp_path / "site.tar.gz"))


def rewrite(archive: Path, destination: Path, change) -> Path:
    """Copy an archive member by member, letting `change` edit the list."""
    with tarfile.open(archive, "r:gz") as tar:
        members = [(info, tar.extractfile(info).read()) for info in tar]
    with tarfile.open(destination, "w:gz") as tar:
        for info, data in change(members):
            if info.isreg():
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
            else:
                tar.addfile(info)
    return destination


def refused(target: Flask, archive: Path, *messages: str) -> None:
    """The restore exits 1 with these words, and the instance is as it was."""
    before = instance_state(target)
    result = cli(target, "restore", str(archive))
    assert result.exit_code == 1, result.output
    for message in messages:
        assert message in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert instance_state(target) == before


def test_restore_refuses_an_instance_with_tables(archive, make_target):
    target = make_target()
    assert cli(target, "init-db").exit_code == 0
    refused(target, archive, "L'instance cible n'est pas vide", "la base de données contient déjà")


def test_restore_refuses_an_instance_with_uploads(archive, make_target):
    target = make_target()
    stray = Path(target.config["UPLOAD_PATH"], "ab", "abcdef")
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"un fichier")
    refused(target, archive, "le dossier des pièces jointes", "contient déjà des fichiers")


def test_restore_refuses_a_tampered_file(archive, make_target, tmp_path):
    pdf = next(e["path"] for e in manifest_of(archive)["files"] if e["size"] != len(BINARY_PNG))

    def flip_a_byte(members):
        return [
            (info, data[:200] + bytes([data[200] ^ 1]) + data[201:] if info.name == pdf else data)
            for info, data in members
        ]

    tampered = rewrite(archive, tmp_path / "tampered.tar.gz", flip_a_byte)
    refused(make_target(), tampered, "Archive refusée", f"{pdf} : somme SHA-256 différente")


def test_restore_refuses_a_tampered_manifest_or_a_member_it_does_not_list(
    archive, make_target, tmp_path
):
    def drop_first_file_from_manifest(members):
        out = []
        for info, data in members:
            if info.name == "manifest.json":
                manifest = json.loads(data)
                manifest["files"] = manifest["files"][1:]
                manifest["database"]["tables"]["attachment"] -= 1
                data = json.dumps(manifest).encode()
            out.append((info, data))
        return out

    extra = rewrite(archive, tmp_path / "extra.tar.gz", drop_first_file_from_manifest)
    target = make_target()
    refused(target, extra, "présent dans l'archive mais absent du manifeste")

    def without_the_database(members):
        return [(info, data) for info, data in members if not info.name.startswith("database")]

    def list_a_file_twice(members):
        out = []
        for info, data in members:
            if info.name == "manifest.json":
                manifest = json.loads(data)
                manifest["files"].append(manifest["files"][0])
                manifest["database"]["tables"]["attachment"] += 1
                data = json.dumps(manifest).encode()
            out.append((info, data))
        return out

    twice = rewrite(archive, tmp_path / "twice.tar.gz", list_a_file_twice)
    refused(target, twice, "manifeste invalide (un fichier y figure deux fois)")

    missing = rewrite(archive, tmp_path / "missing.tar.gz", without_the_database)
    dump = manifest_of(archive)["database"]["path"]
    refused(target, missing, f"{dump} : absent de l'archive")


def archive_backend(archive: Path) -> str:
    return manifest_of(archive)["database"]["backend"]


def test_restore_refuses_a_truncated_archive(archive, make_target, tmp_path):
    truncated = tmp_path / "truncated.tar.gz"
    data = archive.read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    refused(make_target(), truncated, "Archive refusée", "tronquée ou endommagée")


@pytest.mark.parametrize(
    ("name", "kind", "message"),
    [
        ("../../evil.txt", tarfile.REGTYPE, "chemin interdit « ../../evil.txt »"),
        ("uploads/../../evil.txt", tarfile.REGTYPE, "chemin interdit"),
        ("/tmp/evil.txt", tarfile.REGTYPE, "chemin interdit « /tmp/evil.txt »"),
        ("uploads/ab/abcdef", tarfile.SYMTYPE, "est un lien symbolique"),
        ("uploads/ab/abcdef", tarfile.LNKTYPE, "est un lien physique"),
        ("uploads/ab", tarfile.DIRTYPE, "est un dossier"),
    ],
)
def test_restore_refuses_hostile_members(archive, make_target, tmp_path, name, kind, message):
    def add_hostile(members):
        info = tarfile.TarInfo(name)
        info.type = kind
        if kind in (tarfile.SYMTYPE, tarfile.LNKTYPE):
            info.linkname = "/etc/passwd"
        return [(info, b"pirate" if kind == tarfile.REGTYPE else None), *members]

    hostile = rewrite(archive, tmp_path / "hostile.tar.gz", add_hostile)
    refused(make_target(), hostile, "Archive refusée", message)
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/evil.txt").exists()


def test_restore_refuses_what_is_not_an_archive(make_target, tmp_path):
    target = make_target()
    text = tmp_path / "notes.tar.gz"
    text.write_text("Ceci n'est pas une archive.")
    refused(target, text, "n'est pas une archive de sauvegarde de CNIG Partage")
    plain = tmp_path / "plain.tar.gz"
    with tarfile.open(plain, "w:gz") as tar:
        info = tarfile.TarInfo("database.sqlite3")
        tar.addfile(info, io.BytesIO(b""))
    refused(target, plain, "manifest.json est absent")
    refused(target, tmp_path / "absente.tar.gz", "fichier introuvable")
    refused(target, tmp_path, "est un dossier")


def test_restore_refuses_another_backend_or_a_newer_schema(archive, make_target, tmp_path):
    other = {"sqlite": ("postgresql", "database.pgdump", "PostgreSQL", "SQLite"),
             "postgresql": ("sqlite", "database.sqlite3", "SQLite", "PostgreSQL")}  # fmt: skip
    backend, dump_name, saved, here = other[archive_backend(archive)]

    def claim(**changes):
        def change(members):
            out = []
            for info, data in members:
                if info.name == "manifest.json":
                    manifest = json.loads(data)
                    manifest["database"].update(changes)
                    data = json.dumps(manifest).encode()
                elif info.name.startswith("database") and "path" in changes:
                    info.name = changes["path"]
                out.append((info, data))
            return out

        return change

    target = make_target()
    moved = rewrite(archive, tmp_path / "moved.tar.gz", claim(backend=backend, path=dump_name))
    refused(target, moved, f"contient une base {saved}, cette instance utilise {here}")
    newer = rewrite(archive, tmp_path / "newer.tar.gz", claim(alembic_revision="9999"))
    refused(target, newer, "version plus récente", "« 9999 » inconnue")
    for bad in [{"tables": {"resource": -1}}, {"sha256": "pas une somme"},
                {"tables": {"attachment": 1000}}]:  # fmt: skip
        broken = rewrite(archive, tmp_path / "broken.tar.gz", claim(**bad))
        refused(target, broken, "manifeste invalide")


def _with_database_changed(dump: bytes, database_url: str, tmp_path: Path, sql: str) -> bytes:
    """The dump loaded into a scratch database, changed by `sql`, dumped again."""
    folder = tmp_path / "scratch"
    folder.mkdir(exist_ok=True)
    (folder / "in").write_bytes(dump)
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{folder / 'scratch.db'}"
    else:
        url = _fresh_database(database_url, "_scratch")
    engine = sa.create_engine(url)
    try:
        snapshot.put_back(engine, folder / "in")
        with engine.begin() as connection:
            connection.execute(sa.text(sql))
        snapshot.take(engine, folder / "out")
    finally:
        engine.dispose()
        if not database_url.startswith("sqlite"):
            _drop_database(url)
    return (folder / "out").read_bytes()


def test_restore_refuses_attachment_rows_the_manifest_does_not_vouch_for(
    archive, make_target, tmp_path, database_url
):
    """A stored name such as /etc/passwd in the archived database, the manifest
    recomputed to match: nothing is restored, so nothing outside the uploads
    folder could ever be served."""
    dump_name = manifest_of(archive)["database"]["path"]
    first_row = "WHERE id = (SELECT MIN(id) FROM attachment)"

    def database_changed_by(sql: str):
        def change(members):
            out = [(info, data) for info, data in members if info.name != "manifest.json"]
            for n, (info, data) in enumerate(out):
                if info.name == dump_name:
                    data = _with_database_changed(data, database_url, tmp_path, sql)
                    out[n] = (info, data)
                    digest, size = hashlib.sha256(data).hexdigest(), len(data)
            manifest = next(data for info, data in members if info.name == "manifest.json")
            manifest = json.loads(manifest)
            manifest["database"].update(sha256=digest, size=size)
            info = next(info for info, _ in members if info.name == "manifest.json")
            return [*out, (info, json.dumps(manifest).encode())]

        return change

    target = make_target()
    passwd = rewrite(archive, tmp_path / "passwd.tar.gz", database_changed_by(
        f"UPDATE attachment SET stored_name = '/etc/passwd' {first_row}"))  # fmt: skip
    refused(target, passwd, "des pièces jointes de la base ne correspondent pas au manifeste",
            "nom de fichier « /etc/passwd »", "Rien n'a été restauré.")  # fmt: skip
    other = rewrite(archive, tmp_path / "other.tar.gz", database_changed_by(
        f"UPDATE attachment SET sha256 = '{'0' * 64}' {first_row}"))  # fmt: skip
    refused(target, other, "fichier absent du manifeste ou différent")
    assert cli(target, "restore", str(archive)).exit_code == 0  # the genuine one still restores
