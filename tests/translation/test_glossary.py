"""The glossary keeps key terms right around any backend; the lexicon data stays valid."""

from __future__ import annotations

from index.lexicon import load_lexicon, parse_lexicon
from translation.glossary import Glossary, Term, load_glossary
from translation.service import TranslationService
from translation.translator import FakeTranslator

LANGS = ("es", "fr", "ru", "id", "vi", "th")


def _glossary() -> Glossary:
    return Glossary(
        [
            Term(
                {"en": ("trafficking in persons",), "es": ("trata de personas",)},
                {"es": ("tráfico de personas",)},
            ),
            Term({"en": ("children", "child"), "es": ("niños", "niño")}, {}),
        ]
    )


def test_protect_and_restore_with_a_placeholder_backend() -> None:
    glossary = _glossary()
    guarded = glossary.protect("A child victim of trafficking in persons.", "en", "es")
    assert "trafficking" not in guarded.text and "child" not in guarded.text
    restored = glossary.restore(guarded.text, guarded, "es")
    assert restored == "A niño victim of trata de personas."  # parallel forms: child → niño
    assert not glossary.lost_tokens(guarded.text, guarded)
    assert glossary.lost_tokens("A victim.", guarded)


def test_correct_replaces_known_wrong_renderings() -> None:
    fixed = _glossary().correct("Tráfico de personas y tráfico de drogas.", "es")
    assert fixed == "Trata de personas y tráfico de drogas."


def test_service_applies_the_glossary_around_any_backend() -> None:
    # A backend that renders "trafficking in persons" wrongly, word by word.
    naive = {
        ("en", "es"): {
            "trafficking": "tráfico",
            "in": "de",
            "persons": "personas",
            "victims": "víctimas",
            "of": "de",
        }
    }
    for keeps in (True, False):
        service = TranslationService([FakeTranslator(naive, keeps_placeholders=keeps)], _glossary())
        out = service.translate(["victims of trafficking in persons"], "es")[0]
        assert "trata de personas" in out, (keeps, out)
        assert "tráfico" not in out


def test_shipped_glossary_covers_the_key_terms_in_every_language() -> None:
    glossary = load_glossary()
    for english, expected in [
        ("trafficking in persons", {"es": "trata de personas", "fr": "traite des êtres humains"}),
        ("National Referral Mechanism", {"es": "Mecanismo Nacional de Derivación"}),
        ("non-punishment principle", {"es": "principio de no punición"}),
    ]:
        term = next(t for t in glossary.terms if english in t.forms.get("en", ()))
        for lang in LANGS:
            assert term.forms.get(lang), f"{english!r} has no {lang} rendering"
        for lang, text in expected.items():
            assert term.forms[lang][0] == text


def test_shipped_lexicon_is_large_and_multilingual() -> None:
    lexicon = load_lexicon()
    assert len(lexicon.entries) >= 200
    for lang in LANGS:
        covered = sum(1 for e in lexicon.entries if e.variants.get(lang))
        assert covered >= 0.9 * len(lexicon.entries), lang


def test_non_english_questions_expand_to_handbook_terms() -> None:
    lexicon = load_lexicon()
    cases = {
        "es": "¿Puedo esposar a una menor no acompañada sin pasaporte en la frontera?",
        "fr": "Un mineur non accompagné sans passeport à la frontière",
        "ru": "Несопровождаемый ребёнок без паспорта на границе",
        "id": "Anak tanpa pendamping tanpa paspor di perbatasan",
        "vi": "Trẻ em không có người đi kèm, không có hộ chiếu ở biên giới",
        "th": "เด็กที่ไม่มีผู้ติดตามไม่มีหนังสือเดินทางที่ชายแดน",
    }
    for lang, question in cases.items():
        extra = lexicon.expand(question, lang)
        assert "unaccompanied" in extra, lang
        assert "passport" in extra, lang
        assert "border" in extra, lang


def test_stems_and_gloss() -> None:
    lexicon = parse_lexicon(
        {
            "term": [
                {"handbook": ["children"], "ru": ["дет*", "ребён*"]},
                {"handbook": ["trafficking in persons"], "ru": ["торговл* людьми"]},
            ]
        }
    )
    assert lexicon.expand("Детей продают", "ru") == ["children"]
    assert lexicon.expand("о торговле людьми", "ru") == ["trafficking in persons"]
    assert lexicon.gloss("ребёнок и торговля людьми", "ru") == "children и trafficking in persons"
