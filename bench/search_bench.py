"""/api/search latency over HTTP, sequential and with 8 concurrent clients: English queries,
then queries in the six other languages (detection, lexicon, vocabulary, hypothetical
questions in the asker's language)."""

from __future__ import annotations

from common import OTHER_LANGUAGE_QUESTIONS, QUESTIONS, run_latency, server


def main() -> None:
    with server() as base:
        for label, queries in (
            ("POST /api/search k=5, English", QUESTIONS),
            ("POST /api/search k=5, es fr ru id vi th", OTHER_LANGUAGE_QUESTIONS),
        ):
            run_latency(
                label,
                base,
                "/api/search",
                lambda i, queries=queries: {"query": queries[i % len(queries)], "k": 5},
            )


if __name__ == "__main__":
    main()
