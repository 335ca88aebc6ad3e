"""The default, offline answer: the passages' own sentences that answer the question, cited.

No language model: points are verbatim sentences (or list items) chosen by how much of the
question's weight they carry, merged across handbooks when they say the same thing, and
ordered as the handbooks order them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from answer.records import Point, Quote
from answer.terms import TermStats, content_stems, unit_stems
from answer.units import Unit, passage_units
from index.retriever import SearchHit

GUIDANCE_WORDS = frozenset(
    [
        "should",
        "must",
        "ensure",
        "refer",
        "provide",
        "never",
        "avoid",
        "immediately",
        "first",
        "always",
        "need",
        "needs",
        "recommended",
        "important",
    ]
)


@dataclass(frozen=True)
class ComposerConfig:
    max_points: int = 5
    max_points_per_passage: int = 2
    min_unit_score: float = 0.12
    max_list_items: int = 8
    merge_similarity: float = 0.6
    relative_floor: float = 0.3  # a point must score at least this share of the best one
    short_sentence_words: int = 12  # a shorter sentence brings the next one as context


@dataclass(frozen=True)
class ScoredUnit:
    hit_index: int
    unit: Unit
    score: float
    stems: frozenset[str]


def score_units(question: str, hits: list[SearchHit], stats: TermStats) -> list[ScoredUnit]:
    q = set(content_stems(question))
    # The share of the question's weight (rare words count most) a sentence carries; the
    # question's weights are computed once, not once per sentence.
    weights = {t: stats.idf(t) for t in q}
    total = sum(weights.values())
    scored = []
    for i, hit in enumerate(hits):
        if hit.chunk.kind != "body":
            continue
        for raw in passage_units(hit.chunk.text):
            unit = _without_cross_reference(raw)
            if unit is None:
                continue
            words = unit.text.split()
            if len(words) < 4 or _looks_like_heading(unit):
                continue
            stems = unit_stems(unit.text)
            score = sum(weights[t] for t in q & stems) / total if total > 0 else 0.0
            score += 0.08 / (i + 1)  # retrieval rank: earlier passages answer more often
            if GUIDANCE_WORDS & {w.lower().strip(",.;:") for w in words}:
                score += 0.03
            if len(words) > 70:
                score -= 0.1
            scored.append(ScoredUnit(i, unit, score, stems))
    return scored


# A footnote mark left after the full stop: "…in local communities.1"
_FOOTNOTE_MARK = re.compile(r"(?<=[^\W\d_][.!?;:)\"'”’])\d{1,3}$")
# The OSCE handbook opens many paragraphs with a list of index entries: "(See: healthcare; …)".
_CROSS_REFERENCE = re.compile(r"^\(See:[^)]*\)\s*")


def _looks_like_heading(unit: Unit) -> bool:
    """'55 Golden Day approach for children': no closing punctuation and not a list item."""
    text = _FOOTNOTE_MARK.sub("", unit.text.rstrip())
    return not unit.is_item and text[-1:] not in ".!?:;)\"'”’"


def _without_cross_reference(unit: Unit) -> Unit | None:
    """The unit without a leading "(See: …)" list of index entries, which is no guidance and
    matches many questions' words; None when nothing else is left."""
    found = _CROSS_REFERENCE.match(unit.text)
    if found is None:
        return unit
    rest = unit.text[found.end() :]
    if not rest.strip():
        return None
    return replace(unit, start=unit.start + found.end(), text=rest)


def _with_list(hit: SearchHit, unit: Unit, units: list[Unit], limit: int, short: int = 12) -> Quote:
    """A sentence that introduces a list (ends with ':') brings its items along; a very short
    sentence brings the next one, which usually completes it."""
    end = unit.end
    following = [u for u in units if u.start >= unit.end]
    if unit.text.rstrip().endswith(":"):
        items = _list_lines(hit.chunk.text, unit.end, following)[:limit]
        if items:
            end = items[-1][-1].end
    elif (
        len(unit.text.split()) < short
        and following
        and not following[0].is_item
        and "\n" not in hit.chunk.text[unit.end : following[0].start]
    ):
        end = following[0].end
    text = hit.chunk.text[unit.start : end]
    return Quote(hit_index=-1, start=unit.start, end=end, text=text)


