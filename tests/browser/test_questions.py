"""The self-check questions on the built website, answered in a real browser with no kernel.

Every chapter page but the introduction must show at least three questions, numeric and
multiple-choice, that keep the contract (``data-check``, the Check and Show answer buttons,
``data-answer``); each, answered by mouse and by keyboard alone, must say right or wrong as it
should; wrong answers get the feedback of the slip they match; the chapter's score survives a
reload and clears. The right answers checked here come from their definitions (mpmath), not from
the page. Screenshots of right and wrong answers, in both themes at phone width, land in
test-artifacts/questions/ for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import mpmath
import pytest
from book_chapters import teaching_chapters

from question_driver import (HOW, QUESTION, a_wrong_answer, answer, check_button, feedback, reveal_answer,
                             show_button, wait_for_check)
from test_site import RENDER_EVERYTHING
from test_widgets import contrast

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "questions"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1100, "height": 900}
CHAPTERS = teaching_chapters()
mpmath.mp.dps = 30


@pytest.fixture
def open_chapter(browser, base_url, site_dir, watch):
    """open_chapter(name, viewport=DESKTOP, theme=None, context=None) -> (page, problems)."""
    contexts = []

    def opener(name: str, viewport=DESKTOP, theme: str | None = None, context=None):
        path = f"chapters/{name}.html"
        if not (site_dir / path).is_file():
            pytest.fail(f"{path} is not in the built site {site_dir}; rebuild the book (make book)")
        if context is None:
            context = browser.new_context(viewport=viewport)
            if theme:
                context.add_init_script(f"localStorage.setItem('mode', '{theme}'); localStorage.setItem('theme', '{theme}');")
            contexts.append(context)
        page = context.new_page()
        problems = watch(page)
        page.goto(f"{base_url}/{path}", wait_until="load")
        wait_for_widgets(page)
        return page, problems

    yield opener
    for context in contexts:
        context.close()


def wait_for_widgets(page) -> None:
    """Until assets/anywidget-host.js has handled every widget view on the page; then every section is
    drawn. lossbook.css skips sections far off screen (content-visibility), and the positions it
    keeps for what they hold are stale, so scrolling to a question there could miss it."""
    page.wait_for_function(
        """document.querySelectorAll('.anywidget-view[data-anywidget]').length
             === document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length""")
    page.add_style_tag(content=RENDER_EVERYTHING)


def question(page, words: str):
    """The question whose prompt contains ``words``, scrolled into view (sections far off screen
    are not rendered until then)."""
    found = page.locator(QUESTION, has_text=words)
    assert found.count() == 1, f"{found.count()} questions mention {words!r}"
    reveal(page, found)
    return found


def reveal(page, element) -> None:
    element.scroll_into_view_if_needed()


def progress(page):
    found = page.locator(".lossbook-quiz-progress")
    assert found.count() == 1
    reveal(page, found)
    return found


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chapter_page_but_the_introduction_has_three_questions_that_keep_the_contract(open_chapter, chapter):
    page, problems = open_chapter(chapter)
    questions = page.locator(QUESTION).all()
    assert len(questions) >= 3, f"{chapter}: {len(questions)} questions"
    kinds = set()
    for q in questions:
        kinds.add(q.get_attribute("data-kind"))
        assert q.get_attribute("data-check") == "", "data-check must be empty before an answer"
        assert q.get_attribute("data-answer") is None
        assert check_button(q).count() == 1 and show_button(q).count() == 1
        assert q.get_by_role("status").count() == 1, "no live region announces the outcome"
        inputs = q.locator("input, button").all()
        assert all(i.get_attribute("data-lm-suppress-shortcuts") for i in inputs), \
            "inputs and buttons must keep their keys from JupyterLab's shortcuts"
    assert kinds == {"numeric", "choice"}, f"{chapter}: kinds {kinds}"
    assert progress(page).get_attribute("data-total") == str(len(questions))
    assert progress(page).get_attribute("data-right") == "0"
    assert not problems, "\n".join(problems)


def test_the_introduction_asks_no_questions(open_chapter):
    page, problems = open_chapter("intro")
    assert page.locator(QUESTION).count() == 0
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_question_says_right_to_its_answer_and_wrong_to_another(open_chapter, chapter):
    """Show answer first (a fresh page per question would be slow), then the shown answer must be
    right and a far-off number or another choice wrong, alternately by mouse and by keyboard."""
    page, problems = open_chapter(chapter)
    for number, q in enumerate(page.locator(QUESTION).all()):
        reveal(page, q)
        how = HOW[number % 2]
        right = reveal_answer(q, how)
        assert q.get_attribute("data-check") == "", "Show answer alone is not an answer"
        assert right in feedback(q) or q.get_attribute("data-kind") == "numeric"
        answer(q, a_wrong_answer(q, right), how)
        wait_for_check(q, "wrong", f"{chapter} question {number} by {how}")
        answer(q, right, how)
        wait_for_check(q, "right", f"{chapter} question {number} by {how}")
        assert feedback(q).startswith("✓ Right")
    assert not problems, "\n".join(problems)


# Questions whose right answers are recomputed here from their definitions.
NUMERIC = [
    ("cross_entropy", "the loss, in bits?", -mpmath.log(mpmath.mpf("0.25"), 2)),
    ("bernoulli", "p = 0.9 for a negative example", -mpmath.log(1 - mpmath.mpf("0.9"))),
    ("softmax", "log-sum-exp of the logits [1000, 1000]", mpmath.log(2 * mpmath.exp(1000))),
    ("one_hot", "tiger (class 0) and the jaguar", mpmath.sqrt(2)),
    ("language_models", "What is the token-mean loss?", (3 * mpmath.mpf("0.5") + 2) / 4),
    ("language_models", "What is its perplexity?", mpmath.exp(2)),
    ("language_models", "How many bits per character", 250 * 2 / (1000 * mpmath.log(2))),
    ("pairs", "softened distribution give the first class", 1 / (1 + mpmath.exp(-1))),
    ("pairs", "the CLIP loss, in nats?", mpmath.log(8)),
    ("pairs", "At the start of DPO training", mpmath.log(2)),
]


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("chapter, words, reference", NUMERIC, ids=[n[0] for n in NUMERIC])
def test_a_numeric_question_is_right_within_its_tolerance_and_shows_the_reference_answer(open_chapter, chapter, words,
                                                                                      reference, how):
    page, problems = open_chapter(chapter)
    q = question(page, words)
    answer(q, mpmath.nstr(reference, 6), how)
    wait_for_check(q, "right", "the reference answer to 6 significant digits")
    assert "Right" in feedback(q)
    answer(q, mpmath.nstr(reference + 1, 6), how)
    wait_for_check(q, "wrong", "the reference answer plus 1")
    assert feedback(q).startswith("✗ Not quite.")
    assert float(reveal_answer(q, how)) == pytest.approx(float(reference), rel=1e-12)
    assert "The answer is" in feedback(q)
    assert not problems, "\n".join(problems)


def test_a_wrong_number_gets_the_feedback_of_its_slip_or_the_generic_hint(open_chapter):
    page, problems = open_chapter("cross_entropy")
    q = question(page, "the loss, in bits?")
    slips = {
        mpmath.nstr(-mpmath.log(mpmath.mpf("0.25")), 4): "in nats",  # ln instead of log2
        "−2": "minus sign",  # a typographic minus is read as one
        "-2.0 bits": "minus sign",  # and so is a unit after the number
        mpmath.nstr(-mpmath.log(mpmath.mpf("0.75"), 2), 4): "other outcome",
        "7": "Work it through again",
    }
    for given, words in slips.items():
        answer(q, given, "keyboard")
        wait_for_check(q, "wrong", given)
        assert words in feedback(q), (given, feedback(q))
    answer(q, "two", "keyboard")
    assert q.get_attribute("data-check") == "", "text that is no number is not an answer"
    assert "Type a number" in feedback(q)
    answer(q, "2,0", "keyboard")  # a decimal comma
    wait_for_check(q, "right", "2,0")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("how", HOW)
def test_a_choice_question_is_right_for_the_right_label_and_explains_a_wrong_one(open_chapter, how):
    """Adding 10 to every logit leaves the softmax unchanged; doubling them sharpens it."""
    page, problems = open_chapter("softmax")
    q = question(page, "same softmax probabilities as [1, 2, 3]")
    check_button(q).click()
    assert q.get_attribute("data-check") == "" and "Choose an answer" in feedback(q)
    answer(q, "[2, 4, 6]", how)
    wait_for_check(q, "wrong", "doubled logits")
    assert "sharpens" in feedback(q)
    answer(q, "[11, 12, 13]", how)
    wait_for_check(q, "right", "shifted logits")
    assert reveal_answer(q, how) == "[11, 12, 13]"
    assert q.locator(".lossbook-right-choice").inner_text() == "[11, 12, 13]"
    assert not problems, "\n".join(problems)


def test_the_chapter_score_counts_right_answers_survives_a_reload_and_clears(open_chapter, browser):
    context = browser.new_context(viewport=DESKTOP)
    try:
        page, problems = open_chapter("cross_entropy", context=context)
        score = progress(page)
        total = int(score.get_attribute("data-total"))
        answer(question(page, "the loss, in bits?"), "2", "keyboard")
        answer(question(page, "KL(p ‖ q), in bits?"), "5", "mouse")  # wrong
        kl = question(page, "KL(p ‖ q), in bits?")
        wait_for_check(kl, "wrong", "KL")
        batch = question(page, "What loss does lossbook report for the batch")
        right = reveal_answer(batch)
        answer(batch, right, "mouse")  # right, but only after the answer was shown
        wait_for_check(batch, "right", "batch")
        score.scroll_into_view_if_needed()
        assert (score.get_attribute("data-right"), score.get_attribute("data-total")) == ("1", str(total))
        assert f"You got 1 of this chapter's {total} questions right, and revealed the answer to 1." in score.inner_text()

        page.reload(wait_until="load")
        wait_for_widgets(page)
        score = progress(page)
        assert score.get_attribute("data-right") == "1", "the score did not survive a reload"
        first = question(page, "the loss, in bits?")
        assert first.get_attribute("data-check") == "" and "right before" in first.inner_text()

        score.get_by_role("button", name="Clear my answers").click()
        assert score.get_attribute("data-right") == "0"
        assert "cleared" in score.get_by_role("status").inner_text()
        page.reload(wait_until="load")
        wait_for_widgets(page)
        score = progress(page)
        assert score.get_attribute("data-right") == "0", "cleared answers came back after a reload"
        assert "right before" not in question(page, "the loss, in bits?").inner_text()
        assert not problems, "\n".join(problems)
    finally:
        context.close()


COLOURS_JS = """el => {
  const rgb = (s) => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  let bg = el;
  while (bg && getComputedStyle(bg).backgroundColor.match(/rgba\\(.*, 0\\)|transparent/)) bg = bg.parentElement;
  const input = el.querySelector('input[type=text]');
  return {
    text: rgb(getComputedStyle(el.querySelector('.lossbook-feedback')).color),
    input: input ? [rgb(getComputedStyle(input).color), rgb(getComputedStyle(input).backgroundColor)] : null,
    background: rgb(getComputedStyle(bg || document.body).backgroundColor),
  };
}"""


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_right_and_wrong_answers_read_well_in_both_themes_fit_a_phone_and_pass_axe(open_chapter, theme, viewport):
    """Writes screenshots of a wrong and a right answer, numeric and choice, for a person to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page, problems = open_chapter("cross_entropy", viewport=viewport, theme=theme)
    width = page.evaluate("window.innerWidth")
    numeric, choice = question(page, "the loss, in bits?"), question(page, "Which is the larger loss?")
    for q, wrong, right, name in ((numeric, "1.386", "2", "numeric"), (choice, "1 bit", "1 nat", "choice")):
        for given, outcome in ((wrong, "wrong"), (right, "right")):
            answer(q, given, "keyboard")
            wait_for_check(q, outcome, given)
            reveal(page, q)
            colours = q.evaluate(COLOURS_JS)
            assert contrast(colours["text"], colours["background"]) >= 4.5, (theme, colours)
            if colours["input"]:
                assert contrast(*colours["input"]) >= 4.5, (theme, colours)
            box = q.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{name} overflows {width}px: {box}"
            assert q.evaluate("el => el.scrollWidth - el.clientWidth") <= 0
            q.screenshot(path=str(ARTIFACTS / f"{name}-{outcome}-{theme}-{viewport['width']}.png"))
    reveal_answer(choice)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async () => (await axe.run(document.querySelectorAll('.lossbook-question, .lossbook-quiz-progress'),
                                      {resultTypes: ['violations']})).violations
             .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`)""")
    assert not violations, f"{theme}:\n" + "\n".join(violations)
    assert not problems, "\n".join(problems)


def test_the_site_was_built_with_the_current_question_code(embedded_widget_code):
    from lossbook.widgets import Question, QuizProgress

    for cls in (Question, QuizProgress):
        for esm, css in embedded_widget_code("chapters/softmax.html", cls.__name__):
            assert esm == cls._esm and css == cls._css, \
                "chapters/softmax.html carries old question code: run `.venv/bin/jupyter-book clean --all .` and `make book`"
