from itertools import pairwise
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

MIRACLE = "/movies/miracle-in-cell-no-7-2013/"
SECTIONS = ["Cast", "Reviews", "About the movie", "Watch", "Related movies"]

HEADING_LEVELS = (
    """() => [...document.querySelectorAll('h1,h2,h3,h4')].map(h => Number(h.tagName[1]))"""
)


def test_the_miracle_page_shows_every_section(site: str, page: Page, artifacts: Path) -> None:
    page.goto(site + MIRACLE)
    assert page.locator("h1").inner_text() == "Miracle in Cell No. 7 (2013)"
    assert page.get_by_text("7번방의 선물").first.is_visible()
    for name in SECTIONS:
        assert page.get_by_role("heading", level=2, name=name).is_visible(), name
    cast = page.locator("#cast li")
    assert cast.count() >= 9
    assert page.locator("#cast").get_by_text("Ryu Seung-ryong").is_visible()
    assert page.locator("#cast").get_by_text("Lee Yong-gu").is_visible()
    assert page.locator("#about").get_by_text("Chuncheon").first.is_visible()
    assert page.locator("#about").get_by_text("on day 32").is_visible()
    related = page.locator("#related .card")
    assert related.count() >= 6
    assert page.locator("#related .card-reason").first.inner_text() == "Remake"
    page.screenshot(path=str(artifacts / "movie-page.png"), full_page=True)


def test_the_spoiler_opens_with_the_keyboard(site: str, page: Page, artifacts: Path) -> None:
    page.goto(site + MIRACLE)
    plot = page.locator("#plot")
    assert plot.get_attribute("open") is None
    assert not page.locator("#plot .spoiler-body").is_visible()
    for _ in range(300):  # Tab through the page like a keyboard user
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('#plot > summary')"):
            break
    else:
        pytest.fail("the spoiler disclosure cannot be reached with Tab")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focus must be visible"
    page.keyboard.press("Enter")
    assert plot.get_attribute("open") is not None
    assert page.locator("#plot .spoiler-body").is_visible()
    page.locator("#plot").screenshot(path=str(artifacts / "movie-page-spoiler-open.png"))


def test_the_page_has_one_h1_and_headings_in_order(site: str, page: Page) -> None:
    for path in ("/", MIRACLE, "/movies/", "/people/ryu-seung-ryong/"):
        page.goto(site + path)
        levels = page.evaluate(HEADING_LEVELS)
        assert levels.count(1) == 1, path
        assert levels[0] == 1, path
        assert all(b - a <= 1 for a, b in pairwise(levels)), (path, levels)
        assert (
            page.locator("main").count() == 1 and page.locator("nav[aria-label=Main]").count() == 1
        )
        images_without_alt = page.locator("img:not([alt])").count()
        assert images_without_alt == 0, path


def test_it_is_usable_at_360_pixels(site: str, browser: Browser, artifacts: Path) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    for path, name in ((MIRACLE, "movie-page-360"), ("/movies/", "movies-360"), ("/", "home-360")):
        page.goto(site + path)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
        page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
    context.close()


def test_every_page_kind_renders(site: str, page: Page, artifacts: Path) -> None:
    pages = {
        "home": "/",
        "movies": "/movies/?genre=drama&sort=year",
        "cast": MIRACLE + "cast/",
        "person": "/people/ryu-seung-ryong/",
        "filmography": "/people/ryu-seung-ryong/acting/",
        "people": "/people/",
        "genre": "/genres/drama/",
        "country": "/countries/kr/",
        "year": "/years/2013/",
        "search": "/search/?q=miracle",
        "not-found": "/movies/no-such-film/",
    }
    for name, path in pages.items():
        response = page.goto(site + path)
        assert response is not None
        assert response.status == (404 if name == "not-found" else 200), path
        page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
