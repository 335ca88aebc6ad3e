"""Quality of a drafted quiz: how many items' answers their quote supports, and a sample of
items for a person to judge.

    .venv/bin/python -m eval.quiz_quality [--n 50] [--seed 2026] [--topic ...] [--json]

Two automatic checks, each per item, on the passage text read afresh from the index:

- supported (the figure that matters): api/quiz/support.py. The claim the item makes is rebuilt
  from its public fields alone and held against its quote: the correct option (or the true /
  false statement, or the sentence with the blank filled in) uses only words the quote uses,
  and is negated exactly as the quote is (or, for "what goes against the guidance" items and
  false statements, exactly the other way); a definition's term is in the quote; no wrong
  option is supported the same way (a second correct answer); the quote is an exact substring
  of the cited passage. Items the generator drafts must pass it, so this share is expected to
  be 100%; what it measures is that nothing between drafting, storage and export breaks that.
  The drafts the checks rejected are counted too (`rejected_drafts`). To show the check can
  fail, each item is also corrupted (a wrong option marked correct, True and False swapped,
  another item's term in the blank) and the share of corrupted items it rejects is reported
  (`corruption_caught_share`).
- overlap (an independent cross-check with the project's evidence matcher, eval/answers.py):
  after normalisation, and with negations set aside, the claim minus its question frame shares
  a run of six words with the quote (or is contained in it); then its negation parity agrees
  with the answer. It looks at word runs, not word sets, so it catches reworded claims the
  main check would let through, and misses claims shorter than six words.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from typing import Any

from core.settings import get_settings
from eval.answers import quote_supports
from quiz.constants import BLANK, FALSE
from quiz.phrasing import TRUE_FALSE_PREFIX
from quiz.schemas import QuizItem, QuizRequest
from quiz.service import QuizService, make_quiz_service
from quiz.support import check_support
from quiz.text import jaccard, key, negations
from wiring.container import Container

SAMPLE = 10
_QUOTED = re.compile(r"“([^”]*)”")
_NEGATORS = re.compile(r"\b(?:not|never|no|do not|avoid)\b", re.I)
_FRAME = re.compile(r"^According to [^,]+, (?:(?:when|during|after|before) [^,]+, )?", re.I)


def claim_of(item: QuizItem) -> str:
    """What the item asserts, in the handbook's words as far as the item keeps them."""
    if item.kind == "fill_blank":
        sentence = next((q for q in _QUOTED.findall(item.question) if BLANK in q), "")
        return sentence.replace(BLANK, item.answer, 1)
    if item.kind == "true_false":
        return _FRAME.sub("", item.question.removeprefix(TRUE_FALSE_PREFIX))
    return item.answer


def overlap_ok(item: QuizItem) -> bool:
    claim, quote = claim_of(item), item.citation.quote
    if item.basis == "definition":
        return key(item.answer) in key(quote)
    # Words first (negations aside), then negation parity.
    words_of_claim = _NEGATORS.sub(" ", re.sub(r"^you should (not )?", "", claim)).rstrip(" .")
    if not quote_supports(_NEGATORS.sub(" ", quote), [words_of_claim]):
        return False
    same = negations(claim) % 2 == negations(_response(item, quote)) % 2
    reversed_claim = item.basis == "advised_against" or (
        item.kind == "true_false" and item.answer == FALSE
    )
    return same != reversed_claim


def _response(item: QuizItem, quote: str) -> str:
    if item.basis == "situation" and "," in quote:
        return quote.split(",", 1)[1]
    return quote


def corrupted(item: QuizItem, other_terms: list[str]) -> QuizItem:
    """The item with a wrong answer: a wrong option marked correct, True and False swapped,
    or another item's missing term in the blank."""
    if item.options:
        wrong = next(o for o in item.options if o != item.answer)
        return item.model_copy(update={"answer": wrong})
    if item.kind == "true_false":
        return item.model_copy(update={"answer": "True" if item.answer == FALSE else FALSE})
    term = next((t for t in other_terms if key(t) != key(item.answer)), "interpreter")
    return item.model_copy(update={"answer": term})


def options_distinct(item: QuizItem) -> bool:
    options = item.options or []
    if not options:
        return True
    keys = {key(o) for o in options}
    pairs = [(a, b) for i, a in enumerate(options) for b in options[i + 1 :]]
    return len(keys) == len(options) and all(jaccard(a, b) < 0.8 for a, b in pairs)


