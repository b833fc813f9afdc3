"""The chapter Cross-entropy from information theory says how losses guard against a probability
of zero: lossbook's ``eps`` clips to [eps, 1], Keras clips to [eps, 1 - eps], PyTorch's
``NLLLoss`` takes log-probabilities and clips nothing, and ``BCELoss`` clamps each logarithm at
-100. Each sentence is checked here against the library it is about; a framework's tests are
skipped where it is not installed.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import lossbook as lb


def test_lossbook_eps_clips_to_eps_and_one():
    """A certain, correct prediction keeps its zero loss; a zero is raised to eps."""
    # Clipping to [eps, 1 - eps] would have charged the perfect prediction -ln(1 - eps) > 0.
    assert lb.cross_entropy(np.array([[1.0, 0.0]]), np.array([0]), eps=1e-7) == 0.0
    assert lb.cross_entropy(np.array([[1.0, 0.0, 0.0]]), np.eye(3)[:1], eps=1e-3) == 0.0
    assert lb.cross_entropy(np.array([[0.0, 1.0]]), np.array([0]), eps=1e-7) == pytest.approx(
        -math.log(1e-7), rel=1e-15)


def test_torch_nll_loss_takes_log_probabilities_and_clips_nothing():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    target = torch.tensor([0])
    # It returns minus the entry at the true class, whatever that entry is: no logarithm inside.
    assert F.nll_loss(torch.tensor([[-0.25, -1.5]], dtype=torch.float64), target).item() == 0.25
    assert F.nll_loss(torch.tensor([[0.9, 0.1]], dtype=torch.float64), target).item() == -0.9
    # A probability of exactly zero gives a log-probability of -inf, and nothing clips it.
    log_probs = torch.log(torch.tensor([[0.0, 1.0]], dtype=torch.float64))
    assert F.nll_loss(log_probs, target).item() == math.inf


def test_torch_bce_loss_clamps_the_log_at_minus_100():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional

    def bce(p, y):
        return F.binary_cross_entropy(torch.tensor([p], dtype=torch.float64),
                                      torch.tensor([y], dtype=torch.float64)).item()

    assert bce(0.0, 1.0) == 100.0 and bce(1.0, 0.0) == 100.0
    assert bce(1e-50, 1.0) == 100.0                          # -ln 1e-50 = 115.1, capped
    assert bce(1e-30, 1.0) == pytest.approx(-math.log(1e-30), rel=1e-14)   # 69.1, untouched
    assert bce(1.0, 1.0) == 0.0                              # no clip at the top: ln 1 = 0


def test_keras_clips_probabilities_to_eps_and_one_minus_eps():
    """On probabilities given as plain arrays (no Keras activation before them), on any backend."""
    keras = pytest.importorskip("keras")
    eps = keras.config.epsilon()
    assert eps == 1e-7
    loss = keras.losses.CategoricalCrossentropy()
    perfect = float(loss(np.array([[1.0, 0.0]], dtype="float32"), np.array([[1.0, 0.0]], dtype="float32")))
    # Clipped to 1 - eps in float32, the certain, correct prediction costs about eps, not 0.
    assert perfect == pytest.approx(-math.log(float(np.float32(1.0) - np.float32(eps))), rel=1e-3)
    assert perfect > 0.0
    certain_wrong = float(loss(np.array([[1.0, 0.0]], dtype="float32"), np.array([[0.0, 1.0]], dtype="float32")))
    assert certain_wrong == pytest.approx(-math.log(eps), rel=1e-5)
