"""The default, offline answer: the passages' own sentences that answer the question, cited.

No language model: points are verbatim sentences (or list items) chosen by how much of the
question's weight they carry, merged across handbooks when they say the same thing, and
ordered as the handbooks order them.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace

from answer.focus import Focus
from answer.noise import noise_of, quotation_spans, without_footnote_mark
from answer.question_kind import QuestionKind
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
    # Steps and signs are often one list in one passage: its items may all be points.
    max_list_points_per_passage: int = 4
    shape_bonus: float = 0.08  # a sentence of the shape the question's kind wants
    hint_weight: float = 0.1  # a sentence answering the passage's matching question
    # A passage whose hypothetical question is (nearly) the closest to the asker's, by cosine:
    # its sentences gain this much per unit of cosine within `question_cosine_margin` of the
    # best passage's.
    question_cosine_weight: float = 1.0
    question_cosine_margin: float = 0.15
    # The situation told before the ask weighs this much of its words' weight: it describes
    # the person, while the ask says what is wanted.
    situation_weight: float = 0.5
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


def coverage(
    question_stems: AbstractSet[str], unit_stems: AbstractSet[str], stats: TermStats
) -> float:
    """The share of the question's word weight (idf) the sentence holds."""
    total = sum(stats.idf(t) for t in question_stems)
    if total <= 0:
        return 0.0
    return sum(stats.idf(t) for t in question_stems & unit_stems) / total


def score_units(
    question: str,
    hits: list[SearchHit],
    stats: TermStats,
    focus: Focus | None = None,
    config: ComposerConfig | None = None,
) -> list[ScoredUnit]:
    """Each quotable sentence's score: how much of the question's weight it carries, with
    small nudges for retrieval rank and guidance words. With a `focus` (composing, not judging
    answerability), non-guidance is left out and the question's kind shapes the scores."""
    q = set(content_stems(question))
    config = config or ComposerConfig()
    lighter = focus.situation if focus is not None else frozenset()
    # The question's word weights, computed once, not once per sentence.
    weights = {t: stats.idf(t) * (config.situation_weight if t in lighter else 1.0) for t in q}
    total = sum(weights.values())
    best_qc = max((h.question_cosine or 0.0 for h in hits), default=0.0)
    scored = []
    for i, hit in enumerate(hits):
        if hit.chunk.kind != "body":
            continue
        passage_bonus = 0.0
        if focus is not None and hit.question_cosine is not None:
            near = hit.question_cosine - (best_qc - config.question_cosine_margin)
            passage_bonus = config.question_cosine_weight * max(0.0, near)
        testimonies = quotation_spans(hit.chunk.text) if focus and not focus.voices else []
        for raw in passage_units(hit.chunk.text):
            unit = _without_cross_reference(raw)
            if unit is None:
                continue
            words = unit.text.split()
            if len(words) < 4 or _looks_like_heading(unit):
                continue
            stems = unit_stems(unit.text)
            if focus is not None and (
                noise_of(unit.text, focus.voices)
                or _inside(unit, testimonies)
                or _restates_situation(unit.text, stems, focus)
            ):
                continue
            score = sum(weights[t] for t in q & stems) / total if total > 0 else 0.0
            score += 0.08 / (i + 1)  # retrieval rank: earlier passages answer more often
            if GUIDANCE_WORDS & {w.lower().strip(",.;:") for w in words}:
                score += 0.03
            if len(words) > 70:
                score -= 0.1
            if focus is not None:
                score += passage_bonus + _focus_adjustment(unit, stems, hit, focus, stats, config)
            scored.append(ScoredUnit(i, unit, score, stems))
    return scored


def _inside(unit: Unit, spans: list[tuple[int, int]]) -> bool:
    return any(start <= unit.start and unit.end <= end for start, end in spans)


