"""What search keeps to cost less (issue 21) never changes what it finds: the
memoised word analysis, the glossary labels kept until the glossary changes,
the word scores a searcher keeps until the index changes; and the bench runs."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from whoosh import highlight
from whoosh.formats import Frequency, Positions

from cnig_share.extensions import db
from cnig_share.models import GlossaryVersion, Resource, TermLabel
from cnig_share.search import analysis, snippets
from cnig_share.search.documents import ANALYSED_FIELDS
from cnig_share.search.schema import WordFrequency, WordPositions, build_schema
from tests import factories
from tests.migrations import before

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY_BOX = "Voir dans le glossaire"
OPEN_DATA = "donnee-ouverte"
OPEN_DATA_DEFINITION = "Donnée publique diffusée librement"


# --- the memoised analysis is the chain ------------------------------------------------------


def unmemoised(chain):
    """The analyzer as it was: the tokenizer, then each filter on every token."""
    return analysis.RegexTokenizer(analysis.TOKEN_PATTERN) | chain


def tokens(analyzer, text: str, **options) -> list[tuple]:
    return [
        (t.text, t.pos, t.startchar, t.endchar, t.stopped)
        for t in analyzer(text, positions=True, chars=True, **options)
    ]


WORD_LIST = [
    "Les",
    "données",
    "géographiques",
    "DES",
    "collectivités",
    "l'échelle",
    "photos",
    "Grand",
    "Est",
    "et",
    "réseaux",
    "nationaux",
    "jumeaux",
    "à",
    "ou",
    "référentiels",
    "ŒUVRE",
    "naïve",
    "Ça",
    "cœur",
    "élus",
    "e",
    "3D",
    "2026",
    "s",
    "ss",
]
WORDS = st.sampled_from(WORD_LIST)
TEXTS = st.one_of(st.text(max_size=200), st.lists(WORDS, max_size=40).map(" ".join))


@settings(max_examples=150, deadline=None)
@given(text=TEXTS)
@example(text="Les données des réseaux nationaux à l'échelle du Grand Est")
def test_the_memoised_analysis_gives_what_the_filter_chain_gives(text):
    """Index mode (stop words dropped, positions renumbered) and highlight mode
    (stop words kept, marked) alike, for the French and the folding chain."""
    for memoised, chain in (
        (analysis.FRENCH, analysis.french_chain()),
        (analysis.FOLDING, analysis.folding_chain()),
    ):
        plain = unmemoised(chain)
        assert tokens(memoised, text) == tokens(plain, text)
        highlight_mode = {"mode": "query", "removestops": False}
        assert tokens(memoised, text, **highlight_mode) == tokens(plain, text, **highlight_mode)


# --- passages are marked as Whoosh's highlighter marked them ---------------------------------


def whooshs_passages(text: str, stems: frozenset[str]) -> str:
    """Whoosh's highlight() as snippets.py called it, without the class it gave each
    mark (numbered across the whole process: nothing used it)."""
    marked = highlight.highlight(
        text,
        stems,
        analysis.FRENCH,
        highlight.ContextFragmenter(maxchars=snippets.FRAGMENT_CHARS, surround=snippets.SURROUND),
        highlight.HtmlFormatter(tagname="mark", between=snippets.BETWEEN),
        top=snippets.PASSAGES,
    )
    return re.sub(r' class="match term\d+"', "", marked)


STEMS = st.frozensets(WORDS.map(lambda word: (analysis.stems(word) or [word.lower()])[0]))


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(TEXTS, st.text(max_size=400)), stems=STEMS)
@example(text="Les <données> & des réseaux nationaux à l'échelle", stems=frozenset(["donne"]))
def test_passages_of_any_text_are_those_whooshs_highlighter_marked(text, stems):
    assert snippets._highlight(text, stems) == whooshs_passages(text, stems)


def test_passages_cut_from_long_texts_are_those_whooshs_highlighter_chose():
    """Texts of up to 400 words, a few of them asked for: passages cut at the
    same places, the same two chosen, the same words marked. The rare cases
    (a mark at the very start, a passage full at 300 characters, equal scores)
    need many texts: a seeded thousand, which hypothesis's small examples miss."""
    rng = random.Random(2026)
    words = WORD_LIST
    filler = ["paragraphe", "sans", "rapport", "avec", "la", "question", "posée"]
    separators = [" ", " ", ", ", ".\n", " <b>&amp; ", " — ", "\n\n"]
    compared = 0
    for _ in range(1000):
        rare = rng.choice([0.85, 0.4])  # marks far apart, or passages filling up
        text = "".join(
            rng.choice(filler if rng.random() < rare else words) + rng.choice(separators)
            for _ in range(rng.randrange(400))
        )
        stems = frozenset(stem for word in rng.sample(words, 3) for stem in analysis.stems(word))
        expected = whooshs_passages(text, stems)
        assert snippets._highlight(text, stems) == expected, (text, stems)
        compared += bool(expected)
    assert compared > 800  # most texts had passages to compare


