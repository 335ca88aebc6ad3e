"""Answer-point metrics: how much of what an expert answer must say an answer says, and how many
of its statements are on the question's point.

Both compare content stems (answer.terms.content_stems: lower-cased, stop words dropped, a
light stemmer), so they read words, not meaning, and were fixed before any answer was scored:

- an expert answer point is *covered* when at least COVERED_SHARE of its content stems stand in
  the answer's statements together (a point may be made across two sentences);
- a statement (the lead or a bullet) is *on point* when it alone covers at least
  ON_POINT_SHARE of one expert point's stems, or its quote holds the expected evidence.

Expert points paraphrase the handbooks ("Treat her as a child until her age is verified"), so
a word measure under-counts coverage a reader would grant; figures are for comparing versions
of Haven on the same questions, beside the naive baseline, not absolute truths.
"""

from __future__ import annotations

from collections.abc import Sequence

from answer.terms import content_stems

COVERED_SHARE = 0.5
ON_POINT_SHARE = 0.5
# Words every expert point and every answer share: they would make any statement look on point.
_GENERIC = frozenset({"yes", "victim", "traffick", "trafficking", "person", "child"})


def point_stems(text: str) -> frozenset[str]:
    return frozenset(s for s in content_stems(text) if s not in _GENERIC)


def share_covered(point: frozenset[str], text: frozenset[str]) -> float:
    return len(point & text) / len(point) if point else 0.0


def covered_points(expert: Sequence[str], statements: Sequence[str]) -> list[bool]:
    said = frozenset().union(*(point_stems(s) for s in statements)) if statements else frozenset()
    return [share_covered(point_stems(p), said) >= COVERED_SHARE for p in expert]


def on_point(statement: str, expert: Sequence[str], supports_evidence: bool) -> bool:
    if supports_evidence:
        return True
    stems = point_stems(statement)
    return any(share_covered(point_stems(p), stems) >= ON_POINT_SHARE for p in expert)
