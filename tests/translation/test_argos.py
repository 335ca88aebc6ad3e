"""Argos Translate end to end with tiny packages the tests build themselves (a one-layer
CTranslate2 model and a SentencePiece vocabulary): install from file, translate, pivot through
English, the missing-package error, broken files, online install from a local index, and the
models directory. The output is nonsense; the code path is real."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from translation.argos import ArgosTranslator, check_package_file
from translation.glossary import load_glossary
from translation.service import TranslationService
from translation.translator import MissingPackageError, TranslationError

pytest.importorskip("argostranslate")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def argos(tmp_path: Path, argos_models: dict[str, Path]) -> ArgosTranslator:
    translator = ArgosTranslator(tmp_path / "models", beam_size=1, threads=1)
    assert translator.install_file(argos_models["es-en"]) == ("es", "en")
    assert translator.install_file(argos_models["en-fr"]) == ("en", "fr")
    return translator


def test_install_from_file_lands_in_the_models_directory(argos: ArgosTranslator) -> None:
    assert argos.pairs() == {("es", "en"), ("en", "fr")}
    installed = {p.path.parent for p in argos.packages()}
    assert installed == {argos.packages_dir}
    assert [p.version for p in argos.packages()] == ["1.0", "1.0"]


def test_translate_runs_the_real_model(argos: ArgosTranslator) -> None:
    texts = ["¿Qué hago con un niño víctima de trata?", "", "Dos líneas.\nSegunda línea."]
    out = argos.translate(texts, "es", "en")
    assert len(out) == 3
    assert out[0].strip() and out[1] == ""
    assert out[2].count("\n") == 1  # lines keep their shape
    assert argos.translate(texts, "es", "en") == out  # deterministic


def test_pivot_through_english(argos: ArgosTranslator) -> None:
    service = TranslationService([argos], load_glossary())
    route = service.route("es", "fr")
    assert route is not None
    assert [(s.source, s.target) for s in route] == [("es", "en"), ("en", "fr")]
    out = service.translate(["La niña no tiene pasaporte."], "fr", "es")
    assert out[0].strip()
    assert service.backend_for("es", "fr") == "argos"


def test_missing_package_is_a_clear_error(argos: ArgosTranslator) -> None:
    with pytest.raises(MissingPackageError, match="fr → es"):
        argos.translate(["Bonjour"], "fr", "es")
    with pytest.raises(MissingPackageError):
        TranslationService([argos]).translate(["Bonjour"], "es", "fr")


def test_broken_package_files_are_refused(tmp_path: Path) -> None:
    not_zip = tmp_path / "x.argosmodel"
    not_zip.write_text("hello")
    with pytest.raises(TranslationError, match="zip"):
        check_package_file(not_zip)
    no_meta = tmp_path / "y.argosmodel"
    with zipfile.ZipFile(no_meta, "w") as archive:
        archive.writestr("pkg/model/model.bin", b"")
    with pytest.raises(TranslationError, match=r"metadata\.json"):
        check_package_file(no_meta)
    with pytest.raises(TranslationError, match="no such file"):
        check_package_file(tmp_path / "missing.argosmodel")


@pytest.fixture
def package_index(argos_models: dict[str, Path], tmp_path: Path) -> Iterator[str]:
    """A local stand-in for Argos's package index, served over HTTP on 127.0.0.1."""
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(argos_models["es-en"], site / "translate-es_en.argosmodel")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0),
        lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(site)),
    )
    url = f"http://127.0.0.1:{server.server_address[1]}"
    index = [
        {
            "package_version": "1.0",
            "argos_version": "1.9",
            "from_code": "es",
            "from_name": "Spanish",
            "to_code": "en",
            "to_name": "English",
            "type": "translate",
            "links": [f"{url}/translate-es_en.argosmodel"],
        }
    ]
    (site / "index.json").write_text(json.dumps(index), encoding="utf-8")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url
    finally:
        server.shutdown()


def test_online_install_from_the_package_index(tmp_path: Path, package_index: str) -> None:
    argos = ArgosTranslator(tmp_path / "models", index_url=package_index)
    assert argos.install_online(["es"]) == [("es", "en")]  # the index has no en→es
    assert argos.pairs() == {("es", "en")}
    with pytest.raises(TranslationError, match="no package"):
        argos.install_online(["th"])


def test_offline_online_install_says_so(tmp_path: Path) -> None:
    argos = ArgosTranslator(tmp_path / "models", index_url="http://127.0.0.1:9")
    with pytest.raises(TranslationError, match="online"):
        argos.install_online(["es"])


def test_first_import_points_argos_at_the_models_directory(
    tmp_path: Path, argos_models: dict[str, Path]
) -> None:
    """argostranslate creates its directories on import: they must not appear in $HOME."""
    home = tmp_path / "home"
    home.mkdir()
    code = (
        "import sys; from pathlib import Path\n"
        "from translation.argos import ArgosTranslator\n"
        "a = ArgosTranslator(Path(sys.argv[1]))\n"
        "print(a.install_file(Path(sys.argv[2])))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "ARGOS_"))}
    env.update(HOME=str(home), PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "models"), str(argos_models["es-en"])],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "('es', 'en')" in done.stdout
    assert not (home / ".local").exists() and not (home / ".config").exists()
    assert (tmp_path / "models" / "argos" / "packages").is_dir()
