"""Self-check questions: a numeric or multiple-choice question that checks the reader's answer.

A chapter makes one :class:`Quiz` and asks its questions through it; each question is a
:class:`Question` widget, and :meth:`Quiz.progress` shows how many of them the reader got right.
The answers are computed by the chapter with lossbook and passed in, never typed. The browser
checks the answer, explains a wrong one, and keeps the reader's results in the browser's storage,
so the same widgets work on the static website (no kernel), in Jupyter and in Colab.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from numbers import Real
from typing import Any

import anywidget
import traitlets

from ._base import WIDGET_CSS, esm_source

__all__ = ["Quiz", "Question", "QuizProgress"]

DEFAULT_HINT = "Work it through again from the formula just above, or press Show answer."


def _text(name: str, value: object, example: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__} {value!r}; pass e.g. {example}")
    if not value.strip():
        raise ValueError(f"{name} is empty; pass e.g. {example}")
    return value


def _finite(name: str, value: object, example: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}; "
                        f"pass e.g. {example}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {number!r}; pass e.g. {example}")
    return number


class Question(anywidget.AnyWidget):  # type: ignore[misc, unused-ignore]
    """One self-check question, numeric or multiple-choice; make it with :class:`Quiz`.

    The view has the prompt, a text input (numeric) or radio buttons (choice), a Check button and
    a Show answer button. Its root element carries ``data-check``: empty until the reader checks
    an answer, then ``right`` or ``wrong``; Show answer sets ``data-answer`` to the answer (the
    number, or the label of the right choice).

    Parameters
    ----------
    chapter : str
        The chapter the question belongs to: its results are kept with the chapter's.
    prompt : str
        The question, as plain text (the view does not typeset TeX).
    answer : float or str
        The right number (numeric) or the exact label of the right choice (choice).
    explanation : str
        One line saying why the answer is right, shown with it.
    choices : sequence of str, optional
        The labels of a multiple-choice question, at least two, all different; omit for a
        numeric question.
    units : str, default ""
        The unit of a numeric answer, shown after the input ("bits", "nats").
    tolerance : float, optional
        A numeric answer within this distance of ``answer`` is right; required for numeric.
    digits : int, default 3
        Decimals shown when a numeric answer is revealed.
    slips : mapping, optional
        Likely wrong answers, each mapped to the feedback that explains the slip: a number
        (numeric; anything within ``tolerance`` of it matches) or a wrong choice's label.
    hint : str, optional
        Feedback for a wrong answer that matches no slip.

    Raises
    ------
    TypeError, ValueError
        If a field is missing, empty, of the wrong type, or inconsistent: an answer that is not
        one of the choices, a slip that is the answer or is within ``tolerance`` of it.

    Examples
    --------
    >>> q = Question(chapter="demo", prompt="-log2 of 0.25?", answer=2.0, units="bits",
    ...              tolerance=0.01, explanation="0.25 = 2**-2.", slips={-2.0: "Mind the minus sign."})
    >>> q.kind, q.slips
    ('numeric', [[-2.0, 'Mind the minus sign.']])
    >>> Question(chapter="demo", prompt="Which?", choices=["a", "b"], answer="c", explanation="x")
    Traceback (most recent call last):
    ...
    ValueError: answer 'c' is not one of the choices ['a', 'b']; pass the exact label of the right choice
    """

    _esm = esm_source("quiz_store.js", "question.js")
    _css = WIDGET_CSS

    kind = traitlets.Unicode(read_only=True).tag(sync=True)
    chapter = traitlets.Unicode(read_only=True).tag(sync=True)
    #: Identifies the question within its chapter in the reader's stored results.
    key = traitlets.Unicode(read_only=True).tag(sync=True)
    prompt = traitlets.Unicode(read_only=True).tag(sync=True)
    answer = traitlets.Union([traitlets.Float(), traitlets.Unicode()], read_only=True).tag(sync=True)
    explanation = traitlets.Unicode(read_only=True).tag(sync=True)
    choices = traitlets.List(traitlets.Unicode(), read_only=True).tag(sync=True)
    units = traitlets.Unicode(read_only=True).tag(sync=True)
    tolerance = traitlets.Float(0.0, read_only=True).tag(sync=True)
    digits = traitlets.Int(3, read_only=True).tag(sync=True)
    #: ``[[wrong value or label, feedback], ...]``
    slips = traitlets.List(traitlets.List(), read_only=True).tag(sync=True)
    hint = traitlets.Unicode(read_only=True).tag(sync=True)

    def __init__(self, *, chapter: str, prompt: str, answer: float | str, explanation: str,
                 choices: Sequence[str] | None = None, units: str = "", tolerance: float | None = None,
                 digits: int = 3, slips: Mapping[Any, str] | None = None, hint: str = DEFAULT_HINT) -> None:
        super().__init__()
        _text("chapter", chapter, "'softmax'")
        _text("prompt", prompt, "'What is -log2(0.25), in bits?'")
        _text("explanation", explanation, "'0.25 = 2**-2, so the surprisal is 2 bits.'")
        _text("hint", hint, repr(DEFAULT_HINT))
        if not isinstance(units, str):
            raise TypeError(f"units must be a str, got {type(units).__name__} {units!r}; pass e.g. 'bits'")
        slips = dict(slips or {})
        for feedback in slips.values():
            _text("each slip's feedback", feedback, "'That is the loss in nats; divide by ln 2.'")
        if choices is None:
            kind, answer, tolerance, slip_list = "numeric", *_numeric(answer, tolerance, digits, slips)
        else:
            kind, answer, slip_list = "choice", *_choice(answer, choices, slips)
            tolerance = 0.0
        key = hashlib.sha256(prompt.encode("utf-8")).hexdigest()[:12]
        traits = {"kind": kind, "chapter": chapter, "key": key, "prompt": prompt, "answer": answer,
                  "explanation": explanation, "choices": list(choices or []), "units": units,
                  "tolerance": tolerance, "digits": digits, "slips": slip_list, "hint": hint}
        with self.hold_sync():  # one message to the front end, not one per trait
            for name, value in traits.items():
                self.set_trait(name, value)


def _numeric(answer: object, tolerance: object, digits: object,
             slips: dict[Any, str]) -> tuple[float, float, list[list[Any]]]:
    value = _finite("answer", answer, "answer=float(lb.cross_entropy(...))")
    if tolerance is None:
        raise TypeError("a numeric question needs a tolerance; pass e.g. tolerance=0.01 "
                        "(an answer within it of the right one counts as right)")
    tol = _finite("tolerance", tolerance, "tolerance=0.01")
    if tol <= 0:
        raise ValueError(f"tolerance must be > 0, got {tol!r}; pass e.g. tolerance=0.01")
    if isinstance(digits, bool) or not isinstance(digits, int) or not 0 <= digits <= 12:
        raise ValueError(f"digits must be an int in [0, 12], got {digits!r}; pass e.g. digits=3")
    slip_list: list[list[Any]] = []
    for wrong, feedback in slips.items():
        wrong_value = _finite("a slip's wrong value", wrong, "slips={-2.0: 'Mind the minus sign.'}")
        if abs(wrong_value - value) <= tol:
            raise ValueError(f"slip {wrong_value!r} is within tolerance {tol!r} of the answer {value!r}, "
                             "so it would be marked right; drop it or narrow the tolerance")
        slip_list.append([wrong_value, feedback])
    return value, tol, slip_list


def _choice(answer: object, choices: Sequence[str], slips: dict[Any, str]) -> tuple[str, list[list[Any]]]:
    if isinstance(choices, str) or not isinstance(choices, Sequence):
        raise TypeError(f"choices must be a list of labels, got {type(choices).__name__} {choices!r}; "
                        "pass e.g. choices=['positive', 'negative', 'zero']")
    labels = [_text("each choice", label, "'positive'") for label in choices]
    if len(labels) < 2 or len(set(labels)) != len(labels):
        raise ValueError(f"choices must hold at least two different labels, got {labels!r}; "
                         "pass e.g. choices=['positive', 'negative', 'zero']")
    if answer not in labels:
        raise ValueError(f"answer {answer!r} is not one of the choices {labels!r}; "
                         "pass the exact label of the right choice")
    for wrong in slips:
        if wrong not in labels or wrong == answer:
            raise ValueError(f"slip {wrong!r} is not one of the wrong choices "
                             f"{[label for label in labels if label != answer]!r}; key each slip by a wrong choice's label")
    return str(answer), [[wrong, feedback] for wrong, feedback in slips.items()]


class QuizProgress(anywidget.AnyWidget):  # type: ignore[misc, unused-ignore]
    """How many of a chapter's questions the reader got right, with a button to clear them.

    The results live in the browser's storage (``localStorage``), so they survive a reload; a
    question counts as right once Check found it right before Show answer was pressed. The root
    element carries ``data-right`` and ``data-total``. Make it with :meth:`Quiz.progress`.

    Examples
    --------
    >>> QuizProgress(chapter="demo", questions=["a1", "b2"]).questions
    ['a1', 'b2']
    """

    _esm = esm_source("quiz_store.js", "quiz_progress.js")
    _css = WIDGET_CSS

    chapter = traitlets.Unicode(read_only=True).tag(sync=True)
    #: The keys of the chapter's questions, in page order (``keys`` is taken: the widget's synced trait names).
    questions = traitlets.List(traitlets.Unicode(), read_only=True).tag(sync=True)

    def __init__(self, *, chapter: str, questions: Sequence[str]) -> None:
        super().__init__()
        _text("chapter", chapter, "'softmax'")
        if not questions:
            raise ValueError(f"chapter {chapter!r} has no questions yet; ask them before showing the progress")
        with self.hold_sync():
            self.set_trait("chapter", chapter)
            self.set_trait("questions", list(dict.fromkeys(questions)))


class Quiz:
    """The self-check questions of one chapter, and the reader's progress through them.

    Parameters
    ----------
    chapter : str
        A name for the chapter, unique in the course (it keys the reader's stored results).

    Examples
    --------
    >>> quiz = Quiz("demo")
    >>> q = quiz.choice("Which is larger?", ["1 bit", "1 nat"], "1 nat", explanation="ln 2 < 1.")
    >>> quiz.progress().questions == [q.key]
    True
    """

    def __init__(self, chapter: str) -> None:
        self.chapter = _text("chapter", chapter, "'softmax'")
        self._keys: list[str] = []

    def _ask(self, question: Question) -> Question:
        self._keys.append(question.key)
        return question

    def numeric(self, prompt: str, answer: float, *, units: str, tolerance: float, explanation: str,
                digits: int = 3, slips: Mapping[float, str] | None = None, hint: str = DEFAULT_HINT) -> Question:
        """A question whose answer is a number; see :class:`Question` for the parameters."""
        return self._ask(Question(chapter=self.chapter, prompt=prompt, answer=answer, units=units,
                                  tolerance=tolerance, explanation=explanation, digits=digits,
                                  slips=slips, hint=hint))

    def choice(self, prompt: str, choices: Sequence[str], answer: str, *, explanation: str,
               slips: Mapping[str, str] | None = None, hint: str = DEFAULT_HINT) -> Question:
        """A question with one right choice among ``choices``; see :class:`Question`."""
        return self._ask(Question(chapter=self.chapter, prompt=prompt, answer=answer, choices=choices,
                                  explanation=explanation, slips=slips, hint=hint))

    def progress(self) -> QuizProgress:
        """The reader's score on the questions asked so far in this chapter."""
        return QuizProgress(chapter=self.chapter, questions=self._keys)
