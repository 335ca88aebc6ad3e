"""/api/ask latency over HTTP (extractive answers), sequential and with 8 concurrent clients."""

from __future__ import annotations

from common import QUESTIONS, run_latency, server


def main() -> None:
    with server() as base:
        run_latency(
            "POST /api/ask (extractive)",
            base,
            "/api/ask",
            lambda i: {"question": QUESTIONS[i % len(QUESTIONS)]},
            requests=40,
        )


if __name__ == "__main__":
    main()
