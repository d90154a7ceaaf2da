"""The header's search combobox, driven by the keyboard in Chromium, and the results page."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

pytestmark = pytest.mark.browser

MIRACLE = "/movies/miracle-in-cell-no-7-2013/"
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}


def test_suggestions_are_chosen_with_the_keyboard(site: str, page: Page, artifacts: Path) -> None:
    page.goto(site + "/")
    box = page.get_by_role("combobox", name="Search movies and people")
    box.focus()
    box.press_sequentially("mirac", delay=40)
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options.first).to_contain_text("Miracle in Cell No. 7")
    expect(page.locator("#search-status")).to_contain_text("suggestions")
    page.screenshot(path=str(artifacts / "search-suggestions.png"))

    box.press("ArrowDown")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", "suggestion-1")
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(options.nth(0)).to_have_attribute("aria-selected", "false")
    box.press("ArrowUp")
    expect(box).to_have_attribute("aria-activedescendant", "suggestion-1")

    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("mirac")  # Escape closes the list and keeps the text

    box.press("ArrowDown")  # reopens on the first option
    expect(listbox).to_be_visible()
    box.press("Enter")
    page.wait_for_url(site + MIRACLE)


def test_enter_without_a_chosen_suggestion_opens_the_results(site: str, page: Page) -> None:
    page.goto(site + "/")
    box = page.get_by_role("combobox", name="Search movies and people")
    box.fill("7번방의 선물")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    first = page.locator(".cards .card a").first
    expect(first).to_have_attribute("href", MIRACLE)


def test_search_works_without_javascript(site: str, browser: Browser, artifacts: Path) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=VIEWPORT)
    page = context.new_page()
    try:
        page.goto(site + "/")
        page.get_by_role("combobox", name="Search movies and people").fill("mircale in cell 7")
        page.get_by_role("button", name="Search").click()
        page.wait_for_url("**/search/?q=*")
        expect(page.locator(".cards .card a").first).to_have_attribute("href", MIRACLE)
        page.get_by_role("link", name="Türkiye").click()
        expect(page.locator(".cards .card")).to_have_count(1)
        page.goto(site + "/search/?q=miracle")
        page.screenshot(path=str(artifacts / "search-results.png"), full_page=True)
    finally:
        context.close()
