"""The Quiz tab in headless Chromium against the real server: draft, review, edit, delete,
export; the API key a trainer enters for edits, and what the page says without one. Reuses the
server, browser and page fixtures of test_chat.py."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from access.keys import KeyStore
from tests.browser.test_chat import (  # noqa: F401
    TRUCK,
    ask,
    browser,
    expect,
    new_page,
    page,
    server,
    shot,
)
from tests.support.live_server import running

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def keys(full_settings) -> Iterator[KeyStore]:
    store = KeyStore(full_settings.keys_file)
    yield store
    store.close()


def enter_key(pg, key: str, remember: bool = False) -> None:
    box = pg.locator("#key-box")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    pg.get_by_label("Your API key").fill(key)
    if remember:
        pg.get_by_label("Remember on this computer").check()
    pg.get_by_role("button", name="Use this key").click()
    expect(pg.locator("#key-state")).to_have_text("(entered)")
    box.locator("summary").click()  # close it again, as a trainer would


def open_quiz_tab(pg) -> None:
    pg.goto("/")
    pg.get_by_role("tab", name="Quiz").click()
    expect(pg.locator("#quiz-view")).to_be_visible()


def test_trainer_drafts_edits_and_exports_a_quiz(page, server, keys) -> None:  # noqa: F811
    pg = page
    _, key = keys.create("browser-trainer")
    open_quiz_tab(pg)
    expect(pg.locator("#main")).to_be_hidden()
    expect(pg.get_by_role("tab", name="Quiz")).to_have_attribute("aria-selected", "true")
    expect(pg.locator("#key-state")).to_have_text("(none)")
    enter_key(pg, key)
    expect(pg.locator("#key-message")).to_have_text("Key saved for this tab.")
    # Kept for this tab only, and never written into the page.
    assert pg.evaluate("sessionStorage.getItem('haven.apiKey')") == key
    assert pg.evaluate("localStorage.getItem('haven.apiKey')") is None
    assert pg.locator("#key-input").input_value() == ""

    pg.get_by_label("Topic (optional)").fill("interviewing a child")
    pg.get_by_label("Number of items").fill("4")
    pg.get_by_label("Seed (optional)").fill("5")
    with pg.expect_request("**/api/quiz") as request:
        pg.get_by_role("button", name="Draft quiz").click()
    sent = request.value.post_data_json
    assert request.value.all_headers()["authorization"] == f"Bearer {key}"
    assert sent["n"] == 4 and sent["seed"] == 5 and sent["topic"] == "interviewing a child"
    assert sent["kinds"] == ["mcq", "true_false", "fill_blank", "scenario"]
    items = pg.locator(".quiz-item")
    expect(items).to_have_count(4)
    expect(pg.locator("#quiz-status")).to_contain_text("Quiz drafted: 4 items")
    expect(items.first.locator(".quiz-source blockquote")).not_to_be_empty()
    shot(pg, "20-quiz-drafted", full_page=True)

    first = items.first
    first.get_by_label("Question").fill("An edited question?")
    first.get_by_role("button", name="Save item").click()
    expect(pg.locator("#quiz-status")).to_contain_text("Item 1 saved.")
    expect(first.locator(".quiz-edited")).to_be_visible()
    items.nth(1).get_by_role("button", name="Delete item").click()
    expect(items).to_have_count(3)

    gift = pg.get_by_role("link", name="Moodle GIFT")
    href = gift.get_attribute("href")
    assert href is not None and href.endswith("/export?format=gift")
    with pg.expect_download() as download:
        gift.click()
    assert download.value.suggested_filename.startswith("quiz-interviewing-a-child")  # server-named
    with open(download.value.path(), encoding="utf-8") as f:
        assert "An edited question?" in f.read()
    quiz_id = href.split("/")[3]
    with urllib.request.urlopen(f"{server}/api/quiz/{quiz_id}") as r:
        saved = json.load(r)
    assert len(saved["items"]) == 3 and saved["items"][0]["question"] == "An edited question?"
    expect(pg.locator("#quiz-saved-list")).to_contain_text("Quiz: interviewing a child")

    pg.get_by_role("tab", name="Ask").click()
    expect(pg.locator("#main")).to_be_visible()
    expect(pg.locator("#quiz-view")).to_be_hidden()


def test_without_a_valid_key_the_page_says_what_to_do(page, keys) -> None:  # noqa: F811
    pg = page
    open_quiz_tab(pg)
    pg.get_by_label("Number of items").fill("2")
    # The POST only: opening the tab also GETs /api/quiz (the saved quizzes), which may land
    # while we wait.
    with pg.expect_response(_draft_request) as response:
        pg.get_by_role("button", name="Draft quiz").click()
    assert response.value.status == 401
    status = pg.locator("#quiz-status")
    expect(status).to_have_text(
        "The quiz could not be drafted: This needs an API key. Enter your key under "
        "“API key” at the top of the page, then try again."
    )
    expect(pg.locator("#key-box")).to_have_attribute("open", "")
    expect(pg.locator("#key-box")).to_have_class(re.compile(r"\bkey-wanted\b"))
    expect(pg.locator(".quiz-item")).to_have_count(0)
    shot(pg, "21-quiz-key-needed")

    record, revoked = keys.create("browser-revoked")
    keys.revoke(record.key_id)
    enter_key(pg, revoked, remember=True)
    assert pg.evaluate("localStorage.getItem('haven.apiKey')") == revoked
    pg.get_by_role("button", name="Draft quiz").click()
    expect(status).to_contain_text("This API key has been revoked.")
    pg.get_by_role("button", name="Forget key").click()
    expect(pg.locator("#key-state")).to_have_text("(none)")
    assert pg.evaluate("localStorage.getItem('haven.apiKey')") is None

    # A 429 says how long to wait.
    pg.route(
        "**/api/quiz",
        lambda route: route.fulfill(
            status=429,
            headers={"Retry-After": "17"},
            content_type="application/problem+json",
            body=json.dumps({"type": "x", "title": "Too many requests", "status": 429}),
        ),
    )
    pg.get_by_role("button", name="Draft quiz").click()
    expect(status).to_contain_text("Too many requests: wait 17 seconds, then try again.")


@pytest.fixture(scope="module")
def closed_server(full_settings, real_embedder) -> Iterator[str]:
    """The same index, served with access.require_key_for_reads on."""
    from api.app import create_app
    from core.settings import AccessSettings

    settings = full_settings.model_copy(
        update={"access": AccessSettings(require_key_for_reads=True)}
    )
    with running(create_app(settings, embedder=real_embedder)) as url:
        yield url


def test_chat_on_a_server_that_requires_keys(browser, closed_server, keys) -> None:  # noqa: F811
    _, key = keys.create("browser-reader")
    with new_page(browser, closed_server) as pg:
        pg.goto("/")
        expect(pg.locator("#key-box")).to_have_attribute("open", "")
        pg.locator("#filter summary").click()
        expect(pg.locator("#filter-list")).to_contain_text("This needs an API key.")
        pg.locator("#filter summary").click()
        enter_key(pg, key)
        expect(pg.locator("#filter-count")).to_have_text("(all 5)")
        answer, _ = ask(pg, TRUCK)
        expect(answer.locator(".points li").first).to_be_visible()
        shot(pg, "22-chat-with-key")


def _draft_request(response: Any) -> bool:  # a playwright Response
    return response.request.method == "POST" and response.url.endswith("/api/quiz")
