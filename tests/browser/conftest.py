"""A real Marquee for the browser: `marquee demo` on a new SQLite file, then `marquee serve`.

This is exactly what an operator does, so the browser tests cover the whole path from the
demo catalog file to the page.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def site_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of the served site, for tests that run `marquee` commands against it."""
    folder = tmp_path_factory.mktemp("site")
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'marquee.sqlite3'}",
        "MARQUEE_VAR_DIR": str(folder),
        "DJANGO_SETTINGS_MODULE": "marquee.settings",
    }


@pytest.fixture(scope="session")
def site(site_env: dict[str, str]) -> Iterator[str]:
    env = site_env
    command = [sys.executable, "-m", "marquee"]
    # Exactly the operator's two steps on a new SQLite file: `marquee demo`, `marquee serve`.
    subprocess.run([*command, "demo"], cwd=ROOT, env=env, check=True, timeout=300)
    port = free_port()
    server = subprocess.Popen([*command, "serve", "--port", str(port)], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/robots.txt", timeout=1)  # noqa: S310 (our own server)
                break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
