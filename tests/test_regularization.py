"""The L2 penalty and its gradient: hand-worked values, central differences, mpmath, torch."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import lossbook as lb

WEIGHTS = arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 4)),
                 elements=st.floats(-1e3, 1e3))


def test_penalty_of_a_hand_worked_matrix():
    # 0.5 * (1 + 4 + 9 + 0.25) = 7.125
    assert lb.l2_penalty([[1.0, -2.0], [3.0, 0.5]], 0.5) == 7.125


@settings(max_examples=60, deadline=None)
@given(w=WEIGHTS, strength=st.floats(0.0, 10.0))
@example(w=np.array([[1.0]]), strength=5e-324)  # the strength must not underflow before the sum
def test_penalty_matches_an_exact_sum_in_mpmath(w, strength):
    with mpmath.workdps(50):
        exact = mpmath.mpf(strength) * mpmath.fsum(mpmath.mpf(float(v)) ** 2 for v in w.ravel())
    np.testing.assert_allclose(lb.l2_penalty(w, strength), float(exact), rtol=1e-13, atol=0)


@settings(max_examples=40, deadline=None)
@given(w=arrays(np.float64, (2, 3), elements=st.floats(-10, 10)), strength=st.floats(0.0, 5.0))
def test_gradient_matches_central_differences(w, strength):
    h = 1e-5
    numeric = np.zeros_like(w)
    for index in np.ndindex(w.shape):
        up, down = w.copy(), w.copy()
        up[index] += h
        down[index] -= h
        numeric[index] = (lb.l2_penalty(up, strength) - lb.l2_penalty(down, strength)) / (2 * h)
    np.testing.assert_allclose(lb.l2_penalty_grad(w, strength), numeric, rtol=1e-6, atol=1e-6)


def test_gradient_matches_torch_autograd():
    torch = pytest.importorskip("torch")
    w = np.random.default_rng(0).standard_normal((3, 4))
    wt = torch.tensor(w, requires_grad=True)
    (0.3 * (wt ** 2).sum()).backward()
    np.testing.assert_allclose(lb.l2_penalty_grad(w, 0.3), wt.grad.numpy(), rtol=1e-15)


def test_inputs_are_left_unchanged():
    w = np.array([[1.0, -2.0], [3.0, 0.5]])
    w.flags.writeable = False
    lb.l2_penalty(w, 1.0)
    grad = lb.l2_penalty_grad(w, 1.0)
    assert grad.flags.writeable and not np.shares_memory(grad, w)


@pytest.mark.parametrize("strength", [-0.1, float("nan"), float("inf")])
def test_bad_strength_is_refused_with_its_value(strength):
    with pytest.raises(ValueError, match="strength must be a finite number >= 0"):
        lb.l2_penalty([1.0], strength)
    with pytest.raises(ValueError, match="strength must be a finite number >= 0"):
        lb.l2_penalty_grad([1.0], strength)


@pytest.mark.parametrize("strength", ["0.1", None, True])
def test_non_numeric_strength_is_a_type_error(strength):
    with pytest.raises(TypeError, match="strength must be a non-negative number"):
        lb.l2_penalty([1.0], strength)


def test_nan_weights_are_refused():
    with pytest.raises(ValueError, match="weights contains NaN"):
        lb.l2_penalty_grad([1.0, float("nan")], 0.1)


@settings(max_examples=100, deadline=None)
@given(w=st.lists(st.floats(-1e200, 1e200, allow_subnormal=False), min_size=1, max_size=6),
       lam=st.floats(0.0, 1e3))
@example(w=[1e155], lam=1e-12)  # the square overflows, the penalty (1e298) does not
def test_l2_penalty_matches_mpmath_wherever_the_penalty_is_a_float(w, lam):
    with mpmath.workdps(40):
        exact = mpmath.mpf(lam) * mpmath.fsum(mpmath.mpf(v) ** 2 for v in w)
        if not mpmath.mpf("1e-300") < exact < mpmath.mpf("1e300"):
            return  # outside the float range: 0 or inf by rounding, not by accident
        assert float(lb.l2_penalty(w, lam)) == pytest.approx(float(exact), rel=1e-14)


def test_l2_penalty_of_strength_zero_is_zero_for_any_finite_weights():
    assert lb.l2_penalty([1e200, -1e300], 0.0) == 0.0
