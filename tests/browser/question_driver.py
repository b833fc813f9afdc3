"""Answering a self-check question (lossbook.widgets.Question) the ways a reader can, in any page.

Shared by the tests on the static site (test_questions.py) and in JupyterLab (test_jupyter.py).
The contract the question keeps: its root has ``data-check`` ("" until an answer is checked, then
"right" or "wrong"), a button named "Check" and one named "Show answer", which sets
``data-answer`` to the number or the exact label of the right choice.
"""

from __future__ import annotations

import time

QUESTION = ".lossbook-question"
HOW = ("mouse", "keyboard")


def check_button(question):
    return question.get_by_role("button", name="Check", exact=True)


def show_button(question):
    return question.get_by_role("button", name="Show answer", exact=True)


def wait_for_check(question, expected: str, what: str) -> None:
    deadline = time.monotonic() + 5
    while (state := question.get_attribute("data-check")) != expected:
        assert time.monotonic() < deadline, f"{what}: data-check is {state!r}, expected {expected!r}"
        time.sleep(0.05)


def answer(question, given: str, how: str) -> None:
    """Give ``given`` (a number typed, or a choice's label) and check it, by mouse or keyboard alone.

    By mouse: click into the box and type, or click the choice, then click Check. By keyboard:
    type then Enter, or move through the radio buttons with the arrow keys then Enter; every
    other time through Tab to the Check button and Space instead, the other way a reader may.
    """
    if question.get_attribute("data-kind") == "numeric":
        box = question.get_by_role("textbox")
        if how == "mouse":
            box.click()
            box.press("Control+a")
            box.press_sequentially(given)
            check_button(question).click()
            return
        box.focus()
        box.press("Control+a")
        box.press_sequentially(given)
        assert box.evaluate("el => document.activeElement === el"), "typing moved focus away from the answer"
        box.press("Enter")
        return
    radios = question.get_by_role("radio").all()
    labels = [radio.get_attribute("value") for radio in radios]
    assert given in labels, f"no choice {given!r} among {labels}"
    if how == "mouse":
        question.get_by_role("radio", name=given, exact=True).click()
        check_button(question).click()
        return
    first = radios[0]
    first.focus()
    first.press(" ")  # selects the focused radio
    for _ in range(labels.index(given)):
        question.page.keyboard.press("ArrowDown")
    chosen = radios[labels.index(given)]
    assert chosen.evaluate("el => document.activeElement === el && el.checked"), f"arrows did not reach {given!r}"
    chosen.press("Enter")


def reveal_answer(question, how: str = "mouse") -> str:
    """Press Show answer and return what it put on data-answer."""
    button = show_button(question)
    if how == "mouse":
        button.click()
    else:
        button.focus()
        button.press("Enter")
    deadline = time.monotonic() + 5
    while (shown := question.get_attribute("data-answer")) is None:
        assert time.monotonic() < deadline, "Show answer set no data-answer"
        time.sleep(0.05)
    return shown


def a_wrong_answer(question, right: str) -> str:
    """A number far outside any tolerance, or the first choice that is not the right one."""
    if question.get_attribute("data-kind") == "numeric":
        return repr(float(right) + 1000.0)
    return next(radio.get_attribute("value") for radio in question.get_by_role("radio").all()
                if radio.get_attribute("value") != right)


def feedback(question) -> str:
    return question.get_by_role("status").inner_text()
