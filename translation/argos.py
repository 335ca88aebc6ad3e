"""Argos Translate: neural translation from `.argosmodel` packages (CTranslate2 + SentencePiece).

Packages come from files the user provides (`haven translate install FILE...`) or, on a machine
that is online, from Argos's own package index (`haven translate install --online es fr`). They
live under the project's models directory, never in the home directory: argostranslate creates
its data, config and cache directories when it is first imported, so the environment points it
at `<models_dir>/argos/` for that import (and is then restored).

Translation uses the package's own tokenizer and CTranslate2 model directly, with a simple
sentence splitter instead of Argos's downloadable sentence-boundary models, which would need
the network; decoding is bounded so a bad model cannot run away.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import logging
import os
import re
import sys
import threading
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from translation.languages import SOURCE_LANG, language_code
from translation.translator import MissingPackageError, Pair, TranslationError

log = logging.getLogger("haven.translation")
_import_lock = threading.Lock()
_use_lock = threading.RLock()  # argostranslate's settings are module-global
_SENTENCE_END = re.compile(r"(?<=[.!?;。！？])\s+")
_NO_SPACE_SCRIPTS = {"th", "lo", "km", "my", "zh", "ja"}


class ArgosUnavailableError(TranslationError):
    """argostranslate is not installed (pip install 'haven[translate]')."""


@dataclass(frozen=True)
class PackageInfo:
    source: str
    target: str
    version: str
    path: Path


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _import_argos(home: Path) -> ModuleType:
    """`argostranslate.package`, imported with its directories under `home` the first time."""
    with _import_lock:
        if "argostranslate.package" not in sys.modules:
            for sub in ("data", "config", "cache", "packages"):
                (home / sub).mkdir(parents=True, exist_ok=True)
            with _environment(
                {
                    "XDG_DATA_HOME": str(home / "data"),
                    "XDG_CONFIG_HOME": str(home / "config"),
                    "XDG_CACHE_HOME": str(home / "cache"),
                    "ARGOS_PACKAGES_DIR": str(home / "packages"),
                    "ARGOS_DEVICE_TYPE": "cpu",
                }
            ):
                try:
                    importlib.import_module("argostranslate.package")
                except ImportError as exc:
                    raise ArgosUnavailableError(
                        "Argos Translate is not installed: pip install 'haven[translate]'"
                    ) from exc
        return sys.modules["argostranslate.package"]


def argos_installed() -> bool:
    return importlib.util.find_spec("argostranslate") is not None


class ArgosTranslator:
    def __init__(
        self,
        models_dir: Path,
        beam_size: int = 2,
        threads: int = 2,
        index_url: str | None = None,
    ) -> None:
        self.home = Path(models_dir) / "argos"
        self.packages_dir = self.home / "packages"
        self._beam_size = beam_size
        self._threads = threads
        self._index_url = index_url
        self._packages: dict[Pair, Any] | None = None
        self._models: dict[Path, Any] = {}

    @property
    def name(self) -> str:
        return "argos"

    @property
    def keeps_placeholders(self) -> bool:
        return False  # neural models rewrite or drop unknown tokens

    # -- argostranslate, pointed at our directories -------------------------------------------

    @contextmanager
    def _argos(self) -> Iterator[ModuleType]:
        package = _import_argos(self.home)
        settings = package.settings
        with _use_lock:
            self.packages_dir.mkdir(parents=True, exist_ok=True)
            (self.home / "cache" / "argos-translate" / "downloads").mkdir(
                parents=True, exist_ok=True
            )
            saved = {
                name: getattr(settings, name)
                for name in (
                    "package_data_dir",
                    "package_dirs",
                    "downloads_dir",
                    "local_package_index",
                    "remote_package_index",
                )
            }
            settings.package_data_dir = self.packages_dir
            settings.package_dirs = [self.packages_dir]
            settings.downloads_dir = self.home / "cache" / "argos-translate" / "downloads"
            settings.local_package_index = self.home / "data" / "argos-translate" / "index.json"
            settings.local_package_index.parent.mkdir(parents=True, exist_ok=True)
            if self._index_url:
                settings.remote_package_index = self._index_url.rstrip("/") + "/index.json"
            try:
                yield package
            finally:
                for name, value in saved.items():
                    setattr(settings, name, value)

    def _installed(self) -> dict[Pair, Any]:
        if self._packages is None:
            found: dict[Pair, Any] = {}
            if self.packages_dir.is_dir() and any(self.packages_dir.iterdir()):
                with self._argos() as package:
                    for folder in sorted(self.packages_dir.iterdir()):
                        try:
                            pkg = package.Package(folder)
                        except (FileNotFoundError, ValueError, KeyError):
                            log.warning("skipping a broken Argos package folder: %s", folder.name)
                            continue
                        source, target = language_code(pkg.from_code), language_code(pkg.to_code)
                        usable = hasattr(pkg, "tokenizer") and (folder / "model").is_dir()
                        if pkg.type == "translate" and source and target and usable:
                            found.setdefault((source, target), pkg)
            self._packages = found
        return self._packages

    def packages(self) -> list[PackageInfo]:
        return [
            PackageInfo(source, target, str(pkg.package_version), Path(pkg.package_path))
            for (source, target), pkg in sorted(self._installed().items())
        ]

    def pairs(self) -> set[Pair]:
        return set(self._installed())

    # -- installing ---------------------------------------------------------------------------

    def install_file(self, path: Path) -> Pair:
        """Install one `.argosmodel` file; returns its (source, target)."""
        pair = check_package_file(path)
        with self._argos() as package:
            package.install_from_path(Path(path))
        self._packages = None
        return pair

    def install_online(self, langs: Sequence[str]) -> list[Pair]:
        """Download and install en→X and X→en for each language from Argos's package index."""
        wanted = [language_code(lang) or lang for lang in langs]
        with self._argos() as package:
            # A stale copy must not hide that the index cannot be reached now.
            Path(package.settings.local_package_index).unlink(missing_ok=True)
            package.update_package_index()
            if not Path(package.settings.local_package_index).exists():
                raise TranslationError(
                    "cannot reach the Argos package index (is this machine online?); "
                    "install .argosmodel files instead"
                )
            available = package.get_available_packages()
            installed: list[Pair] = []
            missing: list[str] = []
            for lang in wanted:
                for source, target in ((SOURCE_LANG, lang), (lang, SOURCE_LANG)):
                    match = next(
                        (
                            p
                            for p in available
                            if language_code(p.from_code) == source
                            and language_code(p.to_code) == target
                        ),
                        None,
                    )
                    if match is None:
                        missing.append(f"{source}→{target}")
                        continue
                    try:
                        match.install()
                    except Exception as exc:  # argos raises bare Exception on download failure
                        raise TranslationError(
                            f"downloading {source}→{target} failed: {exc}"
                        ) from exc
                    installed.append((source, target))
        self._packages = None
        if missing and not installed:
            raise TranslationError("the Argos index has no package for " + ", ".join(missing))
        return installed

    # -- translating --------------------------------------------------------------------------

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        pkg = self._installed().get((source, target))
        if pkg is None:
            raise MissingPackageError(source, target, "no such Argos package installed")
        try:
            return self._translate(pkg, texts, source, target)
        except (RuntimeError, ValueError, OSError) as exc:
            raise TranslationError(f"Argos {source}→{target} failed: {exc}") from exc

    def _translate(self, pkg: Any, texts: Sequence[str], source: str, target: str) -> list[str]:
        # Every sentence of every line of every text goes into one CTranslate2 batch.
        layout: list[list[list[int]]] = []
        sentences: list[str] = []
        for text in texts:
            lines = []
            for line in text.split("\n"):
                ids = []
                for sentence in split_sentences(line, source):
                    ids.append(len(sentences))
                    sentences.append(sentence)
                lines.append(ids)
            layout.append(lines)
        translated = self._run(pkg, sentences) if sentences else []
        joiner = "" if target in _NO_SPACE_SCRIPTS else " "
        return [
            "\n".join(joiner.join(translated[i] for i in ids) for ids in lines) for lines in layout
        ]

    def _run(self, pkg: Any, sentences: list[str]) -> list[str]:
        tokens = [pkg.tokenizer.encode(s) for s in sentences]
        prefix = pkg.target_prefix or ""
        results = self._model(pkg).translate_batch(
            tokens,
            target_prefix=[[prefix]] * len(tokens) if prefix else None,
            beam_size=self._beam_size,
            max_batch_size=32,
            batch_type="tokens",
            replace_unknowns=True,
            # A translation is seldom more than twice its source; a broken model stops here.
            max_decoding_length=max(16, 2 * max(len(t) for t in tokens) + 8),
            length_penalty=0.2,
        )
        out = []
        for result in results:
            value = pkg.tokenizer.decode(result.hypotheses[0])
            if prefix and value.startswith(prefix):
                value = value[len(prefix) :]
            out.append(value.strip())
        return out

    def _model(self, pkg: Any) -> Any:
        path = Path(pkg.package_path)
        if path not in self._models:
            import ctranslate2  # lazy: comes with the optional argostranslate

            self._models[path] = ctranslate2.Translator(
                str(path / "model"), device="cpu", inter_threads=1, intra_threads=self._threads
            )
        return self._models[path]


