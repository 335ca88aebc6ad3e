"""A fixed two-way split of a question set, for choosing changes on one half and confirming
them on the other (the held-out half): a question's half is decided by a hash of its id alone,
so it never depends on the set's order, size or on results."""

from __future__ import annotations

import hashlib

HALVES = ("A", "B")


def half_of(question_id: str) -> str:
    """ "A" (the half changes are chosen on) or "B" (held out)."""
    return HALVES[hashlib.sha256(question_id.encode("utf-8")).digest()[0] % 2]
