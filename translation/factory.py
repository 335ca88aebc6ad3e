"""Build the translation service the settings ask for, with whatever backends are installed."""

from __future__ import annotations

import logging

from core.settings import Settings
from translation.apertium import ApertiumTranslator
from translation.argos import ArgosTranslator, argos_installed
from translation.glossary import load_glossary
from translation.service import TranslationService
from translation.translator import Translator

log = logging.getLogger("haven.translation")


def make_backends(settings: Settings) -> list[Translator]:
    t = settings.translation
    backends: list[Translator] = []
    for name in t.backends:
        if name == "argos":
            if argos_installed():
                backends.append(
                    ArgosTranslator(
                        settings.models_dir,
                        beam_size=t.argos_beam_size,
                        threads=t.threads,
                        index_url=t.argos_index_url,
                    )
                )
        elif name == "apertium":
            apertium = ApertiumTranslator(t.apertium_binary, timeout=t.timeout)
            if apertium.available():
                backends.append(apertium)
    return backends


def load_translation(settings: Settings) -> TranslationService:
    """The service (possibly with no backend: then everything stays in English)."""
    backends = make_backends(settings) if settings.translation.enabled else []
    service = TranslationService(backends, load_glossary())
    log.info("translation backends: %s", ", ".join(b.name for b in service.backends) or "none")
    return service
