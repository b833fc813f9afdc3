"""Checkers for the language-model chapter: the loss of a padded batch, and bits per character."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
from numpy.typing import NDArray

import lossbook as lb

from ._harness import Case, run_cases
from ._result import CheckResult

PAD = -100  # PyTorch's default ignore_index, the chapter's padding target
ONE_NUMBER = "return one number for the whole batch"
STABLE = ("take each token's loss as logsumexp(z) - z[target], with the largest logit "
          "subtracted inside logsumexp, never as the log of a softmax that may be 0")
COVERED = ("the chapter's padded batch, random batches, padding targets of -1 and 0 (a real class "
           "id) and logits of ±1000")


def _padded(rng: np.random.Generator, lengths: list[int], steps: int, vocab: int,
            pad: int) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Random logits (B, T, V) and targets (B, T) whose row b has ``lengths[b]`` real tokens."""
    logits = rng.normal(0.0, 2.0, size=(len(lengths), steps, vocab))
    targets = rng.integers(0, vocab, size=(len(lengths), steps))
    targets[np.arange(steps) >= np.array(lengths)[:, None]] = pad
    return logits, targets


def _token_batches() -> list[tuple[tuple[Any, ...], str]]:
    """Inputs ``(logits, targets, ignore_index)``, with the hint each calls for."""
    mask = ("skip the positions whose target is ignore_index (it is not a class: never use it as an "
            "index), add the losses of the real tokens and divide by their number, not by every "
            "position and not sequence by sequence; the targets already line up with the logits, "
            "so do not shift them again")
    rng = np.random.default_rng(19)
    worked = (np.array([[[2.0, 0.5, -1.0], [0.0, 1.0, 3.0], [1.0, 1.0, 1.0]]]),
              np.array([[0, 2, PAD]]), PAD)
    inputs = [(worked, mask), (_padded(rng, [12, 3], 12, 16, PAD) + (PAD,), mask),
              (_padded(rng, [5, 5], 5, 16, PAD) + (PAD,), mask),
              # -1 is a valid NumPy index (the last class): a missing mask gives a wrong number.
              (_padded(rng, [7, 2, 4, 6], 7, 10, -1) + (-1,), mask),
              # 0, a common pad id, is also a class: only ignore_index itself says what to skip.
              (_padded(rng, [6, 3, 5], 6, 8, 0) + (0,), mask)]
    return inputs + [((np.array([[[0.0, 1000.0], [800.0, -800.0], [5.0, 5.0]]]),
                       np.array([[0, 1, PAD]]), PAD), STABLE)]


def padded_cross_entropy(candidate: Callable[..., Any]) -> CheckResult:
    """Check ``candidate(logits, targets, ignore_index)``: the token mean of a padded batch.

    Logits have shape (B, T, V) and targets (B, T), with ``ignore_index`` at the padded
    positions; the answer is the mean cross-entropy over the real tokens only, equation
    (eq-lm-token-mean). The reference is
    ``lossbook.cross_entropy(logits, targets, from_logits=True, ignore_index=ignore_index)``.

    Parameters
    ----------
    candidate : callable
        The reader's function of logits (B, T, V), targets (B, T) and the padding target.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> import numpy as np
    >>> def every_position(z, y, pad):
    ...     safe = np.where(y == pad, 0, y)
    ...     losses = lb.logsumexp(z) - np.take_along_axis(z, safe[..., None], -1)[..., 0]
    ...     return np.where(y == pad, 0.0, losses).mean()
    >>> print(padded_cross_entropy(every_position))  # doctest: +ELLIPSIS
    ✗ your padded_cross_entropy returned 0.1371 for logits = ..., expected 0.2056; skip the positions...
    """
    cases = [Case(args, np.asarray(lb.cross_entropy(args[0], args[1], from_logits=True,
                                                    ignore_index=args[2])), hint)
             for args, hint in _token_batches()]
    return run_cases("padded_cross_entropy", candidate, ["logits", "targets", "ignore_index"],
                     cases, covered=COVERED, shape_hint=ONE_NUMBER)


def bits_per_character(candidate: Callable[..., Any]) -> CheckResult:
    """Check ``candidate(logits, targets, num_characters)``: a text's cost in bits per character.

    Logits have shape (T, V) and targets (T,), the T tokens of one text of ``num_characters``
    characters. The answer is the summed cross-entropy in bits divided by the characters,
    equation (eq-lm-bpc): ``T * loss / (ln 2 * num_characters)``.

    Parameters
    ----------
    candidate : callable
        The reader's function of logits (T, V), targets (T,) and a number of characters.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> def per_token(z, y, chars):
    ...     return lb.cross_entropy(z, y, from_logits=True) / np.log(2)
    >>> print(bits_per_character(per_token))  # doctest: +ELLIPSIS
    ✗ your bits_per_character returned ..., expected ...; the text costs the sum of its tokens' losses...
    """
    hint = ("the text costs the sum of its tokens' losses (T times the mean), in bits: divide the "
            "nats by ln 2 (np.log(2)), then divide by the number of characters, not of tokens")
    rng = np.random.default_rng(23)
    texts = [(np.array([[3.0, 1.0, 0.0], [0.0, 2.0, 0.0], [1.0, 1.0, 1.0]]), np.array([0, 1, 2]), 11, hint)]
    texts += [(rng.normal(0.0, 2.0, size=(t, v)), rng.integers(0, v, size=t), chars, hint)
              for t, v, chars in ((40, 50, 160), (200, 16, 200), (25, 1000, 130))]
    texts += [(np.array([[0.0, 1000.0], [800.0, -800.0]]), np.array([0, 0]), 9, STABLE)]
    cases = [Case((z, y, chars), np.asarray(lb.cross_entropy(z, y, from_logits=True, reduction="sum",
                                                             base=2) / chars), h)
             for z, y, chars, h in texts]
    return run_cases("bits_per_character", candidate, ["logits", "targets", "num_characters"], cases,
                     covered="a short worked text, random texts and logits of ±1000",
                     shape_hint=ONE_NUMBER)