def _focus_adjustment(
    unit: Unit,
    stems: frozenset[str],
    hit: SearchHit,
    focus: Focus,
    stats: TermStats,
    config: ComposerConfig,
) -> float:
    adjust = 0.0
    if has_shape(unit, stems, focus):
        adjust += config.shape_bonus
    hint = focus.hints.get(hit.chunk.chunk_id)
    if hint:
        adjust += config.hint_weight * coverage(hint, stems, stats)
    return adjust


_WANTS_GUIDANCE = frozenset({QuestionKind.STEPS, QuestionKind.REFERRAL, QuestionKind.YES_NO})


def _restates_situation(text: str, stems: frozenset[str], focus: Focus) -> bool:
    """A sentence that meets the question only in its situation (none of the ask's words)
    and gives no guidance, when guidance is what the question wants: "An underage person is
    hidden in a lorry…" told back to the officer who found her."""
    return (
        focus.kind in _WANTS_GUIDANCE
        and bool(focus.situation & stems)
        and not focus.ask & stems
        and not is_action(text)
    )


# First words of an imperative sentence ("Ensure the child is safe", "Do not handcuff…").
_IMPERATIVE = frozenset(
    [
        "ensure",
        "make",
        "take",
        "give",
        "provide",
        "refer",
        "contact",
        "call",
        "notify",
        "inform",
        "report",
        "tell",
        "ask",
        "explain",
        "allow",
        "let",
        "keep",
        "stay",
        "remain",
        "treat",
        "offer",
        "arrange",
        "identify",
        "assess",
        "check",
        "consider",
        "use",
        "avoid",
        "do",
        "don't",
        "never",
        "always",
        "remember",
        "try",
        "protect",
        "separate",
        "reunite",
        "interview",
        "record",
        "document",
        "seek",
        "request",
        "obtain",
        "follow",
        "respect",
        "listen",
        "pay",
        "speak",
        "find",
        "establish",
        "assign",
        "appoint",
        "involve",
        "consult",
        "share",
        "prepare",
        "plan",
        "be",
        "bring",
        "introduce",
        "place",
        "accompany",
        "reassure",
        "respond",
        "support",
        "help",
        "act",
        "apply",
        "conduct",
        "note",
        "gather",
        "stop",
        "get",
        "wait",
        "put",
        "start",
        "begin",
        "open",
        "close",
        "verify",
    ]
)
_ACTION = re.compile(
    r"\b(?:should|must|shall|need to|needs to|have to|has to|ought to|is required to|are "
    r"required to|make sure|ensure)\b",
    re.IGNORECASE,
)
_DIRECT = re.compile(
    r"\b(?:not|never|no|cannot|can't|must|should|may|can|regardless|irrespective|even if|"
    r"whether or not|only|entitled|prohibited|allowed|required)\b",
    re.IGNORECASE,
)
_DEFINES = re.compile(
    r"\b(?:is|are|means?|refers? to|is defined as|is understood as|describes?|is the term|"
    r"is a term|denotes?|consists? of)\b",
    re.IGNORECASE,
)
_REFERS = re.compile(
    r"\b(?:refer\w*|contact\w*|call|notify|report\w* to|hotline|inform\w*|alert|hand\w* over|"
    r"child protection|social (?:services|welfare|workers?)|specially trained|specialist|embassy|"
    r"consulate|guardian|focal point|NRM|referral)\b",
    re.IGNORECASE,
)
_SIGNALS = re.compile(r"\b(?:indicators?|signs?|red flags?|warning|suspect|may indicate)\b", re.I)


def is_action(text: str) -> bool:
    """A step a reader can take: an imperative ("Ensure the child is safe") or a should/must
    sentence."""
    first = text.lstrip('•-–·*(["“ ').split(" ", 1)[0].lower().strip(",.:;")
    return first in _IMPERATIVE or bool(_ACTION.search(text))


