"""Sentences that are not guidance: kept out of an answer's points, and counted by `make eval`.

- about the handbook itself: "This guide aims to assist…", "This chapter describes…";
- testimony and case quotes: a survivor's or practitioner's own words ("As a victim of
  trafficking, you learn to be very scared"), unless the question asks for experiences;
- see-also and index lists: "(See: …)", "See also Section 4";
- the asker's situation restated: a sentence that repeats the situation told in the question
  (an indicator such as "An underage person is hidden in a lorry…") and says nothing the ask
  wants — judged in answer.composer, where the question's parts are known.

Footnote marks glued to a sentence's end ("…under 18 years of age.863") are cut from the
quote instead (`without_footnote_mark`): the rest of the sentence is guidance.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Noise(StrEnum):
    ABOUT_HANDBOOK = "about-handbook"
    TESTIMONY = "testimony"
    CROSS_REFERENCE = "cross-reference"
    SITUATION = "situation"


_SELF = (
    r"(?:this|the present|our)\s+(?:practical\s+|practitioner\s+|first\s+responders?\s+)?"
    r"(?:guide|guidance|handbook|manual|publication|document|chapter|section|part|toolkit|"
    r"leaflet|booklet|brochure|report|tool|resource|module|annex|pillar)"
)
_ABOUT_HANDBOOK = re.compile(
    rf"^\s*(?:{_SELF}\b(?:\s+\w+){{0,3}}\s+(?:aims?|is\s+(?:intended|designed|meant|not\s+"
    rf"intended|divided|structured|organi[sz]ed|based|addressed|written|targeted)|was\s+"
    rf"(?:developed|written|prepared|produced|designed|commissioned)|describes|provides|"
    rf"presents|outlines|focuses|covers|contains|offers|sets\s+out|seeks|explains|includes|"
    rf"examines|looks|discusses|introduces|gives|draws|builds|complements|should\s+be\s+read|"
    rf"can\s+be\s+used|may\s+be\s+used|has\s+been|will)\b"
    rf"|(?:in|throughout|within)\s+{_SELF}\b,?\s+(?:we|you\s+will)\b"
    rf"|the\s+(?:purpose|aim|objective|goal)s?\s+of\s+{_SELF}\b)",
    re.IGNORECASE,
)
_CROSS_REFERENCE = re.compile(
    r"^\s*(?:\(?see(?:\s+also)?\s*:|\(?see\s+also\b|for\s+more\s+(?:information|details),?\s+"
    r"see\b|refer\s+to\s+(?:section|chapter|annex|part|page)\b|\(?cf\.)",
    re.IGNORECASE,
)
# Index-like runs: several short entries between semicolons with page numbers.
_INDEX_LIST = re.compile(r"(?:[^;]{1,40};\s*){3,}")
_FIRST_PERSON_SINGULAR = re.compile(r"\b(?:I|me|my|I'm|I've|mine)\b")
_FIRST_PERSON = re.compile(r"\b(?:I|me|my|I'm|I've|I was|we were|our family)\b")
_TESTIMONY_OPENING = re.compile(
    r"^\s*(?:[\"“‘']|as\s+a\s+(?:victim|survivor)\b|when\s+I\b|I\s+(?:was|am|had|felt|did|"
    r"didn't|thought|knew|couldn't)\b)",
    re.IGNORECASE,
)
_ASKS_FOR_VOICES = re.compile(
    r"\b(?:testimon\w*|survivors?\W+(?:say|said|voices?|stor\w+|accounts?|words?|experiences?)|"
    r"in their own words|quotes?|case stud\w+|examples? of (?:a )?cases?|stor(?:y|ies))\b",
    re.IGNORECASE,
)
_FOOTNOTE_MARK = re.compile(r"(?<=[^\W\d_][.!?;:)\"'”’])\d{1,3}$")


def noise_of(sentence: str, asks_for_voices: bool = False) -> Noise | None:
    """The kind of non-guidance this sentence is, or None when it may be guidance."""
    if _ABOUT_HANDBOOK.search(sentence):
        return Noise.ABOUT_HANDBOOK
    if _CROSS_REFERENCE.search(sentence) or _INDEX_LIST.fullmatch(sentence.strip()):
        return Noise.CROSS_REFERENCE
    if not asks_for_voices and _is_testimony(sentence):
        return Noise.TESTIMONY
    return None


def asks_for_voices(question: str) -> bool:
    """Whether the question asks for survivors' words or cases, which are then not noise."""
    return bool(_ASKS_FOR_VOICES.search(question))


def _is_testimony(sentence: str) -> bool:
    opening = _TESTIMONY_OPENING.search(sentence)
    first_person = len(_FIRST_PERSON.findall(sentence))
    if opening and (first_person or sentence.lstrip()[:1] in "\"“‘'"):
        return True
    # Guidance is written to "you" or about "practitioners"; a run of I/my is someone's story.
    return first_person >= 2


# A quotation that opens a line and runs until its closing mark (or the passage's end): a
# survivor's or practitioner's words set apart from the guidance around them.
# An unclosed one ends at the paragraph's end (a blank line), never further.
_QUOTATION = re.compile(r"(?m)^[ \t]*[“\"][^”\"]{40,1500}?(?:[”\"]|\n[ \t]*\n|\Z)")


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of the first-person quotations set apart in a passage: testimonies. A quoted
    law or official statement ("“in order to obtain … a financial benefit.”") is not one."""
    return [
        (m.start(), m.end())
        for m in _QUOTATION.finditer(text)
        if _FIRST_PERSON_SINGULAR.search(m.group(0))
    ]


def without_footnote_mark(text: str) -> str:
    """The sentence without a footnote number glued to its last punctuation."""
    return _FOOTNOTE_MARK.sub("", text.rstrip())
