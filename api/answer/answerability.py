"""Do the retrieved passages actually answer the question?

A score threshold alone separates answerable from unanswerable questions poorly, so three
signals must agree: the passages carry enough of the question's weight (rare words count
most), the best vector match is close enough, and anything specific the question asks for —
a year, a number, a named country, a phone number or an address — is actually present.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from api.answer.terms import TermStats, content_stems, stem
from index.retriever import SearchHit

COUNTRIES = {
    "afghanistan": "afghan", "albania": "albanian", "armenia": "armenian", "australia": "australian",
    "austria": "austrian", "bangladesh": "bangladeshi", "belgium": "belgian", "brazil": "brazilian",
    "brunei": "bruneian", "bulgaria": "bulgarian", "cambodia": "cambodian", "canada": "canadian",
    "china": "chinese", "colombia": "colombian", "croatia": "croatian", "cyprus": "cypriot",
    "denmark": "danish", "egypt": "egyptian", "eritrea": "eritrean", "ethiopia": "ethiopian",
    "finland": "finnish", "france": "french", "georgia": "georgian", "germany": "german",
    "ghana": "ghanaian", "greece": "greek", "hungary": "hungarian", "india": "indian",
    "indonesia": "indonesian", "iran": "iranian", "iraq": "iraqi", "ireland": "irish",
    "italy": "italian", "japan": "japanese", "kazakhstan": "kazakh", "kenya": "kenyan",
    "laos": "lao", "malaysia": "malaysian", "mexico": "mexican", "moldova": "moldovan",
    "mongolia": "mongolian", "morocco": "moroccan", "myanmar": "burmese", "nepal": "nepali",
    "netherlands": "dutch", "nigeria": "nigerian", "norway": "norwegian", "pakistan": "pakistani",
    "philippines": "filipino", "poland": "polish", "portugal": "portuguese",
    "romania": "romanian", "russia": "russian", "serbia": "serbian", "singapore": "singaporean",
    "spain": "spanish", "sweden": "swedish", "switzerland": "swiss", "thailand": "thai",
    "turkey": "turkish", "ukraine": "ukrainian", "uzbekistan": "uzbek", "vietnam": "vietnamese",
    "viet": "vietnamese",
}
_NATIONALITY = {adj: country for country, adj in COUNTRIES.items()}
_NUMBER = re.compile(r"\b\d[\d,.]*\b")
_CONTACT_ASK = re.compile(
    r"\b(phone|telephone|hotline|helpline)\s*(number|no\.?)|\b(call|dial)\b.*\bnumber\b"
    r"|\b(address|e-?mail|website|url)\b",
    re.IGNORECASE,
)
_CONTACT_FOUND = re.compile(r"\+?\d[\d ()-]{6,}\d|@|www\.|https?://")


@dataclass(frozen=True)
class AnswerabilityConfig:
    min_coverage: float = 0.5
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


def _specifics_missing(question: str, passages: str) -> list[str]:
    missing = []
    lowered = passages.lower()
    for number in _NUMBER.findall(question):
        if number.strip(".,") not in passages:
            missing.append(f"the number {number.strip('.,')}")
    for country in countries_named(question):
        if country not in lowered and COUNTRIES[country] not in lowered:
            missing.append(country.title())
    if _CONTACT_ASK.search(question) and not _CONTACT_FOUND.search(passages):
        missing.append("contact details")
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
    joined = "\n".join(h.chunk.text for h in top)
    q = set(content_stems(question))
    unknown = [t for t in q if not stats.known(t) and len(t) > 3]
    if best_unit_coverage < config.min_coverage:
        reasons.append(f"passages cover {best_unit_coverage:.2f} of the question")
    if top_cosine is not None and top_cosine < config.min_cosine:
        reasons.append(f"best semantic match {top_cosine:.2f}")
    missing = _specifics_missing(question, joined)
    if missing:
        reasons.append("not in the passages: " + ", ".join(missing))
    if unknown and len(unknown) * 2 >= len(q):
        reasons.append("most of the question's words never occur in the handbooks")
    return Verdict(not reasons, best_unit_coverage, top_cosine, tuple(reasons))


__all__ = ["AnswerabilityConfig", "Verdict", "countries_named", "judge", "stem"]
