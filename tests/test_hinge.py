"""multiclass_hinge_loss: the worked example, a direct double loop, its subgradient, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import lossbook as lb


def direct_hinge(scores, label, margin):
    return sum(max(0.0, s - scores[label] + margin) for j, s in enumerate(scores) if j != label)


def test_cs231n_worked_example():
    # Scores [3.2, 5.1, -1.7], class 0 true: max(0, 5.1 - 3.2 + 1) + max(0, -1.7 - 3.2 + 1) = 2.9.
    assert lb.multiclass_hinge_loss([[3.2, 5.1, -1.7]], [0]) == pytest.approx(2.9, rel=1e-15)
    # The notes' other two examples: car (class 1) scores 0, frog (class 2) 12.9.
    got = lb.multiclass_hinge_loss([[1.3, 4.9, 2.0], [2.2, 2.5, -3.1]], [1, 2], reduction="none")
    np.testing.assert_allclose(got, [0.0, 12.9], rtol=1e-15)


@settings(max_examples=60, deadline=None)
@given(s=arrays(np.float64, (4, 5), elements=st.floats(-1e3, 1e3)), margin=st.floats(0, 10),
       labels=st.lists(st.integers(0, 4), min_size=4, max_size=4))
def test_matches_a_direct_double_loop(s, margin, labels):
    expected = [direct_hinge(row, t, margin) for row, t in zip(s, labels)]
    got = lb.multiclass_hinge_loss(s, labels, margin=margin, reduction="none")
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


def test_subgradient_matches_finite_differences_away_from_kinks():
    rng = np.random.default_rng(0)
    s = rng.standard_normal((6, 4)) * 2
    labels = rng.integers(0, 4, 6)
    expected = lb.numerical_gradient(lambda v: lb.multiclass_hinge_loss(v, labels), s, h=1e-6)
    np.testing.assert_allclose(lb.multiclass_hinge_loss_grad(s, labels), expected, atol=1e-8)


def test_subgradient_at_the_kink_is_zero_and_lies_between_the_one_sided_slopes():
    s = np.array([[2.0, 1.0, -5.0]])                   # s_1 - s_0 + 1 = 0 exactly
    grad = lb.multiclass_hinge_loss_grad(s, [0], reduction="sum")
    np.testing.assert_array_equal(grad, [[0.0, 0.0, 0.0]])
    h = 1e-3
    up = (lb.multiclass_hinge_loss(s + [[0, h, 0]], [0]) - lb.multiclass_hinge_loss(s, [0])) / h
    down = (lb.multiclass_hinge_loss(s, [0]) - lb.multiclass_hinge_loss(s - [[0, h, 0]], [0])) / h
    assert down <= grad[0, 1] <= up


def test_nd_batches_and_reductions():
    rng = np.random.default_rng(1)
    s = rng.standard_normal((2, 3, 4))
    labels = rng.integers(0, 4, (2, 3))
    per = lb.multiclass_hinge_loss(s, labels, reduction="none")
    assert per.shape == (2, 3)
    assert lb.multiclass_hinge_loss(s, labels) == pytest.approx(per.mean(), rel=1e-15)
    assert lb.multiclass_hinge_loss(s, labels, reduction="sum") == pytest.approx(per.sum(), rel=1e-15)
    assert lb.multiclass_hinge_loss_grad(s, labels).shape == s.shape


@pytest.mark.parametrize("call, error, message", [
    (lambda: lb.multiclass_hinge_loss([[1.0, 2.0]], [0], margin=-1.0), ValueError,
     r"margin must be a finite number >= 0, got -1\.0; the usual choice is margin=1\.0"),
    (lambda: lb.multiclass_hinge_loss([[1.0, np.inf]], [0]), ValueError,
     r"scores must be finite, got inf at index \(0, 1\); clip the scores"),
    (lambda: lb.multiclass_hinge_loss([[1.0, np.nan]], [0]), ValueError, r"scores contains NaN"),
    (lambda: lb.multiclass_hinge_loss([[1.0, 2.0]], [[0.0, 1.0]]), ValueError, r"takes one class index per example"),
    (lambda: lb.multiclass_hinge_loss_grad([[1.0, 2.0]], [5]), ValueError, r"class index 5 but there are only 2"),
    (lambda: lb.multiclass_hinge_loss_grad([[1.0, 2.0]], [0], margin="1"), TypeError, r"margin must be a non-negative number"),
])
def test_bad_input_names_the_value_and_the_fix(call, error, message):
    with pytest.raises(error, match=message):
        call()
