"""An English answer turned into the asker's language (fake backend: no index, no model)."""

from __future__ import annotations

from answer.localise import english_basis, localise_answer
from answer.records import Answer, Citation, compose_body
from index.lexicon import load_lexicon
from index.retriever import SearchHit
from ingest.records import Chunk
from translation.detect import Detection, question_language
from translation.messages import NO_BACKEND
from translation.service import TranslationService
from translation.translator import FakeTranslator, TranslationError

EN_ES = {
    ("en", "es"): {
        "the child": "el niño",
        "From the RSO guide:": "De la guía RSO:",
        "Give water and food.": "Dé agua y comida.",
        "Guidance drawn from the handbooks.": "Orientación tomada de los manuales.",
    }
}


def _answer() -> Answer:
    chunk = Chunk(
        chunk_id="c1",
        doc_id="rso",
        ordinal=0,
        section=("First contact",),
        page_start=4,
        page_end=4,
        char_start=0,
        char_end=39,
        text="Give water and food. Protect the child.",
    )
    hit = SearchHit(chunk=chunk, title="RSO guide", score=1.0)
    lines = ["Give water and food. [1]"]
    return Answer(
        question="q",
        resolved_question="q",
        answer=compose_body("From the RSO guide:", "", lines),
        answered=True,
        citations=[Citation(1, hit, "Give water and food.")],
        passages=[hit],
        notes=["Guidance drawn from the handbooks."],
        lead="From the RSO guide:",
        points=lines,
        point_parts=[("Give water and food.", "[1]")],
    )


def test_answer_is_translated_and_quotes_keep_the_original() -> None:
    answer = _answer()
    localise_answer(answer, "es", TranslationService([FakeTranslator(EN_ES)]))
    assert answer.answer_lang == "es"
    assert answer.lead == "De la guía RSO:"
    assert answer.points == ["Dé agua y comida. [1]"]
    assert answer.answer == "De la guía RSO:\n\n- Dé agua y comida. [1]"
    assert answer.citations[0].quote == "Give water and food."  # the handbook's words
    assert answer.citations[0].translation == "Dé agua y comida."
    assert answer.notes[0] == "Orientación tomada de los manuales."
    assert "Traducción automática" in answer.notes[-1]


def test_no_backend_keeps_english_and_says_why_in_the_askers_language() -> None:
    answer = _answer()
    localise_answer(answer, "km", TranslationService([FakeTranslator(EN_ES)]))
    assert answer.answer_lang == "en"
    assert answer.lead == "From the RSO guide:"
    assert answer.notes[-1] == NO_BACKEND["km"]
    assert answer.citations[0].translation is None
    other = _answer()
    localise_answer(other, "sw", None)  # no fixed message for Swahili: English, naming the language
    assert other.notes[-1].startswith("No translation into sw")


def test_a_failing_backend_leaves_the_english_answer_with_a_note() -> None:
    class Failing(FakeTranslator):
        def translate(self, texts, source, target):  # type: ignore[no-untyped-def]
            raise TranslationError("boom")

    answer = _answer()
    localise_answer(answer, "es", TranslationService([Failing(EN_ES)]))
    assert answer.answer_lang == "en"
    assert answer.lead == "From the RSO guide:"
    assert "falló" in answer.notes[-1]


def test_question_language_and_english_basis() -> None:
    sure_thai = Detection("th", 1.0, "script")
    unsure = Detection("fr", 0.4, "words")
    assert question_language(sure_thai, "es") == "th"  # a Thai question stays Thai
    assert question_language(unsure, "es") == "es"  # explicit wins over unsure detection
    assert question_language(unsure, None) == "fr"
    assert english_basis("How?", "en", None) == "How?"
    assert english_basis("¿Cómo?", "es", "How?") == "How?"
    basis = english_basis("เด็กไม่มีหนังสือเดินทางที่ชายแดน NRM", "th", None)
    assert "NRM" in basis and "documents" in basis and "border" in basis


def test_english_basis_reads_the_vocabulary_where_no_backend_translates() -> None:
    # The lexicon knows neither word; the handbook vocabulary knows both.
    question = "Cô gái có nhiều thương tích"
    assert load_lexicon().expand(question, "vi") == []
    assert {"girls", "injuries"} <= set(english_basis(question, "vi", None).split())


def test_english_basis_drops_ages_like_the_english_check_does() -> None:
    # A rendering loses "years old"; the bare number would then read as a figure to find.
    for question, lang in [
        ("Encontramos a una niña de 14 años en la frontera", "es"),
        ("Мы нашли 14-летнюю девочку на границе", "ru"),
        ("พบเด็กอายุ 14 ที่ชายแดน", "th"),
    ]:
        basis = english_basis(question, lang, None)
        assert "14" not in basis and "border" in basis
    assert "24" in english_basis("¿Qué pasa en las próximas 24 horas en la frontera?", "es", None)