def run_quiz_quality(
    service: QuizService,
    passages: dict[str, str],
    n: int = 50,
    seed: int = 2026,
    topic: str | None = None,
) -> dict[str, Any]:
    drafted = service.draft(QuizRequest(n=n, seed=seed, topic=topic))
    rows: list[dict[str, Any]] = []
    terms = [i.answer for i in drafted.items if i.kind == "fill_blank"]
    for item in drafted.items:
        text = passages.get(item.citation.chunk_id, "")
        support = check_support(item, text)
        caught = not check_support(corrupted(item, terms[::-1]), text).ok
        rows.append(
            {
                "id": item.id,
                "kind": item.kind,
                "basis": item.basis,
                "doc_id": item.citation.doc_id,
                "quote_in_passage": bool(text) and item.citation.quote in text,
                "supported": support.ok,
                "reasons": support.reasons,
                "overlap": overlap_ok(item),
                "options_distinct": options_distinct(item),
                "corruption_caught": caught,
            }
        )
    total = len(rows) or 1

    def share(field: str) -> float:
        return round(sum(r[field] for r in rows) / total, 3)

    rng = random.Random(seed)
    by_kind: dict[str, list[QuizItem]] = {}
    for item in drafted.items:
        by_kind.setdefault(item.kind, []).append(item)
    sample: list[QuizItem] = []
    while len(sample) < min(SAMPLE, len(drafted.items)):
        for kind in sorted(by_kind):
            pool = [i for i in by_kind[kind] if i not in sample]
            if pool and len(sample) < SAMPLE:
                sample.append(rng.choice(pool))
    return {
        "items": len(rows),
        "asked": n,
        "seed": drafted.seed,
        "topic": topic,
        "supported_share": share("supported"),
        "overlap_share": share("overlap"),
        "quote_in_passage_share": share("quote_in_passage"),
        "options_distinct_share": share("options_distinct"),
        "corruption_caught_share": share("corruption_caught"),
        "rejected_drafts": drafted.rejected,
        "kinds": dict(Counter(r["kind"] for r in rows)),
        "handbooks": dict(Counter(r["doc_id"] for r in rows)),
        "unsupported": [r for r in rows if not r["supported"]],
        "sample": [i.model_dump() for i in sample],
    }


def format_item(n: int, item: dict[str, Any]) -> str:
    c = item["citation"]
    pages = f", p. {c['page_start']}" if c["page_start"] is not None else ""
    lines = [f"[{n}] {item['kind']} ({item['basis']})", f"    Q: {item['question']}"]
    for i, option in enumerate(item["options"] or []):
        mark = "*" if option == item["answer"] else " "
        lines.append(f"     {mark} {chr(65 + i)}. {option}")
    lines.append(f"    Answer: {item['answer']}")
    lines.append(f"    Source: {c['title'][:60]} › {c['section'][-70:]}{pages}")
    lines.append(f"    Quote: “{' '.join(c['quote'].split())}”")
    return "\n".join(lines)


def format_report(report: dict[str, Any]) -> str:
    lines = [
        f"Quiz quality: {report['items']} items (asked {report['asked']}, seed {report['seed']}"
        + (f", topic {report['topic']!r}" if report["topic"] else "")
        + ")",
        f"  answer supported by its quote:      {report['supported_share']:.1%}",
        f"  cross-check (6-word run + negation): {report['overlap_share']:.1%}",
        f"  quote verbatim in its passage:      {report['quote_in_passage_share']:.1%}",
        f"  options distinct:                   {report['options_distinct_share']:.1%}",
        f"  wrong answers the check catches:    {report['corruption_caught_share']:.1%}",
        f"  drafts rejected by the checks:      {report['rejected_drafts']}",
        f"  kinds: {report['kinds']}",
        f"  handbooks: {report['handbooks']}",
    ]
    for row in report["unsupported"]:
        lines.append(f"  UNSUPPORTED {row['id']}: {'; '.join(row['reasons'])}")
    lines.append(f"\nSample of {len(report['sample'])} items for a person to judge:\n")
    lines.extend(format_item(i, item) + "\n" for i, item in enumerate(report["sample"], 1))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--topic", default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    state = Container.load(get_settings())
    if state.retriever is None:
        print(f"error: {state.problem}", file=sys.stderr)
        return 3
    service = make_quiz_service(state.retriever)
    passages = {
        chunk.chunk_id: chunk.text
        for doc_id in state.retriever.documents
        for chunk, _ in state.retriever.store.iter_chunks(doc_id)
    }
    report = run_quiz_quality(service, passages, args.n, args.seed, args.topic)
    print(json.dumps(report, indent=2) if args.json else format_report(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
