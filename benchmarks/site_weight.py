"""Weight of the built site: bytes each page makes a browser fetch, and the size of the whole site.

Loads every page of `_build/html` (or $LOSSBOOK_SITE) in headless Chromium from a localhost
server with an empty cache and adds up the body sizes of every response, so fonts, widget
bundles and MathJax count where a page really loads them. Prints a table; asserts nothing.

Usage: .venv/bin/python benchmarks/site_weight.py
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(os.environ.get("LOSSBOOK_SITE", ROOT / "_build" / "html"))
CHROMIUM = os.environ.get("LOSSBOOK_CHROMIUM", "/usr/bin/chromium")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


def page_weight(browser, url: str) -> tuple[int, int]:
    """(bytes, requests) a fresh browser context fetches to show ``url``."""
    context = browser.new_context()
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url, wait_until="networkidle")
    # Sizes as the network layer counted them (the bodies of a redirected page are gone).
    total = sum(r.request.sizes()["responseBodySize"] for r in responses if r.status == 200)
    context.close()
    return total, len(responses)


def main() -> None:
    pages = sorted(p.relative_to(SITE).as_posix() for p in SITE.rglob("*.html") if "_static" not in p.parts)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(SITE)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    print(f"{'page':40} {'KiB':>9} {'requests':>9}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu",
                                             "--disable-background-networking", "--no-first-run"])
        for path in pages:
            size, count = page_weight(browser, f"{base}/{path}")
            print(f"{path:40} {size / 1024:9.0f} {count:9d}")
        browser.close()
    server.shutdown()
    files = [p for p in SITE.rglob("*") if p.is_file()]
    print(f"\nwhole site: {sum(p.stat().st_size for p in files) / 2**20:.1f} MiB in {len(files)} files")
    static = SITE / "_static"
    biggest = sorted(static.rglob("*"), key=lambda p: p.stat().st_size if p.is_file() else 0)[-5:]
    for p in reversed(biggest):
        print(f"  {p.relative_to(SITE)}: {p.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
