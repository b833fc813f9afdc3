"""Analytic gradients against finite differences and mpmath; numerical_gradient itself."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import lossbook as lb

PROPERTY = settings(max_examples=40, deadline=None)


@st.composite
def logits_and_targets(draw):
    n, k = draw(st.integers(1, 4)), draw(st.integers(1, 5))
    z = draw(arrays(np.float64, (n, k), elements=st.floats(-20, 20)))
    labels = np.array(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    weights = draw(arrays(np.float64, (n, k), elements=st.floats(0.01, 1.0)))
    return z, labels, weights / weights.sum(axis=1, keepdims=True)


@PROPERTY
@given(problem=logits_and_targets(), reduction=st.sampled_from(["mean", "sum"]))
def test_cross_entropy_grad_matches_numerical_gradient(problem, reduction):
    z, labels, soft = problem
    for target in (labels, soft):
        def loss(v):
            return lb.cross_entropy(v, target, from_logits=True, reduction=reduction)
        np.testing.assert_allclose(
            lb.cross_entropy_grad(z, target, reduction=reduction), lb.numerical_gradient(loss, z),
            rtol=1e-6, atol=1e-9)


@PROPERTY
@given(
    z=arrays(np.float64, st.integers(1, 6), elements=st.floats(-30, 30)),
    y=st.sampled_from([0.0, 1.0, 0.25]),
    reduction=st.sampled_from(["mean", "sum"]),
)
def test_binary_cross_entropy_grad_matches_numerical_gradient(z, y, reduction):
    target = np.full(z.shape, y)
    def loss(v):
        return lb.binary_cross_entropy(v, target, from_logits=True, reduction=reduction)
    np.testing.assert_allclose(
        lb.binary_cross_entropy_grad(z, target, reduction=reduction), lb.numerical_gradient(loss, z),
        rtol=1e-6, atol=1e-9)


def test_cross_entropy_grad_matches_mpmath_differentiation():
    z = np.array([[3.0, -1.5, 0.25, 7.0]])
    y = np.array([0.1, 0.2, 0.3, 0.4])
    with mpmath.workdps(50):
        def loss(*v):
            lse = mpmath.log(mpmath.fsum(mpmath.exp(t) for t in v))
            return mpmath.fsum(w * (lse - t) for w, t in zip(y, v))
        expected = [float(mpmath.diff(loss, [mpmath.mpf(t) for t in z[0]], tuple(int(i == j) for i in range(4))))
                    for j in range(4)]
    np.testing.assert_allclose(lb.cross_entropy_grad(z, y[None, :], reduction="sum")[0], expected, rtol=1e-14, atol=1e-16)


def test_seed_softmax_gradient_is_p_minus_y():
    grad = lb.cross_entropy_grad([[5.0, 4.0, 2.0]], [0], reduction="sum")
    np.testing.assert_allclose(grad, [[-0.295, 0.259, 0.035]], atol=5e-4)        # hand values
    np.testing.assert_allclose(grad, lb.softmax([[5.0, 4.0, 2.0]]) - [[1, 0, 0]], rtol=0, atol=0)


def test_mean_divides_by_the_number_of_examples_and_none_equals_sum():
    z = np.random.default_rng(0).standard_normal((2, 3, 4))
    labels = np.array([[0, 1, 2], [3, 0, 1]])
    total = lb.cross_entropy_grad(z, labels, reduction="sum")
    np.testing.assert_allclose(lb.cross_entropy_grad(z, labels), total / 6, rtol=1e-15)
    np.testing.assert_array_equal(lb.cross_entropy_grad(z, labels, reduction="none"), total)
    np.testing.assert_allclose(total.sum(axis=-1), 0.0, atol=1e-15)            # probabilities minus targets


def test_binary_gradient_is_sigmoid_minus_target_and_mean_divides_by_the_size():
    z = np.array([[0.0, 2.0], [-2.0, 1000.0]])
    y = np.array([[1.0, 0.0], [0.5, 1.0]])
    total = lb.binary_cross_entropy_grad(z, y, reduction="sum")
    np.testing.assert_allclose(total, [[-0.5, 0.8807970779778823], [0.11920292202211755 - 0.5, 0.0]], rtol=1e-15)
    np.testing.assert_allclose(lb.binary_cross_entropy_grad(z, y), total / 4, rtol=1e-15)


def test_gradients_at_extreme_logits_are_finite_without_warnings():
    z = np.array([[1000.0, -1000.0, 0.0]])
    np.testing.assert_array_equal(lb.cross_entropy_grad(z, [1], reduction="sum"), [[1.0, -1.0, 0.0]])


def test_numerical_gradient_of_a_cubic_is_close_to_the_exact_derivative():
    x = np.array([[0.5, -1.25], [2.0, 3.0]])
    np.testing.assert_allclose(lb.numerical_gradient(lambda v: float(np.sum(v ** 3)), x), 3 * x ** 2, rtol=1e-9)


def test_numerical_gradient_does_not_modify_x_and_passes_copies():
    x = np.array([1.0, 2.0])
    seen = []
    lb.numerical_gradient(lambda v: seen.append(v) or float(v.sum()), x)
    np.testing.assert_array_equal(x, [1.0, 2.0])
    assert all(v is not x for v in seen)


def test_numerical_gradient_rejects_a_bad_step():
    with pytest.raises(ValueError, match=r"h must be a small positive step such as 1e-5, got -0\.1"):
        lb.numerical_gradient(np.sum, [1.0], h=-0.1)


def test_numerical_gradient_rejects_a_non_scalar_function():
    with pytest.raises(TypeError, match=r"f must return a single number, got array\(\[2\.00002, 4\. +\]\).*reduction='mean'"):
        lb.numerical_gradient(lambda v: v * 2, [1.0, 2.0])


def test_numerical_gradient_rejects_a_non_callable():
    with pytest.raises(TypeError, match=r"f must be a function of one array returning a number, got 3"):
        lb.numerical_gradient(3, [1.0])


def test_gradient_bad_targets_are_refused_like_the_loss():
    with pytest.raises(ValueError, match=r"class index 5 but there are only 3 classes"):
        lb.cross_entropy_grad([[0.0, 1.0, 2.0]], [5])
    with pytest.raises(ValueError, match=r"y_true must lie in \[0, 1\], got -1\.0"):
        lb.binary_cross_entropy_grad([0.0], [-1.0])
    with pytest.raises(ValueError, match=r"logits has shape \(2,\) but y_true has shape \(1,\)"):
        lb.binary_cross_entropy_grad([0.0, 1.0], [1.0])
    with pytest.raises(ValueError, match=r"logits is empty"):
        lb.cross_entropy_grad(np.zeros((0, 2)), np.zeros(0, dtype=int))
    with pytest.raises(ValueError, match=r"got 'avg'"):
        lb.binary_cross_entropy_grad([0.0], [1.0], reduction="avg")


def test_numerical_gradient_refuses_a_step_that_rounds_away():
    # At x = 1e12 a step of 1e-5 is below half the spacing of floats (1.2e-4): x + h == x, and
    # the estimate would be 0 / 0.
    with pytest.raises(ValueError, match=r"h = 1e-05 is too small to move x\[0\] = 1000000000000\.0: "
                                         r"x \+ h rounds back to x; .*h=1\.0e\+07"):
        lb.numerical_gradient(lambda v: float(v[0] ** 2), [1e12])
    assert lb.numerical_gradient(lambda v: float(v[0] ** 2), [1e12], h=1e7) == pytest.approx([2e12], rel=1e-9)
