"""Apertium English↔Spanish, for real (skipped where apertium-eng-spa is not installed)."""

from __future__ import annotations

from tests.translation.conftest import needs_apertium
from translation.apertium import ApertiumTranslator
from translation.glossary import load_glossary
from translation.service import TranslationService

pytestmark = needs_apertium


def test_english_to_spanish_and_back() -> None:
    apertium = ApertiumTranslator()
    es = apertium.translate(["The child must be protected.", "", "Hello\nworld"], "en", "es")
    assert "niño" in es[0].lower()
    assert es[1] == ""
    assert es[2].count("\n") == 1
    en = apertium.translate(["¿Dónde está el niño?"], "es", "en")
    assert "child" in en[0].lower() or "boy" in en[0].lower()


def test_glossary_terms_survive_translation() -> None:
    service = TranslationService([ApertiumTranslator()], load_glossary())
    source = (
        "Victims of trafficking in persons must be referred to the National Referral "
        "Mechanism. The non-punishment principle applies."
    )
    es = service.translate([source], "es", "en")[0]
    assert "trata de personas" in es
    assert "Mecanismo Nacional de Derivación" in es
    assert "principio de no punición" in es
    assert "tráfico" not in es  # what Apertium alone says
    back = service.translate(["La trata de personas y el principio de no punición."], "en", "es")
    assert "trafficking in persons" in back[0]
    assert "non-punishment principle" in back[0]
