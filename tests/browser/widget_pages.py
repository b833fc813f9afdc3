"""Scrolling to a widget of a built page as a reader does, and the two viewports the browser tests
use (tests/browser/conftest.py opens pages at a widget with them: ``open_widget_page``)."""

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
