"""The models this server offers: one, `haven`, whatever the client calls its model setting."""

from __future__ import annotations

from datetime import datetime

from api.errors import ApiError
from api.openai_compat.schemas import ModelCard

MODEL_ID = "haven"


def resolve_model(name: str) -> str:
    """The canonical id for `name`; 404 for anything else.

    Matching ignores case and surrounding spaces ("Haven" works). Other vendors' names such as
    "gpt-4o" are refused on purpose: a client set up for another model should find out it is
    not talking to it rather than get handbook answers under a borrowed name.
    """
    if name.strip().casefold() == MODEL_ID:
        return MODEL_ID
    shown = name if len(name) <= 100 else name[:100] + "…"
    raise ApiError(
        404,
        "model-not-found",
        "Unknown model",
        f"The model {shown!r} does not exist on this server; use {MODEL_ID!r} (GET /v1/models).",
    )


def model_card(built_at: str = "") -> ModelCard:
    """`built_at` is the loaded index's build time (ISO 8601), reported as `created`."""
    return ModelCard(id=MODEL_ID, created=_unix_time(built_at))


def _unix_time(iso: str) -> int:
    try:
        return int(datetime.fromisoformat(iso).timestamp())
    except ValueError:
        return 0
