"""The 404 page as GitHub Pages serves it: for a missing address at any depth under the site's
path, styled, with a working link back into the book and nothing failing to load."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from _site import serve_like_pages

ROOT = Path(__file__).resolve().parents[2]

PREFIX = urlsplit(yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["html"]["baseurl"]).path


@pytest.fixture(scope="module")
def pages_url(site_dir):
    with serve_like_pages(site_dir, PREFIX) as base:
        yield base


@pytest.mark.parametrize("missing", ["no-such-page.html", "chapters/no-such-page.html", "a/b/c/d/"])
def test_a_missing_address_at_any_depth_gets_the_styled_404_page_with_working_links(browser, pages_url, missing):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    failed: list[str] = []
    page.on("response", lambda r: r.status >= 400 and r.url != pages_url + missing and failed.append(f"{r.status} {r.url}"))
    page.on("requestfailed", lambda r: failed.append(f"failed {r.url}"))
    response = page.goto(pages_url + missing, wait_until="load")
    assert response.status == 404
    assert page.get_by_role("heading", name="Page not found", level=1).is_visible()
    # Styled: the bundle loaded, so the theme's font and layout apply, not the browser's defaults.
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != "\"Times New Roman\""
    assert page.evaluate("[...document.styleSheets].some(s => (s.href || '').includes('lossbook-bundle'))")
    assert not failed, failed
    links = page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
    into_book = [u for u in links if u.startswith(pages_url) and u.endswith(".html")]
    assert into_book, links
    for url in into_book[:5]:
        assert page.request.get(url).status == 200, url
    context.close()
