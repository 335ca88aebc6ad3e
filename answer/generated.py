"""Checking a language model's answer: only cited sentences survive, only real citations count."""

from __future__ import annotations

import re

from answer.records import Point, Quote
from answer.terms import content_stems
from answer.units import split_units
from index.retriever import SearchHit

_MARK = re.compile(r"\[(\d{1,2})\]")
NOT_COVERED = "NOT COVERED"
# Share of a line's content words that must stand in the passages it cites (the lead: in any
# passage given). A real small model echoes the prompt's own instructions, example marks
# "[1] or [2][3]" included; a line that merely carries a mark and one shared word is no point.
MIN_SUPPORT = 0.5


def format_passages(hits: list[SearchHit]) -> str:
    blocks = []
    for i, hit in enumerate(hits, 1):
        where = hit.chunk.section_path
        if hit.chunk.page_start is not None:
            where += f", p. {hit.chunk.page_start}"
        blocks.append(f"[{i}] {hit.title} — {where}\n{hit.chunk.text}")
    return "\n\n".join(blocks)


def _best_quote(sentence: str, hit_index: int, hit: SearchHit) -> Quote | None:
    words = set(content_stems(sentence))
    best: tuple[float, int, int] | None = None
    for unit in split_units(hit.chunk.text):
        overlap = len(words & set(content_stems(unit.text)))
        if overlap and (best is None or overlap > best[0]):
            best = (overlap, unit.start, unit.end)
    if best is None:
        return None
    return Quote(hit_index, best[1], best[2], hit.chunk.text[best[1] : best[2]])


def supported(sentence: str, hits: list[SearchHit]) -> bool:
    """Whether at least MIN_SUPPORT of the sentence's content words stand in these passages."""
    words = set(content_stems(sentence))
    if not words:
        return False
    found = set().union(*(content_stems(hit.chunk.text) for hit in hits)) if hits else set()
    return len(words & found) >= MIN_SUPPORT * len(words)


def parse_generated(text: str, hits: list[SearchHit]) -> tuple[str, list[Point], list[str]]:
    """(lead, points, problems). A sentence without a valid citation, or not supported by the
    passages it cites, is dropped and counted."""
    problems: list[str] = []
    lead = ""
    points: list[Point] = []
    dropped = invalid = 0
    for raw_line in text.strip().splitlines():
        line = raw_line.strip().lstrip("-*• ").strip()
        if not line:
            continue
        numbers = [int(n) for n in _MARK.findall(line)]
        valid = [n for n in dict.fromkeys(numbers) if 1 <= n <= len(hits)]
        invalid += len(numbers) - len([n for n in numbers if 1 <= n <= len(hits)])
        clean = " ".join(_MARK.sub("", line).split())
        quotes = [q for n in valid if (q := _best_quote(clean, n - 1, hits[n - 1])) is not None]
        if not quotes or not supported(clean, [hits[n - 1] for n in valid]):
            if not lead and not points and not numbers and supported(clean, hits):
                lead = clean  # an uncited opening line the passages bear out may be the lead
            else:
                dropped += 1
            continue
        points.append(Point(text=clean, quotes=quotes))
    if invalid:
        problems.append(f"{invalid} citation(s) to passages that were not retrieved were removed")
    if dropped:
        problems.append(f"{dropped} sentence(s) without a supporting citation were removed")
    return lead, points, problems
