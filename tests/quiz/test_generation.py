"""Drafting from real handbook text (chunked by the real pipeline, no embedding model): every
quote is in its passage, options differ, seeds reproduce, items spread across sections."""

from __future__ import annotations

from collections import Counter

import pytest

from answer.generator import FakeGenerator
from answer.prompts import load_prompt
from index.errors import UnknownDocumentError
from index.keywords import STOPWORDS
from quiz.checks import draft_problems
from quiz.constants import BLANK, KINDS
from quiz.schemas import QuizRequest
from quiz.selection import NoPassagesError
from quiz.service import QuizService
from quiz.support import check_support
from quiz.text import jaccard, key
from translation.service import TranslationService


@pytest.fixture(scope="module")
def service(small_pool) -> QuizService:
    return QuizService(small_pool)


def _draft(service: QuizService, **fields: object):
    return service.draft(QuizRequest(**fields))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "doc_id", ["rso-first-responders", "nexus-practitioner-guide", "iom-ilo-migration-leaflet"]
)
def test_items_from_each_small_handbook(service: QuizService, doc_id: str) -> None:
    drafted = _draft(service, doc_ids=[doc_id], n=6, seed=1)
    assert len(drafted.items) >= 3, drafted.notes
    assert {i.citation.doc_id for i in drafted.items} == {doc_id}


def test_every_item_is_checked_and_quoted_verbatim(service: QuizService, small_pool) -> None:
    drafted = _draft(service, n=40, seed=5)
    assert len(drafted.items) == 40
    for item in drafted.items:
        chunk = small_pool.chunks[item.citation.chunk_id]
        assert item.citation.quote in chunk.text
        assert chunk.section_path == item.citation.section
        assert check_support(item, chunk.text).ok, (item, check_support(item).reasons)
        assert draft_problems(item, chunk.text) == []


def test_options_differ_from_the_answer_and_each_other(service: QuizService) -> None:
    drafted = _draft(service, n=30, kinds=["mcq", "scenario"], seed=2)
    assert drafted.items
    for item in drafted.items:
        options = item.options or []
        assert len(options) == 4 and options.count(item.answer) == 1
        assert len({key(o) for o in options}) == 4
        wrong = [o for o in options if o != item.answer]
        for i, a in enumerate(wrong):
            assert jaccard(a, item.answer) < 0.5
            for b in wrong[i + 1 :]:
                assert jaccard(a, b) < 0.5


def test_same_seed_same_quiz_other_seed_other_quiz(service: QuizService) -> None:
    first = _draft(service, n=12, seed=42)
    again = _draft(service, n=12, seed=42)
    other = _draft(service, n=12, seed=43)
    assert [i.model_dump() for i in first.items] == [i.model_dump() for i in again.items]
    assert [i.model_dump() for i in first.items] != [i.model_dump() for i in other.items]
    unseeded = _draft(service, n=3)
    assert unseeded.seed >= 0
    assert [i.id for i in _draft(service, n=3, seed=unseeded.seed).items] == [
        i.id for i in unseeded.items
    ]


def test_kinds_are_mixed_and_items_spread_across_sections(service: QuizService) -> None:
    drafted = _draft(service, n=20, seed=3)
    kinds = Counter(i.kind for i in drafted.items)
    assert set(kinds) == set(KINDS)
    assert max(kinds.values()) - min(kinds.values()) <= 3
    chunks = Counter(i.citation.chunk_id for i in drafted.items)
    sections = {(i.citation.doc_id, i.citation.section) for i in drafted.items}
    assert len(sections) >= 10
    assert max(chunks.values()) <= 2
    quotes = [i.citation.quote for i in drafted.items]
    assert len(set(quotes)) == len(quotes)


def test_fill_blank_takes_out_a_key_term(service: QuizService) -> None:
    drafted = _draft(service, n=10, kinds=["fill_blank"], seed=4)
    assert drafted.items
    for item in drafted.items:
        assert item.question.count(BLANK) == 1
        assert item.answer.lower() not in STOPWORDS and len(item.answer) >= 4


