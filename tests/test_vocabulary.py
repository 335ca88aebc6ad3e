"""The handbook vocabulary: word lists from other languages to the handbooks' English words."""

from __future__ import annotations

import pytest

from index.vocabulary import (
    VOCABULARY_DIR,
    fold_text,
    load_vocabulary,
    parse_vocabulary,
    render_english,
    vocabulary_languages,
)

SPANISH = "truck\tcamión; camiones\nexploitation\texplot*\nbest\tmejor\nchild\tniño; niña; niños\n"


def test_exact_words_ignore_case_and_accents() -> None:
    vocab = parse_vocabulary("es", SPANISH)
    assert vocab.english("Un NIÑO escondido en el CAMION") == ["child", "truck"]


def test_stems_match_every_ending_but_not_other_words() -> None:
    vocab = parse_vocabulary("es", SPANISH)
    assert vocab.english("explotación laboral, explotados") == ["exploitation"]
    assert vocab.english("la explanada") == []


def test_phrases_win_over_their_words() -> None:
    vocab = parse_vocabulary("es", "best interests\tinterés superior\ninterest\tinterés\n")
    matches = vocab.matches("el interés superior del niño")
    assert [m.english for m in matches] == [("best interests",)]
    assert vocab.english("sin interés") == ["interest"]


def test_a_word_with_several_senses_gives_each_once() -> None:
    vocab = parse_vocabulary("es", "protection\tprotección\nprotect\tproteger; protección\n")
    assert vocab.english("protección y protección") == ["protection", "protect"]


def test_russian_stems_treat_yo_as_ye() -> None:
    vocab = parse_vocabulary("ru", "child\tребён*; дет*\ntrafficking\tторговл* людьми\n")
    assert vocab.english("Ребенок и торговля людьми") == ["child", "trafficking"]
    assert vocab.english("детей") == ["child"]


def test_too_short_stems_are_ignored() -> None:
    vocab = parse_vocabulary("es", "of\tde*\n")
    assert vocab.english("detención del menor") == []


def test_vietnamese_keeps_tones_and_matches_syllable_phrases() -> None:
    vocab = parse_vocabulary("vi", "child\ttrẻ em\nvictim\tnạn nhân\n")
    assert vocab.english("Trẻ em là nạn nhân") == ["child", "victim"]
    assert vocab.english("tre em la nan nhan") == []


def test_thai_is_matched_without_spaces_longest_first() -> None:
    vocab = parse_vocabulary("th", "child\tเด็ก\nvictim\tผู้เสียหาย; เหยื่อ\nchild victim\tเด็กที่เป็นเหยื่อ\n")
    assert vocab.english("พบเด็กที่เป็นเหยื่อในรถบรรทุก") == ["child victim"]
    assert vocab.english("เด็กคนนี้เป็นผู้เสียหาย") == ["child", "victim"]


def test_a_line_without_a_tab_is_an_error_naming_the_line() -> None:
    with pytest.raises(ValueError, match="line 2"):
        parse_vocabulary("es", "truck\tcamión\nbroken line\n")


def test_comments_blank_lines_and_empty_translations_are_skipped() -> None:
    vocab = parse_vocabulary("es", "# a comment\n\nthe\t\ntruck\tcamión\n")
    assert vocab.size == 1


def test_no_vocabulary_for_english_or_unknown_languages() -> None:
    assert load_vocabulary("en") is None
    assert load_vocabulary("xx") is None
    assert load_vocabulary("../etc") is None


def test_rendering_keeps_acronyms_and_numbers_and_drops_unknown_words() -> None:
    rendering = render_english("¿Un niño de 15 años en el camión? NRM", "es")
    assert "15" in rendering.split() and "NRM" in rendering.split()
    assert "transport" in rendering and "child" in rendering
    assert "camión" not in rendering and "¿Un" not in rendering


def test_rendering_is_empty_when_nothing_is_known() -> None:
    assert render_english("zzzz qqqq", "es") == ""


@pytest.mark.parametrize("lang", ["es", "fr", "ru", "id", "vi", "th"])
def test_shipped_word_lists_parse_and_cover_the_handbook_vocabulary(lang: str) -> None:
    assert lang in vocabulary_languages()
    vocab = load_vocabulary(lang)
    assert vocab is not None
    assert vocab.size > 1500  # most of the ~3,000 handbook words have a translation
    lines = (VOCABULARY_DIR / f"{lang}.tsv").read_text(encoding="utf-8").splitlines()
    keys = [line.split("\t", 1)[0] for line in lines if line and not line.startswith("#")]
    assert len(keys) == len(set(keys)), "each English word once"


@pytest.mark.parametrize(
    ("lang", "question", "expected"),
    [
        ("es", "La policía encontró a una niña en la frontera", {"police", "child", "border"}),
        ("fr", "La police a trouvé un enfant à la frontière", {"police", "child", "border"}),
        ("ru", "Полиция нашла ребёнка на границе", {"police", "child", "border"}),
        ("id", "Polisi menemukan seorang anak di perbatasan", {"police", "child", "border"}),
        ("vi", "Cảnh sát tìm thấy một trẻ em ở biên giới", {"police", "child", "border"}),
        ("th", "ตำรวจพบเด็กที่ชายแดน", {"police", "child", "border"}),
    ],
)
def test_shipped_word_lists_know_everyday_words(
    lang: str, question: str, expected: set[str]
) -> None:
    vocab = load_vocabulary(lang)
    assert vocab is not None
    assert expected <= set(vocab.english(question))


def test_normalize_drops_accents_except_vietnamese() -> None:
    assert fold_text("Niño Ёлка", "es") == "nino елка"
    assert fold_text("Trẻ Em", "vi") == "trẻ em"


def test_stopwords_are_not_looked_up_alone_but_phrases_with_them_are() -> None:
    vocab = parse_vocabulary(
        "es", "nail\tuña\ntrafficking\ttrata de personas\n", stopwords="una de"
    )
    assert vocab.english("una niña con una uña rota") == []  # "uña" folds to "una"
    assert vocab.english("trata de personas") == ["trafficking"]
