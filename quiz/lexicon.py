"""Words learned from the corpus: which words are verbs (to spot imperatives) and which
phrases are key terms (to blank in fill-in-the-blank items)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from index.keywords import STOPWORDS
from quiz.glossary import SEED_TERMS
from quiz.text import words

_AFTER_MODAL = re.compile(
    r"\b(?:should|must|shall|do not|don[’']t|never|please)"
    r"\s+(?:(?:also|always|immediately|first|then|only|not|never|be able to|try to)\s+)*"
    r"([a-z][a-z-]+)\b"
)
_WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*[A-Za-z]|[A-Za-z]")
# Words after a modal that are not verbs, or verbs too vague to start an option.
_NOT_VERBS = words(
    "be been being not also always only often usually generally first then therefore never "
    "have has had still just even rather however thus both either each further see note mean "
    "ever already nonetheless effective feels co-operation consent expect"
)
SEED_VERBS = words("""
    act address allow arrange ask assess assist attend avoid be believe build call check close
    conduct confirm consider consult contact coordinate co-ordinate create decide develop discuss
    document encourage ensure establish explain find focus follow gather give grant help identify
    inform interview introduce involve keep listen make offer pay place plan prepare present
    protect provide record refer reassure remember remind report respect respond seek share speak
    start stop take tell thank treat try use verify wear work
    """)
_GENERIC_TERM_WORDS = words(
    "including however example may also well within without per cent order case cases part "
    "section annex chapter page see et al pp ibid"
)


@dataclass(frozen=True)
class TermMatch:
    start: int
    end: int
    term: str  # as written in the text


class CorpusTerms:
    def __init__(self, verbs: frozenset[str], terms: dict[str, float]) -> None:
        self.verbs = verbs
        self.terms = terms  # lowercase term -> priority (higher is a better blank)
        ordered = sorted(terms, key=lambda t: (-len(t), t))
        alternatives = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in ordered)
        self._pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.I)

    @classmethod
    def build(cls, texts: Iterable[tuple[str, str]]) -> CorpusTerms:
        """From (doc_id, text) pairs of the corpus."""
        verb_counts: Counter[str] = Counter()
        ngram_chunks: Counter[str] = Counter()
        ngram_docs: dict[str, set[str]] = {}
        for doc_id, text in texts:
            lowered = text.lower()
            verb_counts.update(m.group(1) for m in _AFTER_MODAL.finditer(lowered))
            for gram in _ngrams(text):
                ngram_chunks[gram] += 1
                ngram_docs.setdefault(gram, set()).add(doc_id)
        verbs = {
            w
            for w, n in verb_counts.items()
            if w not in _NOT_VERBS and w not in STOPWORDS and not w.endswith(("ly", "ed", "ing"))
        }
        terms: dict[str, float] = {}
        for gram, n in ngram_chunks.items():
            if n >= 4 and len(ngram_docs[gram]) >= 2:
                terms[gram] = 1.0 + min(n, 40) / 40
        for seed in SEED_TERMS:
            terms[seed.lower()] = 3.0 + len(seed.split()) * 0.1
        return cls(frozenset(verbs | SEED_VERBS), terms)

    def is_verb(self, word: str) -> bool:
        return word.lower() in self.verbs

    def base_of_gerund(self, word: str) -> str | None:
        """ "placing" -> "place", "scolding" -> "scold", "putting" -> "put"; None if unknown."""
        w = word.lower()
        if not w.endswith("ing") or len(w) < 5:
            return None
        stem = w[:-3]
        candidates = [stem, stem + "e"]
        if len(stem) > 2 and stem[-1] == stem[-2]:
            candidates.append(stem[:-1])
        return next((c for c in candidates if c in self.verbs), None)

    def find_terms(self, text: str) -> list[TermMatch]:
        """Key terms in the text, best first; a term written twice is left out (the second
        would give the blank away)."""
        found: dict[str, list[TermMatch]] = {}
        for m in self._pattern.finditer(text):
            term = " ".join(m.group(0).split()).lower()
            found.setdefault(term, []).append(TermMatch(m.start(), m.end(), m.group(0)))
        lowered = text.lower()
        once = [
            matches[0]
            for term, matches in found.items()
            if len(matches) == 1 and lowered.count(term.split()[-1]) == 1
        ]
        return sorted(once, key=lambda t: (-self.priority(t.term), t.start))

    def priority(self, term: str) -> float:
        return self.terms.get(" ".join(term.split()).lower(), 0.0)


_SPELLINGS = (
    (re.compile(r"isation\b"), "ization"),
    (re.compile(r"ization\b"), "isation"),
    (re.compile(r"(?<=[a-z]{3})is(e[ds]?|ing)\b"), r"iz\1"),
    (re.compile(r"(?<=[a-z]{3})iz(e[ds]?|ing)\b"), r"is\1"),
    (re.compile(r"(?<=[a-z]{3})our\b"), "or"),
    (re.compile(r"centred\b"), "centered"),
    (re.compile(r"centered\b"), "centred"),
)


def spelling_variants(term: str) -> list[str]:
    """The term and its other spellings ("re-traumatisation" / "re-traumatization")."""
    variants = [term]
    for pattern, replacement in _SPELLINGS:
        variants.append(pattern.sub(replacement, term))
    for v in list(variants):
        variants.append(v.replace("-", " "))
        variants.append(v.replace("-", ""))
    return list(dict.fromkeys(v for v in variants if v))


def _ngrams(text: str) -> set[str]:
    words = [w.lower() for w in _WORD.findall(text)]
    grams: set[str] = set()
    for size in (2, 3):
        for i in range(len(words) - size + 1):
            gram = words[i : i + size]
            if any(w in STOPWORDS or w in _GENERIC_TERM_WORDS or len(w) < 3 for w in gram):
                continue
            grams.add(" ".join(gram))
    return grams
