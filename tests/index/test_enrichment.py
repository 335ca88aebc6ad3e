"""Hypothetical questions: the data files, the build (incremental, vectors reused) and the
rankings that use them. Fake embedder: fast; the real model and shipped data are tested in
test_enrichment_retrieval.py."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from index.builder import IndexBuilder, chunker_fingerprint
from index.config import chunker_config
from index.enrichment import (
    EnrichmentFileError,
    PassageQuestions,
    QuestionBank,
    read_questions_file,
    write_questions_file,
)
from index.fake_embedder import FakeEmbedder
from index.keywords import question_match
from index.retriever import HybridRetriever, RetrievalConfig, open_retriever
from index.sqlite_store import ChunkStore
from ingest.catalog import load_catalog
from tests.conftest import CORPUS, make_settings

LEAFLET = "iom-ilo-migration-officers-leaflet.md"


class QueryCountingEmbedder(FakeEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.queries = 0

    def embed_queries(self, texts):  # type: ignore[no-untyped-def]
        self.queries += len(texts)
        return super().embed_queries(texts)


def _corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir(exist_ok=True)
    shutil.copy(CORPUS / LEAFLET, folder / LEAFLET)
    return folder


def _builder(tmp_path: Path, embedder: FakeEmbedder, bank: QuestionBank) -> IndexBuilder:
    settings = make_settings(tmp_path / "data")
    return IndexBuilder(
        settings.index_dir,
        embedder,
        chunker_config(settings),
        load_catalog(CORPUS / "catalog.toml"),
        questions=bank,
        question_vector_langs=("en", "th"),
    )


def _open(tmp_path: Path, embedder: FakeEmbedder, **config: float) -> HybridRetriever:
    settings = make_settings(tmp_path / "data")
    return open_retriever(
        settings.index_dir,
        embedder,
        chunker_fingerprint(chunker_config(settings)),
        "Flat",
        RetrievalConfig(**config),  # type: ignore[arg-type]
    )


def _passages(tmp_path: Path) -> list[str]:
    """Chunk ids of the leaflet's body passages, from a build without questions."""
    embedder = FakeEmbedder()
    _builder(tmp_path / "probe", embedder, QuestionBank()).build([_corpus(tmp_path)])
    store = _open(tmp_path / "probe", embedder).store
    return store.body_chunk_ids("iom-ilo-migration-leaflet")


def _bank(entries: dict[str, dict[str, list[str]]]) -> QuestionBank:
    return QuestionBank(
        {
            cid: PassageQuestions(cid, {k: tuple(v) for k, v in qs.items()})
            for cid, qs in entries.items()
        }
    )


def test_files_load_and_a_later_folder_wins(tmp_path: Path) -> None:
    shipped, written = tmp_path / "shipped", tmp_path / "written"
    write_questions_file(
        shipped / "a.jsonl",
        [PassageQuestions("c1", {"en": ("old?",)}), PassageQuestions("c2", {"es": ("¿qué?",)})],
    )
    write_questions_file(written / "a.jsonl", [PassageQuestions("c1", {"en": ("new?",)})])
    bank = QuestionBank.load([shipped, written, tmp_path / "missing"])
    assert len(bank) == 2
    assert bank.questions("c1") == [("en", "new?")]
    assert bank.questions("c2") == [("es", "¿qué?")]
    assert bank.questions("nope") == []
    assert [e.chunk_id for e in read_questions_file(shipped / "a.jsonl")] == ["c1", "c2"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not JSON"),
        ('{"questions": {}}', "chunk_id"),
        ('{"chunk_id": "x", "questions": ["a"]}', "questions object"),
        ('{"chunk_id": "x", "questions": {"en": "a"}}', "list of strings"),
    ],
)
def test_a_bad_line_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "doc.jsonl"
    path.write_text('{"chunk_id": "ok", "questions": {"en": ["fine?"]}}\n' + line + "\n")
    with pytest.raises(EnrichmentFileError, match=f"doc.jsonl:2: .*{message}"):
        QuestionBank.load([tmp_path])


def test_blank_and_duplicate_questions_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "doc.jsonl"
    path.write_text(
        json.dumps({"chunk_id": "x", "questions": {"en": [" a? ", "a?", ""], "fr": []}})
    )
    (entry,) = read_questions_file(path)
    assert dict(entry.questions) == {"en": ("a?",)}