def split_sentences(line: str, lang: str) -> list[str]:
    """Sentences of one line; Thai and other unspaced scripts stay whole (no full stops)."""
    line = line.strip()
    if not line:
        return []
    if lang in _NO_SPACE_SCRIPTS:
        return [part for part in re.split(r"\s{2,}", line) if part]
    return [part for part in _SENTENCE_END.split(line) if part]


def check_package_file(path: Path) -> Pair:
    """(source, target) of an `.argosmodel` file, or a TranslationError saying what is wrong."""
    path = Path(path)
    if not path.is_file():
        raise TranslationError(f"{path.name}: no such file")
    if not zipfile.is_zipfile(path):
        raise TranslationError(f"{path.name}: not an .argosmodel package (not a zip archive)")
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        tops = {n.split("/")[0] for n in names if n.strip("/")}
        if len(tops) != 1:
            raise TranslationError(f"{path.name}: expected one top-level folder in the archive")
        top = tops.pop()
        if f"{top}/metadata.json" not in names:
            raise TranslationError(f"{path.name}: metadata.json is missing")
        if not any(n.startswith(f"{top}/model/") for n in names):
            raise TranslationError(f"{path.name}: the model/ folder is missing")
        if not {f"{top}/sentencepiece.model", f"{top}/bpe.model"} & set(names):
            raise TranslationError(f"{path.name}: no tokenizer (sentencepiece.model or bpe.model)")
        try:
            meta = json.loads(archive.read(f"{top}/metadata.json"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise TranslationError(f"{path.name}: metadata.json is not valid JSON") from exc
    source, target = language_code(meta.get("from_code")), language_code(meta.get("to_code"))
    if meta.get("type", "translate") != "translate" or not source or not target:
        raise TranslationError(f"{path.name}: not a translation package (from_code/to_code)")
    return source, target
