"""Apertium: Debian's rule-based translator (apt-get install apertium apertium-eng-spa).

Works offline and starts in under a second, but the output is rough: word order, agreement and
idiom often come out wrong. Good enough to carry a question's key terms into English for
search, and to give the gist of an answer; the glossary fixes the terms that matter most.
Every text in a batch goes through one process, one line per segment.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence

from translation.languages import language_code
from translation.translator import MissingPackageError, Pair, TranslationError

_SEPARATOR = "\n"


class ApertiumTranslator:
    def __init__(self, binary: str = "apertium", timeout: float = 30.0) -> None:
        self._binary = binary
        self._timeout = timeout
        self._modes: dict[Pair, str] | None = None

    @property
    def name(self) -> str:
        return "apertium"

    @property
    def keeps_placeholders(self) -> bool:
        return True  # unknown words pass through unchanged with -u

    def available(self) -> bool:
        return shutil.which(self._binary) is not None

    def modes(self) -> dict[Pair, str]:
        """Installed directions, e.g. {("en", "es"): "eng-spa"}; empty without apertium."""
        if self._modes is None:
            self._modes = self._list_modes()
        return self._modes

    def _list_modes(self) -> dict[Pair, str]:
        if not self.available():
            return {}
        try:
            listed = subprocess.run(
                [self._binary, "-l"],
                capture_output=True,
                text=True,
                timeout=self._timeout,
                check=False,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return {}
        modes: dict[Pair, str] = {}
        for line in listed.split():
            parts = line.strip().split("-")
            if len(parts) != 2 or "_" in parts[1]:
                continue  # variants such as spa-eng_US; the plain direction is enough
            source, target = language_code(parts[0]), language_code(parts[1])
            if source and target:
                modes.setdefault((source, target), line.strip())
        return modes

    def pairs(self) -> set[Pair]:
        return set(self.modes())

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        mode = self.modes().get((source, target))
        if mode is None:
            raise MissingPackageError(source, target, "no such Apertium pair installed")
        # One line per segment: split multi-line texts, translate, put the lines back.
        lines: list[str] = []
        shape: list[int] = []
        for text in texts:
            parts = text.split("\n")
            shape.append(len(parts))
            lines.extend(parts)
        if not any(line.strip() for line in lines):
            return list(texts)
        try:
            done = subprocess.run(
                [self._binary, "-u", mode],
                input=_SEPARATOR.join(lines) + "\n",
                capture_output=True,
                text=True,
                timeout=self._timeout,
                check=False,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise TranslationError(f"apertium failed: {exc.__class__.__name__}") from exc
        if done.returncode != 0:
            raise TranslationError(f"apertium exited with status {done.returncode}")
        out = done.stdout.rstrip("\n").split(_SEPARATOR)
        if len(out) != len(lines):
            raise TranslationError("apertium returned a different number of lines")
        result = []
        position = 0
        for count in shape:
            result.append("\n".join(out[position : position + count]))
            position += count
        return [r if t.strip() else t for r, t in zip(result, texts, strict=True)]