def test_questions_are_indexed_and_vectors_reused(tmp_path: Path) -> None:
    ids = _passages(tmp_path)
    bank = _bank(
        {
            ids[0]: {"en": ["Who pays for the bus ticket home?"], "th": ["ใครจ่ายค่าตั๋วกลับบ้าน"]},
            ids[1]: {
                "en": ["Can I phone the consulate?"],
                "ru": ["Можно позвонить в консульство?"],
            },
        }
    )
    corpus = _corpus(tmp_path)
    embedder = QueryCountingEmbedder()
    report = _builder(tmp_path, embedder, bank).build([corpus])
    # en and th get vectors (question_vector_langs); ru is searched by keyword only
    assert report.questions == 4 and report.embedded_questions == 3 == embedder.queries
    retriever = _open(tmp_path, embedder)
    assert retriever.enrichment["iom-ilo-migration-leaflet"] == (2, len(ids))
    assert retriever.question_vectors is not None and retriever.question_vectors.size == 3

    again = _builder(tmp_path, embedder, bank).build([corpus])
    assert not again.changed and embedder.queries == 3

    # One new question: a rebuild (the document itself is unchanged), one question embedded.
    grown = _bank(
        {
            ids[0]: {"en": ["Who pays for the bus ticket home?", "Is the trip home free?"]},
            ids[1]: {
                "en": ["Can I phone the consulate?"],
                "ru": ["Можно позвонить в консульство?"],
            },
        }
    )
    third = _builder(tmp_path, embedder, grown).build([corpus])
    assert third.changed and third.unchanged == ["iom-ilo-migration-leaflet"]
    assert third.embedded_questions == 1 and embedder.queries == 4


def test_a_passage_is_found_by_its_question_in_the_askers_language(tmp_path: Path) -> None:
    ids = _passages(tmp_path)
    target = ids[-1]
    bank = _bank(
        {
            target: {
                "en": ["My feet hurt after the long walk, who helps?"],
                "es": ["¿Quién cubre los gastos del viaje de regreso?"],
                "th": ["ใครจ่ายค่าตั๋วกลับบ้าน"],
            }
        }
    )
    embedder = FakeEmbedder()
    _builder(tmp_path, embedder, bank).build([_corpus(tmp_path)])
    only_questions = {"keyword_weight": 0.0, "vector_weight": 0.0, "expansion_weight": 0.0}
    retriever = _open(tmp_path, embedder, **only_questions)
    for query, lang in [
        ("¿quién paga los gastos del viaje?", "es"),
        ("ใครจะจ่ายค่าตั๋ว", "th"),  # no spaces: trigrams
        ("feet hurt walk", "en"),
    ]:
        hits = retriever.search(query, 3, lang=lang)
        assert hits and hits[0].chunk.chunk_id == target, (query, lang)
    # A language's questions are searched by keyword only for that language.
    assert retriever.store.question_search('"gastos"', ["es"], 3)[0][0] >= 0
    assert retriever.store.question_search('"gastos"', ["fr", "en"], 3) == []


def test_document_filter_applies_to_question_rankings(tmp_path: Path) -> None:
    ids = _passages(tmp_path)
    embedder = FakeEmbedder()
    bank = _bank({ids[0]: {"en": ["quokka zanzibar question"]}})
    _builder(tmp_path, embedder, bank).build([_corpus(tmp_path)])
    retriever = _open(tmp_path, embedder)
    assert retriever.search("quokka zanzibar", 3)[0].chunk.chunk_id == ids[0]
    assert retriever._question_positions({"en"}, ["rso-first-responders"]) == []


def test_thai_is_matched_by_trigrams_and_other_languages_by_content_words() -> None:
    match, trigram = question_match("เด็กไม่มีเอกสาร", "th")
    assert trigram and '"เด็"' in match and '"สาร"' in match and match.count(" OR ") == 12
    match, trigram = question_match("¿Qué hago con un niño sin documentos?", "es")
    assert not trigram
    assert '"niño"' in match and '"documentos"' in match and '"con"' not in match
    assert question_match("the and of", "en") == ("", False)


def test_old_builds_without_question_vectors_still_open(tmp_path: Path) -> None:
    ids = _passages(tmp_path)
    embedder = FakeEmbedder()
    _builder(tmp_path, embedder, _bank({ids[0]: {"en": ["q?"]}})).build([_corpus(tmp_path)])
    retriever = _open(tmp_path, embedder)
    (retriever.root / "questions.faiss").unlink()
    reopened = _open(tmp_path, embedder)
    assert reopened.question_vectors is None
    assert reopened.search("return home", 3)
    assert isinstance(reopened.store, ChunkStore)
