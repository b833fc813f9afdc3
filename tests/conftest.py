"""Shared references for the numeric tests: the same quantities evaluated in 50-digit mpmath.

Each input float is converted to mpmath exactly, so the reference is the true value of the
function at the given float arguments and any difference is the package's own error.
"""

from __future__ import annotations

from types import SimpleNamespace

import mpmath
import numpy as np
import pytest

DIGITS = 50

# This file holds no doctests; collecting it as a doctest module would import it a second
# time under the name "conftest", which tests/browser/conftest.py already uses.
collect_ignore = ["conftest.py"]


def _mp(x: float) -> mpmath.mpf:
    return mpmath.mpf(float(x))


def _digits_for(values) -> int:
    """50 significant digits after the largest term, plus enough to resolve the smallest.

    ``log(1 + 1e-118)`` at 50 digits would be 0; the spread of the logits says how many
    extra digits a sum of their exponentials needs.
    """
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    spread = float(finite.max() - finite.min()) if finite.size else 0.0
    return DIGITS + int(np.ceil(spread / np.log(10))) + 5


def _minus_log_softmax_at(row, i) -> mpmath.mpf:
    """``-log softmax(z)_i = log sum_j exp(z_j - z_i)``; exactly 0 when z_i is the only entry."""
    return mpmath.log(mpmath.fsum(mpmath.exp(_mp(v) - _mp(row[i])) for v in row if v != -np.inf))


def log_softmax(row) -> np.ndarray:
    """log softmax of one row of logits (``-inf`` entries allowed)."""
    with mpmath.workdps(_digits_for(row)):
        return np.array([float(-_minus_log_softmax_at(row, i)) if np.isfinite(v) else -np.inf
                         for i, v in enumerate(row)])


def softmax(row) -> np.ndarray:
    with mpmath.workdps(_digits_for(row)):
        return np.array([float(mpmath.exp(-_minus_log_softmax_at(row, i))) for i in range(len(row))])


def logsumexp(row) -> float:
    with mpmath.workdps(_digits_for(row)):
        return float(mpmath.log(mpmath.fsum(mpmath.exp(_mp(v)) for v in row)))


def cross_entropy_logits(row, target) -> float:
    """``-sum_j y_j log softmax(z)_j``; ``target`` is an index or a distribution."""
    with mpmath.workdps(_digits_for(row)):
        if np.ndim(target) == 0:
            return float(_minus_log_softmax_at(row, int(target)))
        return float(mpmath.fsum(_mp(y) * _minus_log_softmax_at(row, i) for i, y in enumerate(target) if y != 0))


def cross_entropy_probs(row, target) -> float:
    with mpmath.workdps(DIGITS):
        if np.ndim(target) == 0:
            return float(-mpmath.log(_mp(row[int(target)])))
        return float(-mpmath.fsum(_mp(y) * mpmath.log(_mp(p)) for p, y in zip(row, target) if y != 0))


def log_sigmoid(x: float) -> float:
    with mpmath.workdps(DIGITS):
        return float(-mpmath.log1p(mpmath.exp(-_mp(x))))


def sigmoid(x: float) -> float:
    with mpmath.workdps(DIGITS):
        return float(1 / (1 + mpmath.exp(-_mp(x))))


def bce_logits(x: float, y: float) -> float:
    """``-[y log sigmoid(x) + (1 - y) log sigmoid(-x)]``."""
    with mpmath.workdps(DIGITS):
        y_mp = _mp(y)
        total = mpmath.mpf(0)
        if y != 0:
            total -= y_mp * -mpmath.log1p(mpmath.exp(-_mp(x)))
        if y != 1:
            total -= (1 - y_mp) * -mpmath.log1p(mpmath.exp(_mp(x)))
        return float(total)


def bernoulli_log(p: float, y: float) -> float:
    """``y log p + (1 - y) log(1 - p)`` with ``0 log 0 = 0``."""
    with mpmath.workdps(DIGITS):
        p_mp, y_mp = _mp(p), _mp(y)
        total = mpmath.mpf(0)
        if y != 0:
            total += y_mp * mpmath.log(p_mp) if p != 0 else -mpmath.inf
        if y != 1:
            total += (1 - y_mp) * mpmath.log1p(-p_mp) if p != 1 else -mpmath.inf
        return float(total)


def entropy(p) -> float:
    with mpmath.workdps(DIGITS):
        return float(-mpmath.fsum(_mp(v) * mpmath.log(_mp(v)) for v in p if v > 0))


def kl(p, q) -> float:
    with mpmath.workdps(DIGITS):
        if any(a > 0 and b == 0 for a, b in zip(p, q)):
            return float("inf")
        return float(mpmath.fsum(_mp(a) * mpmath.log(_mp(a) / _mp(b)) for a, b in zip(p, q) if a > 0))


def relative_error(actual, expected) -> float:
    """Largest elementwise ``|actual - expected| / max(|expected|, smallest normal float)``.

    Below the smallest normal number (2.2e-308) float64 itself has fewer digits, so there
    the error is measured in absolute terms; exact matches (zeros and infinities) count 0.
    """
    actual = np.asarray(actual, dtype=float)
    expected = np.asarray(expected, dtype=float)
    assert actual.shape == expected.shape
    same = actual == expected
    scale = np.maximum(np.abs(expected), np.finfo(np.float64).tiny)
    with np.errstate(invalid="ignore"):
        err = np.where(same, 0.0, np.abs(actual - expected) / scale)
    return float(np.max(err)) if err.size else 0.0


@pytest.fixture(scope="session")
def mp_ref() -> SimpleNamespace:
    """50-digit references, each taking plain floats and returning floats."""
    return SimpleNamespace(
        log_softmax=log_softmax,
        softmax=softmax,
        logsumexp=logsumexp,
        cross_entropy_logits=cross_entropy_logits,
        cross_entropy_probs=cross_entropy_probs,
        log_sigmoid=log_sigmoid,
        sigmoid=sigmoid,
        bce_logits=bce_logits,
        bernoulli_log=bernoulli_log,
        entropy=entropy,
        kl=kl,
        relative_error=relative_error,
    )
