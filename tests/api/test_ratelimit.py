"""Rate limits: token buckets per client address and per API key, refused with 429.

Most tests run a tiny app behind the real middleware with a clock the test moves, so refills
need no sleeping; the last ones check the real app wires the limiter and CORS in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.errors import PROBLEM_BASE, install_error_handlers
from api.ratelimit import RateLimiter, RateLimitMiddleware, TokenBuckets
from tests.conftest import make_settings

KEY_A = "hvn_0000000a_secret-a"
KEY_B = "hvn_0000000b_secret-b"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def tiny_app(limiter: RateLimiter) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    for path in (
        "/api/thing",
        "/v1/models",
        "/health",
        "/ready",
        "/metrics",
        "/static/style.css",
        "/",
    ):
        app.add_api_route(path, lambda: {"ok": True}, methods=["GET"])
    app.add_middleware(RateLimitMiddleware, limiter=limiter)
    return app


Factory = Callable[..., tuple[Callable[[str], TestClient], FakeClock]]


@pytest.fixture()
def limited() -> Iterator[Factory]:
    """limited(per_key=, per_ip=) -> (client_for(address), clock)."""
    clients: list[TestClient] = []

    def factory(per_key: int = 0, per_ip: int = 0) -> tuple[Callable[[str], TestClient], FakeClock]:
        clock = FakeClock()
        app = tiny_app(RateLimiter(per_key, per_ip, clock=clock))

        def client_for(address: str) -> TestClient:
            client = TestClient(app, client=(address, 50000))
            clients.append(client)
            return client

        return client_for, clock

    yield factory
    for client in clients:
        client.close()


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_per_ip_limit_gives_429_with_retry_after(limited: Factory) -> None:
    client_for, _ = limited(per_ip=3)
    client = client_for("10.0.0.1")
    assert [client.get("/api/thing").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/api/thing")
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    body = refused.json()
    assert body["type"] == PROBLEM_BASE + "rate-limited"
    assert body["status"] == 429
    assert "client address" in body["detail"]
    # 3 a minute: one token every 20 s, and the bucket is empty.
    assert refused.headers["Retry-After"] == "20"


def test_addresses_have_separate_buckets(limited: Factory) -> None:
    client_for, _ = limited(per_ip=1)
    first, second = client_for("10.0.0.1"), client_for("10.0.0.2")
    assert first.get("/api/thing").status_code == 200
    assert first.get("/api/thing").status_code == 429
    assert second.get("/api/thing").status_code == 200


def test_per_key_limit_and_separate_key_buckets(limited: Factory) -> None:
    client_for, _ = limited(per_key=2)
    client = client_for("10.0.0.1")
    assert client.get("/api/thing", headers=bearer(KEY_A)).status_code == 200
    assert client.get("/api/thing", headers=bearer(KEY_A)).status_code == 200
    refused = client.get("/api/thing", headers=bearer(KEY_A))
    assert refused.status_code == 429
    assert "API key" in refused.json()["detail"]
    assert refused.headers["Retry-After"] == "30"
    # Another key from the same address, and requests without a key, are not held back.
    assert client.get("/api/thing", headers=bearer(KEY_B)).status_code == 200
    assert client.get("/api/thing").status_code == 200
    # The key's bucket follows the key to another address.
    assert client_for("10.0.0.9").get("/api/thing", headers=bearer(KEY_A)).status_code == 429


def test_a_request_needs_both_buckets(limited: Factory) -> None:
    client_for, _ = limited(per_key=5, per_ip=2)
    client = client_for("10.0.0.1")
    assert client.get("/api/thing", headers=bearer(KEY_A)).status_code == 200
    assert client.get("/api/thing", headers=bearer(KEY_B)).status_code == 200
    refused = client.get("/api/thing", headers=bearer(KEY_A))
    assert refused.status_code == 429 and "client address" in refused.json()["detail"]


def test_buckets_refill_with_time(limited: Factory) -> None:
    client_for, clock = limited(per_ip=60)  # one token a second, burst of 60
    client = client_for("10.0.0.1")
    assert all(client.get("/api/thing").status_code == 200 for _ in range(60))
    assert client.get("/api/thing").headers["Retry-After"] == "1"
    clock.advance(0.5)
    assert client.get("/api/thing").status_code == 429
    clock.advance(0.5)
    assert client.get("/api/thing").status_code == 200
    assert client.get("/api/thing").status_code == 429
    clock.advance(3600)  # refills to the burst, never beyond
    assert all(client.get("/api/thing").status_code == 200 for _ in range(60))
    assert client.get("/api/thing").status_code == 429


def test_retry_after_is_whole_seconds_rounded_up(limited: Factory) -> None:
    client_for, clock = limited(per_ip=7)  # a token every 60/7 = 8.57 s
    client = client_for("10.0.0.1")
    for _ in range(7):
        client.get("/api/thing")
    assert client.get("/api/thing").headers["Retry-After"] == "9"
    clock.advance(8)
    assert client.get("/api/thing").headers["Retry-After"] == "1"


def test_exempt_paths_are_never_limited(limited: Factory) -> None:
    client_for, _ = limited(per_key=1, per_ip=1)
    client = client_for("10.0.0.1")
    assert client.get("/api/thing", headers=bearer(KEY_A)).status_code == 200
    assert client.get("/api/thing", headers=bearer(KEY_A)).status_code == 429
    for path in ("/health", "/ready", "/metrics", "/static/style.css", "/"):
        for _ in range(3):
            assert client.get(path, headers=bearer(KEY_A)).status_code == 200, path


def test_zero_turns_limits_off(limited: Factory) -> None:
    client_for, _ = limited(per_key=0, per_ip=0)
    client = client_for("10.0.0.1")
    assert all(
        client.get("/api/thing", headers=bearer(KEY_A)).status_code == 200 for _ in range(50)
    )
    only_keys, _ = limited(per_key=1, per_ip=0)
    keyless = only_keys("10.0.0.1")
    assert all(keyless.get("/api/thing").status_code == 200 for _ in range(50))


def test_malformed_keys_count_only_against_the_address(limited: Factory) -> None:
    client_for, _ = limited(per_key=1, per_ip=100)
    client = client_for("10.0.0.1")
    for header in ("Bearer not-a-key", "Basic abc", "Bearer hvn__x", "Bearer"):
        for _ in range(3):
            assert client.get("/api/thing", headers={"Authorization": header}).status_code == 200


def test_idle_buckets_are_evicted() -> None:
    buckets = TokenBuckets(per_minute=60, max_buckets=100)
    for i in range(50):
        buckets.take(f"client-{i}", now=0.0)
    assert len(buckets) == 50
    # A minute later every old bucket has refilled: a new one sweeps them out.
    buckets.take("late", now=61.0)
    assert len(buckets) == 1


def test_bucket_count_is_capped() -> None:
    buckets = TokenBuckets(per_minute=60, max_buckets=100)
    for i in range(1000):
        buckets.take(f"client-{i}", now=i / 1000)
    assert len(buckets) == 100


def test_the_limiter_is_safe_across_threads() -> None:
    from concurrent.futures import ThreadPoolExecutor

    limiter = RateLimiter(per_key=0, per_ip=500, clock=lambda: 0.0)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: limiter.acquire("10.0.0.1", None), range(2000)))
    assert sum(r is None for r in results) == 500


# ---------- the real app ----------


@pytest.fixture()
def real_app_client(tmp_path: Path) -> Callable[..., TestClient]:
    """The real app (no index needed: limits and CORS sit in front of everything)."""
    opened: list[TestClient] = []

    def open_client(**access: object) -> TestClient:
        settings = make_settings(tmp_path, embedding={"backend": "fake"}, access=access)
        client = TestClient(create_app(settings))
        opened.append(client.__enter__())
        return client

    yield open_client
    for client in opened:
        client.__exit__(None, None, None)


def test_the_app_limits_api_routes_but_not_probes(real_app_client: Callable[..., TestClient]):
    client = real_app_client(rate_limit_per_ip=2)
    statuses = [client.get("/api/documents").status_code for _ in range(3)]
    assert statuses[2] == 429 and 429 not in statuses[:2]
    assert client.get("/api/documents").headers["Retry-After"] == "30"
    assert all(client.get("/health").status_code == 200 for _ in range(5))
    assert client.get("/static/app.js").status_code == 200


def test_cors_is_closed_by_default(real_app_client: Callable[..., TestClient]) -> None:
    client = real_app_client()
    r = client.get("/health", headers={"Origin": "https://evil.example"})
    assert r.status_code == 200
    assert "access-control-allow-origin" not in r.headers
    pre = client.options(
        "/api/quiz",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in pre.headers


def test_cors_allows_only_the_configured_origins(real_app_client: Callable[..., TestClient]):
    allowed = "https://intranet.example.org"
    client = real_app_client(cors_origins=[allowed], rate_limit_per_ip=1)
    pre = client.options(
        "/api/quiz/q1",
        headers={
            "Origin": allowed,
            "Access-Control-Request-Method": "DELETE",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert pre.status_code == 200
    assert pre.headers["access-control-allow-origin"] == allowed
    assert "DELETE" in pre.headers["access-control-allow-methods"]
    assert "authorization" in pre.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in pre.headers
    ok = client.get("/health", headers={"Origin": allowed})
    assert ok.headers["access-control-allow-origin"] == allowed
    # A 429 carries the CORS headers too, so the page can read Retry-After.
    client.get("/api/documents", headers={"Origin": allowed})
    limited = client.get("/api/documents", headers={"Origin": allowed})
    assert limited.status_code == 429
    assert limited.headers["access-control-allow-origin"] == allowed
    assert "retry-after" in limited.headers["access-control-expose-headers"].lower()
    other = client.get("/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    bad_pre = client.options(
        "/api/quiz/q1",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "DELETE"},
    )
    assert "access-control-allow-origin" not in bad_pre.headers


def test_openai_clients_get_their_error_member_on_429(limited: Factory) -> None:
    client_for, _ = limited(per_ip=1)
    client = client_for("10.0.0.9")
    assert client.get("/v1/models").status_code == 200
    body = client.get("/v1/models").json()
    assert body["status"] == 429
    assert body["error"]["type"] == "rate_limit_error"
    assert body["error"]["message"] == body["detail"]
    assert "error" not in client.get("/api/thing").json()
