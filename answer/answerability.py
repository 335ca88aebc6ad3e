"""Do the retrieved passages actually answer the question?

A score threshold alone separates answerable from unanswerable questions poorly, so three
signals must agree: the passages carry enough of the question's weight (rare words count
most), the best vector match is close enough, and anything specific the question asks for —
a year, a number, a named country, a phone number or an address — is actually present.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from answer.terms import TermStats, content_stems, stem, unit_stems
from answer.units import passage_units
from index.retriever import SearchHit

COUNTRIES = {
    "afghanistan": "afghan",
    "albania": "albanian",
    "armenia": "armenian",
    "australia": "australian",
    "austria": "austrian",
    "bangladesh": "bangladeshi",
    "belgium": "belgian",
    "brazil": "brazilian",
    "brunei": "bruneian",
    "bulgaria": "bulgarian",
    "cambodia": "cambodian",
    "canada": "canadian",
    "china": "chinese",
    "colombia": "colombian",
    "croatia": "croatian",
    "cyprus": "cypriot",
    "denmark": "danish",
    "egypt": "egyptian",
    "eritrea": "eritrean",
    "ethiopia": "ethiopian",
    "finland": "finnish",
    "france": "french",
    "georgia": "georgian",
    "germany": "german",
    "ghana": "ghanaian",
    "greece": "greek",
    "hungary": "hungarian",
    "india": "indian",
    "indonesia": "indonesian",
    "iran": "iranian",
    "iraq": "iraqi",
    "ireland": "irish",
    "italy": "italian",
    "japan": "japanese",
    "kazakhstan": "kazakh",
    "kenya": "kenyan",
    "laos": "lao",
    "malaysia": "malaysian",
    "mexico": "mexican",
    "moldova": "moldovan",
    "mongolia": "mongolian",
    "morocco": "moroccan",
    "myanmar": "burmese",
    "nepal": "nepali",
    "netherlands": "dutch",
    "nigeria": "nigerian",
    "norway": "norwegian",
    "pakistan": "pakistani",
    "philippines": "filipino",
    "poland": "polish",
    "portugal": "portuguese",
    "romania": "romanian",
    "russia": "russian",
    "serbia": "serbian",
    "singapore": "singaporean",
    "spain": "spanish",
    "sweden": "swedish",
    "switzerland": "swiss",
    "thailand": "thai",
    "turkey": "turkish",
    "ukraine": "ukrainian",
    "uzbekistan": "uzbek",
    "vietnam": "vietnamese",
    "viet": "vietnamese",
}
_NATIONALITY = {adj: country for country, adj in COUNTRIES.items()}
_NUMBER = re.compile(r"\b\d[\d,.]*\b")
# Ages describe the person in front of the practitioner; they are not a fact to look up.
_AGE = re.compile(
    r"\b\d{1,2}\s*-?\s*(?:year|yr)s?[- ]?olds?\b|\b(?:aged?|under|over)\s+\d{1,2}\b"
    r"|\b\d{1,2}\s*(?:years?|yrs?)\b(?!\s+(?:in prison|of prison|imprisonment))"
    r"|\b(?:is|was|turned|be|about|he's|she's|he’s|she’s)\s+\d{1,2}\b"
    r"|\b\d{1,2}\s+ages?\b",  # a word-by-word rendering: "15 tuổi" → "15 age"
    re.IGNORECASE,
)
_CONTACT_ASK = re.compile(
    r"\b(phone|telephone|hotline|helpline)\s*(number|no\.?)|\b(call|dial)\b.*\bnumber\b"
    r"|\b(address|e-?mail|website|url)\b",
    re.IGNORECASE,
)
_CONTACT_FOUND = re.compile(r"\+?\(?\d{2,4}\)?[ -]?\d{3,4}[ -]?\d{3,4}\b|@\w|www\.|https?://")
_QUANTITY_ASK = re.compile(
    r"\bhow (many|much|long|often)\b|\b(percentage|proportion|statistics)\b"
    r"|\b(maximum|minimum)\b|\b(cost|fee|price|dose|dosage)s?\b|\bprison sentence\b",
    re.IGNORECASE,
)
_QUANTITY_FOUND = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|sixty|ninety|hundred|thousand|million|half|quarter|per ?cent|percentage)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AnswerabilityConfig:
    min_coverage: float = 0.15
    min_cosine: float = 0.35
    passages_considered: int = 5


@dataclass(frozen=True)
class Verdict:
    answered: bool
    coverage: float
    cosine: float | None
    reasons: tuple[str, ...]


def countries_named(text: str) -> set[str]:
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", text)}
    found = {w for w in words if w in COUNTRIES}
    found |= {_NATIONALITY[w] for w in words if w in _NATIONALITY}
    return found


ON_TOPIC_SHARE = 0.3
# A sentence ends at . ! or ? followed by a space and a capital, digit or quote.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“‘(\[A-Z0-9¿¡])")


def asking_part(question: str) -> str:
    """The sentences that ask, without the situation told before them: in "We found a
    15-year-old Cambodian boy on a building site. Can we detain him?" the ask is the last
    sentence, and the age and nationality describe the person, not what is wanted. A
    one-sentence question is all ask; otherwise the sentences with a question mark, else
    the last sentence."""
    sentences = [s for s in _SENTENCE_END.split(question.strip()) if s.strip()]
    if len(sentences) <= 1:
        return question
    asking = [s for s in sentences if "?" in s]
    return " ".join(asking) if asking else sentences[-1]


def _share(topic: set[str], stems: frozenset[str]) -> float:
    return len(topic & stems) / len(topic) if topic else 1.0


def _specifics_missing(
    question: str, units: list[tuple[str, frozenset[str]]], topic: set[str]
) -> list[str]:
    """What the question asks for specifically that no on-topic passage sentence contains.

    `units` are (text, stems) of the top passages' sentences; on-topic means the sentence
    shares a good part of the question's other rare words, so a year in a publication date
    or a country in an unrelated list does not count.
    """
    on_topic = [text for text, stems in units if _share(topic, stems) >= ON_TOPIC_SHARE]
    joined = "\n".join(on_topic)
    lowered = joined.lower()
    missing = []
    for number in _NUMBER.findall(_AGE.sub(" ", question)):
        if number.strip(".,") not in joined:
            missing.append(f"the number {number.strip('.,')}")
    for country in countries_named(question):
        if country not in lowered and COUNTRIES[country] not in lowered:
            missing.append(country.title())
    if _CONTACT_ASK.search(question) and not _CONTACT_FOUND.search(joined):
        missing.append("contact details")
    elif _QUANTITY_ASK.search(question) and not _QUANTITY_FOUND.search(joined):
        missing.append("the figure asked for")
    return missing


def judge(
    question: str,
    hits: list[SearchHit],
    top_cosine: float | None,
    best_unit_coverage: float,
    stats: TermStats,
    config: AnswerabilityConfig,
) -> Verdict:
    reasons = []
    top = hits[: config.passages_considered]
    if not top:
        return Verdict(False, 0.0, top_cosine, ("no passages",))
    q = set(content_stems(question))
    specific = {stem(c) for c in countries_named(question)} | set(_NUMBER.findall(question))
    topic = {t for t in q - specific if stats.idf(t) > 1.0}
    units = [(u.text, unit_stems(u.text)) for h in top for u in passage_units(h.chunk.text)]
    unknown = [t for t in q if not stats.known(t) and len(t) > 3]
    if best_unit_coverage < config.min_coverage:
        reasons.append(f"passages cover {best_unit_coverage:.2f} of the question")
    if top_cosine is not None and top_cosine < config.min_cosine:
        reasons.append(f"best semantic match {top_cosine:.2f}")
    missing = _specifics_missing(asking_part(question), units, topic)
    if missing:
        reasons.append("not in the passages: " + ", ".join(missing))
    if unknown and len(unknown) * 2 >= len(q):
        reasons.append("most of the question's words never occur in the handbooks")
    return Verdict(not reasons, best_unit_coverage, top_cosine, tuple(reasons))


__all__ = ["AnswerabilityConfig", "Verdict", "asking_part", "countries_named", "judge", "stem"]