def plainly_written_candidates(stems: frozenset[str]) -> re.Pattern[str]:
    """What snippets looks for, as first written: a word start, then any stem's
    prefix (the stem minus two letters, at least three) in any case and accent."""
    prefixes = [
        "".join(snippets._either_case(char) for char in stem[: max(3, len(stem) - 2)])
        for stem in sorted(stems)
    ]
    return re.compile(r"\b(?:" + "|".join(prefixes) + ")")


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(TEXTS, st.text(alphabet="aàdDéEeènNoôs2 \n'-_.", max_size=200)),
    stems=STEMS.filter(bool),
)
@example(text="Données\ndonnées_donnée d'étude 2026", stems=frozenset(["donne", "etud", "2026"]))
def test_candidate_words_are_those_the_plainly_written_pattern_finds(text, stems):
    def found(pattern):
        return [(match.start(), match.group()) for match in pattern.finditer(text)]

    assert found(snippets._candidates(stems)) == found(plainly_written_candidates(stems))


@settings(max_examples=150, deadline=None)
@given(text=TEXTS)
@example(text="La base, les adresses et l'échelle du Grand Est")
def test_the_words_handed_to_the_writer_are_what_the_analyzer_indexes(text):
    """The writer gets the text fields as words (search.analysis.words): the same
    words, in the same order, and positions that differ by one shift at most."""
    for analyzer, chain in ((analysis.FRENCH, "french"), (analysis.FOLDING, "folding")):
        indexed = [(token.text, token.pos) for token in analyzer(text, positions=True)]
        assert analysis.words(text, chain) == [word for word, _ in indexed]
        shifts = {position - rank for rank, (_, position) in enumerate(indexed)}
        assert len(shifts) <= 1


WHOOSHS = {WordPositions: Positions, WordFrequency: Frequency}  # the formats they stand for


@settings(max_examples=100, deadline=None)
@given(text=TEXTS)
def test_the_index_formats_count_a_list_of_words_as_whoosh_counts_the_text(text):
    schema = build_schema()
    for name, chain in ANALYSED_FIELDS.items():
        field = schema[name]
        mine = {
            word: (freq, weight, value)
            for word, freq, weight, value in field.format.word_values(
                analysis.words(text, chain), field.analyzer
            )
        }
        whooshs = {
            word: (freq, weight, value)
            for word, freq, weight, value in WHOOSHS[type(field.format)](
                field_boost=1.0
            ).word_values(text, field.analyzer, mode="index")
        }
        assert mine.keys() == whooshs.keys()
        for word, (freq, weight, value) in mine.items():
            assert (freq, weight) == whooshs[word][:2]
            if field.format.supports("positions"):
                ours = field.format.decode_positions(value)
                theirs = field.format.decode_positions(whooshs[word][2])
                assert {b - a for a, b in zip(ours, theirs, strict=True)} <= {theirs[0] - ours[0]}
            else:
                assert value == whooshs[word][2]


