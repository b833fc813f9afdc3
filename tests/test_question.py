"""The self-check question widgets in Python: what they accept, what they refuse, what they send.

The browser half (checking answers, the feedback, the stored progress) is driven in headless
Chromium by tests/browser/test_questions.py.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
import traitlets
from book_chapters import teaching_chapters
from embedded_widgets import widget_states

from lossbook.widgets import Question, Quiz, QuizProgress

ROOT = Path(__file__).resolve().parent.parent
NUMERIC = dict(chapter="demo", prompt="What is -log2(0.25), in bits?", answer=2.0, units="bits",
               tolerance=0.01, explanation="0.25 = 2**-2.")
CHOICE = dict(chapter="demo", prompt="Which is larger?", choices=["1 bit", "1 nat"], answer="1 nat",
              explanation="ln 2 < 1.")


def test_a_numeric_question_sends_its_answer_tolerance_units_and_slips():
    q = Question(**NUMERIC, slips={-2: "Mind the minus sign.", 1.386: "That is nats."})
    state = q.get_state()
    assert state["kind"] == "numeric"
    assert state["answer"] == 2.0 and isinstance(state["answer"], float)
    assert (state["tolerance"], state["units"], state["digits"]) == (0.01, "bits", 3)
    assert state["slips"] == [[-2.0, "Mind the minus sign."], [1.386, "That is nats."]]
    assert state["choices"] == []
    assert state["hint"]  # a generic hint when no slip matches


def test_a_choice_question_sends_its_labels_and_the_right_one():
    q = Question(**CHOICE, slips={"1 bit": "A nat is 1.443 bits."})
    assert (q.kind, q.answer, q.choices) == ("choice", "1 nat", ["1 bit", "1 nat"])
    assert q.slips == [["1 bit", "A nat is 1.443 bits."]]


def test_the_key_is_the_same_for_the_same_prompt_and_differs_between_prompts():
    a, b = Question(**NUMERIC), Question(**NUMERIC)
    c = Question(**{**NUMERIC, "prompt": "What is -log2(0.5), in bits?", "answer": 1.0})
    assert a.key == b.key != c.key
    assert re.fullmatch(r"[0-9a-f]{12}", a.key)


def test_the_traits_cannot_be_changed_after_the_question_is_made():
    q = Question(**NUMERIC)
    with pytest.raises(traitlets.TraitError):
        q.answer = 3.0


@pytest.mark.parametrize("change, error, words", [
    ({"answer": math.nan}, ValueError, "answer must be finite, got nan"),
    ({"answer": "2"}, TypeError, "answer must be a real number, got str '2'"),
    ({"answer": True}, TypeError, "answer must be a real number, got bool"),
    ({"tolerance": None}, TypeError, "needs a tolerance"),
    ({"tolerance": 0.0}, ValueError, "tolerance must be > 0, got 0.0"),
    ({"tolerance": math.inf}, ValueError, "tolerance must be finite"),
    ({"digits": -1}, ValueError, "digits must be an int in [0, 12], got -1"),
    ({"prompt": "  "}, ValueError, "prompt is empty"),
    ({"prompt": 3}, TypeError, "prompt must be a str, got int 3"),
    ({"explanation": ""}, ValueError, "explanation is empty"),
    ({"chapter": ""}, ValueError, "chapter is empty"),
    ({"units": None}, TypeError, "units must be a str"),
    ({"slips": {2.005: "close"}}, ValueError, "slip 2.005 is within tolerance 0.01 of the answer 2.0"),
    ({"slips": {"x": "not a number"}}, TypeError, "a slip's wrong value must be a real number"),
    ({"slips": {-2.0: ""}}, ValueError, "each slip's feedback is empty"),
])
def test_a_numeric_question_refuses_a_bad_field_and_says_what_to_pass(change, error, words):
    with pytest.raises(error, match=re.escape(words)):
        Question(**{**NUMERIC, **change})


@pytest.mark.parametrize("change, error, words", [
    ({"answer": "2 nats"}, ValueError, "answer '2 nats' is not one of the choices ['1 bit', '1 nat']"),
    ({"choices": ["1 nat"]}, ValueError, "at least two different labels"),
    ({"choices": ["1 nat", "1 nat"]}, ValueError, "at least two different labels"),
    ({"choices": "1 bit, 1 nat"}, TypeError, "choices must be a list of labels, got str"),
    ({"choices": ["1 bit", ""]}, ValueError, "each choice is empty"),
    ({"slips": {"1 nat": "the answer itself"}}, ValueError, "slip '1 nat' is not one of the wrong choices ['1 bit']"),
    ({"slips": {"2 bits": "not a choice"}}, ValueError, "slip '2 bits' is not one of the wrong choices"),
])
def test_a_choice_question_refuses_a_bad_field_and_says_what_to_pass(change, error, words):
    with pytest.raises(error, match=re.escape(words)):
        Question(**{**CHOICE, **change})


def test_a_quiz_asks_in_its_chapter_and_its_progress_lists_each_question_once_in_order():
    quiz = Quiz("softmax")
    first = quiz.numeric("a?", 1.0, units="", tolerance=0.1, explanation="x")
    second = quiz.choice("b?", ["yes", "no"], "yes", explanation="y")
    quiz.numeric("a?", 1.0, units="", tolerance=0.1, explanation="x")  # the same cell run again
    progress = quiz.progress()
    assert isinstance(progress, QuizProgress)
    assert (first.chapter, second.chapter, progress.chapter) == ("softmax", "softmax", "softmax")
    assert progress.questions == [first.key, second.key]


def test_progress_needs_questions_and_a_quiz_needs_a_chapter():
    with pytest.raises(ValueError, match="has no questions yet"):
        Quiz("softmax").progress()
    with pytest.raises(TypeError, match="chapter must be a str, got NoneType"):
        Quiz(None)  # type: ignore[arg-type]


def test_the_browser_module_carries_the_shared_store_before_the_widget():
    for widget, own in ((Question, "question.js"), (QuizProgress, "quiz_progress.js")):
        esm = widget._esm
        assert esm.index("function readQuizRecord") < esm.index("export default")
        assert esm.count("export default") == 1, own
    # One stylesheet for every course widget, so the website serves it once.
    from lossbook.widgets import ConfidenceSlider
    assert Question._css == QuizProgress._css == ConfidenceSlider._css


CHAPTERS = teaching_chapters()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chapter_but_the_introduction_asks_numeric_and_choice_questions_and_shows_progress(chapter):
    text = (ROOT / "chapters" / f"{chapter}.md").read_text(encoding="utf-8")
    numeric, choice = text.count("quiz.numeric("), text.count("quiz.choice(")
    assert numeric + choice >= 3 and numeric >= 1 and choice >= 1, (
        f"{chapter} asks {numeric} numeric and {choice} multiple-choice questions; it needs at least three, "
        "one of each kind at least: see the README, 'Self-check questions'")
    assert f'quiz = Quiz("{chapter}")' in text
    assert text.index("quiz.progress()") > max(text.rindex("quiz.numeric("), text.rindex("quiz.choice("))


def numeric_questions() -> list[tuple[str, dict]]:
    """(chapter, question state) of every numeric question as the built website embeds it."""
    questions = []
    for chapter in CHAPTERS:
        page = ROOT / "_build" / "html" / "chapters" / f"{chapter}.html"
        if not page.is_file():
            pytest.fail(f"no built page {page}: run `make book`")
        states = widget_states(page.read_text(encoding="utf-8")) or []
        questions += [(chapter, state) for state in states
                      if "tolerance" in state and not state.get("choices")]
    return questions


def test_numeric_questions_take_the_answer_to_two_decimals_and_no_slip():
    """What question.js does, |given - answer| <= tolerance in float64: the answer rounded to two
    decimals (two significant figures below 0.1) is right, where a tolerance of exactly 0.005
    refused 0.88 for 0.875; and no slip is."""
    questions = numeric_questions()
    assert len(questions) >= 20, len(questions)
    for chapter, q in questions:
        answer, tolerance = q["answer"], q["tolerance"]
        digits = 2 if abs(answer) >= 0.1 or answer == 0 else 1 - math.floor(math.log10(abs(answer)))
        assert abs(round(answer, digits) - answer) <= tolerance, (chapter, q["prompt"], answer, tolerance)
        for slip, _ in q["slips"]:
            assert abs(slip - answer) > tolerance, (chapter, q["prompt"], answer, slip, tolerance)
