"""Rate limits per API key and per client address: token buckets, refused with 429.

Each limit is a token bucket holding `per_minute` tokens (the burst) that refills continuously
at `per_minute / 60` tokens a second; a request takes one token from its address's bucket and,
when it carries a bearer key, one from that key's bucket. Both must have a token, so a key
shared across many machines is capped as a whole, and one address is capped whatever keys it
sends. A limit of 0 turns it off.

The buckets live in memory in each worker process: with `server.workers = N` a client may get
up to N times the configured rate. Memory stays bounded: buckets idle long enough to have
refilled completely are dropped (a fresh bucket is the same), and past `max_buckets` the least
recently used bucket is dropped.

This is ASGI middleware rather than a FastAPI dependency so that it runs before anything else
does work for the request (routing, body parsing, key lookup in SQLite), covers every route
including those added later and unknown paths, and the 429 comes out the same everywhere.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

from access.keys import parse_key_id
from api.errors import problem

Clock = Callable[[], float]

# Probes, scrapes and the page's own files are never limited.
EXEMPT_PATHS = frozenset({"/", "/health", "/ready", "/metrics", "/favicon.ico"})
EXEMPT_PREFIXES = ("/static/",)
MAX_BUCKETS = 10_000


@dataclass
class _Bucket:
    tokens: float
    updated: float


class TokenBuckets:
    """One limit's buckets, by name (a client address or a key id). Not locked: see RateLimiter."""

    def __init__(self, per_minute: int, max_buckets: int = MAX_BUCKETS) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0  # tokens a second
        self.max_buckets = max_buckets
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def __len__(self) -> int:
        return len(self._buckets)

    def wait(self, name: str, now: float) -> float:
        """Seconds until `name` has a token: 0 when it has one now."""
        bucket = self._refill(name, now)
        return 0.0 if bucket.tokens >= 1 else (1 - bucket.tokens) / self.rate

    def take(self, name: str, now: float) -> None:
        self._refill(name, now).tokens -= 1

    def _refill(self, name: str, now: float) -> _Bucket:
        bucket = self._buckets.get(name)
        if bucket is None:
            bucket = self._buckets[name] = _Bucket(self.capacity, now)
            self._evict(now)
        else:
            self._buckets.move_to_end(name)
            elapsed = max(0.0, now - bucket.updated)
            bucket.tokens = min(self.capacity, bucket.tokens + elapsed * self.rate)
            bucket.updated = now
        return bucket

    def _evict(self, now: float) -> None:
        full_after = self.capacity / self.rate  # an idle bucket is full again after this long
        while self._buckets:
            name, oldest = next(iter(self._buckets.items()))
            if len(self._buckets) <= self.max_buckets and now - oldest.updated < full_after:
                break
            del self._buckets[name]


@dataclass(frozen=True)
class Refusal:
    retry_after: int  # whole seconds
    scope: str  # "client address" or "API key"


class RateLimiter:
    """Both limits behind one lock, so a request takes its tokens from both or from neither."""

    def __init__(
        self,
        per_key: int,
        per_ip: int,
        clock: Clock = time.monotonic,
        max_buckets: int = MAX_BUCKETS,
    ) -> None:
        self.per_key = TokenBuckets(per_key, max_buckets) if per_key > 0 else None
        self.per_ip = TokenBuckets(per_ip, max_buckets) if per_ip > 0 else None
        self._clock = clock
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.per_key is not None or self.per_ip is not None

    def acquire(self, client: str, key_id: str | None) -> Refusal | None:
        """None when the request may go ahead (its tokens taken); else how long to wait."""
        checks: list[tuple[TokenBuckets, str, str]] = []
        if self.per_ip is not None:
            checks.append((self.per_ip, client, "client address"))
        if self.per_key is not None and key_id is not None:
            checks.append((self.per_key, key_id, "API key"))
        with self._lock:
            now = self._clock()
            waits = [(buckets.wait(name, now), label) for buckets, name, label in checks]
            longest, label = max(waits, default=(0.0, ""))
            if longest > 0:
                return Refusal(retry_after=max(1, math.ceil(longest)), scope=label)
            for buckets, name, _ in checks:
                buckets.take(name, now)
        return None


def _bearer_key_id(scope: Scope) -> str | None:
    """The key id a request claims, unchecked: the access dependencies validate the key."""
    for name, value in scope.get("headers") or ():
        if name == b"authorization":
            scheme, _, key = value.decode("latin-1").partition(" ")
            return parse_key_id(key.strip()) if scheme.lower() == "bearer" else None
    return None


def _exempt(path: str) -> bool:
    return path in EXEMPT_PATHS or path.startswith(EXEMPT_PREFIXES)


class RateLimitMiddleware:
    """Refuses requests over a limit with 429 problem+json and Retry-After."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.limiter.enabled or _exempt(scope["path"]):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        address = client[0] if client else "unknown"
        refusal = self.limiter.acquire(address, _bearer_key_id(scope))
        if refusal is None:
            await self.app(scope, receive, send)
            return
        wait = refusal.retry_after
        response = problem(
            429,
            "rate-limited",
            "Too many requests",
            f"Too many requests from this {refusal.scope}: try again in "
            f"{wait} second{'' if wait == 1 else 's'}.",
            headers={"Retry-After": str(wait)},
            path=scope["path"],
        )
        await response(scope, receive, send)
