"""cross_entropy: accuracy against mpmath, the worked numbers of the course, and bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import lossbook as lb
from strategies import distribution
from lossbook._numerics import BLOCK_ELEMENTS

PROPERTY = settings(max_examples=60, deadline=None)
SCALES = [1.0, 3.0, 10.0, 30.0, 100.0, 300.0]

SEED_BATCH = np.array([[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]])
SEED_LABELS = np.array([0, 1, 1])


def random_problem(scale, seed, n=16, k=10):
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, k)) * scale
    labels = rng.integers(0, k, n)
    soft = rng.dirichlet(np.full(k, 0.5), n)
    return z, labels, soft


@st.composite
def logits_and_label(draw, max_abs=300.0):
    k = draw(st.integers(1, 8))
    z = draw(arrays(np.float64, k, elements=st.floats(-max_abs, max_abs, allow_nan=False)))
    return z, draw(st.integers(0, k - 1))


@st.composite
def distribution_pair(draw):
    k = draw(st.integers(1, 6))
    return draw(distribution(k)), draw(distribution(k, min_value=1e-3))


# ---------------------------------------------------------------- accuracy against mpmath


@pytest.mark.parametrize("scale", SCALES)
def test_index_targets_from_logits_match_mpmath_to_1e_12(scale, mp_ref):
    z, labels, _ = random_problem(scale, seed=int(scale))
    expected = [mp_ref.cross_entropy_logits(row, t) for row, t in zip(z, labels)]
    got = lb.cross_entropy(z, labels, from_logits=True, reduction="none")
    assert mp_ref.relative_error(got, expected) <= 1e-12


@pytest.mark.parametrize("scale", SCALES)
def test_true_class_is_the_maximum_small_losses_match_mpmath(scale, mp_ref):
    # Labels chosen as the argmax: the regime where losses are small and cancellation bites.
    z, _, _ = random_problem(scale, seed=50 + int(scale))
    labels = np.argmax(z, axis=1)
    expected = [mp_ref.cross_entropy_logits(row, t) for row, t in zip(z, labels)]
    got = lb.cross_entropy(z, labels, from_logits=True, reduction="none")
    assert mp_ref.relative_error(got, expected) <= 1e-12


@pytest.mark.parametrize("scale", SCALES)
def test_soft_targets_from_logits_match_mpmath_to_1e_12(scale, mp_ref):
    z, _, soft = random_problem(scale, seed=100 + int(scale))
    expected = [mp_ref.cross_entropy_logits(row, y) for row, y in zip(z, soft)]
    got = lb.cross_entropy(z, soft, from_logits=True, reduction="none")
    assert mp_ref.relative_error(got, expected) <= 1e-12


@PROPERTY
@given(problem=logits_and_label())
def test_from_logits_property_matches_mpmath(problem, mp_ref):
    z, label = problem
    got = lb.cross_entropy(z[None, :], [label], from_logits=True)
    assert mp_ref.relative_error(got, mp_ref.cross_entropy_logits(z, label)) <= 1e-12


@pytest.mark.parametrize("scale", SCALES)
def test_probabilities_match_mpmath(scale, mp_ref):
    z, labels, soft = random_problem(scale, seed=200 + int(scale))
    p = lb.softmax(z)
    index_expected = [mp_ref.cross_entropy_probs(row, t) for row, t in zip(p, labels)]
    soft_expected = [mp_ref.cross_entropy_probs(row, y) for row, y in zip(p, soft)]
    finite = np.isfinite(index_expected)
    got_index = lb.cross_entropy(p, labels, reduction="none")
    assert mp_ref.relative_error(got_index[finite], np.array(index_expected)[finite]) <= 1e-14
    assert mp_ref.relative_error(lb.cross_entropy(p, soft, reduction="none"), soft_expected) <= 1e-13


def test_tiny_loss_regime_is_kept_where_the_naive_formula_returns_zero(mp_ref):
    z = np.array([[40.0, 0.0]])
    naive = -np.log(np.exp(z) / np.exp(z).sum(axis=1, keepdims=True))[0, 0]
    assert naive == 0.0                                              # the failure avoided
    expected = mp_ref.cross_entropy_logits(z[0], 0)
    assert expected == pytest.approx(4.25e-18, rel=1e-3)
    assert mp_ref.relative_error(lb.cross_entropy(z, [0], from_logits=True), expected) <= 1e-12
    assert mp_ref.relative_error(lb.cross_entropy(z, [[1.0, 0.0]], from_logits=True), expected) <= 1e-12


@pytest.mark.parametrize("gap", [20.0, 37.0, 40.0, 100.0, 700.0, 745.0])
def test_tiny_losses_at_every_gap_match_mpmath(gap, mp_ref):
    z = np.array([[gap, 0.0, -1.0], [gap + 5.0, 5.0, 4.0]])
    expected = [mp_ref.cross_entropy_logits(row, 0) for row in z]
    assert mp_ref.relative_error(lb.cross_entropy(z, [0, 0], from_logits=True, reduction="none"), expected) <= 1e-12


@pytest.mark.parametrize("target", [0, 1])
def test_logits_of_plus_minus_1000_give_no_warning(target, mp_ref):
    z = np.array([[1000.0, -1000.0], [-1000.0, 1000.0], [1000.0, 1000.0]])
    labels = np.full(3, target)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = lb.cross_entropy(z, labels, from_logits=True, reduction="none")
        soft = lb.cross_entropy(z, lb.one_hot(labels, 2), from_logits=True, reduction="none")
    expected = [mp_ref.cross_entropy_logits(row, target) for row in z]
    assert mp_ref.relative_error(got, expected) <= 1e-15
    assert mp_ref.relative_error(soft, expected) <= 1e-15


def test_minus_inf_logit_on_the_true_class_is_an_infinite_loss():
    z = np.array([[0.0, -np.inf], [0.0, -np.inf]])
    np.testing.assert_array_equal(lb.cross_entropy(z, [1, 0], from_logits=True, reduction="none"), [np.inf, 0.0])
    # A ruled-out class with target weight 0 contributes nothing (0 * inf = 0).
    assert lb.cross_entropy(z[:1], [[1.0, 0.0]], from_logits=True) == 0.0


def test_large_batches_span_several_blocks(mp_ref):
    k = 11
    per_block = BLOCK_ELEMENTS // k
    z, labels, _ = random_problem(10.0, seed=3, n=2 * per_block + 5, k=k)
    z[per_block, 0] = 900.0                      # one row in the second block needs the shifted route
    picks = [0, per_block - 1, per_block, per_block + 1, 2 * per_block + 4]
    expected = [mp_ref.cross_entropy_logits(z[i], labels[i]) for i in picks]
    got = lb.cross_entropy(z, labels, from_logits=True, reduction="none")[picks]
    assert mp_ref.relative_error(got, expected) <= 1e-12


@pytest.mark.parametrize("order", ["extreme first", "ordinary first"])
def test_blocks_of_extreme_and_ordinary_logits_in_either_order(order, mp_ref):
    # Whole blocks of logits of scale 1000 (every row on the shifted kernel) next to whole
    # blocks of ordinary ones: each block must be right whichever route it takes.
    k = 7
    per_block = BLOCK_ELEMENTS // k
    rng = np.random.default_rng(21)
    scales = np.repeat([1000.0, 3.0, 1000.0] if order == "extreme first" else [3.0, 1000.0, 3.0], per_block)
    z = rng.standard_normal((3 * per_block, k)) * scales[:, None]
    labels = rng.integers(0, k, len(z))
    picks = [0, per_block - 1, per_block, 2 * per_block - 1, 2 * per_block, 3 * per_block - 1]
    expected = [mp_ref.cross_entropy_logits(z[i], labels[i]) for i in picks]
    got = lb.cross_entropy(z, labels, from_logits=True, reduction="none")
    assert mp_ref.relative_error(got[picks], expected) <= 1e-12
    z[2 * per_block + 3, 4] = np.nan
    with pytest.raises(ValueError, match=rf"y_pred contains NaN \(first at index \({2 * per_block + 3}, 4\)\)"):
        lb.cross_entropy(z, labels, from_logits=True)


@pytest.mark.parametrize(
    "row, label",
    [
        ([710.0, 705.0, 0.0], 0),        # exp(z_t) overflows
        ([700.0, 709.0, 709.5], 0),      # the other terms overflow
        ([-600.0, -1300.0], 0),          # the only other term underflows, yet the loss is 1e-305
        ([-750.0, -760.0, -751.0], 2),   # every exponential is subnormal or zero
        ([-700.0, 700.0], 0),            # b / a overflows
        ([3.0], 0),                      # a single class: loss exactly 0
    ],
)
def test_rows_outside_the_single_pass_range_are_recomputed_exactly(row, label, mp_ref):
    z = np.array([[1.0, 2.0, 3.0][: len(row)], row])            # one ordinary row alongside
    labels = np.array([0, label])
    expected = [mp_ref.cross_entropy_logits(r, t) for r, t in zip(z, labels)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = lb.cross_entropy(z, labels, from_logits=True, reduction="none")
    assert mp_ref.relative_error(got, expected) <= 1e-12


@PROPERTY
@given(problem=logits_and_label(max_abs=1000.0))
def test_from_logits_property_matches_mpmath_up_to_1000(problem, mp_ref):
    z, label = problem
    got = lb.cross_entropy(z[None, :], [label], from_logits=True)
    assert mp_ref.relative_error(got, mp_ref.cross_entropy_logits(z, label)) <= 1e-12


def test_nan_is_reported_at_its_row_in_a_large_batch():
    z = np.zeros((10, 3))
    z[7, 2] = np.nan
    with pytest.raises(ValueError, match=r"y_pred contains NaN \(first at index \(7, 2\)\)"):
        lb.cross_entropy(z, np.zeros(10, dtype=int), from_logits=True)


# ---------------------------------------------------------------- the course's worked numbers


def test_seed_confident_tiger_is_0_152_bits_or_0_105_nats(mp_ref):
    pred = np.array([[0.9, 0.1]])
    bits = lb.cross_entropy(pred, [0], base=2)
    nats = lb.cross_entropy(pred, [0])
    assert round(float(bits), 3) == 0.152 and round(float(nats), 3) == 0.105   # hand values
    assert nats == pytest.approx(mp_ref.cross_entropy_probs([0.9, 0.1], 0), rel=1e-15)
    assert bits == pytest.approx(nats / np.log(2), rel=1e-15)


def test_seed_one_hot_example_is_0_357(mp_ref):
    loss = lb.cross_entropy([[0.7, 0.1, 0.2]], [[1, 0, 0]])
    assert round(float(loss), 3) == 0.357
    assert loss == pytest.approx(mp_ref.cross_entropy_probs([0.7, 0.1, 0.2], 0), rel=1e-15)


def test_seed_batch_mean_is_0_385_for_index_and_one_hot_targets(mp_ref):
    per_example = [mp_ref.cross_entropy_probs(row, t) for row, t in zip(SEED_BATCH, SEED_LABELS)]
    for targets in (SEED_LABELS, lb.one_hot(SEED_LABELS, 3)):
        mean = lb.cross_entropy(SEED_BATCH, targets)
        assert round(float(mean), 3) == 0.385
        assert mean == pytest.approx(np.mean(per_example), rel=1e-15)
        np.testing.assert_allclose(lb.cross_entropy(SEED_BATCH, targets, reduction="none"), per_example, rtol=1e-15)
        assert lb.cross_entropy(SEED_BATCH, targets, reduction="sum") == pytest.approx(sum(per_example), rel=1e-15)


def test_seed_softmax_logits_loss_equals_minus_log_of_its_probability(mp_ref):
    z = np.array([[5.0, 4.0, 2.0]])
    loss = lb.cross_entropy(z, [0], from_logits=True)
    assert round(float(np.exp(-loss)), 3) == 0.705
    assert loss == pytest.approx(mp_ref.cross_entropy_logits(z[0], 0), rel=1e-15)


# ---------------------------------------------------------------- options


def test_exact_zero_probability_gives_inf_without_eps_and_minus_log_eps_with_it():
    pred = np.array([[0.0, 1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert lb.cross_entropy(pred, [0]) == np.inf
        assert lb.cross_entropy(pred, [[1.0, 0.0]]) == np.inf
    assert lb.cross_entropy(pred, [0], eps=1e-7) == pytest.approx(-np.log(1e-7), rel=1e-15)
    # A probability of exactly 1 stays at zero loss, and the sign is +0.0.
    loss = lb.cross_entropy(pred, [1])
    assert loss == 0.0 and not np.signbit(loss)


def test_eps_leaves_probabilities_above_it_untouched():
    pred = np.array([[0.3, 0.7]])
    assert lb.cross_entropy(pred, [0], eps=1e-3) == lb.cross_entropy(pred, [0])


@pytest.mark.parametrize("base", [2, 10, np.e, 0.5])
def test_base_converts_nats(base):
    pred = SEED_BATCH
    assert lb.cross_entropy(pred, SEED_LABELS, base=base) == pytest.approx(
        lb.cross_entropy(pred, SEED_LABELS) / np.log(base), rel=1e-15)


def test_reductions_relate_as_sum_mean_and_per_example():
    z, labels, _ = random_problem(4.0, seed=11)
    per = lb.cross_entropy(z, labels, from_logits=True, reduction="none")
    assert per.shape == (16,)
    assert lb.cross_entropy(z, labels, from_logits=True, reduction="sum") == pytest.approx(per.sum(), rel=1e-15)
    assert lb.cross_entropy(z, labels, from_logits=True) == pytest.approx(per.mean(), rel=1e-15)


def test_leading_batch_dimensions_are_flattened_consistently():
    z, labels, soft = random_problem(4.0, seed=12, n=12, k=5)
    per = lb.cross_entropy(z, labels, from_logits=True, reduction="none")
    per3 = lb.cross_entropy(z.reshape(3, 4, 5), labels.reshape(3, 4), from_logits=True, reduction="none")
    np.testing.assert_array_equal(per3, per.reshape(3, 4))
    soft3 = lb.cross_entropy(z.reshape(3, 4, 5), soft.reshape(3, 4, 5), from_logits=True, reduction="none")
    np.testing.assert_array_equal(soft3, lb.cross_entropy(z, soft, from_logits=True, reduction="none").reshape(3, 4))


def test_single_example_as_a_vector():
    assert lb.cross_entropy([0.25, 0.75], 1) == pytest.approx(-np.log(0.75), rel=1e-15)
    assert lb.cross_entropy([1 / 3, 1 / 3, 1 / 3], [0.5, 0.25, 0.25], base=2) == pytest.approx(np.log2(3), rel=1e-15)


def test_rows_within_1e_6_of_one_are_used_as_given_not_renormalised(mp_ref):
    pred = np.array([[0.6 + 5e-7, 0.4]])           # sums to 1 + 5e-7: accepted
    assert lb.cross_entropy(pred, [0]) == pytest.approx(mp_ref.cross_entropy_probs(pred[0], 0), rel=1e-15)
    with pytest.raises(ValueError, match=r"row 0 sums to 1\.000002.*from_logits=True"):
        lb.cross_entropy(np.array([[0.6 + 2e-6, 0.4]]), [0])


def test_whole_number_float_labels_are_accepted():
    assert lb.cross_entropy(SEED_BATCH, SEED_LABELS.astype(float)) == lb.cross_entropy(SEED_BATCH, SEED_LABELS)


# ---------------------------------------------------------------- information-theoretic properties


@PROPERTY
@given(pair=distribution_pair())
def test_cross_entropy_is_at_least_the_entropy(pair):
    p, q = pair
    assert lb.cross_entropy(q, p) >= lb.entropy(p) - 1e-12


@PROPERTY
@given(pair=distribution_pair())
def test_cross_entropy_is_entropy_plus_kl_in_mpmath(pair, mp_ref):
    p, q = pair
    reference = mp_ref.entropy(p) + mp_ref.kl(p, q)
    assert lb.cross_entropy(q, p) == pytest.approx(reference, rel=1e-12, abs=1e-15)
    assert lb.cross_entropy(q, p) == pytest.approx(lb.entropy(p) + lb.kl_divergence(p, q), rel=1e-12, abs=1e-15)


def test_seed_entropy_example_cross_entropy_splits_into_h_and_kl(mp_ref):
    p = np.array([0.5, 0.25, 0.25])
    q = np.full(3, 1 / 3)
    ce = lb.cross_entropy(q, p, base=2)
    assert lb.entropy(p, base=2) == 1.5
    assert ce == pytest.approx((mp_ref.entropy(p) + mp_ref.kl(p, q)) / np.log(2), rel=1e-14)
    assert round(float(ce - 1.5), 3) == 0.085                        # hand value: log2 3 - 1.5


# ---------------------------------------------------------------- bad input, one test each


def test_label_out_of_range():
    with pytest.raises(ValueError, match=r"class index 3 but there are only 3 classes \(valid indices 0\.\.2\)"):
        lb.cross_entropy(SEED_BATCH, [0, 1, 3])


def test_negative_label():
    with pytest.raises(ValueError, match=r"non-negative class indices, got -1; labels count classes from 0"):
        lb.cross_entropy(SEED_BATCH, [0, -1, 1])


def test_fractional_label():
    with pytest.raises(ValueError, match=r"whole-number class indices, got 0\.5 at index \(1,\).*soft targets"):
        lb.cross_entropy(SEED_BATCH, [0, 0.5, 1])


def test_string_labels():
    with pytest.raises(TypeError, match=r"integer class indices, got an array of dtype <U5 \(\['tiger', 'lion', 'lion'\]\).*0, 1, 2"):
        lb.cross_entropy(SEED_BATCH, ["tiger", "lion", "lion"])


def test_rows_that_do_not_sum_to_one_suggest_from_logits():
    with pytest.raises(ValueError, match=r"row 1 sums to 0\.9.*from_logits=True"):
        lb.cross_entropy([[0.5, 0.5], [0.5, 0.4]], [0, 1])


def test_negative_probability():
    with pytest.raises(ValueError, match=r"y_pred must lie in \[0, 1\], got -0\.1 at index \(0, 2\).*from_logits=True"):
        lb.cross_entropy([[0.6, 0.5, -0.1]], [0])


def test_soft_target_rows_must_sum_to_one():
    with pytest.raises(ValueError, match=r"each row of y_true must sum to 1.*row 0 sums to 0\.5"):
        lb.cross_entropy([[0.5, 0.5]], [[0.25, 0.25]])


@pytest.mark.parametrize("from_logits", [False, True])
def test_nan_prediction(from_logits):
    with pytest.raises(ValueError, match=r"y_pred contains NaN \(first at index \(1, 0\)\)"):
        lb.cross_entropy([[0.5, 0.5], [np.nan, 0.5]], [0, 1], from_logits=from_logits)


def test_nan_target():
    with pytest.raises(ValueError, match=r"y_true contains NaN"):
        lb.cross_entropy([[0.5, 0.5]], [[np.nan, 0.5]])


def test_mismatched_batch_size():
    with pytest.raises(ValueError, match=r"y_true has shape \(2,\) but y_pred has shape \(3, 3\).*shape \(3,\).*shape \(3, 3\)"):
        lb.cross_entropy(SEED_BATCH, [0, 1])


def test_mismatched_number_of_classes():
    with pytest.raises(ValueError, match=r"y_true has shape \(3, 4\) but y_pred has shape \(3, 3\) \(3 classes\)"):
        lb.cross_entropy(SEED_BATCH, np.eye(4)[:3])


def test_empty_batch():
    with pytest.raises(ValueError, match=r"y_pred is empty \(shape \(0, 3\)\); pass at least one example"):
        lb.cross_entropy(np.zeros((0, 3)), np.zeros(0, dtype=int))


def test_scalar_prediction():
    with pytest.raises(ValueError, match=r"y_pred is a single number \(0\.9\) but needs a class axis"):
        lb.cross_entropy(0.9, 0)


def test_unknown_reduction():
    with pytest.raises(ValueError, match=r"reduction must be one of 'mean', 'sum' or 'none', got 'average'"):
        lb.cross_entropy(SEED_BATCH, SEED_LABELS, reduction="average")


@pytest.mark.parametrize("base", [0, -2, 1, 1.0, np.inf])
def test_invalid_base(base):
    with pytest.raises(ValueError, match=r"base must be positive and different from 1, got .*base=2 for bits"):
        lb.cross_entropy(SEED_BATCH, SEED_LABELS, base=base)


def test_non_numeric_base():
    with pytest.raises(TypeError, match=r"base must be a real number such as 2 \(bits\) or None \(nats\), got 'bits'"):
        lb.cross_entropy(SEED_BATCH, SEED_LABELS, base="bits")


@pytest.mark.parametrize("eps", [0, -1e-7, 0.5, 2])
def test_invalid_eps(eps):
    with pytest.raises(ValueError, match=r"eps must lie strictly between 0 and 0\.5, got .*eps=1e-7"):
        lb.cross_entropy(SEED_BATCH, SEED_LABELS, eps=eps)


def test_eps_with_logits_is_refused():
    with pytest.raises(ValueError, match=r"eps=1e-07 clips probabilities, but from_logits=True.*drop eps"):
        lb.cross_entropy(SEED_BATCH, SEED_LABELS, from_logits=True, eps=1e-7)


def test_infinite_maximum_logit_is_refused():
    with pytest.raises(ValueError, match=r"row 0 of y_pred has maximum inf"):
        lb.cross_entropy([[np.inf, 0.0]], [0], from_logits=True)


def test_a_huge_float_label_is_named_as_given_not_as_a_wrapped_integer():
    with pytest.raises(ValueError, match=r"class index 100000000000000000000 but there are only 2 classes"):
        lb.cross_entropy([[1.0, 2.0]], [1e20], from_logits=True)
    with pytest.raises(ValueError, match=r"class index 18446744073709551615 but there are only 2 classes"):
        lb.cross_entropy([[1.0, 2.0]], np.array([2**64 - 1], dtype=np.uint64), from_logits=True)
