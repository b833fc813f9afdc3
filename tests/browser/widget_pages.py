"""Opening a built page at one of its widgets, as a reader scrolls to it (tests/browser/conftest.py
turns this into the ``open_widget_page`` fixture)."""

from __future__ import annotations

import pytest

DESKTOP = {"width": 1100, "height": 900}
PHONE = {"width": 390, "height": 844}


def reveal(page, root) -> None:
    """Scroll until the widget is drawn. lossbook.css leaves sections far off screen unrendered
    (content-visibility): as those above the widget render at their real heights, it moves, so one
    scroll may land beside it. Each round scrolls to the outermost enclosing element still skipped,
    since the widget's own box is stale until that section is drawn."""
    for _ in range(20):
        drawn = root.evaluate("""el => {
          let skipped = null;
          for (let a = el; a; a = a.parentElement) if (!a.checkVisibility({contentVisibilityAuto: true})) skipped = a;
          if (skipped) skipped.scrollIntoView({block: "start"});
          return !skipped;
        }""")
        if drawn:
            root.scroll_into_view_if_needed()
            return
        page.wait_for_timeout(100)
    pytest.fail("the widget never came into view")


def open_at_widget(browser, site_dir, base_url, watch, contexts: list, page_path: str, css: str,
                   viewport=DESKTOP):
    """Open ``page_path`` of the built site in a fresh context and scroll to the first widget whose
    root has class ``css``: (page, root locator, problems). The context is appended to ``contexts``
    for the caller to close."""
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
