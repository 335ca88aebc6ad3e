"""The one localisation policy, for answers and quiz items alike: Haven composes in English,
then shows the result in the asker's language when it can.

- English asked for: the texts stay as they are.
- No installed backend reaches the language: the texts stay in English (`no-backend`); the
  caller adds a note saying so.
- A backend fails (TranslationService turns any backend error into TranslationError): the
  texts stay in English (`failed`), the failure is logged without the texts, and the caller
  adds a note. English rather than nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from translation.languages import SOURCE_LANG
from translation.service import TranslationService
from translation.translator import TranslationError

log = logging.getLogger("haven.translation")

Outcome = Literal["english", "translated", "no-backend", "failed"]


@dataclass(frozen=True)
class Rendering:
    texts: list[str]  # translated, or the English texts unchanged
    lang: str  # the language the texts are in
    outcome: Outcome
    backend: str = ""  # the backend (or pivot chain) that translated them


def from_english(
    texts: Sequence[str], target: str, service: TranslationService | None
) -> Rendering:
    """`texts` (English) in `target`, a normalised language code, as far as the policy allows."""
    english = list(texts)
    if target == SOURCE_LANG:
        return Rendering(english, SOURCE_LANG, "english")
    if service is None or not service.can_translate(SOURCE_LANG, target):
        return Rendering(english, SOURCE_LANG, "no-backend")
    try:
        out = service.translate(english, target, SOURCE_LANG)
    except TranslationError as exc:
        log.warning("translation into %s failed: %s", target, type(exc).__name__)
        return Rendering(english, SOURCE_LANG, "failed")
    return Rendering(out, target, "translated", service.backend_for(SOURCE_LANG, target) or "")
