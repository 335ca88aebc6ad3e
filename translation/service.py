"""Translation for the rest of Haven: routes each request to a backend, pivots through English
where only X→en and en→Y exist, keeps key terms right with the glossary, caches results.

The service never logs the text it translates (questions may name victims).
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from translation.glossary import Glossary
from translation.languages import SOURCE_LANG, language_code, name_of
from translation.translator import MissingPackageError, Pair, TranslationError, Translator

log = logging.getLogger("haven.translation")

MAX_STEPS = 3  # e.g. fr → es → en → th; every step costs quality


@dataclass(frozen=True)
class Step:
    backend: Translator
    source: str
    target: str


class TranslationService:
    def __init__(
        self,
        backends: Sequence[Translator],
        glossary: Glossary | None = None,
        cache_size: int = 2000,
    ) -> None:
        self.backends = list(backends)
        self.glossary = glossary
        self._cache: OrderedDict[tuple[str, str, str], str] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return "+".join(b.name for b in self.backends) or "none"

    def _direct(self, source: str, target: str) -> Translator | None:
        return next((b for b in self.backends if (source, target) in b.pairs()), None)

    def route(self, source: str, target: str) -> list[Step] | None:
        """The fewest steps from source to target (at most MAX_STEPS), each by the first
        backend in order that has the pair, pivoting through English where it can, else
        through another language (French → Spanish → English with Apertium alone)."""
        if source == target:
            return []
        direct = self._direct(source, target)
        if direct is not None:
            return [Step(direct, source, target)]
        graph: dict[str, list[str]] = {}
        for backend in self.backends:
            for s, t in sorted(backend.pairs(), key=lambda p: (p[1] != SOURCE_LANG, p)):
                if t not in graph.setdefault(s, []):
                    graph[s].append(t)
        previous: dict[str, str] = {source: source}
        frontier = [source]
        for _ in range(MAX_STEPS):
            following = []
            for lang in frontier:
                for nxt in graph.get(lang, []):
                    if nxt not in previous:
                        previous[nxt] = lang
                        following.append(nxt)
            if target in previous:
                break
            frontier = following
        if target not in previous:
            return None
        path = [target]
        while path[-1] != source:
            path.append(previous[path[-1]])
        path.reverse()
        steps = []
        for a, b in itertools.pairwise(path):
            step_backend = self._direct(a, b)
            assert step_backend is not None
            steps.append(Step(step_backend, a, b))
        return steps

    def can_translate(self, source: str | None, target: str | None) -> bool:
        source, target = language_code(source), language_code(target)
        return bool(source and target) and self.route(source or "", target or "") is not None

    def supports(self, lang: str) -> bool:
        """English into `lang` (the quiz's Translator protocol)."""
        return self.can_translate(SOURCE_LANG, lang)

    def backend_for(self, source: str, target: str) -> str | None:
        steps = self.route(source, target)
        if steps is None:
            return None
        return " + ".join(dict.fromkeys(s.backend.name for s in steps)) or "none"

    def translate(self, texts: Sequence[str], target: str, source: str = SOURCE_LANG) -> list[str]:
        """One translation per text. Raises MissingPackageError or TranslationError."""
        source_code, target_code = language_code(source) or source, language_code(target) or target
        steps = self.route(source_code, target_code)
        if steps is None:
            raise MissingPackageError(source_code, target_code)
        out = list(texts)
        for step in steps:
            out = self._step(step, out)
        return out

    def _step(self, step: Step, texts: list[str]) -> list[str]:
        results: list[str | None] = []
        todo: list[int] = []
        with self._lock:
            for i, text in enumerate(texts):
                key = (step.source, step.target, text)
                cached = self._cache.get(key)
                if cached is not None:
                    self._cache.move_to_end(key)
                elif text.strip():
                    todo.append(i)
                results.append(cached if cached is not None or text.strip() else text)
        if todo:
            fresh = self._backend(step, [texts[i] for i in todo])
            with self._lock:
                for i, value in zip(todo, fresh, strict=True):
                    results[i] = value
                    self._cache[(step.source, step.target, texts[i])] = value
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return [r if r is not None else "" for r in results]

    def _backend(self, step: Step, texts: list[str]) -> list[str]:
        glossary = self.glossary
        try:
            if glossary is None:
                return step.backend.translate(texts, step.source, step.target)
            if step.backend.keeps_placeholders:
                guarded = [glossary.protect(t, step.source, step.target) for t in texts]
                raw = step.backend.translate([g.text for g in guarded], step.source, step.target)
                out = []
                for i, (g, text) in enumerate(zip(guarded, raw, strict=True)):
                    if g.slots and glossary.lost_tokens(text, g):
                        # The backend mangled a token: translate this one unprotected.
                        text = step.backend.translate([texts[i]], step.source, step.target)[0]
                        out.append(text)
                    else:
                        out.append(glossary.restore(text, g, step.target))
            else:
                out = step.backend.translate(texts, step.source, step.target)
            return [glossary.correct(t, step.target) for t in out]
        except TranslationError:
            raise
        except Exception as exc:  # a backend bug must not take the answer down with it
            log.warning("translation backend %s failed: %s", step.backend.name, type(exc).__name__)
            raise TranslationError(f"{step.backend.name} failed") from exc

    def languages(self) -> dict[str, Any]:
        """What is installed, by backend, and which languages can reach English and back."""
        backends = []
        langs: set[str] = set()
        for backend in self.backends:
            pairs = sorted(backend.pairs())
            langs |= {code for pair in pairs for code in pair}
            backends.append(
                {"name": backend.name, "pairs": [{"source": s, "target": t} for s, t in pairs]}
            )
        langs.discard(SOURCE_LANG)
        rows = []
        for code in sorted(langs):
            rows.append(
                {
                    "code": code,
                    "name": name_of(code),
                    "to_english": self.backend_for(code, SOURCE_LANG),
                    "from_english": self.backend_for(SOURCE_LANG, code),
                }
            )
        return {"backends": backends, "languages": rows}


def pairs_of(backends: Sequence[Translator]) -> set[Pair]:
    return {pair for backend in backends for pair in backend.pairs()}
