"""A new member's first visit, in Chromium, against `marquee demo` + `marquee serve`: sign up,
rate a film, review it with a spoiler, see the review hidden then revealed, add the film to the
watchlist, sign out. The rating and the watchlist go through htmx; the CSP is in force."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

MIRACLE = "/movies/miracle-in-cell-no-7-2013/"


def test_a_new_member_rates_reviews_and_keeps_a_watchlist(
    site: str, page: Page, artifacts: Path
) -> None:
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)

    page.goto(site + "/accounts/signup/")
    page.get_by_label("Username").fill("first-member")
    page.get_by_label("Email").fill("first@example.org")
    page.get_by_label("Display name").fill("First <b>Member</b>")
    page.get_by_label("Password", exact=True).fill("popcorn and subtitles")
    page.get_by_label("Password confirmation").fill("popcorn and subtitles")
    page.screenshot(path=str(artifacts / "members-sign-up.png"), full_page=True)
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".messages")).to_contain_text("Welcome, First <b>Member</b>")
    page.screenshot(path=str(artifacts / "members-welcome.png"))

    page.goto(site + MIRACLE)
    # Other browser tests share the site: count from what the page says now.
    summary = page.locator(".rating-average")
    before = int(summary.inner_text().split("from ")[1].split()[0]) if summary.count() else 0
    page.get_by_label("Your rating").select_option("9")
    page.get_by_role("button", name="Rate").click()
    # htmx swaps the member panel in place: no page load, the new rating shows.
    expect(page.locator(".my-score")).to_have_text("★★★★½")
    page.reload()
    expect(summary).to_contain_text(f"from {before + 1} member rating")
    page.locator("#reviews").screenshot(path=str(artifacts / "members-rated.png"))

    page.get_by_role("link", name="Write a review").click()
    page.get_by_label("Title").fill("The ending got me")
    page.get_by_label("Body").fill("The **courtroom** scene is where it turns: the daughter wins.")
    page.get_by_label("This review contains spoilers").check()
    page.screenshot(path=str(artifacts / "members-review-form.png"), full_page=True)
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messages")).to_contain_text("Your review is published.")

    page.goto(site + MIRACLE)
    review = page.locator(".review-spoiler").first
    expect(review.locator("summary")).to_contain_text("This review contains spoilers")
    body = review.locator(".review-body")
    expect(body).to_be_hidden()
    page.locator("#reviews").screenshot(path=str(artifacts / "members-spoiler-hidden.png"))
    review.locator("summary").click()
    expect(body).to_be_visible()
    expect(body.locator("strong")).to_have_text("courtroom")
    page.locator("#reviews").screenshot(path=str(artifacts / "members-spoiler-revealed.png"))

    page.get_by_role("button", name="+ Watchlist").click()
    expect(page.get_by_role("button", name="✓ On your watchlist")).to_be_visible()
    page.goto(site + "/watchlist/")
    expect(page.locator(".card-title").first).to_have_text("Miracle in Cell No. 7")
    page.screenshot(path=str(artifacts / "members-watchlist.png"), full_page=True)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    page.goto(site + "/watchlist/")
    assert "/accounts/login/" in page.url
    page.screenshot(path=str(artifacts / "members-signed-out.png"))
    assert console_errors == [], console_errors


def test_the_same_steps_work_without_javascript(site: str, browser, artifacts: Path) -> None:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.goto(site + "/accounts/signup/")
    page.get_by_label("Username").fill("no-script")
    page.get_by_label("Email").fill("noscript@example.org")
    page.get_by_label("Password", exact=True).fill("popcorn and subtitles")
    page.get_by_label("Password confirmation").fill("popcorn and subtitles")
    page.get_by_role("button", name="Create account").click()
    page.goto(site + MIRACLE)
    page.get_by_label("Your rating").select_option("6")
    page.get_by_role("button", name="Rate").click()
    expect(page.locator(".messages")).to_contain_text("Your rating is saved.")
    expect(page.locator(".my-score")).to_have_text("★★★")
    page.get_by_role("button", name="+ Watchlist").click()
    expect(page.locator(".messages")).to_contain_text("is on your watchlist")
    page.locator("#reviews").screenshot(path=str(artifacts / "members-no-js.png"))
    context.close()
