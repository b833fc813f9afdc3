"""Focal losses against a 40-digit mpmath reference (tiny losses included), properties, bad input.

The reference computes 1 - p_t directly as the sum of the other classes' probabilities (or
sigmoid(-z) for a positive), in enough digits that nothing cancels: an independent route
from the package's expm1 and sigmoid formulas.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import lossbook as lb

PROPERTY = settings(max_examples=60, deadline=None)


def _digits(row) -> int:
    return 40 + int(np.ceil(float(np.ptp(row)) / np.log(10))) + 5


def mp_focal(row, t, gamma, alpha_t=1.0) -> float:
    """-alpha_t (1 - p_t)^gamma log p_t with 1 - p_t = sum_{j != t} p_j."""
    with mpmath.workdps(_digits(row)):
        e = [mpmath.exp(mpmath.mpf(float(v)) - mpmath.mpf(float(row[t]))) for v in row]
        total = mpmath.fsum(e)
        rest = mpmath.fsum(v for j, v in enumerate(e) if j != t) / total
        return float(mpmath.mpf(alpha_t) * rest ** mpmath.mpf(gamma) * mpmath.log(total))


def mp_sigmoid_focal(z, y, gamma, alpha) -> float:
    with mpmath.workdps(40):
        z, y = mpmath.mpf(float(z)), mpmath.mpf(float(y))
        p = 1 / (1 + mpmath.exp(-z))
        q = 1 / (1 + mpmath.exp(z))                     # 1 - p, without subtracting
        # -log p = log1p(exp(-z)): log1p resolves a tiny loss that log(p) would round to 0.
        ce = y * mpmath.log1p(mpmath.exp(-z)) + (1 - y) * mpmath.log1p(mpmath.exp(z))
        rest = y * q + (1 - y) * p
        a = 1 if alpha is None else alpha * y + (1 - alpha) * (1 - y)
        return float(a * ce * rest ** gamma)


@pytest.mark.parametrize("gamma", [0.0, 0.5, 1.0, 2.0, 5.0])
@pytest.mark.parametrize("scale", [1.0, 10.0, 100.0])
def test_focal_loss_matches_mpmath(gamma, scale, mp_ref):
    rng = np.random.default_rng(int(scale) + int(10 * gamma))
    z = rng.standard_normal((12, 6)) * scale
    labels = rng.integers(0, 6, 12)
    labels[:4] = np.argmax(z[:4], axis=1)              # well classified: tiny losses
    alpha = rng.uniform(0, 1, 6)
    expected = [mp_focal(row, t, gamma, alpha[t]) for row, t in zip(z, labels)]
    got = lb.focal_loss(z, labels, gamma=gamma, alpha=alpha, reduction="none")
    assert mp_ref.relative_error(got, expected) <= 1e-13


@pytest.mark.parametrize("margin", [20.0, 40.0, 60.0, 150.0, 230.0])
def test_focal_loss_tiny_regime_keeps_relative_precision(margin, mp_ref):
    # 1 - p_t is about exp(-margin), 2e-9 .. 1e-100; the loss, about its cube for gamma = 2, goes
    # down to 1e-300, still a normal float.
    z = np.array([[margin, 0.0, -1.0], [margin, margin - 3.0, 0.0]])
    labels = np.array([0, 0])
    expected = [mp_focal(row, t, 2.0) for row, t in zip(z, labels)]
    got = lb.focal_loss(z, labels, reduction="none")
    assert np.all(got > 0)
    assert mp_ref.relative_error(got, expected) <= 1e-13
    # The naive factor (1 - softmax) cancels to 0 here for margin >= 40.
    if margin >= 40:
        assert 1.0 - lb.softmax(z)[0, 0] == 0.0


@pytest.mark.parametrize("gamma, alpha", [(0.0, None), (2.0, 0.25), (1.5, 0.9), (3.0, None)])
def test_sigmoid_focal_loss_matches_mpmath(gamma, alpha, mp_ref):
    rng = np.random.default_rng(3)
    z = np.concatenate([rng.standard_normal(20) * 10, [40.0, -40.0, 200.0, -200.0, 700.0, 0.0]])
    y = np.concatenate([rng.integers(0, 2, 20).astype(float), [1.0, 0.0, 1.0, 0.0, 1.0, 0.3]])
    y[:5] = rng.uniform(0, 1, 5)                       # soft labels
    expected = [mp_sigmoid_focal(a, b, gamma, alpha) for a, b in zip(z, y)]
    got = lb.sigmoid_focal_loss(z, y, gamma=gamma, alpha=alpha, reduction="none")
    assert mp_ref.relative_error(got, expected) <= 1e-13
    assert np.all(got[20:22] > 0)                      # at |z| = 40, 1 - p_t = 4e-18 did not round to 0


@PROPERTY
@given(z=arrays(np.float64, (3, 4), elements=st.floats(-60, 60)), gamma=st.floats(0, 5),
       labels=st.lists(st.integers(0, 3), min_size=3, max_size=3))
def test_focal_is_at_most_cross_entropy(z, gamma, labels):
    focal = lb.focal_loss(z, labels, gamma=gamma, reduction="none")
    ce = lb.cross_entropy(z, labels, from_logits=True, reduction="none")
    assert np.all(focal <= ce)
    assert np.all(focal >= 0)


@PROPERTY
@given(z=arrays(np.float64, (3, 4), elements=st.floats(-60, 60)),
       labels=st.lists(st.integers(0, 3), min_size=3, max_size=3))
def test_gamma_zero_is_cross_entropy(z, labels):
    np.testing.assert_array_equal(
        lb.focal_loss(z, labels, gamma=0.0, reduction="none"),
        lb.cross_entropy(z, labels, from_logits=True, reduction="none"))
    np.testing.assert_allclose(lb.focal_loss_grad(z, labels, gamma=0.0), lb.cross_entropy_grad(z, labels),
                               rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0, 4.0])
def test_focal_gradient_matches_finite_differences(gamma):
    rng = np.random.default_rng(int(gamma * 10))
    z = rng.standard_normal((5, 4)) * 2
    labels = np.array([0, 1, 2, 3, 0])
    alpha = [0.2, 0.4, 0.6, 0.8]
    expected = lb.numerical_gradient(lambda v: lb.focal_loss(v, labels, gamma=gamma, alpha=alpha), z)
    np.testing.assert_allclose(lb.focal_loss_grad(z, labels, gamma=gamma, alpha=alpha), expected,
                               rtol=1e-6, atol=1e-10)


def test_focal_gradient_where_p_t_is_one_is_finite():
    grad = lb.focal_loss_grad([[800.0, 0.0], [40.0, 0.0]], [0, 0], gamma=0.5, reduction="none")
    assert np.all(np.isfinite(grad))
    assert np.all(grad[0] == 0.0)


@pytest.mark.parametrize("call, error, message", [
    (lambda: lb.focal_loss([[1.0, 2.0]], [0], gamma=-1.0), ValueError,
     r"gamma must be a finite number >= 0, got -1\.0; gamma=0 gives plain cross-entropy"),
    (lambda: lb.focal_loss([[1.0, 2.0]], [0], gamma="2"), TypeError, r"gamma must be a non-negative number, got '2'"),
    (lambda: lb.focal_loss([[1.0, 2.0]], [0], alpha=[0.5, 1.5]), ValueError,
     r"alpha must lie in \[0, 1\], got 1\.5 at index \(1,\); pass one weight in \[0, 1\] per class, shape \(2,\)"),
    (lambda: lb.focal_loss([[1.0, 2.0]], [0], alpha=[0.5, 0.5, 0.5]), ValueError,
     r"alpha has shape \(3,\) but there are 2 classes"),
    (lambda: lb.focal_loss([[1.0, 2.0]], [[1.0, 0.0]]), ValueError, r"focal_loss takes one class index per example.*from_one_hot"),
    (lambda: lb.focal_loss([[1.0, 2.0]], [2]), ValueError, r"class index 2 but there are only 2 classes"),
    (lambda: lb.focal_loss_grad([[1.0, 2.0]], [0], gamma=-0.5), ValueError, r"gamma must be a finite number >= 0"),
    (lambda: lb.sigmoid_focal_loss([1.0], [1.0], alpha=1.2), ValueError,
     r"alpha must lie in \[0, 1\], got 1\.2; 0\.25 is torchvision's default; None turns weighting off"),
    (lambda: lb.sigmoid_focal_loss([1.0], [1.0], gamma=np.inf), ValueError, r"gamma must be a finite number >= 0, got inf"),
    (lambda: lb.sigmoid_focal_loss([1.0], [2.0]), ValueError, r"y_true must lie in \[0, 1\], got 2\.0"),
    (lambda: lb.sigmoid_focal_loss([1.0], [1.0], reduction="avg"), ValueError, r"got 'avg'"),
])
def test_bad_input_names_the_value_and_the_fix(call, error, message):
    with pytest.raises(error, match=message):
        call()


@settings(max_examples=50, deadline=None)
@given(z=arrays(np.float64, 5, elements=st.floats(-6, 6)), labels=arrays(np.int64, 5, elements=st.integers(0, 1)),
       gamma=st.floats(0, 4), alpha=st.floats(0.05, 0.95))
def test_softmax_focal_gradient_on_zero_and_z_is_the_sigmoid_focal_gradient(z, labels, gamma, alpha):
    """What the imbalance chapter says: focal_loss_grad on the two-class logits [0, z], with
    alpha = [1 - alpha, alpha], is the gradient of sigmoid_focal_loss (finite differences)."""
    two_class = np.column_stack([np.zeros_like(z), z])
    grad = lb.focal_loss_grad(two_class, labels, gamma=gamma, alpha=[1 - alpha, alpha], reduction="sum")[:, 1]
    h = 1e-6
    for i in range(len(z)):
        up, down = z.copy(), z.copy()
        up[i] += h
        down[i] -= h
        numeric = (lb.sigmoid_focal_loss(up, labels, gamma=gamma, alpha=alpha, reduction="sum")
                   - lb.sigmoid_focal_loss(down, labels, gamma=gamma, alpha=alpha, reduction="sum")) / (2 * h)
        assert grad[i] == pytest.approx(numeric, rel=1e-5, abs=1e-8)
