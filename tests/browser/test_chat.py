"""The web chat in Debian's headless Chromium, driven by Playwright, against the real server.

The server runs the real app (real model, FAISS, SQLite, the shipped handbooks) on a free port.
Screenshots of the main states land in test-artifacts/screenshots/ (git-ignored).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.live_server import running

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        "Debian chromium is not installed at /usr/bin/chromium (apt-get install chromium)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"
TRUCK = "I found a 15-year-old hidden in a truck — what do I do first?"
FOLLOW_UP = "And who should I call?"
OUT_OF_SCOPE = "How many trafficking victims did Thailand officially identify in 2023?"
TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def server(full_settings, real_embedder) -> Iterator[str]:
    from api.app import create_app

    with running(create_app(full_settings, embedder=real_embedder)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


@pytest.fixture()
def page(browser, server) -> Iterator[object]:
    with new_page(browser, server) as pg:
        yield pg


@contextmanager
def new_page(browser, server: str) -> Iterator[object]:
    """A fresh browser context on `server`; fails if the page logs errors or reaches out."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, base_url=server, locale="en-GB"
    )
    context.set_default_timeout(TIMEOUT_MS)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    pg.on(
        "console",
        lambda msg: (
            errors.append(f"console: {msg.text}")
            if msg.type == "error" and "404" not in msg.text and "Failed to load" not in msg.text
            else None
        ),
    )
    # Nothing may be fetched from anywhere but this server.
    outside: list[str] = []
    pg.on("request", lambda r: None if r.url.startswith(server) else outside.append(r.url))
    try:
        yield pg
    finally:
        context.close()
    assert not errors, errors
    assert not [u for u in outside if not u.startswith(("data:", "blob:"))], outside


def shot(pg, name: str, full_page: bool = False) -> None:
    pg.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def ask(pg, question: str) -> tuple[object, dict]:
    """Type a question, send it with Enter; the finished answer's article and the request body."""
    before = pg.locator("#turns > li").count()
    box = pg.locator("#question")
    box.fill(question)
    with pg.expect_request("**/api/ask/stream") as request:
        box.press("Enter")
    turn = pg.locator("#turns > li").nth(before)
    expect(turn.locator(".question-bubble")).to_have_text(re.compile(re.escape(question)))
    article = turn.locator("article.answer")
    expect(article).to_have_attribute("aria-busy", "false")
    return article, request.value.post_data_json


