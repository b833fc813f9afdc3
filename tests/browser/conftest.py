"""Shared fixtures for the tests that open the built website in a real browser.

- ``site_dir``: the built site, ``_build/html`` unless ``LOSSBOOK_SITE`` points elsewhere; the
  tests are skipped (with the command to build it) when it has not been built.
- ``base_url``: that folder served over HTTP on a free localhost port for the whole session.
- ``browser``: headless Chromium driven by Playwright, the first found of: ``LOSSBOOK_CHROMIUM``,
  Debian's ``/usr/bin/chromium``, Playwright's own (``playwright install chromium``); missing
  Chromium is a failure, not a skip.
- ``watch``: attaches to a page and collects what went wrong while it loaded: page errors,
  console errors, failed or 4xx/5xx requests, and any request that leaves localhost.
- ``open_widget_page``: ``open_widget_page(page_path, css, viewport=DESKTOP)`` opens a built page
  in a fresh browser context, scrolled to its first widget of class ``css``; returns
  (page, root locator, problems) and closes the contexts after the test.
"""

from __future__ import annotations

import functools
import http.server
import os
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from widget_pages import DESKTOP, reveal

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))  # the tests share the benchmarks' site helpers (_site.py)
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = ("127.0.0.1", "localhost")

@pytest.fixture(scope="session")
def site_dir() -> Path:
    site = Path(os.environ.get("LOSSBOOK_SITE", ROOT / "_build" / "html"))
    if not (site / "index.html").is_file():
        pytest.skip(f"no built site at {site}: run `make book` first, or set LOSSBOOK_SITE to a built site")
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass  # one line per request would drown the test output


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)  # port 0: any free port
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def chromium_executable() -> str | None:
    """The Chromium to drive: LOSSBOOK_CHROMIUM, else Debian's, else None (Playwright's own)."""
    chosen = os.environ.get("LOSSBOOK_CHROMIUM")
    if chosen:
        if not Path(chosen).is_file():
            pytest.fail(f"LOSSBOOK_CHROMIUM={chosen} is not a file: point it at a Chromium or Chrome binary")
        return chosen
    return str(DEBIAN_CHROMIUM) if DEBIAN_CHROMIUM.is_file() else None


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import Error, sync_playwright

    executable = chromium_executable()
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except Error as error:
            where = executable or "Playwright's browser folder"
            pytest.fail(f"no Chromium started from {where}: {error}\nInstall one with "
                        "`.venv/bin/playwright install chromium` (any OS) or `apt-get install chromium` "
                        "(Debian), or set LOSSBOOK_CHROMIUM to a Chromium or Chrome binary")
        yield chromium
        chromium.close()


@pytest.fixture
def watch() -> Callable:
    """Return ``attach(page) -> problems``: the list fills as the page reports problems."""

    def attach(page) -> list[str]:
        problems: list[str] = []

        add = problems.append

        def on_request(request) -> None:
            parts = urlsplit(request.url)
            if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOCAL_HOSTS:
                add(f"request left localhost: {request.url}")

        page.on("pageerror", lambda error: add(f"page error: {error}"))
        page.on("console", lambda message: message.type == "error" and add(f"console error: {message.text}"))
        page.on("request", on_request)
        def on_request_failed(request) -> None:
            # ERR_ABORTED is the page cancelling its own request, as when the front door's
            # redirect leaves before the icon arrives; a missing file still shows as an HTTP 404.
            if request.failure != "net::ERR_ABORTED":
                add(f"request failed: {request.url} ({request.failure})")

        page.on("requestfailed", on_request_failed)
        page.on("response", lambda response: response.status >= 400 and add(f"HTTP {response.status}: {response.url}"))
        return problems

    return attach


@pytest.fixture(scope="session")
def embedded_widget_code(site_dir: Path) -> Callable[[str, str], list[tuple[str, str]]]:
    """embedded_widget_code(page, class_name) -> [(esm, css)] of each such widget on the built page.

    The build moves each widget's module and stylesheet into shared files under
    ``_static/widgets/`` (``_ext/widget_state.py``); this reads them back from there, as the page does.
    """
    import json
    import re

    from embedded_widgets import widget_states

    shared = "lossbook-shared:"

    def code(page: str, class_name: str) -> list[tuple[str, str]]:
        html = (site_dir / page).read_text(encoding="utf-8")
        states = widget_states(html)
        assert states is not None, f"{page} embeds no widget state"
        links = re.findall(r'<link rel="stylesheet" type="text/css" href="(?:\.\./)*_static/(widgets/[^"?]+\.css)', html)
        css = "".join((site_dir / "_static" / link).read_text(encoding="utf-8") for link in links)
        found = []
        for state in states:
            if not state.get("_anywidget_id", "").endswith("." + class_name):
                continue
            esm = state["_esm"]
            if esm.startswith(shared):
                script = (site_dir / "_static" / "widgets" / esm.removeprefix(shared)).read_text(encoding="utf-8")
                esm = json.loads(re.match(r'\(self\.lossbookWidgetModules \?\?= \{\}\)\["[^"]+"\] = (".*?");\n', script, re.S).group(1))
            found.append((esm, state["_css"] or css))
        assert found, f"{page} displays no {class_name}"
        return found

    return code


@pytest.fixture
def open_widget_page(browser, site_dir, base_url, watch):
    contexts: list = []

    def opener(page_path: str, css: str, viewport=DESKTOP):
        if not (site_dir / page_path).is_file():
            pytest.fail(f"{page_path} is not in the built site {site_dir}; rebuild the book (make book)")
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        problems = watch(page)
        page.goto(f"{base_url}/{page_path}", wait_until="load")
        root = page.locator(f".{css}[data-loss]").first
        root.wait_for(timeout=20_000)
        reveal(page, root)
        return page, root, problems

    yield opener
    for context in contexts:
        context.close()
