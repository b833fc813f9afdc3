"""What a reader's browser sees on every page of the built site: no errors, nothing fetched from
outside, at most 400 KiB gzipped, no serious accessibility violations, no sideways scrolling on a phone, and a dark
theme that stays readable. Screenshots land in test-artifacts/ for a person to look at."""

from __future__ import annotations

import gzip
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from _site import load_every_image
from playwright.sync_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parents[2]
SITE_DIR = Path(os.environ.get("LOSSBOOK_SITE", ROOT / "_build" / "html"))
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def page_paths(site_dir: Path) -> list[str]:
    # 404.html links from the published site's path (/lossbook/), so it works at any depth there;
    # benchmarks/lighthouse.py loads it so, here the site is served from the root.
    return sorted(str(p.relative_to(site_dir)) for p in site_dir.rglob("*.html")
                  if "_static" not in p.parts and p.name != "404.html")


def pytest_generate_tests(metafunc):
    if "page_path" in metafunc.fixturenames:
        paths = page_paths(SITE_DIR) if SITE_DIR.is_dir() else []
        metafunc.parametrize("page_path", paths)


def open_page(browser, watch, url: str, *, viewport=DESKTOP, theme: str | None = None):
    """A fresh page at ``url``, fully typeset, and the list of problems seen while it loaded."""
    context = browser.new_context(viewport=viewport)
    if theme:
        # What the theme's own switch stores; set before any script runs so the first paint is themed.
        context.add_init_script(f"localStorage.setItem('mode', '{theme}'); localStorage.setItem('theme', '{theme}');")
    page = context.new_page()
    problems = watch(page)
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    # Maths is in the HTML already; widgets are drawn by assets/anywidget-host.js, which marks
    # each view it has handled.
    page.wait_for_function(
        """document.querySelectorAll('.anywidget-view[data-anywidget]').length
             === document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length""")
    return page, problems


def test_page_loads_without_errors_or_outside_requests(browser, watch, base_url, page_path):
    page, problems = open_page(browser, watch, f"{base_url}/{page_path}")
    page.context.close()
    assert not problems, "\n".join(problems)


MAX_PAGE_KIB = 400


def test_page_weighs_at_most_400_kib_gzipped_on_a_cold_load(browser, base_url, page_path):
    """Everything reading the page from a cold cache fetches (HTML, styles, scripts, fonts, and every
    image, the ones loaded only as the reader scrolls near them too), each at the size a
    gzip-serving host sends: gzip level 6, or raw where gzip does not shrink it (PNG, WOFF2)."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(f"{base_url}/{page_path}", wait_until="networkidle")
    load_every_image(page)
    sizes = {}
    for response in responses:
        if response.ok and response.url.startswith("http"):
            try:
                body = response.body()
            except PlaywrightError:  # index.html: a redirect page, gone once the browser moves on
                body = (SITE_DIR / urlsplit(response.url).path.lstrip("/")).read_bytes()
            sizes[response.url.split("?")[0]] = min(len(body), len(gzip.compress(body, compresslevel=6)))
    context.close()
    total = sum(sizes.values()) / 1024
    heaviest = ", ".join(f"{url.rsplit('/', 1)[-1]} {size / 1024:.0f}"
                         for url, size in sorted(sizes.items(), key=lambda item: -item[1])[:5])
    assert total <= MAX_PAGE_KIB, f"{page_path} weighs {total:.0f} KiB gzipped; heaviest (KiB): {heaviest}"


# lossbook.css leaves sections far below the screen unrendered until the reader scrolls near them
# (content-visibility). Checks of what a reader sees must see every part rendered: axe would
# otherwise judge a link's contrast against whatever happens to be drawn at its unrendered
# position, and a too-wide element would be clipped by the section instead of widening the page.
RENDER_EVERYTHING = ".bd-article section { content-visibility: visible !important; }"


def test_every_section_is_rendered_once_the_reader_scrolls_to_it(browser, watch, base_url):
    page, problems = open_page(browser, watch, f"{base_url}/chapters/training.html")
    last = page.locator(".bd-article section section:not(:has(.margin))").last
    assert last.evaluate("el => getComputedStyle(el).contentVisibility") == "auto"
    heading = last.locator("> :is(h2, h3)")
    # checkVisibility says false for content the browser skips as off screen.
    assert heading.evaluate("el => el.checkVisibility({contentVisibilityAuto: true})") is False
    last.scroll_into_view_if_needed()
    page.wait_for_function("el => el.checkVisibility({contentVisibilityAuto: true})", arg=heading.element_handle())
    assert heading.bounding_box()["height"] > 10
    page.context.close()
    assert not problems, "\n".join(problems)


def test_page_has_no_serious_accessibility_violations(browser, watch, base_url, page_path):
    # Both themes on every page; five loads in a row on the softmax chapter (maths, a widget,
    # questions and code), since a fix that races the page's scripts fails on some loads only.
    loads = 5 if page_path == "chapters/softmax.html" else 2
    for theme in ("light", "dark", "light", "dark", "light")[:loads]:
        page, _ = open_page(browser, watch, f"{base_url}/{page_path}", theme=theme)
        page.add_style_tag(content=RENDER_EVERYTHING)
        # scrollable-focus.js settles each code block's tabindex once it has been laid out.
        page.wait_for_timeout(600)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`)"""
        )
        page.context.close()
        assert not violations, f"{theme} theme:\n" + "\n".join(violations)