def test_true_false_has_both_answers(service: QuizService) -> None:
    drafted = _draft(service, n=16, kinds=["true_false"], seed=6)
    answers = Counter(i.answer for i in drafted.items)
    assert answers["True"] >= 3 and answers["False"] >= 3
    for item in drafted.items:
        if item.answer == "False":
            assert "opposite" in item.explanation
        assert item.citation.quote.split()[0].strip("“") in item.explanation


def test_sections_filter_and_errors(service: QuizService) -> None:
    drafted = _draft(service, sections=["formal interview"], n=5, seed=1)
    assert drafted.items
    assert all("formal interview" in i.citation.section.lower() for i in drafted.items)
    with pytest.raises(NoPassagesError):
        _draft(service, sections=["no such heading anywhere"], n=5)
    with pytest.raises(UnknownDocumentError):
        _draft(service, doc_ids=["nope"], n=5)


def test_other_languages_come_back_in_english_with_a_note(service: QuizService) -> None:
    drafted = _draft(service, n=2, seed=1, lang="fr")
    assert drafted.lang == "en"
    assert any("not available" in n for n in drafted.notes)
    assert _draft(service, n=2, seed=1, lang="en-GB").notes == []


class EchoTranslator:
    """A translation backend (translation.translator.Translator) that marks what it saw."""

    name = "echo"
    keeps_placeholders = True

    def pairs(self) -> set[tuple[str, str]]:
        return {("en", "fr")}

    def translate(self, texts, source, target):  # type: ignore[no-untyped-def]
        return [f"[{target}] {t}" for t in texts]


def test_a_translator_plugs_in(small_pool) -> None:
    translator = TranslationService([EchoTranslator()])
    service = QuizService(small_pool, translator=translator)
    drafted = service.draft(QuizRequest(n=4, seed=1, lang="fr"))
    assert drafted.lang == "fr" and not drafted.notes
    for item in drafted.items:
        assert item.question.startswith("[fr] ")
        assert not item.citation.quote.startswith("[fr]")  # the quote stays the handbook's
        if item.kind == "true_false":
            assert item.answer in ("True", "False")


def test_language_model_items_pass_the_same_checks_or_are_dropped(small_pool) -> None:
    base = QuizService(small_pool).draft(QuizRequest(n=1, kinds=["true_false"], seed=9)).items[0]
    good = (
        '{"question": '
        + _json(base.question)
        + ', "options": null, "answer": '
        + _json(base.answer)
        + ', "explanation": "From the guide.", "quote": '
        + _json(base.citation.quote)
        + "}"
    )
    llm = QuizService(small_pool, generator=FakeGenerator(good), prompt=load_prompt("quiz"))
    kept = llm.draft(QuizRequest(n=1, kinds=["true_false"], seed=9))
    assert kept.generator == "fake" and kept.items[0].explanation == "From the guide."
    invented = good.replace(_json(base.citation.quote), _json("A sentence the handbook lacks."))
    llm = QuizService(small_pool, generator=FakeGenerator(invented), prompt=load_prompt("quiz"))
    dropped = llm.draft(QuizRequest(n=1, kinds=["true_false"], seed=9))
    assert dropped.generator == "extractive"
    assert dropped.items[0] == base
    assert any("failed the checks" in n for n in dropped.notes)
    garbage = QuizService(
        small_pool, generator=FakeGenerator("no json"), prompt=load_prompt("quiz")
    )
    assert garbage.draft(QuizRequest(n=1, kinds=["true_false"], seed=9)).items[0] == base


def _json(text: str) -> str:
    import json

    return json.dumps(text)


class BrokenTranslator(EchoTranslator):
    def translate(self, texts, source, target):  # type: ignore[no-untyped-def]
        raise RuntimeError("backend crashed")


def test_a_failing_translator_leaves_english_with_a_note(small_pool) -> None:
    translator = TranslationService([BrokenTranslator()])
    drafted = QuizService(small_pool, translator=translator).draft(
        QuizRequest(n=2, seed=1, lang="fr")
    )
    assert drafted.lang == "en" and drafted.items
    assert any("failed" in n for n in drafted.notes)
