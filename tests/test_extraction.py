"""Attachment text: decompression and CPU bombs cost the web request nothing;
the worker reads each file in a child process held to its limits, claims each
job once, and records the text or why there is none."""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import re
import signal
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
from markupsafe import escape
from sqlalchemy import func, select, update
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from cnig_share.demo import sample_files
from cnig_share.extensions import db
from cnig_share.models import Attachment, Resource
from cnig_share.models.base import utcnow
from cnig_share.resources.attachments import add_attachment
from tests import factories
from tests.budgets import children_cpu, loaded, on_cpu
from tests.conftest import csrf_token_from
from tests.test_exchange import GOOD, write_lines
from tests.test_resources import CURATOR, MEMBER, form_data, people, post, signed_in  # noqa: F401

WORD = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
ODF = (
    b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
MEGABYTE = 1024 * 1024
# The accounts of tests/test_resources.py: a member of Bretagne, a curator.
pytestmark = pytest.mark.usefixtures("people")


# --- bombs, built in a second or so -------------------------------------------------------


def _deflated(archive: zipfile.ZipFile, name: str, head: bytes, filler: bytes, size: int,
              tail: bytes) -> None:  # fmt: skip
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    chunk = filler * (MEGABYTE // len(filler))
    with archive.open(info, "w") as member:
        member.write(head)
        for _ in range(size // len(chunk)):
            member.write(chunk)
        member.write(tail)


def odt_bomb(megabytes: int = 200) -> bytes:
    """An ODT whose content.xml inflates to `megabytes` of one paragraph."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        head = b"<office:document-content " + ODF + b"><office:body><office:text><text:p>"
        tail = b"</text:p></office:text></office:body></office:document-content>"
        _deflated(archive, "content.xml", head, b"a", megabytes * MEGABYTE, tail)
    return buffer.getvalue()


def docx_bomb(filler: bytes, megabytes: int, paragraph: bool = False) -> bytes:
    """A DOCX whose document.xml is `megabytes` of `filler` (inside one paragraph or not)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        head = b"<w:document " + WORD + b"><w:body>" + (b"<w:p>" if paragraph else b"")
        tail = (b"</w:p>" if paragraph else b"") + b"</w:body></w:document>"
        _deflated(archive, "word/document.xml", head, filler, megabytes * MEGABYTE, tail)
    return buffer.getvalue()


def pdf_bomb(pages: int = 1000, operators: int = 150_000) -> bytes:
    """Pages that all draw one small compressed stream of a megabyte of text operators."""
    return pdf_file(pages, b"(a) Tj " * operators)


def pdf_file(pages: int, operators: bytes, compressed: bool = True, streams: int = 1) -> bytes:
    """Pages that each draw one shared content stream `streams` times."""
    content = b"BT /F1 1 Tf 10 10 Td " + operators + b"ET"
    if compressed:
        content = zlib.compress(content, 9)
    flate = b" /Filter /FlateDecode" if compressed else b""
    contents = b"[" + b" 3 0 R" * streams + b" ]"
    font = b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"
    kids = " ".join(f"{4 + n} 0 R" for n in range(pages)).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        b"<< /Length %d%s >>\nstream\n" % (len(content), flate) + content + b"\nendstream",
        *[b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents " + contents +
          b" /Resources " + font + b" >>"] * pages,
    ]  # fmt: skip
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)  # fmt: skip
    return bytes(out)


def docx_file(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A DOCX with these members beside [Content_Types].xml, each compressed with `method`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>", compress_type=zipfile.ZIP_DEFLATED)
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def words(size: int) -> bytes:
    """`size` bytes of words in no order: they deflate about three times, as prose does."""
    chosen = random.Random(14).choices([b"carte", b"voie", b"adresse", b"parcelle"], k=size // 4)
    return b" ".join(chosen)[:size]


def word_document(size: int) -> bytes:
    """document.xml holding `size` bytes of words."""
    body = b"<w:body><w:p><w:r><w:t>" + words(size) + b"</w:t></w:r></w:p></w:body>"
    return b"<w:document " + WORD + b">" + body + b"</w:document>"


def lying_zip() -> bytes:
    """A DOCX whose document.xml says it is 1,000 bytes but inflates to 50 MB."""
    data = bytearray(docx_bomb(b"<w:p/>", 50))
    name = b"word/document.xml"
    # The uncompressed size: at 22 in the local header, at 24 in the directory entry.
    for signature, name_at, size_at in ((b"PK\x03\x04", 30, 22), (b"PK\x01\x02", 46, 24)):
        start = data.find(signature)
        while data[start + name_at : start + name_at + len(name)] != name:
            start = data.find(signature, start + 1)
        struct.pack_into("<I", data, start + size_at, 1000)
    return bytes(data)


# --- running the real worker -------------------------------------------------------------


def worker(app, until_empty: bool = True, **settings) -> subprocess.Popen:
    """`cnig-share worker [--until-empty]` as an operator runs it, on the test's instance."""
    env = {
        **os.environ,
        "CNIG_SHARE_INSTANCE_PATH": app.instance_path,
        "CNIG_SHARE_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        **{f"CNIG_SHARE_{key}": json.dumps(value) for key, value in settings.items()},
    }
    script = Path(sys.executable).with_name("cnig-share")
    command = [str(script), "worker", *(["--until-empty"] if until_empty else [])]
    return subprocess.Popen(command, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip


def finish(process: subprocess.Popen, timeout: float = 120) -> str:
    out, err = process.communicate(timeout=loaded(timeout))
    assert process.returncode == 0, err
    return out


def peak_memory_mb(output: str) -> int:
    return int(re.search(r"mémoire maximale d'une extraction : (\d+) Mo", output).group(1))


def attachments(app) -> dict[str, Attachment]:
    with app.app_context():
        return {a.original_name: a for a in db.session.scalars(select(Attachment))}


def upload(client, files: list[tuple[bytes, str]]):
    """The new-resource form with these files, encoded in memory (the test
    client would spool a body over 500 KB to a file it never closes)."""
    token = csrf_token_from(client.get("/ressources/nouvelle").get_data(as_text=True))
    values = MultiDict({"csrf_token": token, **form_data()})
    for content, name in files:
        values.add("attachments", FileStorage(io.BytesIO(content), filename=name))
    boundary, body = encode_multipart(values)
    content_type = f"multipart/form-data; boundary={boundary}"
    return client.post("/ressources/nouvelle", data=body, content_type=content_type)


def resource_url(response) -> str:
    return response.headers["Location"]


# --- bombs ---------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.one_backend  # the child process's limits decide, not a query
def test_bombs_are_stored_at_once_and_end_not_extracted_within_the_limits(app):
    bombs = [
        (odt_bomb(200), "bombe.odt"),
        (docx_bomb(b"<w:p/>", 20), "paragraphes.docx"),
        (docx_bomb(b"<w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>", 40), "tableau.docx"),
        (pdf_bomb(), "pages.pdf"),
    ]
    assert max(len(data) for data, _ in bombs) < 400_000
    client = signed_in(app, MEMBER)
    response, seconds = on_cpu(lambda: upload(client, files=bombs))
    assert response.status_code == 303
    assert seconds < loaded(2)
    page = client.get(resource_url(response)).get_data(as_text=True)
    assert page.count("Texte en cours d'extraction") == 4

    spent = children_cpu()
    running = worker(app)
    while running.poll() is None:  # the site keeps answering meanwhile
        assert client.get(resource_url(response)).status_code == 200
        time.sleep(0.2)
    output = finish(running)
    # The worker and its extraction processes, in CPU seconds (tests/budgets.py): their
    # wall-clock time took 70 to 92 s on a loaded machine.
    assert children_cpu() - spent < loaded(60)
    assert peak_memory_mb(output) < app.config["EXTRACTION_MEMORY_MB"]
    assert "4 pièce(s) jointe(s) traitée(s)" in output
    for name, attachment in attachments(app).items():
        assert attachment.extraction == "failed", name
        assert "bombe de décompression probable" in attachment.extraction_reason, name
        assert attachment.text == ""
    page = client.get(resource_url(response)).get_data(as_text=True)
    assert page.count("Texte non extrait (") == 4
    assert "Texte en cours d'extraction" not in page


@pytest.mark.slow
@pytest.mark.one_backend  # the child process's limits decide, not a query
def test_process_limits_end_what_gets_past_the_archive_checks(app):
    """With the archive and PDF checks opened wide, the CPU, memory and
    wall-clock limits of the child process still end each bomb."""
    client = signed_in(app, MEMBER)
    runs = docx_bomb(b"<w:r><w:t>ab</w:t></w:r>", 60, paragraph=True)
    upload(client, files=[(pdf_bomb(), "cpu.pdf"), (runs, "memoire.docx")])
    wide_open = {
        "EXTRACTION_MAX_RATIO": 10**9,
        "EXTRACTION_MAX_MEMBER_BYTES": 10**10,
        "EXTRACTION_MAX_INFLATED_BYTES": 10**10,
        "EXTRACTION_MAX_PDF_BYTES": 10**10,
        "EXTRACTION_MEMORY_MB": 160,
        "EXTRACTION_CPU_SECONDS": 2,
    }
    output = finish(worker(app, **wide_open))
    assert peak_memory_mb(output) < 160
    found = attachments(app)
    assert found["cpu.pdf"].extraction == "failed"
    assert found["cpu.pdf"].extraction_reason == "lecture trop longue (plus de 2 s de calcul)"
    assert found["memoire.docx"].extraction == "failed"
    assert found["memoire.docx"].extraction_reason == "lecture trop gourmande en mémoire"

    with app.app_context():
        db.session.execute(update(Attachment).values(extraction="pending"))
        db.session.commit()
    finish(worker(app, **{**wide_open, "EXTRACTION_CPU_SECONDS": 60, "EXTRACTION_TIMEOUT": 1}))
    assert attachments(app)["cpu.pdf"].extraction_reason == "lecture interrompue au bout de 1 s"


# Each limit, set low for the test so that its file stays small: one file per limit,
# made to pass every other one.
LOW_LIMITS = {
    "EXTRACTION_MAX_MEMBERS": 5,
    "EXTRACTION_MAX_MEMBER_BYTES": 100 * 1024,
    "EXTRACTION_MAX_INFLATED_BYTES": 160 * 1024,
    "EXTRACTION_MAX_PDF_PAGES": 6,
    "EXTRACTION_MAX_PDF_PAGE_BYTES": 16 * 1024,
    "EXTRACTION_MAX_PDF_BYTES": 40 * 1024,
}
PAGE_OF_10_KB = b"(ab) Tj " * 1250
BEYOND_EACH_LIMIT = {
    "members": (
        lambda: docx_file({f"word/media/{n}.png": b"x" for n in range(5)}
                          | {"word/document.xml": word_document(1000)}),
        "archive de plus de 5 fichiers",
    ),
    "member-bytes": (
        lambda: docx_file({"word/document.xml": word_document(120 * 1024)}),
        "« word/document.xml » décompressé est trop volumineux",
    ),
    "inflated-bytes": (
        lambda: docx_file({"word/document.xml": word_document(90 * 1024),
                           "word/styles.xml": word_document(90 * 1024)}),
        "archive trop volumineuse une fois décompressée",
    ),
    "compression-method": (
        lambda: docx_file({"word/document.xml": word_document(1000)}, zipfile.ZIP_BZIP2),
        "« word/document.xml » : méthode de compression inattendue pour un document bureautique",
    ),
    "pdf-pages": (
        lambda: pdf_file(7, b"(a) Tj "),
        "document de plus de 6 pages",
    ),
    "pdf-page-bytes": (
        lambda: pdf_file(1, PAGE_OF_10_KB, compressed=False, streams=2),
        "page 1 : plus de 16 Ko de contenu",
    ),
    "pdf-stream-bytes": (
        lambda: pdf_file(1, b"(" + words(20_000) + b") Tj "),
        "contenu décompressé trop volumineux (un flux de plus de 16 Ko)",
    ),
    "pdf-bytes": (
        lambda: pdf_file(6, PAGE_OF_10_KB, compressed=False),
        "plus de 40 Ko de contenu décompressé (atteint à la page 5)",
    ),
}  # fmt: skip


@pytest.mark.one_backend  # the extraction process's limits decide, not a query
@pytest.mark.parametrize("limit", BEYOND_EACH_LIMIT)
def test_each_extraction_limit_ends_the_text_not_extracted_with_its_reason(app, limit):
    make, reason = BEYOND_EACH_LIMIT[limit]
    name = "fichier.pdf" if limit.startswith("pdf") else "fichier.docx"
    client = signed_in(app, MEMBER)
    response, seconds = on_cpu(lambda: upload(client, files=[(make(), name)]))
    assert response.status_code == 303
    assert seconds < loaded(2)
    assert "Texte en cours d'extraction" in client.get(resource_url(response)).get_data(True)

    app.config.update(LOW_LIMITS)
    assert factories.run_extraction(app) == 1
    attachment = attachments(app)[name]
    assert (attachment.extraction, attachment.extraction_reason) == ("failed", reason)
    assert attachment.text == ""
    page = client.get(resource_url(response)).get_data(as_text=True)
    assert f"Texte non extrait ({escape(reason)})" in page


@pytest.mark.one_backend  # the extraction process's limits decide, not a query
def test_the_same_files_are_read_within_the_default_limits(app):
    """The files above are refused for their limit alone, not for being malformed."""
    client = signed_in(app, MEMBER)
    for limit, (make, _) in BEYOND_EACH_LIMIT.items():
        if limit != "compression-method":
            name = f"{limit}.pdf" if limit.startswith("pdf") else f"{limit}.docx"
            assert upload(client, files=[(make(), name)]).status_code == 303
    assert factories.run_extraction(app) == len(BEYOND_EACH_LIMIT) - 1
    for name, attachment in attachments(app).items():
        assert attachment.extraction == "done", (name, attachment.extraction_reason)
        assert attachment.text, name


def test_bombs_imported_by_the_command_wait_for_the_worker(app, tmp_path):
    """`cnig-share import` stores the files and answers at once; the worker
    then ends each one not extracted."""
    (tmp_path / "paragraphes.docx").write_bytes(docx_bomb(b"<w:p/>", 20))
    (tmp_path / "pages.pdf").write_bytes(pdf_bomb())
    files = [{"path": "paragraphes.docx"}, {"path": "pages.pdf"}]
    write_lines(tmp_path / "in.jsonl", {**GOOD, "attachments": files})
    runner = app.test_cli_runner()
    result, seconds = on_cpu(lambda: runner.invoke(args=["import", str(tmp_path / "in.jsonl")]))
    assert result.exit_code == 0, result.stderr
    assert seconds < loaded(2)
    assert "2 pièce(s) jointe(s) en attente d'extraction du texte" in result.stdout
    assert {a.extraction for a in attachments(app).values()} == {"pending"}

    assert factories.run_extraction(app) == 2
    for name, attachment in attachments(app).items():
        assert attachment.extraction == "failed", name
        assert "bombe de décompression probable" in attachment.extraction_reason, name


def test_reading_stops_at_the_declared_size_whatever_the_data_holds(app):
    """zipfile cuts a member at its declared size, checked against the limits, and
    fails its CRC: read whole, these 50 MB of paragraphs would be refused for their
    count instead."""
    upload(signed_in(app, MEMBER), files=[(lying_zip(), "menteur.docx")])
    assert factories.run_extraction(app) == 1
    attachment = attachments(app)["menteur.docx"]
    assert attachment.extraction == "failed"
    assert attachment.extraction_reason == "fichier endommagé ou illisible"


def test_sniffing_a_type_inflates_only_the_start_of_mimetype(app):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        head = b"application/vnd.oasis.opendocument.text"
        _deflated(archive, "mimetype", head, b" ", 1024 * MEGABYTE, b"")
        archive.writestr("content.xml", "<x/>")
    client = signed_in(app, MEMBER)
    response, seconds = on_cpu(lambda: upload(client, files=[(buffer.getvalue(), "note.odt")]))
    assert seconds < loaded(2)
    assert response.status_code == 303
    assert attachments(app)["note.odt"].media_type == "application/vnd.oasis.opendocument.text"


def test_sniffing_refuses_a_mimetype_compressed_otherwise_than_deflated(app):
    """zipfile would inflate it with no bound in the web request (785 bytes of
    bzip2 give 1 GB); an OpenDocument stores it uncompressed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        mimetype = "application/vnd.oasis.opendocument.text"
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_BZIP2)
        archive.writestr("content.xml", "<x/>")
    response = upload(signed_in(app, MEMBER), files=[(buffer.getvalue(), "note.odt")])
    assert response.status_code == 422
    assert "« note.odt » n&#39;est pas d&#39;un format accepté" in response.get_data(True)
    assert attachments(app) == {}


# --- real documents ------------------------------------------------------------------------


@pytest.mark.slow
def test_real_documents_are_extracted_then_found_by_search(app):
    files = [
        (sample_files.pdf("Guide", ["Adressage des hameaux.", "x " * 6000, "Fin."]), "guide.pdf"),
        (sample_files.docx("Compte rendu", ["Jumeau numérique de Rennes."]), "cr.docx"),
        (sample_files.odt("Note", ["Orthophotographie mutualisée."]), "note.odt"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "carte.png"),
    ]
    response = upload(signed_in(app, MEMBER), files=files)
    resource_id = int(resource_url(response).rsplit("/", 1)[1])
    curator = signed_in(app, CURATOR)
    post(signed_in(app, MEMBER), f"/ressources/{resource_id}/soumettre")
    assert post(curator, f"/ressources/{resource_id}/publier").status_code == 303
    visitor = app.test_client()

    def found(word: str) -> list[int]:
        results = visitor.get("/api/v1/search", query_string={"q": word}).get_json()["results"]
        return [hit["id"] for hit in results]

    assert found("orthophotographie") == []
    output = finish(worker(app))
    assert "3 pièce(s) jointe(s) traitée(s)" in output  # the image has no text to read
    extracted = attachments(app)
    assert [extracted[name].extraction for name in ("guide.pdf", "cr.docx", "note.odt")] == [
        "done"
    ] * 3
    assert extracted["carte.png"].extraction == "none"
    assert len(extracted["guide.pdf"].pages) >= 2
    for word in ("hameaux", "jumeau", "orthophotographie"):
        assert found(word) == [resource_id], word


@pytest.mark.slow
def test_two_workers_claim_each_job_exactly_once(app):
    files = [(f"Fichier {n} : texte à lire.".encode(), f"f{n}.txt") for n in range(4)]
    client = signed_in(app, MEMBER)
    for _ in range(3):
        assert upload(client, files=files).status_code == 303
    both = [worker(app), worker(app)]
    outputs = [finish(process) for process in both]
    done = [int(n) for out in outputs for n in re.findall(r"Pièce jointe n° (\d+)", out)]
    with app.app_context():
        ids = db.session.scalars(select(Attachment.id)).all()
        rows = db.session.scalars(select(Attachment)).all()
        assert sorted(done) == sorted(ids) and len(ids) == 12
        assert all(a.extraction == "done" and a.extraction_attempts == 1 for a in rows)


def slow_pdf(title: str) -> bytes:
    """A PDF whose text takes a second or two to read: 4 pages of 40 KB of text operators."""
    return pdf_file(4, b"(" + title.encode() + b") Tj " + PAGE_OF_10_KB * 4, compressed=False)


def extraction_processes(process: subprocess.Popen) -> list[int]:
    """The worker's extraction children (each started by one of its threads)."""
    found = []
    for children in Path(f"/proc/{process.pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            for pid in children.read_text().split():
                command = Path(f"/proc/{pid}/cmdline").read_bytes()
                if b"cnig_share.resources.extraction" in command:
                    found.append(int(pid))
    return found


def running_jobs(app) -> int:
    with app.app_context():
        running = Attachment.extraction == "running"
        count = db.session.scalar(select(func.count(Attachment.id)).where(running))
        db.session.remove()
        return count


def wait_until(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + loaded(timeout)
    while not condition():
        assert time.monotonic() < deadline, "not within the time allowed"
        time.sleep(0.05)


@pytest.mark.slow
@pytest.mark.one_backend  # the worker's pool decides, not a query (claims: the test above)
def test_the_worker_runs_at_most_its_concurrency_at_once(app):
    client = signed_in(app, MEMBER)
    for n in range(3):
        files = [(slow_pdf(f"Rapport {n}{m}"), f"r{n}{m}.pdf") for m in range(2)]
        assert upload(client, files=files).status_code == 303
    running = worker(app, EXTRACTION_CONCURRENCY=2)
    rows, children = set(), set()
    while running.poll() is None:
        rows.add(running_jobs(app))
        children.add(len(extraction_processes(running)))
        time.sleep(0.05)
    assert "6 pièce(s) jointe(s) traitée(s)" in finish(running)
    assert max(rows) == max(children) == 2, (rows, children)
    assert {a.extraction for a in attachments(app).values()} == {"done"}


@pytest.mark.slow
@pytest.mark.one_backend  # signals and processes decide, not a query
def test_sigterm_lets_the_job_under_way_finish_then_the_worker_exits(app):
    upload(signed_in(app, MEMBER), files=[(slow_pdf("Premier"), "a.pdf"),
                                          (slow_pdf("Second"), "b.pdf")])  # fmt: skip
    running = worker(app, until_empty=False)
    wait_until(lambda: extraction_processes(running))
    stopped_at = time.monotonic()
    running.send_signal(signal.SIGTERM)
    output = finish(running, timeout=app.config["EXTRACTION_TIMEOUT"])
    assert time.monotonic() - stopped_at < loaded(app.config["EXTRACTION_TIMEOUT"])
    assert "1 pièce(s) jointe(s) traitée(s)" in output
    found = attachments(app)
    assert (found["a.pdf"].extraction, found["b.pdf"].extraction) == ("done", "pending")

    idle = worker(app, until_empty=False)
    wait_until(lambda: attachments(app)["b.pdf"].extraction == "done")
    stopped_at = time.monotonic()
    idle.send_signal(signal.SIGTERM)  # waiting for work: it stops at once
    assert "1 pièce(s) jointe(s) traitée(s)" in finish(idle, timeout=5)
    assert time.monotonic() - stopped_at < loaded(3)


@pytest.mark.slow
@pytest.mark.one_backend  # signals and processes decide, not a query
def test_a_job_stopped_with_its_whole_process_group_goes_back_to_pending(app):
    """As systemd stops a unit by default: SIGTERM to the worker and to its
    extraction process alike. The file is not blamed for it."""
    upload(signed_in(app, MEMBER), files=[(slow_pdf("Premier"), "a.pdf")])
    running = worker(app, until_empty=False)
    wait_until(lambda: extraction_processes(running))
    for pid in [running.pid, *extraction_processes(running)]:
        os.kill(pid, signal.SIGTERM)
    output = finish(running, timeout=app.config["EXTRACTION_TIMEOUT"])
    assert "lecture arrêtée avec le worker, remise en attente" in output
    attachment = attachments(app)["a.pdf"]
    assert (attachment.extraction, attachment.extraction_attempts) == ("pending", 0)
    assert factories.run_extraction(app) == 1
    assert attachments(app)["a.pdf"].extraction == "done"


def test_a_job_left_by_a_dead_worker_is_claimed_again_then_set_aside(app):
    upload(signed_in(app, MEMBER), files=[(b"Texte du fichier.", "a.txt")])
    with app.app_context():
        long_ago = utcnow() - timedelta(hours=1)
        db.session.execute(
            update(Attachment).values(extraction="running", extraction_claimed_at=long_ago)
        )
        db.session.commit()
    recent = {"extraction": "running", "extraction_claimed_at": utcnow()}
    assert factories.run_extraction(app) == 1
    assert attachments(app)["a.txt"].extraction == "done"

    with app.app_context():
        db.session.execute(update(Attachment).values(**recent))
        db.session.commit()
    assert factories.run_extraction(app) == 0  # a worker may still be on it

    with app.app_context():
        db.session.execute(
            update(Attachment).values(
                extraction="running", extraction_claimed_at=long_ago, extraction_attempts=3
            )
        )
        db.session.commit()
    assert factories.run_extraction(app) == 0
    attachment = attachments(app)["a.txt"]
    assert attachment.extraction == "failed"
    assert attachment.extraction_reason == "lecture interrompue à plusieurs reprises"


# --- serving -------------------------------------------------------------------------------


def published_attachment(app) -> str:
    with app.app_context():
        resource_id = factories.resource("Guide", status="published")
        resource = db.session.get(Resource, resource_id)
        attachment = add_attachment(resource, b"Un texte.", "a.txt")
        db.session.commit()
        return f"/ressources/{resource_id}/pieces-jointes/{attachment.id}"


def test_published_attachments_are_revalidated_and_gone_once_archived(app):
    url = published_attachment(app)
    visitor = app.test_client()
    with visitor.get(url) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=60, must-revalidate"
        etag = response.headers["ETag"]
    with visitor.get(url, headers={"If-None-Match": etag}) as response:
        assert response.status_code == 304
    resource_id = url.split("/")[2]
    archive = f"/ressources/{resource_id}/archiver"
    assert post(signed_in(app, CURATOR), archive, {"confirmed": "1"}).status_code == 303
    with visitor.get(url) as response:
        assert response.status_code == 404


def test_the_lifetime_of_a_published_attachment_in_shared_caches_is_a_setting(app):
    app.config["ATTACHMENT_CACHE_SECONDS"] = 15
    with app.test_client().get(published_attachment(app)) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=15, must-revalidate"


def test_a_stored_name_that_is_not_ours_serves_no_file(app):
    url = published_attachment(app)
    with app.app_context():
        db.session.execute(update(Attachment).values(stored_name="/etc/passwd"))
        db.session.commit()
    with app.test_client().get(url) as response:
        assert response.status_code == 404
        assert b"root:" not in response.data
    assert factories.run_extraction(app) == 0
