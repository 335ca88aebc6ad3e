"""How items name a handbook, a section and the reader: the words around the handbook's own."""

from __future__ import annotations

import re

from quiz.text import lower_first, words

# How a trainer would name each shipped handbook in a question; others use their short title.
DOC_NAMES: dict[str, str] = {
    "rso-first-responders": "the RSO guide for first responders",
    "nexus-practitioner-guide": "the NEXUS Practitioner Guide",
    "osce-nrm-handbook": "the OSCE/ODIHR NRM Handbook",
    "asean-do-no-harm": "the ASEAN Do-No-Harm Guide",
    "iom-ilo-migration-leaflet": "the IOM/ILO leaflet for migration officers",
}
# Who the reader is in a scenario, by handbook.
PERSONAS: dict[str, str] = {
    "rso-first-responders": "You are a police or border officer and the first responder.",
    "nexus-practitioner-guide": "You are a practitioner working with a child trafficking victim.",
    "osce-nrm-handbook": "You are a professional working within a National Referral Mechanism.",
    "asean-do-no-harm": "You are a frontline responder assisting a victim of trafficking.",
    "iom-ilo-migration-leaflet": "You are a migration officer at a border crossing.",
}
DEFAULT_PERSONA = "You are a frontline practitioner."
TRUE_FALSE_PREFIX = "True or false? "

# Headings that name a kind of box rather than a topic; the heading above them is used.
_GENERIC_HEADINGS = re.compile(
    r"^(?:do no harm guidance|good practices?|challenges?|important|tip|note|remember|"
    r"guidance for practitioners|key points?|example|examples|case study|checklist|summary|"
    r"overview|introduction|background|conclusions?|recommendations?|definitions?|yes|no|"
    r"notes?|other|general|"
    r"it is essential to keep in mind|remember to act with the child.s best interest in mind)$",
    re.I,
)
_NUMBERING = re.compile(r"^(?:Part \w+:?\s*|\d+(?:\.\d+)*\.?\s+|[A-Z]\.\s+)")
_TIME_WORDS = ("during", "after", "before", "on", "when", "while", "whenever", "at", "following")
# Headings that start with one of these name something the reader does ("when preparing ...").
_ACTIVITIES = words(
    "preparing interviewing conducting working communicating closing planning assisting "
    "providing taking dealing supporting detecting identifying referring responding assessing "
    "returning obtaining using managing handling engaging accommodating ensuring encountering "
    "meeting approaching receiving questioning recording sharing explaining"
)


def doc_name(doc_id: str, title: str) -> str:
    if doc_id in DOC_NAMES:
        return DOC_NAMES[doc_id]
    short = re.split(r"[:.(]", title)[0].strip()
    return f"the handbook “{short if len(short) >= 12 else title}”"


def persona(doc_id: str) -> str:
    return PERSONAS.get(doc_id, DEFAULT_PERSONA)


def heading(section: tuple[str, ...]) -> str | None:
    """The most specific heading that names a topic, without its numbering."""
    for raw in reversed(section):
        text = _NUMBERING.sub("", raw).strip(" :")
        if text and not _GENERIC_HEADINGS.match(text) and len(text) <= 120:
            return text
    return None


def time_clause(section: tuple[str, ...]) -> str | None:
    """ "when preparing for the formal interview", "during the interview"; None when the
    heading does not name a moment."""
    text = heading(section)
    if text is None:
        return None
    if text.isupper():
        text = text.capitalize()
    first = text.split(" ", 1)[0]
    if first.lower() in _TIME_WORDS:
        return lower_first(_lower_title_case(text))
    if first.lower() in _ACTIVITIES:
        return "when " + lower_first(_lower_title_case(text))
    return None


def context_phrase(section: tuple[str, ...]) -> str:
    """ " when preparing for the formal interview", or " (section “Maintain Privacy”)"; empty
    when there is no usable heading. Starts with a space, to follow a clause."""
    clause = time_clause(section)
    if clause:
        return " " + clause
    text = heading(section)
    return f" (section “{text}”)" if text else ""


def _lower_title_case(text: str) -> str:
    """ "Preparing for the Formal Interview" -> "Preparing for the formal interview"."""
    words = text.split(" ")
    return " ".join(
        [words[0]] + [w.lower() if w[:1].isupper() and w[1:].islower() else w for w in words[1:]]
    )


def where(section_path: str, page_start: int | None, page_end: int | None) -> str:
    parts = [section_path] if section_path else []
    if page_start is not None:
        parts.append(
            f"p. {page_start}" if page_end in (None, page_start) else f"pp. {page_start}–{page_end}"
        )
    return ", ".join(parts)