LIST_LINE_WORDS = 30


def _list_lines(text: str, after: int, following: list[Unit]) -> list[list[Unit]]:
    """The lines of the list an introduction (ending in ":") opens: marked items, or short
    single-sentence lines where cleaning left no bullet ("Social Inclusion; and"). The list
    ends at the first line that is neither — a paragraph of several sentences, a long one."""
    lines: list[list[Unit]] = []
    previous = after
    for unit in following:
        if "\n" in text[previous : unit.start] or not lines:
            lines.append([unit])
        else:
            lines[-1].append(unit)
        previous = unit.end
    items = []
    for line in lines:
        bare = len(line) == 1 and len(line[0].text.split()) <= LIST_LINE_WORDS
        if not (all(u.is_item for u in line) or bare):
            break
        items.append(line)
    return items


def _similar(a: frozenset[str], b: frozenset[str], threshold: float) -> bool:
    if not a or not b:
        return False
    return len(a & b) / len(a | b) >= threshold


def select_points(
    question: str, hits: list[SearchHit], stats: TermStats, config: ComposerConfig
) -> list[Point]:
    scored = sorted(score_units(question, hits, stats), key=lambda s: -s.score)
    chosen: list[tuple[ScoredUnit, Point]] = []
    per_passage: dict[int, int] = {}
    floor = max(config.min_unit_score, config.relative_floor * scored[0].score) if scored else 0
    for cand in scored:
        if cand.score < floor or len(chosen) >= config.max_points:
            break
        twin = next(
            (p for s, p in chosen if _similar(s.stems, cand.stems, config.merge_similarity)),
            None,
        )
        if twin is not None:
            if all(
                hits[q.hit_index].chunk.doc_id != hits[cand.hit_index].chunk.doc_id
                for q in twin.quotes
            ):
                # The same guidance in another handbook: cite both on one point.
                twin.quotes.append(_quote(hits, cand, config))
            continue
        if per_passage.get(cand.hit_index, 0) >= config.max_points_per_passage:
            continue
        quote = _quote(hits, cand, config)
        if any(_overlaps(quote, q) for _, p in chosen for q in p.quotes):
            continue
        per_passage[cand.hit_index] = per_passage.get(cand.hit_index, 0) + 1
        chosen.append((cand, Point(text=quote.text, quotes=[quote], score=cand.score)))
    return _handbook_order([p for _, p in chosen], hits)


def _quote(hits: list[SearchHit], cand: ScoredUnit, config: ComposerConfig) -> Quote:
    hit = hits[cand.hit_index]
    units = list(passage_units(hit.chunk.text))
    q = _with_list(hit, cand.unit, units, config.max_list_items, config.short_sentence_words)
    return Quote(hit_index=cand.hit_index, start=q.start, end=q.end, text=q.text)


def _overlaps(a: Quote, b: Quote) -> bool:
    return a.hit_index == b.hit_index and a.start < b.end and b.start < a.end


def _handbook_order(points: list[Point], hits: list[SearchHit]) -> list[Point]:
    """Documents in order of their best passage; within one, the handbook's own order."""
    doc_rank: dict[str, int] = {}
    for i, hit in enumerate(hits):
        doc_rank.setdefault(hit.chunk.doc_id, i)

    def key(point: Point) -> tuple[int, int, int]:
        first = point.quotes[0]
        chunk = hits[first.hit_index].chunk
        return (doc_rank[chunk.doc_id], chunk.ordinal, first.start)

    return sorted(points, key=key)


def short_title(title: str) -> str:
    head = title.split(":")[0].strip()
    words = head.split()
    return head if len(words) <= 7 else " ".join(words[:7]) + "…"