def test_practitioner_conversation(page, full_settings) -> None:
    pg = page
    pg.goto("/")
    expect(pg).to_have_title("Haven")
    expect(pg.locator("html")).to_have_attribute("lang", "en")
    expect(pg.locator("#filter-count")).to_have_text("(all 5)")
    expect(pg.locator(".foot")).to_contain_text("not legal advice")
    expect(pg.locator("#question")).to_be_focused()
    shot(pg, "00-start")

    # A streamed, cited answer.
    answer, sent = ask(pg, TRUCK)
    assert sent == {"question": TRUCK, "history": []}
    if "refusal" in (answer.get_attribute("class") or ""):
        shot(pg, "01-answer-refused")
        pytest.fail(
            "the answer service refused the truck question, so the page showed its refusal "
            "state (compare tests/api/test_ask_api.py::test_truck_scenario_is_answered_...)"
        )
    expect(answer.locator(".points li").first).to_be_visible()
    cites = answer.locator(".answer-body button.cite")
    assert cites.count() >= 1
    expect(answer.locator(".sources li").first).to_be_visible()
    expect(pg.locator("#status")).to_have_text("Answer ready.")
    shot(pg, "01-answer")

    # Open a citation: title, section, page and the highlighted quote.
    first = cites.first
    n = first.get_attribute("data-n")
    first.click()
    panel = pg.locator("#panel")
    expect(panel).to_be_visible()
    expect(panel).to_be_focused()
    quote = answer.locator(".sources li q").nth(int(n) - 1).text_content()
    mark = pg.locator("#panel-text mark")
    expect(mark).to_have_count(1)
    assert " ".join(mark.text_content().split()) == " ".join(quote.split())
    expect(pg.locator("#panel-doc")).not_to_be_empty()
    expect(pg.locator("#panel-section")).not_to_be_empty()
    expect(pg.locator("#panel-pages")).to_have_text(
        re.compile(r"^(pp?\. \d+(–\d+)?|No page numbers.*)$")
    )
    expect(pg.locator("#panel-next")).to_be_enabled()
    box = panel.bounding_box()
    assert box and box["x"] > 640 and box["height"] == 900, box  # a side panel on the right
    shot(pg, "02-citation")

    # A neighbouring passage, then back, then Escape returns focus to the citation.
    cited_text = pg.locator("#panel-text").text_content()
    pg.locator("#panel-next").click()
    expect(pg.locator("#panel-back")).to_be_visible()
    expect(pg.locator("#panel-position")).to_contain_text("neighbouring")
    expect(mark).to_have_count(0)
    assert pg.locator("#panel-text").text_content() != cited_text
    expect(pg.locator("#panel-prev")).to_be_enabled()
    shot(pg, "03-neighbour")
    pg.locator("#panel-back").click()
    expect(mark).to_have_count(1)
    pg.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(first).to_be_focused()

    # A follow-up carries the conversation as history.
    second, sent = ask(pg, FOLLOW_UP)
    history = sent["history"]
    assert [t["role"] for t in history] == ["user", "assistant"]
    assert history[0]["content"] == TRUCK and history[1]["content"]
    expect(second).not_to_have_class(re.compile("refusal|error"))
    expect(second.locator(".answer-body")).not_to_be_empty()
    shot(pg, "04-follow-up")

    # Out of scope: the refusal state with the nearest sections.
    refusal, sent = ask(pg, OUT_OF_SCOPE)
    assert len(sent["history"]) == 4
    expect(refusal).to_have_class(re.compile("refusal"))
    expect(refusal.get_by_role("heading", name="Not covered by the handbooks")).to_be_visible()
    expect(refusal.locator(".nearest button").first).to_be_visible()
    expect(refusal.locator("button.cite")).to_have_count(0)
    expect(pg.locator("#status")).to_have_text("The handbooks do not cover this question.")
    shot(pg, "05-refusal")
    refusal.locator(".nearest button").first.click()
    expect(pg.locator("#panel-position")).to_contain_text("not an answer")
    expect(mark).to_have_count(0)
    pg.keyboard.press("Escape")

    # Feedback on the first answer, question not included; on the refusal, included.
    first_answer = pg.locator("#turns > li").nth(0).locator("article")
    first_answer.get_by_role("button", name="Helpful", exact=True).click()
    first_answer.locator(".feedback-form textarea").fill("browser-test: clear first steps")
    expect(first_answer.locator(".feedback-form input[type=checkbox]")).not_to_be_checked()
    with pg.expect_response("**/api/feedback") as response:
        first_answer.get_by_role("button", name="Send feedback").click()
    assert response.value.status == 201
    expect(first_answer.locator(".feedback")).to_contain_text("Thank you")
    refusal.get_by_role("button", name="Not helpful").click()
    refusal.locator(".feedback-form textarea").fill("browser-test: wanted statistics")
    refusal.get_by_label("Include my question with the feedback").check()
    with pg.expect_response("**/api/feedback") as response:
        refusal.get_by_role("button", name="Send feedback").click()
    assert response.value.status == 201
    with sqlite3.connect(full_settings.data_dir / "feedback.sqlite") as conn:
        rows = conn.execute(
            "SELECT helpful, comment, question, citations FROM feedback "
            "WHERE comment LIKE 'browser-test:%' ORDER BY created_at, rowid"
        ).fetchall()
    assert [(r[0], r[1], r[2]) for r in rows[-2:]] == [
        (1, "browser-test: clear first steps", None),
        (0, "browser-test: wanted statistics", OUT_OF_SCOPE),
    ]
    assert json.loads(rows[-2][3]), "the first answer's citations were not sent"

    # Copy as plain text, and the print view.
    pg.context.grant_permissions(["clipboard-read", "clipboard-write"])
    first_answer.get_by_role("button", name="Copy answer").click()
    expect(pg.locator("#status")).to_have_text("Answer and sources copied.")
    copied = pg.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(f"Question: {TRUCK}")
    assert "Sources:" in copied and "[1] " in copied and "not legal advice" in copied
    pg.emulate_media(media="print")
    expect(pg.locator("#ask-form")).to_be_hidden()
    expect(first_answer.locator(".sources q").first).to_be_visible()
    shot(pg, "06-print", full_page=True)
    pg.emulate_media(media="screen")

    # A phone: 360 px wide, the passage opens as a bottom sheet.
    pg.set_viewport_size({"width": 360, "height": 740})
    pg.locator("#new-conversation").click()
    expect(pg.locator("#turns > li")).to_have_count(0)
    mobile, sent = ask(pg, TRUCK)
    assert sent["history"] == []
    assert pg.evaluate("document.documentElement.scrollWidth") <= 360
    shot(pg, "07-mobile-answer")
    mobile.locator(".answer-body button.cite").first.click()
    expect(panel).to_be_visible()
    expect(mark).to_have_count(1)
    box = panel.bounding_box()
    assert box and box["x"] == 0 and box["width"] == 360, box
    assert box["y"] > 100 and abs(box["y"] + box["height"] - 740) < 2, box
    shot(pg, "08-mobile-sheet")
    pg.locator("#panel-close").click()
    expect(panel).to_be_hidden()


