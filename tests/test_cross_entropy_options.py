"""cross_entropy's weight, label_smoothing and ignore_index: properties, references and bad options.

torch parity is in tests/test_torch_parity_options.py; these tests need neither torch nor the
package's own kernels as a reference.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import lossbook as lb

PROPERTY = settings(max_examples=60, deadline=None)


@st.composite
def batch(draw, max_abs=50.0):
    n, k = draw(st.integers(1, 6)), draw(st.integers(2, 6))
    z = draw(arrays(np.float64, (n, k), elements=st.floats(-max_abs, max_abs)))
    labels = np.array(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    return z, labels


@PROPERTY
@given(problem=batch(), reduction=st.sampled_from(["mean", "sum", "none"]))
def test_zero_smoothing_is_cross_entropy(problem, reduction):
    z, labels = problem
    plain = lb.cross_entropy(z, labels, from_logits=True, reduction=reduction)
    np.testing.assert_array_equal(
        lb.cross_entropy(z, labels, from_logits=True, reduction=reduction, label_smoothing=0.0), plain)
    np.testing.assert_array_equal(
        lb.cross_entropy_grad(z, labels, reduction=reduction, label_smoothing=0.0),
        lb.cross_entropy_grad(z, labels, reduction=reduction))


@PROPERTY
@given(problem=batch(), c=st.floats(0.01, 100.0), smoothing=st.sampled_from([0.0, 0.1, 0.5]))
def test_equal_weights_leave_the_mean_unchanged(problem, c, smoothing):
    z, labels = problem
    k = z.shape[1]
    plain = lb.cross_entropy(z, labels, from_logits=True, label_smoothing=smoothing)
    got = lb.cross_entropy(z, labels, from_logits=True, label_smoothing=smoothing, weight=np.full(k, c))
    np.testing.assert_allclose(got, plain, rtol=1e-13, atol=1e-300)


@PROPERTY
@given(problem=batch(max_abs=20.0), smoothing=st.floats(0.0, 1.0))
def test_smoothing_equals_cross_entropy_against_the_mixed_target(problem, smoothing):
    # The definition: cross-entropy against (1 - eps) one_hot(y) + eps / K, computed via soft targets.
    z, labels = problem
    k = z.shape[1]
    mixed = (1 - smoothing) * lb.one_hot(labels, num_classes=k) + smoothing / k
    expected = -np.sum(mixed * lb.log_softmax(z), axis=1)
    got = lb.cross_entropy(z, labels, from_logits=True, label_smoothing=smoothing, reduction="none")
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)


def test_smoothed_losses_match_mpmath_at_a_large_offset(mp_ref):
    rng = np.random.default_rng(0)
    z = rng.standard_normal((8, 5)) * 2 + 1e4
    labels = rng.integers(0, 5, 8)
    weight = rng.uniform(0.5, 2.0, 5)
    eps = 0.1
    expected = [
        (1 - eps) * weight[t] * mp_ref.cross_entropy_logits(row, t)
        + eps / 5 * sum(weight[j] * mp_ref.cross_entropy_logits(row, j) for j in range(5))
        for row, t in zip(z, labels)
    ]
    got = lb.cross_entropy(z, labels, from_logits=True, weight=weight, label_smoothing=eps, reduction="none")
    assert mp_ref.relative_error(got, expected) <= 1e-13


def test_weighted_mean_by_hand():
    # Two examples, classes 0 and 1 with weights 1 and 3: sum(w_y * loss) / (1 + 3).
    z = np.array([[0.0, 0.0], [0.0, 0.0]])
    got = lb.cross_entropy(z, [0, 1], from_logits=True, weight=[1.0, 3.0])
    assert got == pytest.approx(np.log(2), rel=1e-15)
    got = lb.cross_entropy(z, [0, 1], from_logits=True, weight=[1.0, 3.0], reduction="sum")
    assert got == pytest.approx(4 * np.log(2), rel=1e-15)


def test_ignored_examples_contribute_zero_even_with_impossible_predictions():
    p = np.array([[1.0, 0.0], [0.5, 0.5]])
    got = lb.cross_entropy(p, [1, 0], ignore_index=1, reduction="none", label_smoothing=0.3)
    assert got[0] == 0.0
    assert got[1] == pytest.approx(np.log(2), rel=1e-15)


def test_labels_as_whole_floats_with_ignore_index():
    z = np.array([[1.0, 2.0], [3.0, 0.0]])
    got = lb.cross_entropy(z, [1.0, -100.0], from_logits=True, ignore_index=-100)
    assert got == lb.cross_entropy(z[:1], [1], from_logits=True)


def test_gradient_with_options_matches_finite_differences():
    rng = np.random.default_rng(1)
    z = rng.standard_normal((5, 4))
    labels = np.array([0, 3, -1, 2, 1])
    options = {"weight": [0.5, 1.0, 2.0, 1.5], "label_smoothing": 0.2, "ignore_index": -1}
    expected = lb.numerical_gradient(lambda v: lb.cross_entropy(v, labels, from_logits=True, **options), z)
    np.testing.assert_allclose(lb.cross_entropy_grad(z, labels, **options), expected, rtol=1e-7, atol=1e-9)


# ---------------------------------------------------------------- bad options

Z = np.array([[1.0, 2.0, 0.5], [0.0, 1.0, -1.0]])


@pytest.mark.parametrize("function", [lb.cross_entropy, lb.cross_entropy_grad])
@pytest.mark.parametrize("kwargs, error, message", [
    ({"weight": [1.0, 2.0]}, ValueError,
     r"weight has shape \(2,\), which does not fit the loss's shape \(3,\); pass one non-negative weight per class, shape \(3,\)"),
    ({"weight": [[1.0, 2.0, 3.0]]}, ValueError, r"weight has shape \(1, 3\), which does not fit the loss's shape \(3,\)"),
    ({"weight": 2.0}, ValueError, r"weight has shape \(\) but there are 3 classes; pass one non-negative weight per class"),
    ({"weight": [1.0, -2.0, 3.0]}, ValueError, r"weight must be finite and non-negative, got -2\.0 at index \(1,\)"),
    ({"weight": [1.0, np.nan, 3.0]}, ValueError, r"weight contains NaN \(first at index \(1,\)\)"),
    ({"weight": [1.0, np.inf, 3.0]}, ValueError, r"weight must be finite and non-negative, got inf"),
    ({"weight": ["a", "b", "c"]}, TypeError, r"weight must hold real numbers"),
    ({"label_smoothing": 1.5}, ValueError, r"label_smoothing must lie in \[0, 1\], got 1\.5; 0 means no smoothing"),
    ({"label_smoothing": -0.1}, ValueError, r"label_smoothing must lie in \[0, 1\], got -0\.1"),
    ({"label_smoothing": "0.1"}, TypeError, r"label_smoothing must be a number in \[0, 1\], got '0\.1'"),
    ({"ignore_index": 1.5}, TypeError, r"ignore_index must be an integer label value such as -100, or None, got 1\.5"),
    ({"ignore_index": True}, TypeError, r"ignore_index must be an integer"),
])
def test_bad_options_name_the_value_and_the_fix(function, kwargs, error, message):
    extra = {} if function is lb.cross_entropy_grad else {"from_logits": True}
    with pytest.raises(error, match=message):
        function(Z, [0, 1], **extra, **kwargs)


def test_labels_out_of_range_other_than_ignore_index():
    with pytest.raises(ValueError, match=r"class index 3 but there are only 3 classes.*ignore_index=-100 are skipped"):
        lb.cross_entropy(Z, [3, -100], from_logits=True, ignore_index=-100)
    with pytest.raises(ValueError, match=r"got -5.*ignore_index=-100 are skipped"):
        lb.cross_entropy(Z, [-5, -100], from_logits=True, ignore_index=-100)
    with pytest.raises(ValueError, match=r"got -100; labels count classes from 0.*pass ignore_index=-100"):
        lb.cross_entropy(Z, [0, -100], from_logits=True)


def test_every_target_ignored_raises_under_mean_only():
    for function, extra in ((lb.cross_entropy, {"from_logits": True}), (lb.cross_entropy_grad, {})):
        with pytest.raises(ValueError, match=r"every label equals ignore_index=-1.*torch returns NaN.*reduction='sum'"):
            function(Z, [-1, -1], ignore_index=-1, **extra)
        assert np.all(function(Z, [-1, -1], ignore_index=-1, reduction="sum", **extra) == 0)


def test_target_weights_summing_to_zero_raise_under_mean():
    with pytest.raises(ValueError, match=r"weights of the target classes sum to 0 \(weight=\[0\., 0\., 1\.\]\).*positive weight"):
        lb.cross_entropy(Z, [0, 1], from_logits=True, weight=[0.0, 0.0, 1.0])


def test_ignore_index_with_soft_targets_is_refused():
    soft = np.array([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]])
    with pytest.raises(ValueError, match=r"ignore_index=-100 applies to class-index targets.*drop the rows"):
        lb.cross_entropy(Z, soft, from_logits=True, ignore_index=-100)


@pytest.mark.parametrize("name", ["weight", "pos_weight"])
def test_binary_weights_must_fit_the_predictions(name):
    z, y = np.zeros((4, 3)), np.ones((4, 3))
    with pytest.raises(ValueError, match=rf"{name} has shape \(2,\), which does not fit the loss's shape \(4, 3\)"):
        lb.binary_cross_entropy(z, y, from_logits=True, **{name: [1.0, 2.0]})
    with pytest.raises(ValueError, match=rf"{name} has shape \(2, 4, 3\), which does not fit"):
        lb.binary_cross_entropy_grad(z, y, **{name: np.ones((2, 4, 3))})
    with pytest.raises(ValueError, match=rf"{name} must be finite and non-negative, got -1\.0 at index \(1,\)"):
        lb.binary_cross_entropy(z, y, from_logits=True, **{name: [1.0, -1.0, 1.0]})


@pytest.mark.parametrize("loss, args", [(lb.cross_entropy, ([[0.3, 0.7]], [0])),
                                        (lb.binary_cross_entropy, ([0.3], [1.0]))])
def test_from_logits_must_be_true_or_false(loss, args):
    """A string such as "no" would otherwise count as True and take probabilities for logits."""
    with pytest.raises(TypeError, match=r"from_logits must be True or False, got 'no'"):
        loss(*args, from_logits="no")
    assert loss(*args, from_logits=np.bool_(False)) == loss(*args, from_logits=False)