def test_page_does_not_scroll_sideways_on_a_phone(browser, watch, base_url, page_path):
    page, _ = open_page(browser, watch, f"{base_url}/{page_path}", viewport=PHONE)
    page.add_style_tag(content=RENDER_EVERYTHING)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    culprits = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
             .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
             .filter(e => !e.closest('pre, .highlight, table, .table-wrapper, .MathJax, mjx-container, .bd-sidebar-primary, .bd-sidebar-secondary'))
             .slice(0, 5).map(e => e.tagName + '.' + e.className)"""
    )
    page.context.close()
    assert overflow <= 0, f"page is {overflow}px wider than the 390px screen; widest: {culprits}"


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_screenshots_of_the_widget_chapters(browser, watch, base_url, theme, viewport):
    """Not an assertion on pixels: writes the pictures a person checks (see the issue notes)."""
    ARTIFACTS.mkdir(exist_ok=True)
    for chapter in ("cross_entropy", "bernoulli", "softmax"):
        page, problems = open_page(browser, watch, f"{base_url}/chapters/{chapter}.html", viewport=viewport, theme=theme)
        widget = page.locator("[data-loss]").first
        widget.scroll_into_view_if_needed()
        # The section is drawn on the frame after the scroll reaches it (content-visibility).
        page.wait_for_function("el => el.checkVisibility({contentVisibilityAuto: true})", arg=widget.element_handle())
        page.wait_for_timeout(100)
        name = f"{chapter}-{theme}-{viewport['width']}.png"
        page.screenshot(path=str(ARTIFACTS / name))
        assert page.evaluate("document.documentElement.dataset.theme") == theme
        page.context.close()
        assert not problems, "\n".join(problems)


def test_site_works_opened_as_a_file(browser, watch, site_dir):
    """Readers may open the downloaded site straight from disk: maths and widgets must still render."""
    page, problems = open_page(browser, watch, (site_dir / "chapters" / "cross_entropy.html").as_uri())
    page.wait_for_selector("[data-loss]", timeout=15_000)
    assert page.locator("mjx-container svg").count() > 0, "the page shows no typeset maths from file://"
    slider = page.locator("[data-loss] input[type=range]").first
    before = page.locator("[data-loss]").first.get_attribute("data-loss")
    slider.focus()
    page.keyboard.press("ArrowLeft")
    after = page.locator("[data-loss]").first.get_attribute("data-loss")
    page.context.close()
    assert before != after, "the slider did not change the loss from file://"
    assert not problems, "\n".join(problems)
