"""Turning a free-text question into an FTS5 query: content words OR-ed, so BM25 ranks them."""

from __future__ import annotations

import re

from index.vocabulary import fold_text, load_vocabulary

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)

# Words that carry no topic in a practitioner's question; acronyms and domain terms stay.
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "aren't",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "can't",
        "cannot",
        "could",
        "couldn't",
        "did",
        "didn't",
        "do",
        "does",
        "doesn't",
        "doing",
        "don't",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "hadn't",
        "has",
        "hasn't",
        "have",
        "haven't",
        "having",
        "he",
        "he'd",
        "he'll",
        "he's",
        "her",
        "here",
        "here's",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "how's",
        "i",
        "i'd",
        "i'll",
        "i'm",
        "i've",
        "if",
        "in",
        "into",
        "is",
        "isn't",
        "it",
        "it's",
        "its",
        "itself",
        "let's",
        "me",
        "more",
        "most",
        "mustn't",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "ought",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "shan't",
        "she",
        "she'd",
        "she'll",
        "she's",
        "should",
        "shouldn't",
        "so",
        "some",
        "such",
        "than",
        "that",
        "that's",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "there's",
        "these",
        "they",
        "they'd",
        "they'll",
        "they're",
        "they've",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "wasn't",
        "we",
        "we'd",
        "we'll",
        "we're",
        "we've",
        "were",
        "weren't",
        "what",
        "what's",
        "when",
        "when's",
        "where",
        "where's",
        "which",
        "while",
        "who",
        "who's",
        "whom",
        "why",
        "why's",
        "with",
        "won't",
        "would",
        "wouldn't",
        "you",
        "you'd",
        "you'll",
        "you're",
        "you've",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "also",
        "any",
        "just",
        "may",
        "might",
        "must",
        "shall",
        "will",
        "get",
        "got",
        "tell",
        "say",
        "says",
        "said",
        "according",
        "handbook",
        "handbooks",
        "guide",
        "guides",
        "does",
        "please",
        "want",
        "need",
        "know",
        "like",
        "one",
        "two",
    ]
)


def terms(text: str) -> list[str]:
    """Distinct content words of the text, in order, lowercased."""
    seen: dict[str, None] = {}
    for raw in _TOKEN.findall(text.lower()):
        token = raw.replace("’", "'")
        if token in STOPWORDS or (len(token) < 2 and not token.isdigit()):
            continue
        if "'" in token:
            token = token.split("'")[0]
        seen.setdefault(token, None)
    return list(seen)


def fts_query(text: str) -> str:
    """An FTS5 MATCH expression; empty when the text has no content words."""
    return " OR ".join(f'"{t}"' for t in terms(text))


_UNSPACED_LANGS = frozenset({"th", "lo", "km", "my"})  # scripts without spaces between words
# A run of letters with their combining marks (Thai vowels and tones are marks, not \w).
_RUN = re.compile(r"(?:[^\W_]|[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])+")
_MAX_TRIGRAMS = 80


def question_match(text: str, lang: str) -> tuple[str, bool]:
    """An FTS5 MATCH expression for searching hypothetical questions written in `lang`, and
    whether it is for the trigram table: Thai and the other unspaced scripts are matched by
    character trigrams, every other language by its content words (its function words left
    out, so they do not match half the questions)."""
    if lang in _UNSPACED_LANGS:
        grams: dict[str, None] = {}
        for run in _RUN.findall(text.lower()):
            for i in range(len(run) - 2):
                grams.setdefault(run[i : i + 3], None)
        quoted = [f'"{g}"' for g in list(grams)[:_MAX_TRIGRAMS] if '"' not in g]
        return " OR ".join(quoted), True
    if lang == "en":
        return fts_query(text), False
    # The handbook vocabulary's function words, compared as the vocabulary compares them.
    vocabulary = load_vocabulary(lang)
    stop = vocabulary.stopwords if vocabulary else frozenset()
    words = [t for t in terms(text) if fold_text(t, lang) not in stop]
    return " OR ".join(f'"{w}"' for w in words), False
