"""The client half of `make image-test`: wait for /ready, ask one question, check the citation.

Standard library only: it runs on the host, inside the server's network namespace (nsenter), so
it needs nothing from the image and the image needs nothing from it. It prints counts, ids and
pages, never the question's or the answer's text.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import urllib.error
import urllib.request
from typing import Any

# The same question and page as tests/api/test_ask_api.py, answered from the image's own index.
QUESTION = (
    "What basic needs should I attend to immediately when I first encounter a potential "
    "child trafficking victim?"
)
EXPECTED_DOC = "rso-first-responders"
EXPECTED_PAGE = 4


def _get(url: str) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {}


def wait_ready(base: str, timeout: float) -> dict[str, Any]:
    """/ready's body once it answers 200; the server may still be loading the model."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            status, body = _get(f"{base}/ready")
            if status == 200:
                return body
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass  # not listening yet
        if time.monotonic() > deadline:
            raise SystemExit(f"FAIL: /ready did not answer 200 within {timeout:.0f} s")
        time.sleep(1)


def ask(base: str) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{base}/api/ask",
        data=json.dumps({"question": QUESTION}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        body: dict[str, Any] = json.loads(response.read())
        return body


def problems(body: dict[str, Any]) -> list[str]:
    """What is wrong with the answer: every mark cited, every quote verbatim, the right page."""
    found: list[str] = []
    if body.get("answered") is not True:
        found.append("not answered")
    citations = body.get("citations", [])
    if not citations:
        found.append("no citations")
    passages = {p["chunk_id"]: p["text"] for p in body.get("passages", [])}
    numbers = {c["n"] for c in citations}
    for c in citations:
        if c["quote"] not in passages.get(c["chunk_id"], ""):
            found.append(f"citation [{c['n']}] quote is not verbatim from a retrieved passage")
    marks = {int(m) for m in re.findall(r"\[(\d+)\]", body.get("answer", ""))}
    if not marks:
        found.append("the answer has no [n] marks")
    if marks - numbers:
        found.append(f"marks without a citation: {sorted(marks - numbers)}")
    if not any(
        c["doc_id"] == EXPECTED_DOC and c["page_start"] <= EXPECTED_PAGE <= c["page_end"]
        for c in citations
    ):
        found.append(f"no citation of {EXPECTED_DOC} p. {EXPECTED_PAGE}")
    return found


def _place(citation: dict[str, Any]) -> str:
    start, end = citation["page_start"], citation["page_end"]
    if start is None:  # a plain-text handbook without page marks
        return str(citation["doc_id"])
    return f"{citation['doc_id']} p. {start}" + (f"-{end}" if end != start else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for /ready")
    args = parser.parse_args()

    started = time.monotonic()
    ready = wait_ready(args.url, args.timeout)
    print(
        f"ready after {time.monotonic() - started:.1f} s: build {ready['build_id']}, "
        f"{ready['documents']} documents, {ready['chunks']} chunks, embedder {ready['embedder']}"
    )
    asked = time.monotonic()
    body = ask(args.url)
    citations = body["citations"]
    print(f"/api/ask answered in {time.monotonic() - asked:.1f} s: {len(citations)} citations")
    for place in sorted({_place(c) for c in citations}):
        print(f"  cites {place}")
    found = problems(body)
    for problem in found:
        print(f"FAIL: {problem}")
    if not found:
        print("PASS: a cited answer from the image's own index")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
