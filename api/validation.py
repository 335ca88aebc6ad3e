"""Checks on request values whose limits come from settings rather than from the schema."""

from __future__ import annotations

from api.errors import ApiError
from core.settings import Settings


def clean_query(text: str, settings: Settings, field: str = "query") -> str:
    stripped = text.strip()
    if not stripped:
        raise ApiError(422, "invalid-request", "Invalid request", f"{field}: must not be empty.")
    limit = settings.server.max_query_chars
    if len(stripped) > limit:
        raise ApiError(
            422,
            "invalid-request",
            "Invalid request",
            f"{field}: {len(stripped)} characters; the limit is {limit}.",
        )
    return stripped


def resolve_k(k: int | None, settings: Settings) -> int:
    if k is None:
        return settings.retrieval.default_k
    if not 1 <= k <= settings.retrieval.max_k:
        raise ApiError(
            422,
            "invalid-request",
            "Invalid request",
            f"k: must be between 1 and {settings.retrieval.max_k}, got {k}.",
        )
    return k
