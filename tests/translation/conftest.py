"""Fixtures for the translation tests: tiny real Argos packages, built once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def argos_models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """`.argosmodel` files for es→en and en→fr (seeded random weights: nonsense output)."""
    pytest.importorskip("argostranslate")
    pytest.importorskip("ctranslate2")
    from tests.translation.tiny_argos import build_argosmodel

    folder = tmp_path_factory.mktemp("argos-models")
    return {
        "es-en": build_argosmodel(folder, "es", "en", seed=1),
        "en-fr": build_argosmodel(folder, "en", "fr", seed=2),
    }


def apertium_pair_installed() -> bool:
    from translation.apertium import ApertiumTranslator

    return shutil.which("apertium") is not None and {("en", "es"), ("es", "en")} <= (
        ApertiumTranslator().pairs()
    )


needs_apertium = pytest.mark.skipif(
    not apertium_pair_installed(),
    reason="apertium with apertium-eng-spa is not installed (make system-deps)",
)