def test_a_full_memo_starts_afresh_and_still_analyses_right(monkeypatch):
    monkeypatch.setattr(analysis, "MEMO_SIZE", 5)
    monkeypatch.setattr(analysis, "_memos", {})
    text = " ".join(f"donnée{n} réseaux{n} Photos{n}" for n in range(30))
    assert analysis.stems(text) == [t.text for t in unmemoised(analysis.french_chain())(text)]
    assert len(analysis._memos["french"]) <= 5


# --- glossary labels, kept per process until the glossary changes ----------------------------


def glossary_box(client, q: str) -> bool:
    html = client.get("/recherche", query_string={"q": q}).get_data(as_text=True)
    return GLOSSARY_BOX in html and OPEN_DATA_DEFINITION in html


def test_a_label_added_in_another_process_is_recognised_at_the_next_search(app, make_app):
    """Two workers: the first has analysed the labels; the second adds, then
    removes, a label; the first recognises each change at its next search."""
    client = app.test_client()
    assert glossary_box(client, "open data")  # the labels are analysed and kept
    assert not glossary_box(client, "xylographies")

    other = make_app()
    with other.app_context():
        term = factories.term(OPEN_DATA)
        term.alt_labels.append(TermLabel(label="Xylographie"))
        db.session.commit()
    assert glossary_box(client, "xylographies")

    with other.app_context():
        term = factories.term(OPEN_DATA)
        term.alt_labels = [label for label in term.alt_labels if label.label != "Xylographie"]
        db.session.commit()
    assert not glossary_box(client, "xylographies")
    assert glossary_box(client, "open data")


def test_a_renamed_term_is_recognised_by_its_new_label(app, make_app):
    client = app.test_client()
    assert glossary_box(client, "donnée ouverte")
    assert not glossary_box(client, "donnée libre de droits")
    other = make_app()
    with other.app_context():
        term = factories.term(OPEN_DATA)
        term.pref_label = "Donnée libre de droits"
        db.session.commit()
    assert glossary_box(client, "donnée libre de droits")


def test_tagging_resources_leaves_the_glossary_version_alone(app):
    """Only labels matter to the kept analysis: publishing tagged resources
    does not make every process analyse the glossary again."""
    with app.app_context():
        version = db.session.scalar(select(GlossaryVersion.version))
        factories.publish("Une ressource étiquetée", terms=[OPEN_DATA])
        assert db.session.scalar(select(GlossaryVersion.version)) == version
        term = factories.term(OPEN_DATA)
        term.definition = "Une autre définition."
        db.session.commit()
        assert db.session.scalar(select(GlossaryVersion.version)) == version + 1


def test_the_glossary_version_migration_starts_at_zero_and_comes_back(make_app):
    import sqlalchemy as sa
    from flask_migrate import downgrade, upgrade

    from cnig_share.extensions import MIGRATIONS_DIR

    app = make_app()
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=before("0028"))
        assert not sa.inspect(db.engine).has_table("glossary_version")
        upgrade(directory=MIGRATIONS_DIR)
        assert db.session.execute(select(GlossaryVersion.id, GlossaryVersion.version)).all() == [
            (1, 0)
        ]
        db.session.remove()
        downgrade(directory=MIGRATIONS_DIR, revision=before("0028"))
        assert not sa.inspect(db.engine).has_table("glossary_version")


# --- word scores, kept per searcher until the index changes ----------------------------------


def total(client, q: str) -> int:
    response = client.get("/api/v1/search", query_string={"q": q})
    assert response.status_code == 200
    return response.get_json()["total"]


def test_kept_word_scores_never_outlive_an_index_commit_in_another_process(app, make_app):
    client = app.test_client()
    with app.app_context():
        factories.publish("Cartographie des tourbières", body="Les tourbières du massif.")
    assert total(client, "tourbières") == 1
    assert total(client, "tourbière") == 1  # the word's scores are now kept

    other = make_app()
    with other.app_context():
        second = factories.publish("Tourbières et zones humides", body="Des tourbières.")
    assert total(client, "tourbières") == 2

    with other.app_context():
        resource = db.session.get(Resource, second)
        resource.status = "archived"
        db.session.commit()
    assert total(client, "tourbières") == 1


# --- posting lists read in one piece, decoded once per worker -------------------------------

