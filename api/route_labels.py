"""Labels for a request that can never carry text: its route template and a known method.

Logs and metrics name a request by the route it matched (`/api/quiz/{quiz_id}`), never by its
raw path: a path or query string may hold words a person typed, and a label per raw path would
give metrics unbounded cardinality.
"""

from __future__ import annotations

from starlette.routing import Match
from starlette.types import Scope

UNMATCHED = "other"
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def route_template(scope: Scope) -> str:
    """The template of the route that handled the request, or `other` when none matched."""
    route = scope.get("route") or _top_level_match(scope)
    path = getattr(route, "path", None)
    return path if isinstance(path, str) and path else UNMATCHED


def method_label(scope: Scope) -> str:
    method = str(scope.get("method", "")).upper()
    return method if method in _METHODS else "OTHER"


def _top_level_match(scope: Scope) -> object | None:
    # Routes FastAPI adds itself (/docs, /openapi.json) do not record themselves in the scope.
    router = getattr(scope.get("app"), "router", None)
    for route in getattr(router, "routes", ()):
        if isinstance(getattr(route, "path", None), str):
            match, _ = route.matches(scope)
            if match is Match.FULL:
                return route
    return None