def test_controls_reach_the_request(page) -> None:
    pg = page
    pg.goto("/")
    expect(pg.locator("#filter-count")).to_have_text("(all 5)")
    pg.locator("#about-open").click()
    about = pg.locator("#about")
    expect(about).to_be_visible()
    expect(about.locator("#about-list > li")).to_have_count(5)
    expect(about).to_contain_text("OSCE Office for Democratic Institutions and Human Rights")
    expect(about).to_contain_text("2022")
    shot(pg, "09-about")
    pg.keyboard.press("Escape")
    expect(about).to_be_hidden()

    pg.locator("#lang").select_option("es")
    pg.locator("#filter summary").click()
    pg.locator("#filter-none").click()
    pg.locator("#filter-list label", has_text="Guide for first responders").locator("input").check()
    expect(pg.locator("#filter-count")).to_have_text("(1 of 5)")
    pg.locator("#filter summary").click()
    _, body = ask(pg, TRUCK)
    assert body["lang"] == "es"
    assert body["doc_ids"] == ["rso-first-responders"]


SSE_FINAL = {
    "answer": "Primero: [1]\n\n- Asegúrese de que el niño esté a salvo. [1]",
    "answered": True,
    "answer_lang": "es",
    "citations": [
        {
            "n": 1,
            "chunk_id": "fake-1",
            "doc_id": "rso-first-responders",
            "title": "Guide for first responders: child victims of trafficking",
            "section": "First encounter with a Potential Child Victim",
            "page_start": None,
            "page_end": None,
            "quote": "Ensure the child is safe",
            "quote_translation": "Asegúrese de que el niño esté a salvo",
        }
    ],
    "passages": [
        {
            "chunk_id": "fake-1",
            "doc_id": "rso-first-responders",
            "title": "Guide for first responders: child victims of trafficking",
            "section": "First encounter with a Potential Child Victim",
            "page_start": None,
            "page_end": None,
            "text": "First, Ensure the child is safe, protected from immediate danger.",
            "score": 0.5,
        }
    ],
    "notes": ["Guidance drawn from the handbooks, not legal advice."],
}


def _sse(events: list[tuple[str, object]]) -> str:
    return "".join(f"event: {n}\ndata: {json.dumps(d, ensure_ascii=False)}\n\n" for n, d in events)


