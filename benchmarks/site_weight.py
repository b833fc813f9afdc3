"""Weight of the built site: what reading each page makes a browser fetch from a cold cache, gzipped.

Loads every page of `_build/html` (or $LOSSBOOK_SITE, or the folders given as arguments) in
headless Chromium from a localhost server with an empty cache, makes it fetch the figures it loads
only as the reader scrolls near them, and adds up every response: HTML, CSS, scripts, images,
fonts, the search index. Each response counts
at its gzip size (level 6, as a gzip-serving host sends it) or its raw size if gzip does not
shrink it (PNG, WOFF2). Prints one row per page, heaviest first, then the biggest files;
asserts nothing (tests/ does that).

Usage: .venv/bin/python benchmarks/site_weight.py [SITE ...]
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from _site import CHROMIUM, CHROMIUM_ARGS, default_site, load_every_image, page_paths, serve

KIB = 1024


def page_weight(browser, url: str) -> tuple[int, int, int, dict[str, int]]:
    """(gzip bytes, raw bytes, requests, gzip bytes by URL) of one cold load of ``url``, all its images
    included."""
    context = browser.new_context()
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url, wait_until="networkidle")
    load_every_image(page)
    sizes: dict[str, int] = {}
    raw = 0
    for response in responses:
        if response.status != 200 or not response.url.startswith("http"):
            continue
        body = response.body()
        raw += len(body)
        sizes[response.url.split("?")[0].removeprefix(url.rsplit("/", 1)[0] + "/")] = min(
            len(body), len(gzip.compress(body, compresslevel=6)))
    context.close()
    return sum(sizes.values()), raw, len(responses), sizes


def measure(site: Path) -> None:
    print(f"\n{site}")
    print(f"{'page':32} {'gzip KiB':>9} {'raw KiB':>9} {'requests':>9}  heaviest resources (gzip KiB)")
    rows = []
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for path in page_paths(site):
            rows.append((path, *page_weight(browser, f"{base}/{path}")))
        browser.close()
    for path, zipped, raw, count, sizes in sorted(rows, key=lambda row: -row[1]):
        top = ", ".join(f"{Path(u).name} {s / KIB:.0f}" for u, s in sorted(sizes.items(), key=lambda i: -i[1])[:3])
        print(f"{path:32} {zipped / KIB:9.0f} {raw / KIB:9.0f} {count:9d}  {top}")
    files = [p for p in site.rglob("*") if p.is_file()]
    print(f"whole site: {sum(p.stat().st_size for p in files) / 2**20:.1f} MiB in {len(files)} files")


def main() -> None:
    for site in [Path(arg) for arg in sys.argv[1:]] or [default_site()]:
        measure(site)


if __name__ == "__main__":
    main()
