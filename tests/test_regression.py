"""Smooth L1: hand-worked values, its two pieces, and torch's smooth_l1_loss."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import lossbook as lb


def test_hand_worked_values_on_both_pieces():
    # beta = 2: |d| = 1 is quadratic, 1^2 / 4 = 0.25; |d| = 5 is linear, 5 - 1 = 4.
    losses = lb.smooth_l1_loss([1.0, -5.0, 7.0], [0.0, 0.0, 7.0], beta=2.0, reduction="none")
    np.testing.assert_array_equal(losses, [0.25, 4.0, 0.0])
    assert lb.smooth_l1_loss([1.0, -5.0], [0.0, 0.0], beta=2.0, reduction="sum") == 4.25


@settings(max_examples=60, deadline=None)
@given(d=st.floats(-50, 50), beta=st.floats(0.01, 10))
def test_value_and_slope_are_continuous_at_beta(d, beta):
    # Both pieces meet at |d| = beta with value beta/2 and slope 1: the Huber join.
    loss = float(lb.smooth_l1_loss([d], [0.0], beta=beta))
    expected = d * d / (2 * beta) if abs(d) < beta else abs(d) - beta / 2
    assert loss == pytest.approx(expected, rel=1e-12, abs=1e-300)
    assert float(lb.smooth_l1_loss([beta], [0.0], beta=beta)) == pytest.approx(beta / 2)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("beta", [0.1, 1.0, 3.0])
def test_agrees_with_torch(reduction, beta):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(int(beta * 10))
    pred, target = rng.normal(0, 3, (16, 4)), rng.normal(0, 3, (16, 4))
    expected = torch.nn.functional.smooth_l1_loss(torch.tensor(pred), torch.tensor(target),
                                                  beta=beta, reduction=reduction)
    np.testing.assert_allclose(lb.smooth_l1_loss(pred, target, beta=beta, reduction=reduction),
                               expected.numpy(), rtol=1e-13, atol=1e-15)


@settings(max_examples=40, deadline=None)
@given(pred=arrays(np.float64, (3, 4), elements=st.floats(-1e3, 1e3)))
def test_never_above_the_absolute_error_and_never_writes_its_input(pred):
    frozen = pred.copy()
    frozen.flags.writeable = False
    losses = lb.smooth_l1_loss(frozen, np.zeros_like(pred), reduction="none")
    assert np.all(losses <= np.abs(pred) + 1e-12)
    np.testing.assert_array_equal(frozen, pred)


@pytest.mark.parametrize("beta", [0.0, -1.0, float("nan")])
def test_bad_beta_is_refused(beta):
    with pytest.raises(ValueError, match=r"beta must be a finite number >"):
        lb.smooth_l1_loss([1.0], [0.0], beta=beta)


def test_text_beta_is_a_type_error():
    with pytest.raises(TypeError, match="beta must be a non-negative number"):
        lb.smooth_l1_loss([1.0], [0.0], beta="1")


def test_mismatched_shapes_are_refused():
    with pytest.raises(ValueError, match="has shape"):
        lb.smooth_l1_loss([[1.0, 2.0]], [1.0, 2.0, 3.0])
