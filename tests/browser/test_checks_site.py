"""The build-it-yourself exercises on the website: under each starter the check's note reads
"not written yet", and opening a solution shows its passing check. Screenshots of both, light
and dark, desktop and phone, land in test-artifacts/ for a person to look at."""

from __future__ import annotations

import pytest
from book_chapters import teaching_chapters

from test_site import ARTIFACTS, DESKTOP, PHONE, RENDER_EVERYTHING, open_page

# The solution opens from its toggle button: sphinx-togglebutton's handler on the title throws
# "button is not defined" when the click lands on the title's link to the exercise.
CHAPTERS = teaching_chapters()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_starter_checks_say_not_written_yet_and_solutions_pass(browser, watch, base_url, chapter):
    page, problems = open_page(browser, watch, f"{base_url}/chapters/{chapter}.html")
    page.add_style_tag(content=RENDER_EVERYTHING)
    todo = page.locator('.lossbook-check[data-check-result="todo"]')
    assert todo.count() >= 2
    for note in todo.all():
        assert "not written yet" in note.inner_text()
        assert note.locator('[role="img"]').get_attribute("aria-label") == "not written yet"
    passed = page.locator('.lossbook-check[data-check-result="pass"]')
    assert passed.count() >= 2 and not passed.first.is_visible()  # inside a closed solution
    assert page.locator('.lossbook-check[data-check-result="fail"]').count() == 0
    page.locator(".solution.dropdown", has=passed).first.locator(".toggle-button").evaluate("b => b.click()")
    assert passed.first.is_visible() and passed.first.inner_text().startswith("✓ your ")
    page.context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_screenshots_of_a_check_and_its_solution(browser, watch, base_url, theme, viewport):
    """Not an assertion on pixels: writes the pictures a person checks."""
    ARTIFACTS.mkdir(exist_ok=True)
    page, problems = open_page(browser, watch, f"{base_url}/chapters/softmax.html",
                               viewport=viewport, theme=theme)
    passed = page.locator('.lossbook-check[data-check-result="pass"]')
    page.locator(".solution.dropdown", has=passed).first.locator(".toggle-button").evaluate("b => b.click()")
    passed.first.scroll_into_view_if_needed()
    page.wait_for_timeout(200)
    page.screenshot(path=str(ARTIFACTS / f"checks-softmax-{theme}-{viewport['width']}.png"))
    page.context.close()
    assert not problems, "\n".join(problems)
