"""How fast the configured language model reads and writes Haven's answer prompt.

For a few questions, the passages Haven retrieves (index in data/, or HAVEN_DATA_DIR) are put
into the answer prompt (prompts/answer.toml) and sent to the endpoint twice: once for a single
token (the time to read the prompt) and once for a whole answer (the prompt is then cached by
llama.cpp and Ollama, so the time is mostly writing). Prints prompt tokens, prompt tokens/s,
answer tokens/s and the seconds an answer took, per question and as medians.

    .venv/bin/python bench/generator_bench.py                      # HAVEN_GENERATOR__* settings
    .venv/bin/python bench/generator_bench.py --base-url http://127.0.0.1:11434/v1 \\
        --model llama3.1:8b --max-tokens 300
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

import httpx
from common import QUESTIONS

from answer.generated import format_passages
from answer.prompts import load_prompt
from core.settings import get_settings
from wiring.container import Container


def _call(client: httpx.Client, payload: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    response = client.post("/chat/completions", json=payload)
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    return elapsed, response.json()


def main() -> None:
    settings = get_settings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default=settings.generator.base_url)
    parser.add_argument("--model", default=settings.generator.model)
    parser.add_argument("--api-key", default=settings.generator.api_key)
    parser.add_argument("--max-tokens", type=int, default=settings.generator.max_tokens)
    parser.add_argument("--questions", type=int, default=3)
    args = parser.parse_args()
    if not args.base_url:
        parser.error("set HAVEN_GENERATOR__BASE_URL or pass --base-url")

    container = Container.load(settings)
    if container.ask is None:
        parser.error(f"no index to retrieve from ({container.problem}); run `haven ingest`")
    prompt = load_prompt("answer", settings.prompts_dir)
    headers = {"Authorization": f"Bearer {args.api_key}"} if args.api_key else {}
    rows = []
    with httpx.Client(base_url=args.base_url.rstrip("/"), headers=headers, timeout=900) as client:
        for question in QUESTIONS[: args.questions]:
            hits = container.ask.retriever.retrieve(question, settings.answer.k).hits
            system, user = prompt.render(
                question=question, passages=format_passages(hits), language="English"
            )
            payload: dict[str, Any] = {
                "model": args.model,
                "messages": [
                    {"role": "system", "content": system},
                    {"role": "user", "content": user},
                ],
                "temperature": 0,
                "stream": False,
            }
            read_s, first = _call(client, {**payload, "max_tokens": 1})
            write_s, whole = _call(client, {**payload, "max_tokens": args.max_tokens})
            prompt_tokens = first["usage"]["prompt_tokens"]
            written = whole["usage"]["completion_tokens"]
            rows.append((prompt_tokens, prompt_tokens / read_s, written / write_s, write_s))
            print(
                f"prompt {prompt_tokens:5d} tokens read at {rows[-1][1]:7.1f} tok/s; "
                f"{written:4d} tokens written at {rows[-1][2]:6.1f} tok/s; "
                f"answer in {read_s + write_s:6.1f} s (cold prompt)"
            )
    print(f"generator {args.model} at {args.base_url} ({len(rows)} questions, medians)")
    for i, label in enumerate(["prompt_tokens", "prompt_tok_per_s", "write_tok_per_s"]):
        print(f"  {label:20} {statistics.median(r[i] for r in rows):8.1f}")


if __name__ == "__main__":
    main()
