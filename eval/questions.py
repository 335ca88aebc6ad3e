"""Loading question sets (JSON lines; format in eval/data/README.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    lang: str
    kind: str
    evidence: tuple[str, ...]
    docs: tuple[str, ...] = ()
    pages: tuple[int | None, ...] = ()
    answer_points: tuple[str, ...] = ()
    # Passages judged to answer as well, found by pooled review (eval/data/README.md).
    alt_evidence: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def pooled_evidence(self) -> tuple[str, ...]:
        return self.evidence + self.alt_evidence

    @property
    def answerable(self) -> bool:
        return self.kind != "unanswerable"


def _as_tuple(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list) else (value,)


def load_questions(path: Path) -> list[Question]:
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path.name} line {number}: not JSON ({exc.msg})") from exc
        questions.append(
            Question(
                id=raw["id"],
                question=raw["question"],
                lang=raw.get("lang", "en"),
                kind=raw.get("kind", "fact"),
                evidence=tuple(raw.get("evidence") or ()),
                docs=_as_tuple(raw.get("doc")),
                pages=_as_tuple(raw.get("page")),
                answer_points=tuple(raw.get("answer_points") or ()),
                alt_evidence=tuple(raw.get("alt_evidence") or ()),
                extra={k: v for k, v in raw.items() if k in ("source_id",)},
            )
        )
    return questions
