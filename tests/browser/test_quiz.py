"""The Quiz tab in headless Chromium against the real server: draft, review, edit, delete,
export links. Reuses the server, browser and page fixtures of test_chat.py."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.browser.test_chat import browser, expect, page, server, shot  # noqa: F401

pytestmark = pytest.mark.browser


def test_trainer_drafts_edits_and_exports_a_quiz(page, server) -> None:  # noqa: F811
    pg = page
    pg.goto("/")
    pg.get_by_role("tab", name="Quiz").click()
    expect(pg.locator("#quiz-view")).to_be_visible()
    expect(pg.locator("#main")).to_be_hidden()
    expect(pg.get_by_role("tab", name="Quiz")).to_have_attribute("aria-selected", "true")

    pg.get_by_label("Topic (optional)").fill("interviewing a child")
    pg.get_by_label("Number of items").fill("4")
    pg.get_by_label("Seed (optional)").fill("5")
    with pg.expect_request("**/api/quiz") as request:
        pg.get_by_role("button", name="Draft quiz").click()
    sent = request.value.post_data_json
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

    href = pg.get_by_role("link", name="Moodle GIFT").get_attribute("href")
    assert href is not None and href.endswith("/export?format=gift")
    quiz_id = href.split("/")[3]
    with urllib.request.urlopen(f"{server}/api/quiz/{quiz_id}") as r:
        saved = json.load(r)
    assert len(saved["items"]) == 3 and saved["items"][0]["question"] == "An edited question?"
    expect(pg.locator("#quiz-saved-list")).to_contain_text("Quiz: interviewing a child")

    pg.get_by_role("tab", name="Ask").click()
    expect(pg.locator("#main")).to_be_visible()
    expect(pg.locator("#quiz-view")).to_be_hidden()