PLAIN_WORDS = ["tourbe", "lidar", "adresse", "cadastre", "réseau", "bocage"]


def whooshs_postings(leaf, word: str) -> tuple[list, list, list]:
    """Whoosh's own reading, a posting at a time: ids, weights, positions."""
    ids, weights, positions = [], [], []
    matcher = leaf.postings("text", word)
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        positions.append(list(matcher.value_as("positions")))
        matcher.next()
    return ids, weights, positions


def written(folder: str, batches, codec, weight: float = 1.0) -> object:
    """An index whose `text` words weigh `weight` each, a segment per batch, each
    document a list of words ("" stands for 300 documents without any: numbers
    far apart)."""
    from whoosh.fields import TEXT, Schema
    from whoosh.filedb.filestore import FileStorage

    schema = Schema(text=TEXT(phrase=True, field_boost=weight), other=TEXT)
    index = FileStorage(folder, supports_mmap=False).create_index(schema)
    for batch in batches:
        with index.writer(codec=codec) as writer:
            writer.merge = False
            for words in batch:
                if words == [""]:
                    for _ in range(300):
                        writer.add_document(other="vide")
                else:
                    writer.add_document(text=" ".join(words))
    return index


DOCUMENT = st.one_of(st.lists(st.sampled_from(PLAIN_WORDS), min_size=1, max_size=6), st.just([""]))


@settings(max_examples=12, deadline=None)
@given(
    batches=st.lists(st.lists(DOCUMENT, max_size=300), min_size=1, max_size=2),
    weight=st.sampled_from([1.0, 2.5, 300.0]),
)
@example(batches=[[["tourbe"]] * 300 + [["lidar", "tourbe", "lidar"]]], weight=1.0)  # 1 inline
@example(batches=[[["tourbe"], [""], ["tourbe"]] * 100], weight=1.0)  # gaps of 300
def test_posting_lists_read_in_one_piece_are_whooshs_postings(batches, weight):
    """Whatever the blocks (inline, one, several, the last one partial), the weights
    (counts, or not whole numbers), the segments and the codec that wrote them
    (Whoosh's, the site's split blocks, narrow or not), the one-piece reader and
    Whoosh's matcher give what Whoosh's own codec gives."""
    from whoosh.codec.whoosh3 import W3Codec

    from cnig_share.search.codec import NarrowBlocksCodec, SplitBlocksCodec

    for site_codec in (SplitBlocksCodec, NarrowBlocksCodec):
        with tempfile.TemporaryDirectory() as whooshs, tempfile.TemporaryDirectory() as sites:
            reference = written(whooshs, batches, W3Codec(), weight)
            split = written(sites, batches, site_codec(), weight)
            with reference.searcher() as expected, split.searcher() as searcher:
                compare_postings(expected, searcher, site_codec)