def has_shape(unit: Unit, stems: frozenset[str], focus: Focus) -> bool:
    """Whether the sentence has the shape the question's kind wants."""
    text = unit.text
    kind = focus.kind
    if kind is QuestionKind.STEPS:
        return is_action(text)
    if kind is QuestionKind.REFERRAL:
        return bool(_REFERS.search(text)) and is_action(text)
    if kind is QuestionKind.YES_NO:
        # The direct answer says the asked thing with a modal or a negation.
        asked = len(focus.ask & stems) / len(focus.ask) if focus.ask else 0.0
        return asked >= 0.5 and bool(_DIRECT.search(text))
    if kind is QuestionKind.DEFINITION:
        head = frozenset(content_stems(" ".join(text.split()[:14])))
        named = len(focus.ask & head) / len(focus.ask) if focus.ask else 0.0
        return named >= 0.5 and bool(_DEFINES.search(text))
    if kind is QuestionKind.SIGNS:
        return unit.is_item or (text.rstrip().endswith(":") and bool(_SIGNALS.search(text)))
    return False


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
    # "…under 18 years of age.863": the footnote number is no part of what is quoted.
    end = unit.start + len(without_footnote_mark(hit.chunk.text[unit.start : end]))
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
    question: str,
    hits: list[SearchHit],
    stats: TermStats,
    config: ComposerConfig,
    focus: Focus | None = None,
) -> list[Point]:
    """The answer's points. Without a focus, in handbook order; with one, the lead first (the
    best sentence of the shape the question wants: the first step, the direct answer, the
    definition), then the rest in handbook order, steps before other sentences."""
    scored = sorted(score_units(question, hits, stats, focus, config), key=lambda s: -s.score)
    chosen: list[tuple[ScoredUnit, Point]] = []
    per_passage: dict[int, int] = {}
    cap = config.max_points_per_passage
    if focus is not None and focus.kind in (QuestionKind.STEPS, QuestionKind.SIGNS):
        cap = config.max_list_points_per_passage
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
        if per_passage.get(cand.hit_index, 0) >= cap:
            continue
        quote = _quote(hits, cand, config)
        if any(_overlaps(quote, q) for _, p in chosen for q in p.quotes):
            continue
        per_passage[cand.hit_index] = per_passage.get(cand.hit_index, 0) + 1
        chosen.append((cand, Point(text=quote.text, quotes=[quote], score=cand.score)))
    if focus is None or not chosen:
        return _handbook_order([p for _, p in chosen], hits)
    if not any(has_shape(s.unit, s.stems, focus) for s, _ in chosen):
        # No chosen sentence has the wanted shape: the best one that has it, above the
        # absolute floor, leads in place of the last chosen (a step for a what-to-do question).
        shaped = next(
            (
                c
                for c in scored
                if c.score >= config.min_unit_score
                and has_shape(c.unit, c.stems, focus)
                and not any(
                    _overlaps(_quote(hits, c, config), q) for _, p in chosen for q in p.quotes
                )
            ),
            None,
        )
        if shaped is not None:
            quote = _quote(hits, shaped, config)
            lead = Point(text=quote.text, quotes=[quote], score=shaped.score)
            chosen = [(shaped, lead), *chosen[: config.max_points - 1]]
    return _shaped(chosen, hits, focus)


def _shaped(
    chosen: list[tuple[ScoredUnit, Point]], hits: list[SearchHit], focus: Focus
) -> list[Point]:
    """Lead first, then the others; `chosen` is in score order."""
    lead_at = next((i for i, (s, _) in enumerate(chosen) if has_shape(s.unit, s.stems, focus)), 0)
    lead = chosen[lead_at][1]
    rest = _handbook_order([p for i, (_, p) in enumerate(chosen) if i != lead_at], hits)
    if focus.kind in (QuestionKind.STEPS, QuestionKind.REFERRAL):
        rest = [p for p in rest if is_action(p.text)] + [p for p in rest if not is_action(p.text)]
    return [lead, *rest]


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
