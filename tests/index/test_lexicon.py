"""The domain lexicon: practitioner words map to handbook terms; the data file stays valid."""

from __future__ import annotations

import pytest

from index.lexicon import load_lexicon, parse_lexicon


def test_shipped_lexicon_loads_and_expands() -> None:
    lexicon = load_lexicon()
    assert len(lexicon.entries) >= 20
    extra = lexicon.expand("I'm exhausted after a year of cases with kids")
    assert "children" in extra
    assert "vicarious trauma" in extra


def test_expansion_skips_terms_already_present() -> None:
    lexicon = parse_lexicon({"term": [{"handbook": ["children"], "en": ["kids"]}]})
    assert lexicon.expand("kids and children") == []
    assert lexicon.expand("kids") == ["children"]
    assert lexicon.expand("skidsteer") == []  # whole words only


def test_other_languages_and_thai_without_spaces() -> None:
    lexicon = parse_lexicon(
        {"term": [{"handbook": ["child"], "es": ["niño", "niña"], "th": ["เด็ก"]}]}
    )
    assert lexicon.expand("¿Qué hago con la niña?", "es") == ["child"]
    assert lexicon.expand("ฉันพบเด็กในรถบรรทุก", "th") == ["child"]
    assert lexicon.languages() == {"es", "th"}


def test_entries_need_handbook_terms() -> None:
    with pytest.raises(ValueError, match="handbook"):
        parse_lexicon({"term": [{"en": ["kids"]}]})
