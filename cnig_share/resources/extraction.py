"""Text out of attached files, for search: PDF per page, DOCX, ODF, plain text.

Every reader is bounded (archive members, XML elements, PDF pages and decoded
bytes, characters kept), and runs in a separate process with CPU, memory and
time limits (extraction_process.py): `python -m cnig_share.resources.extraction`
reads a request on stdin and writes the result on stdout, as JSON.
"""

from __future__ import annotations

import io
import json
import logging
import resource
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from cnig_share.formatting import file_size
from cnig_share.resources.safezip import ArchiveRefused, SafeZip, ZipLimits

logger = logging.getLogger(__name__)

# Enough for any real document; bounds the database row and the index.
MAX_TEXT_CHARS = 2_000_000
# Paragraphs read from one part before giving up: a long report has tens of
# thousands, a flood of empty tags millions (the message below says so).
MAX_PARAGRAPHS = 1_000_000
ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MEGABYTE = 1024 * 1024


class ExtractionRefused(ValueError):
    """A file beyond a limit; the message is French, shown as the reason."""


@dataclass(frozen=True)
class Limits:
    """What reading one file may cost, from the EXTRACTION_* settings."""

    zip: ZipLimits = field(default_factory=ZipLimits)
    max_pdf_pages: int = 2_000
    max_pdf_page_bytes: int = 5 * MEGABYTE
    max_pdf_bytes: int = 20 * MEGABYTE
    max_text_chars: int = MAX_TEXT_CHARS

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Limits:
        return cls(
            zip=ZipLimits(
                max_members=config["EXTRACTION_MAX_MEMBERS"],
                max_member_bytes=config["EXTRACTION_MAX_MEMBER_BYTES"],
                max_total_bytes=config["EXTRACTION_MAX_INFLATED_BYTES"],
                max_ratio=config["EXTRACTION_MAX_RATIO"],
            ),
            max_pdf_pages=config["EXTRACTION_MAX_PDF_PAGES"],
            max_pdf_page_bytes=config["EXTRACTION_MAX_PDF_PAGE_BYTES"],
            max_pdf_bytes=config["EXTRACTION_MAX_PDF_BYTES"],
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Limits:
        return cls(**{**data, "zip": ZipLimits(**data["zip"])})


@dataclass
class ExtractedText:
    text: str = ""
    pages: list[dict[str, object]] = field(default_factory=list)
    # done | failed | none (a format without text, e.g. an image) | pending (not
    # read: the reading process was stopped from outside, the job waits again)
    status: str = "done"
    reason: str = ""  # why it failed, in French, for the resource page


class _Text:
    """Blocks of text kept up to a number of characters; full() says when to stop."""

    def __init__(self, limit: int) -> None:
        self.blocks: list[str] = []
        self.left = limit

    def add(self, block: str) -> None:
        block = block.strip()
        if block and self.left > 0:
            self.blocks.append(block[: self.left])
            self.left -= len(block) + 1

    def full(self) -> bool:
        return self.left <= 0

    def joined(self, separator: str = "\n") -> str:
        return separator.join(self.blocks)


def initial_state(media_type: str) -> str:
    """ "pending" for a format we read text from, "none" for the others (images)."""
    return "pending" if media_type in EXTRACTORS else "none"


def extract(data: bytes, media_type: str, limits: Limits | None = None) -> ExtractedText:
    """The text of a file; a failure is reported in the result, never raised."""
    extractor = EXTRACTORS.get(media_type)
    if extractor is None:
        return ExtractedText(status="none")
    try:
        return extractor(data, limits or Limits())
    except (ArchiveRefused, ExtractionRefused) as refused:
        return ExtractedText(status="failed", reason=str(refused))
    except MemoryError:
        return ExtractedText(status="failed", reason="lecture trop gourmande en mémoire")
    except Exception:  # any malformed file: keep the upload, flag the text
        if _memory_exhausted():  # lxml reports a failed allocation as a syntax error
            return ExtractedText(status="failed", reason="lecture trop gourmande en mémoire")
        logger.warning("Text extraction failed for a %s file", media_type, exc_info=True)
        return ExtractedText(status="failed", reason="fichier endommagé ou illisible")


def _memory_exhausted() -> bool:
    """Whether this process came close to its address-space limit."""
    limit, _ = resource.getrlimit(resource.RLIMIT_AS)
    return limit != resource.RLIM_INFINITY and _peak_address_space() > limit * 0.8


def _peak_address_space() -> int:
    # VmPeak belongs to this program's own address space (reset by exec), which
    # is what RLIMIT_AS bounds; ru_maxrss is not: a child starts with its
    # parent's, so a large parent made every failure look like lack of memory.
    return _status_bytes("VmPeak:")


def _status_bytes(field: str) -> int:
    """A memory figure of this program from /proc/self/status (0 where there is none)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


# --- PDF ----------------------------------------------------------------------------------


def _pdf(data: bytes, limits: Limits) -> ExtractedText:
    import pypdf
    from pypdf.errors import LimitReachedError

    # pypdf's own ceilings, lowered to ours: no stream inflates past a page's share.
    ceiling = limits.max_pdf_page_bytes
    try:
        with pypdf.apply_configuration(
            zlib_maximum_output_length=ceiling,
            lzw_maximum_output_length=ceiling,
            run_length_maximum_output_length=ceiling,
            array_based_stream_maximum_output_length=ceiling,
            stream_decoding_work_maximum_length=ceiling,
        ):
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            if len(reader.pages) > limits.max_pdf_pages:
                raise ExtractionRefused(f"document de plus de {limits.max_pdf_pages} pages")
            return _pdf_pages(reader, limits)
    except LimitReachedError:
        # pypdf's message is English and names its own settings: ours says the same in French.
        raise ExtractionRefused(
            f"contenu décompressé trop volumineux (un flux de plus de {file_size(ceiling)})"
        ) from None


def _pdf_pages(reader, limits: Limits) -> ExtractedText:
    text, pages, budget = _Text(limits.max_text_chars), [], limits.max_pdf_bytes
    for number, page in enumerate(reader.pages, start=1):
        # Reading text costs about a second per decoded megabyte: counted per
        # page even when pages share a stream, since the work is per page.
        size = _decoded_size(page, number, limits)
        budget -= size
        if budget < 0:
            raise ExtractionRefused(
                f"plus de {file_size(limits.max_pdf_bytes)} de contenu décompressé "
                f"(atteint à la page {number})"
            )
        page_text = (page.extract_text() or "").strip()
        if page_text:
            text.add(page_text)
            pages.append({"page": number, "text": text.blocks[-1]})
        if text.full():
            break
    return ExtractedText(text.joined("\n\n"), pages)


def _decoded_size(page, number: int, limits: Limits) -> int:
    """Decoded bytes of the page's content streams and of the forms it draws,
    refused past the page's limit or the compression ratio."""
    total = 0
    for stream in _streams_of(page):
        size = len(stream.get_data())
        # The bytes as stored in the file (pypdf drops /Length once it has read them).
        stored = len(getattr(stream, "_data", b"")) or size
        if size > max(stored, 1) * limits.zip.max_ratio:
            raise ExtractionRefused(
                f"page {number} : contenu compressé plus de {limits.zip.max_ratio} fois "
                "(bombe de décompression probable)"
            )
        total += size
    if total > limits.max_pdf_page_bytes:
        raise ExtractionRefused(
            f"page {number} : plus de {file_size(limits.max_pdf_page_bytes)} de contenu"
        )
    return total


def _streams_of(page) -> list:
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else []
    streams = [item.get_object() for item in contents] if isinstance(contents, list) else [contents]
    resources = page.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    for reference in (xobjects.get_object() if xobjects is not None else {}).values():
        if reference.get_object().get("/Subtype") == "/Form":
            streams.append(reference.get_object())
    return streams


# --- DOCX and OpenDocument: one XML part, streamed ---------------------------------------


def _docx(data: bytes, limits: Limits) -> ExtractedText:
    with SafeZip(data, limits.zip) as archive, archive.open("word/document.xml") as part:
        return ExtractedText(_paragraphs(part, {f"{{{WORD}}}p"}, _word_text, limits))


def _odf(data: bytes, limits: Limits) -> ExtractedText:
    with SafeZip(data, limits.zip) as archive, archive.open("content.xml") as part:
        tags = {f"{{{ODF_TEXT}}}p", f"{{{ODF_TEXT}}}h"}
        return ExtractedText(_paragraphs(part, tags, lambda p: "".join(p.itertext()), limits))


_WORD_PIECES = {f"{{{WORD}}}t": None, f"{{{WORD}}}tab": "\t", f"{{{WORD}}}br": "\n"}


def _word_text(paragraph) -> str:
    return "".join(
        (node.text or "") if piece is None else piece
        for node in paragraph.iter(*_WORD_PIECES)
        for piece in [_WORD_PIECES[node.tag]]
    )


def _paragraphs(source: IO[bytes], tags: set[str], text_of, limits: Limits) -> str:
    """The text of each paragraph, streaming the part: a paragraph is dropped
    once read, with whatever came before it, so memory stays flat. A paragraph
    inside another (a text box, a note) ends first and is read on its own."""
    from lxml import etree

    text = _Text(limits.max_text_chars)
    paragraphs = etree.iterparse(
        source, events=("end",), tag=tags, resolve_entities=False, load_dtd=False,
        no_network=True, huge_tree=False, remove_comments=True,
    )  # fmt: skip
    for count, (_, paragraph) in enumerate(paragraphs, start=1):
        if count > MAX_PARAGRAPHS:
            raise ExtractionRefused("plus d'un million de paragraphes")
        text.add(text_of(paragraph))
        if text.full():
            break
        paragraph.clear(keep_tail=False)
        parent = paragraph.getparent()
        while parent is not None and paragraph.getprevious() is not None:
            del parent[0]
    return text.joined()


# --- plain text ---------------------------------------------------------------------------


def _plain(data: bytes, limits: Limits) -> ExtractedText:
    from cnig_share.resources.filetypes import decode_text

    return ExtractedText((decode_text(data) or "")[: limits.max_text_chars])


EXTRACTORS = {
    "application/pdf": _pdf,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": _docx,
    "application/vnd.oasis.opendocument.text": _odf,
    "application/vnd.oasis.opendocument.presentation": _odf,
    "application/vnd.oasis.opendocument.spreadsheet": _odf,
    "text/plain": _plain,
    "text/csv": _plain,
}


# --- the extraction process ---------------------------------------------------------------


def limit_resources(memory_bytes: int, cpu_seconds: int) -> None:
    """Cap this process's address space and CPU time (the kernel enforces both)."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    # Past the soft limit SIGXCPU ends the process; the hard one a second later, SIGKILL.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))


PEAK_MEMORY_LINE = "peak-resident-bytes:"


def main() -> None:
    """Read {path, media_type, limits, memory_bytes, cpu_seconds} on stdin, then
    write the ExtractedText as JSON on stdout, and this process's peak resident
    memory on stderr (unless the kernel ended it)."""
    request = json.load(sys.stdin)
    limit_resources(request["memory_bytes"], request["cpu_seconds"])
    try:
        data = Path(request["path"]).read_bytes()
        result = extract(data, request["media_type"], Limits.from_json(request["limits"]))
        sys.stdout.write(json.dumps(asdict(result)))
    finally:
        sys.stderr.write(f"{PEAK_MEMORY_LINE} {_status_bytes('VmHWM:')}\n")


if __name__ == "__main__":
    main()
