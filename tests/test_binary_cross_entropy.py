"""binary_cross_entropy from probabilities and from logits, against mpmath."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lossbook as lb

PROPERTY = settings(max_examples=60, deadline=None)
SCALES = [1.0, 3.0, 10.0, 30.0, 100.0, 300.0]


@pytest.mark.parametrize("scale", SCALES)
def test_from_logits_matches_mpmath_hard_and_soft_labels(scale, mp_ref):
    rng = np.random.default_rng(int(scale))
    z = rng.standard_normal(40) * scale
    for y in (rng.integers(0, 2, 40).astype(float), rng.uniform(0, 1, 40)):
        expected = [mp_ref.bce_logits(a, b) for a, b in zip(z, y)]
        got = lb.binary_cross_entropy(z, y, from_logits=True, reduction="none")
        assert mp_ref.relative_error(got, expected) <= 1e-12


@PROPERTY
@given(x=st.floats(-1000, 1000), y=st.sampled_from([0.0, 1.0, 0.5, 0.8, 1e-9]))
def test_from_logits_property_matches_mpmath(x, y, mp_ref):
    got = lb.binary_cross_entropy([x], [y], from_logits=True)
    assert mp_ref.relative_error(got, mp_ref.bce_logits(x, y)) <= 1e-12


@PROPERTY
@given(p=st.floats(0.0, 1.0), y=st.sampled_from([0.0, 1.0, 0.3]))
def test_from_probabilities_matches_mpmath(p, y, mp_ref):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = lb.binary_cross_entropy([p], [y])
    assert mp_ref.relative_error(got, -mp_ref.bernoulli_log(p, y)) <= 1e-14


def test_tiny_loss_at_logit_40_and_no_warning_at_plus_minus_1000(mp_ref):
    z = np.array([40.0, 1000.0, -1000.0, 1000.0, -1000.0])
    y = np.array([1.0, 1.0, 0.0, 0.0, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = lb.binary_cross_entropy(z, y, from_logits=True, reduction="none")
    assert -np.log(lb.sigmoid(40.0)) == 0.0                     # the naive route loses it
    assert got[0] == pytest.approx(4.248354255291589e-18, rel=1e-15)
    np.testing.assert_array_equal(got[1:], [0.0, 0.0, 1000.0, 1000.0])


def test_is_two_class_cross_entropy_with_the_probability_of_class_1(mp_ref):
    p = np.array([0.9, 0.2, 0.5, 1e-12])
    y = np.array([1, 0, 1, 1])
    two_class = lb.cross_entropy(np.stack([1 - p, p], axis=1), y, reduction="none")
    np.testing.assert_allclose(lb.binary_cross_entropy(p, y, reduction="none"), two_class, rtol=1e-15)


def test_seed_worked_numbers(mp_ref):
    # -ln 0.01 = 4.6: the loss is not bounded by 1.
    assert round(float(lb.binary_cross_entropy([0.01], [1.0])), 1) == 4.6
    assert lb.binary_cross_entropy([0.9], [1.0]) == pytest.approx(-mp_ref.bernoulli_log(0.9, 1.0), rel=1e-15)


def test_confident_mistake_is_inf_without_eps_and_minus_log_eps_with_it():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert lb.binary_cross_entropy([1.0, 0.0], [0.0, 1.0], reduction="none").tolist() == [np.inf, np.inf]
    np.testing.assert_allclose(
        lb.binary_cross_entropy([1.0, 0.0], [0.0, 1.0], eps=1e-7, reduction="none"), -np.log(1e-7), rtol=1e-9)
    loss = lb.binary_cross_entropy([1.0, 0.0], [1.0, 0.0])
    assert loss == 0.0 and not np.signbit(loss)


def test_base_and_reductions():
    p, y = np.array([0.5, 0.25]), np.array([1.0, 0.0])
    np.testing.assert_allclose(lb.binary_cross_entropy(p, y, base=2, reduction="none"), [1.0, np.log2(4 / 3)], rtol=1e-15)
    assert lb.binary_cross_entropy(p, y, reduction="sum") == pytest.approx(np.log(2) + np.log(4 / 3), rel=1e-15)
    assert lb.binary_cross_entropy(p, y) == pytest.approx((np.log(2) + np.log(4 / 3)) / 2, rel=1e-15)
    assert lb.binary_cross_entropy(np.full((2, 3), 0.5), np.ones((2, 3)), reduction="none").shape == (2, 3)


def test_target_outside_unit_interval():
    with pytest.raises(ValueError, match=r"y_true must lie in \[0, 1\], got 2\.0 at index \(1,\).*soft label"):
        lb.binary_cross_entropy([0.5, 0.5], [1.0, 2.0])


def test_probability_outside_unit_interval_suggests_logits():
    with pytest.raises(ValueError, match=r"y_pred must lie in \[0, 1\], got 3\.0 at index \(0,\).*from_logits=True"):
        lb.binary_cross_entropy([3.0], [1.0])


def test_mismatched_shapes():
    with pytest.raises(ValueError, match=r"y_pred has shape \(3,\) but y_true has shape \(2,\); pass one target per prediction"):
        lb.binary_cross_entropy([0.5, 0.5, 0.5], [1.0, 0.0])


def test_nan():
    with pytest.raises(ValueError, match=r"y_pred contains NaN \(first at index \(0,\)\)"):
        lb.binary_cross_entropy([np.nan], [1.0], from_logits=True)


def test_empty_batch():
    with pytest.raises(ValueError, match=r"y_pred is empty \(shape \(0,\)\)"):
        lb.binary_cross_entropy([], [])


def test_unknown_reduction():
    with pytest.raises(ValueError, match=r"got 'max'"):
        lb.binary_cross_entropy([0.5], [1.0], reduction="max")


def test_eps_with_logits_is_refused():
    with pytest.raises(ValueError, match=r"drop eps"):
        lb.binary_cross_entropy([0.5], [1.0], from_logits=True, eps=1e-7)


def test_string_labels():
    with pytest.raises(TypeError, match=r"y_true must hold real numbers, got an array of dtype <U3"):
        lb.binary_cross_entropy([0.5], ["yes"])
