"""softmax, log_softmax, logsumexp, sigmoid, log_sigmoid against 50-digit mpmath."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import lossbook as lb
from lossbook._numerics import BLOCK_ELEMENTS

PROPERTY = settings(max_examples=60, deadline=None)
SCALES = [1.0, 3.0, 10.0, 30.0, 100.0, 300.0]


def logit_rows(scale, seed, n=8, k=7):
    return np.random.default_rng(seed).standard_normal((n, k)) * scale


def finite_logits(max_abs=1e3, min_size=1, max_size=8):
    return arrays(
        np.float64,
        st.integers(min_size, max_size),
        elements=st.floats(-max_abs, max_abs, allow_nan=False, allow_infinity=False),
    )


@pytest.mark.parametrize("scale", SCALES)
def test_log_softmax_matches_mpmath_to_1e_12(scale, mp_ref):
    z = logit_rows(scale, seed=int(scale))
    expected = np.array([mp_ref.log_softmax(row) for row in z])
    assert mp_ref.relative_error(lb.log_softmax(z), expected) <= 1e-12


@pytest.mark.parametrize("scale", SCALES)
def test_softmax_matches_mpmath_to_1e_12(scale, mp_ref):
    z = logit_rows(scale, seed=100 + int(scale))
    expected = np.array([mp_ref.softmax(row) for row in z])
    normal = expected > 1e-290   # below this the result is subnormal and has fewer digits
    assert mp_ref.relative_error(lb.softmax(z)[normal], expected[normal]) <= 1e-12
    np.testing.assert_allclose(lb.softmax(z)[~normal], expected[~normal], rtol=0, atol=1e-290)


@pytest.mark.parametrize("scale", SCALES)
def test_logsumexp_matches_mpmath_to_1e_12(scale, mp_ref):
    z = logit_rows(scale, seed=200 + int(scale))
    expected = np.array([mp_ref.logsumexp(row) for row in z])
    assert mp_ref.relative_error(lb.logsumexp(z), expected) <= 1e-12


@PROPERTY
@given(z=finite_logits())
def test_log_softmax_property_matches_mpmath(z, mp_ref):
    assert mp_ref.relative_error(lb.log_softmax(z), mp_ref.log_softmax(z)) <= 1e-12


@PROPERTY
@given(finite_logits())
def test_softmax_sums_to_one(z):
    assert np.sum(lb.softmax(z)) == pytest.approx(1.0, abs=1e-14)


@PROPERTY
@given(finite_logits(max_abs=50.0), st.integers(-1000, 1000))
def test_softmax_is_shift_invariant(z, shift):
    # Adding an integer of up to 1000 rounds z + shift by at most 1.2e-13, so the
    # probabilities agree to that relative precision.
    np.testing.assert_allclose(lb.softmax(z + shift), lb.softmax(z), rtol=1e-12, atol=0)


def test_tiny_log_probability_survives_where_the_naive_formula_returns_zero(mp_ref):
    z = np.array([40.0, 0.0])
    naive = np.log(np.exp(z) / np.exp(z).sum())
    assert naive[0] == 0.0                      # the failure being avoided
    assert lb.log_softmax(z)[0] == pytest.approx(-4.248354255291589e-18, rel=1e-15)
    assert mp_ref.relative_error(lb.log_softmax(z), mp_ref.log_softmax(z)) <= 1e-15


@pytest.mark.parametrize(
    "z", [[1000.0, -1000.0], [-1000.0, -1000.0], [1000.0, 1000.0, 999.0], [-1000.0, 1000.0, 0.0]]
)
def test_extreme_logits_give_no_warning_and_exact_values(z, mp_ref):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert mp_ref.relative_error(lb.log_softmax(z), mp_ref.log_softmax(z)) <= 1e-15
        assert mp_ref.relative_error(lb.softmax(z), mp_ref.softmax(z)) <= 1e-15
        assert lb.logsumexp(z) == pytest.approx(mp_ref.logsumexp(z), rel=1e-15)


def test_seed_softmax_example_against_hand_and_mpmath(mp_ref):
    p = lb.softmax([5.0, 4.0, 2.0])
    np.testing.assert_allclose(p, [0.705, 0.259, 0.035], atol=5e-4)     # the worked numbers
    np.testing.assert_allclose(p, mp_ref.softmax([5.0, 4.0, 2.0]), rtol=1e-15)
    # The seed's [0.71, 0.26, 0.03] mis-rounds the last entry: 0.0351 rounds to 0.04.
    np.testing.assert_array_equal(p.round(2), [0.71, 0.26, 0.04])


def test_minus_inf_logit_is_a_class_with_probability_zero(mp_ref):
    z = np.array([[0.0, -np.inf, np.log(3.0)]])
    np.testing.assert_allclose(lb.softmax(z), [[0.25, 0.0, 0.75]], rtol=1e-15)
    assert lb.log_softmax(z)[0, 1] == -np.inf
    assert lb.logsumexp(z)[0] == pytest.approx(np.log(4.0), rel=1e-15)


def test_axis_argument_selects_the_class_axis():
    z = logit_rows(5.0, seed=7, n=4, k=3)
    np.testing.assert_array_equal(lb.softmax(z.T, axis=0), lb.softmax(z).T)
    np.testing.assert_array_equal(lb.log_softmax(z.T, axis=0), lb.log_softmax(z).T)
    np.testing.assert_array_equal(lb.logsumexp(z.T, axis=0), lb.logsumexp(z))


def test_batches_of_any_shape_equal_row_by_row():
    z = logit_rows(20.0, seed=8, n=6, k=5).reshape(2, 3, 5)
    for i in range(2):
        for j in range(3):
            np.testing.assert_array_equal(lb.log_softmax(z)[i, j], lb.log_softmax(z[i, j]))


def test_large_batch_crosses_block_boundaries(mp_ref):
    # More rows than one internal block holds, so row bookkeeping across blocks is exercised.
    per_block = BLOCK_ELEMENTS // 9
    z = logit_rows(30.0, seed=9, n=2 * per_block + 3, k=9)
    picks = [0, per_block - 1, per_block, 2 * per_block + 2]
    expected = np.array([mp_ref.logsumexp(z[i]) for i in picks])
    assert mp_ref.relative_error(lb.logsumexp(z)[picks], expected) <= 1e-12


def test_nan_in_a_later_block_is_reported_at_its_row():
    per_block = BLOCK_ELEMENTS // 4
    z = np.zeros((per_block + 2, 4))
    z[per_block + 1, 3] = np.nan
    with pytest.raises(ValueError, match=rf"z contains NaN \(first at index \({per_block + 1}, 3\)\)"):
        lb.softmax(z)


def test_single_class_has_probability_one():
    np.testing.assert_array_equal(lb.softmax([[3.0], [-2.0]]), [[1.0], [1.0]])


@pytest.mark.parametrize("x", [-1000.0, -745.0, -700.0, -40.0, -1.0, -1e-8, 0.0, 1e-8, 1.0, 40.0, 700.0, 1000.0])
def test_sigmoid_and_log_sigmoid_match_mpmath(x, mp_ref):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert lb.log_sigmoid(x) == pytest.approx(mp_ref.log_sigmoid(x), rel=1e-15, abs=0)
        expected = mp_ref.sigmoid(x)
        if expected > 1e-290:
            assert lb.sigmoid(x) == pytest.approx(expected, rel=1e-15)
        else:
            assert lb.sigmoid(x) == pytest.approx(expected, abs=1e-300)


@PROPERTY
@given(z=finite_logits(max_abs=800.0))
def test_log_sigmoid_property_matches_mpmath(z, mp_ref):
    expected = np.array([mp_ref.log_sigmoid(v) for v in z])
    assert mp_ref.relative_error(lb.log_sigmoid(z), expected) <= 1e-14


def test_sigmoid_limits_at_infinity():
    np.testing.assert_array_equal(lb.sigmoid([-np.inf, np.inf]), [0.0, 1.0])
    np.testing.assert_array_equal(lb.log_sigmoid([-np.inf, np.inf]), [-np.inf, 0.0])


def test_log_sigmoid_keeps_tiny_values_the_naive_route_rounds_to_zero():
    assert np.log(lb.sigmoid(40.0)) == 0.0
    assert lb.log_sigmoid(40.0) == pytest.approx(-4.248354255291589e-18, rel=1e-15)


@pytest.mark.parametrize("function", [lb.softmax, lb.log_softmax, lb.logsumexp])
def test_nan_is_refused_with_its_position(function):
    with pytest.raises(ValueError, match=r"z contains NaN \(first at index \(1, 2\)\)"):
        function([[0.0, 1.0, 2.0], [0.0, 1.0, np.nan]])


@pytest.mark.parametrize("function", [lb.sigmoid, lb.log_sigmoid])
def test_nan_is_refused_by_the_sigmoids(function):
    with pytest.raises(ValueError, match=r"z contains NaN \(first at index \(1,\)\)"):
        function([0.0, np.nan])


@pytest.mark.parametrize("row", [[np.inf, 0.0], [-np.inf, -np.inf]])
def test_row_without_finite_maximum_is_refused(row):
    with pytest.raises(ValueError, match=r"row 0 of z has maximum -?inf.*large finite values"):
        lb.softmax([row])


def test_scalar_is_refused_with_a_vector_suggested():
    with pytest.raises(ValueError, match=r"z is a single number \(3.0\).*\[2.0, 1.0, 0.1\]"):
        lb.softmax(3.0)


def test_empty_class_axis_is_refused():
    with pytest.raises(ValueError, match=r"z has no classes along axis -1 \(shape \(2, 0\)\)"):
        lb.log_softmax(np.zeros((2, 0)))


@pytest.mark.parametrize("function", [lb.softmax, lb.log_softmax, lb.logsumexp, lb.sigmoid, lb.log_sigmoid])
def test_text_is_refused_with_a_type_error(function):
    with pytest.raises(TypeError, match=r"z must hold real numbers, got an array of dtype <U1 \(\['a', 'b'\]\)"):
        function(["a", "b"])


def test_integer_and_float32_logits_are_promoted_to_float64():
    assert lb.softmax(np.array([1, 2], dtype=np.int64)).dtype == np.float64
    assert lb.log_softmax(np.array([1, 2], dtype=np.float32)).dtype == np.float64


@pytest.mark.parametrize("function", [lb.softmax, lb.log_softmax, lb.logsumexp, lb.entropy])
@pytest.mark.parametrize("axis,error,words", [
    (1.0, TypeError, r"^axis must be an integer, got 1\.0; .*usually axis=-1$"),
    (None, TypeError, r"^axis must be an integer, got None"),
    (True, TypeError, r"^axis must be an integer, got True"),
    (2, ValueError, r"^axis 2 is out of range for \w+ of shape \(1, 2\); pass an axis from -2 to 1"),
    (-3, ValueError, r"^axis -3 is out of range"),
])
def test_a_bad_axis_is_refused_with_the_range_to_use(function, axis, error, words):
    with pytest.raises(error, match=words):
        function([[0.5, 0.5]], axis=axis)