def test_failure_states_and_translated_answers(page) -> None:
    pg = page
    pg.goto("/")

    # The server cannot be reached.
    pg.route("**/api/ask/stream", lambda route: route.abort("connectionrefused"))
    ask_failed = pg.locator("#turns > li").last.locator("article")
    pg.locator("#question").fill("Is anyone there?")
    pg.locator("#question").press("Enter")
    expect(ask_failed).to_have_class(re.compile("unreachable"))
    expect(ask_failed).to_contain_text("Cannot reach Haven")
    shot(pg, "10-unreachable")
    pg.unroute("**/api/ask/stream")

    # A problem response: its detail is shown.
    problem = {
        "type": "https://haven.invalid/problems/invalid-request",
        "title": "Invalid request",
        "status": 422,
        "detail": "question: 2400 characters; the limit is 2000.",
    }
    pg.route(
        "**/api/ask/stream",
        lambda route: route.fulfill(
            status=422, content_type="application/problem+json", body=json.dumps(problem)
        ),
    )
    pg.locator("#question").fill("A very long question")
    pg.locator("#question").press("Enter")
    failed = pg.locator("#turns > li").last.locator("article")
    expect(failed).to_have_class(re.compile("error"))
    expect(failed).to_contain_text("the limit is 2000")
    pg.unroute("**/api/ask/stream")

    # An answer in another language, with a translated quote shown beside the original.
    body = _sse(
        [
            ("start", {"answered": True}),
            ("lead", {"text": "Primero: [1]"}),
            ("point", {"index": 0, "text": "Asegúrese de que el niño esté a salvo. [1]"}),
            ("final", SSE_FINAL),
        ]
    )
    pg.route(
        "**/api/ask/stream",
        lambda route: route.fulfill(status=200, content_type="text/event-stream", body=body),
    )
    context = {"passage": {**SSE_FINAL["passages"][0], "ordinal": 3}, "before": [], "after": []}
    context["passage"].pop("score")
    pg.route(
        "**/api/passages/fake-1*",
        lambda route: route.fulfill(status=200, json=context),
    )
    pg.locator("#question").fill("¿Qué hago primero?")
    pg.locator("#question").press("Enter")
    answer = pg.locator("#turns > li").last.locator("article")
    expect(answer.locator(".answer-lang")).to_have_text("Answer language: Español")
    expect(answer.locator(".answer-body")).to_have_attribute("lang", "es")
    answer.locator("button.cite").first.click()
    expect(pg.locator("#panel-translation")).to_be_visible()
    expect(pg.locator("#panel-quote-original")).to_have_text("Ensure the child is safe")
    expect(pg.locator("#panel-quote-translation")).to_have_text(
        "Asegúrese de que el niño esté a salvo"
    )
    expect(pg.locator("#panel-pages")).to_contain_text("No page numbers")
    expect(pg.locator("#panel-text mark")).to_have_text("Ensure the child is safe")
    expect(pg.locator("#panel-prev")).to_be_disabled()
    expect(pg.locator("#panel-next")).to_be_disabled()
    shot(pg, "11-translation")


def test_a_note_says_the_multilingual_index_is_still_being_built(browser, server: str) -> None:
    """While /ready reports a starter index with its background build running (a first start;
    the server side is tested with the real models in tests/index/test_starter_index.py), the
    chat says why other languages may find less; otherwise nothing is shown."""
    with new_page(browser, server) as pg:
        pg.goto("/")
        expect(pg.locator("#question")).to_be_visible()
        expect(pg.locator("#index-note")).to_be_hidden()
    with new_page(browser, server) as pg:
        building = {
            "status": "ready",
            "starter_index": True,
            "background_build": {"pid": 1, "backend": "e5", "started_at": "", "log": ""},
        }
        pg.route("**/ready", lambda route: route.fulfill(json=building))
        pg.goto("/")
        note = pg.locator("#index-note")
        expect(note).to_be_visible()
        expect(note).to_contain_text("still building its multilingual search index")
