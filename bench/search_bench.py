"""/api/search latency over HTTP, sequential and with 8 concurrent clients."""

from __future__ import annotations

from common import QUESTIONS, run_latency, server


def main() -> None:
    with server() as base:
        run_latency(
            "POST /api/search k=5",
            base,
            "/api/search",
            lambda i: {"query": QUESTIONS[i % len(QUESTIONS)], "k": 5},
        )


if __name__ == "__main__":
    main()