@settings(max_examples=100, deadline=None)
@example(gaps=[100_000] + [1] * 127, weights=[1.0])  # far into the index, side by side
@given(
    gaps=st.lists(st.integers(1, 2**32 // 300), min_size=1, max_size=300),
    weights=st.one_of(
        st.lists(st.integers(1, 255).map(float)), st.lists(st.floats(0.5, 1e6, width=32))
    ),
)
def test_a_narrow_block_gives_back_its_numbers_and_weights_whatever_their_size(gaps, weights):
    from itertools import accumulate

    from cnig_share.search import codec

    ids = list(accumulate(gaps))
    weights = (weights * len(ids))[: len(ids)] or [1.0] * len(ids)
    data = codec.encode_narrow_block(ids, weights, [], compression=3)
    arrays = codec.block_arrays(data, len(ids), compressed=True, narrow=True)
    found_ids, found_weights = codec.ids_and_weights([arrays], [ids[-1]])
    assert (found_ids.tolist(), found_weights.tolist()) == (ids, weights)
    # The deltas are as wide as the gaps between the block's documents need, however
    # far into the index the block starts (its first number is stored apart).
    widest = max(gaps[1:], default=0)
    assert data[4] == (1 if widest < 2**8 else 2 if widest < 2**16 else 4)


def compare_postings(expected, searcher, site_codec) -> None:
    from cnig_share.search import postings

    pairs = zip(expected.reader().leaf_readers(), searcher.reader().leaf_readers(), strict=True)
    for (truth, _), (leaf, _) in pairs:
        if truth.doc_count_all() == 0:
            continue  # no document, no segment
        assert type(leaf.segment().codec()) is site_codec
        for word in PLAIN_WORDS:
            if ("text", word) not in truth:
                assert ("text", word) not in leaf
                continue
            ids, weights, positions = whooshs_postings(truth, word)
            assert whooshs_postings(leaf, word) == (ids, weights, positions)
            chosen = [*ids[::7], ids[-1] + 1]  # and one that does not hold it
            decode = leaf.schema["text"].format.decoder("positions")
            for read_from in (truth, leaf):
                kept_ids, kept_weights = postings.for_scoring(read_from, "text", word)
                assert (list(kept_ids), list(kept_weights)) == (ids, weights)
                found = postings.positions(read_from, "text", word, chosen)
                assert {n: list(decode(v)) for n, v in found.items()} == {
                    n: positions[ids.index(n)] for n in chosen if n in ids
                }


def test_segments_written_by_each_earlier_codec_still_read_beside_new_ones(app, monkeypatch):
    from cnig_share.search import index, sync
    from cnig_share.search.codec import LengthsOnceCodec, NarrowBlocksCodec, SplitBlocksCodec

    with app.app_context():
        factories.publish("Tourbières du Jura", body="Inventaire des tourbières du Jura.")
    with monkeypatch.context() as before_split_blocks:
        before_split_blocks.setattr(sync, "NarrowBlocksCodec", LengthsOnceCodec)
        reindexed(app)
    with monkeypatch.context() as before_narrow_blocks, app.app_context():
        before_narrow_blocks.setattr(index, "NarrowBlocksCodec", SplitBlocksCodec)
        factories.publish("Tourbières des Vosges", body="Les tourbières des Vosges.")
    with app.app_context():
        factories.publish("Tourbières du Morvan", body="Les tourbières du Morvan.")
        codecs = {
            type(leaf.segment().codec())
            for leaf, _ in app.extensions["search"].searcher().reader().leaf_readers()
        }
    assert codecs == {LengthsOnceCodec, SplitBlocksCodec, NarrowBlocksCodec}
    client = app.test_client()
    assert total(client, "tourbières") == 3
    assert total(client, '"tourbières du jura"') == 1  # a phrase: Whoosh's matcher, every kind
    assert total(client, '"tourbières des vosges"') == 1
    assert total(client, '"tourbières du morvan"') == 1


def reindexed(app) -> None:
    """One segment, as a rebuild or a merge makes (each commit makes its own)."""
    assert app.test_cli_runner().invoke(args=["search", "reindex", "--procs", "1"]).exit_code == 0


# --- the bench -------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", ["content-heavy"])
def test_the_search_bench_runs_on_a_tiny_corpus(tmp_path, profile):
    """Every measure of the table, on 30 documents (figures not checked: no timing here)."""
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "search.py"),
            *("--n", "30", "--queries", "5", "--seconds", "1", "--profile", profile),
            *("--keep", str(tmp_path / "bench")),
        ],
        env={k: v for k, v in os.environ.items() if not k.startswith("CNIG_SHARE_")},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert f"corpus ({profile}): 30 documents" in out
    assert "queries (large-hit): 5" in out
    rows = ["app search function", "HTTP /api/v1/search", "HTTP /recherche", "FTS5 baseline"]
    rows += ["HTTP /api/v1/search, in service", "HTTP /recherche, in service"]
    for row in rows:
        assert re.search(rf"^{re.escape(row)}\s+5\s+[\d.]+\s+[\d.]+", out, re.MULTILINE), row
    assert re.search(r"8 concurrent clients on gunicorn -w 2: [\d.]+ req/s", out)
    assert re.search(r"cnig-share import of 30 resources: \d+ resources/s", out)
    assert re.search(r"app search function: median matches \d+% of documents", out)
