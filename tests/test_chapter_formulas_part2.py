"""Every formula stated in the chapters Bernoulli likelihood and binary cross-entropy, Softmax and
its gradient, and Training a softmax classifier from scratch, checked numerically against a
reference that does not share lossbook's code: mpmath at 50 significant digits (values and
derivatives), scipy.special and scipy.stats, central differences written here, or values worked
out by hand.

Each test is named after the label of the equation it checks (``eq-smx-grad`` is checked by
``test_eq_smx_grad_...``); tests/test_equation_coverage.py makes sure no labelled equation is left
without one.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import scipy.optimize
import scipy.special
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

import lossbook as lb

DIGITS = 50
SETTINGS = settings(max_examples=60, deadline=None)


# --- independent references -------------------------------------------------------------------


def mp(value) -> mpmath.mpf:
    """An mpmath number, keeping mpf arguments as they are (mpmath.diff perturbs them)."""
    return value if isinstance(value, mpmath.mpf) else mpmath.mpf(float(value))


def mp_softplus(z) -> mpmath.mpf:
    """ln(1 + e^z) at the working precision; log1p keeps e^z accurate when it is tiny."""
    return mpmath.log1p(mpmath.exp(mp(z)))


def mp_sigmoid(z) -> mpmath.mpf:
    return 1 / (1 + mpmath.exp(-mp(z)))


def mp_log_float(x: float) -> float:
    with mpmath.workdps(DIGITS):
        return float(mpmath.log(mpmath.mpf(x)))


def mp_bce_prob(p: float, y: float) -> float:
    """-[y ln p + (1 - y) ln(1 - p)] for one example, at DIGITS digits."""
    with mpmath.workdps(DIGITS):
        p, y = mpmath.mpf(p), mpmath.mpf(y)
        total = mpmath.mpf(0)
        if y != 0:
            total -= y * mpmath.log(p)
        if y != 1:
            total -= (1 - y) * mpmath.log(1 - p)
        return float(total)


def mp_bce_logit(z: float, y: float) -> float:
    """-[y ln sigma(z) + (1 - y) ln(1 - sigma(z))], with the probabilities formed first, at 500
    digits: enough to resolve 1 + e^-1000 and so to keep every logit up to 1000 accurate."""
    with mpmath.workdps(500):
        s = mp_sigmoid(z)
        y = mpmath.mpf(y)
        return float(-(y * mpmath.log(s) + (1 - y) * mpmath.log(1 - s)))


def mp_softmax(z) -> list[mpmath.mpf]:
    exps = [mpmath.exp(mp(v)) for v in z]
    total = mpmath.fsum(exps)
    return [e / total for e in exps]


def mp_lse(z) -> mpmath.mpf:
    return mpmath.log(mpmath.fsum(mpmath.exp(mp(v)) for v in z))


def mp_ce_logits(z, y) -> mpmath.mpf:
    """-sum_k y_k ln softmax(z)_k, forming the probabilities first (the definition)."""
    probs = mp_softmax(z)
    return -mpmath.fsum(mpmath.mpf(float(yk)) * mpmath.log(pk) for yk, pk in zip(y, probs) if yk != 0)


def mp_gradient(f, x) -> np.ndarray:
    """Partial derivatives of f (a function of a list of mpf) at x, by mpmath's differentiation."""
    x = [mp(v) for v in x]
    grad = []
    for i in range(len(x)):
        def along(t, i=i):
            shifted = list(x)
            shifted[i] = t
            return f(shifted)
        grad.append(float(mpmath.diff(along, x[i])))
    return np.array(grad)


def central_differences(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central-difference gradient of a scalar function of an array, written independently."""
    grad = np.zeros_like(x, dtype=float)
    for index in np.ndindex(x.shape):
        up, down = x.astype(float), x.astype(float)
        up[index] += h
        down[index] -= h
        grad[index] = (f(up) - f(down)) / (2 * h)
    return grad


@st.composite
def logit_vectors(draw, min_size: int = 2, max_size: int = 6, bound: float = 30.0):
    k = draw(st.integers(min_size, max_size))
    return np.array(draw(st.lists(st.floats(-bound, bound), min_size=k, max_size=k)))


@st.composite
def logits_and_soft_target(draw):
    z = draw(logit_vectors())
    weights = np.array(draw(st.lists(st.floats(0.0, 1.0), min_size=len(z), max_size=len(z))))
    weights[draw(st.integers(0, len(z) - 1))] += 0.1          # never all zero
    return z, weights / weights.sum()


def chapter_bernoulli_data():
    """The chapter's dataset of 10,000 labels, rebuilt from its recipe."""
    rng = np.random.default_rng(seed=2026)
    logits = rng.normal(loc=0.0, scale=2.5, size=10_000)
    p = scipy.special.expit(logits)
    y = (rng.random(10_000) < p).astype(float)
    return p, y


# --- Bernoulli likelihood and binary cross-entropy ----------------------------------------------


def test_eq_bern_pmf_worked_values():
    np.testing.assert_allclose(lb.bernoulli_likelihood(np.array([0.7, 0.7]), np.array([1.0, 0.0])),
                               [0.7, 0.3], rtol=1e-15)


@SETTINGS
@given(st.floats(0.0, 1.0), st.sampled_from([0.0, 1.0]))
def test_eq_bern_pmf_is_p_for_a_one_and_one_minus_p_for_a_zero(p, y):
    with mpmath.workdps(DIGITS):
        expected = float(mpmath.mpf(p) ** int(y) * (1 - mpmath.mpf(p)) ** (1 - int(y)))
    assert lb.bernoulli_likelihood(np.array([p]), np.array([y]))[0] == pytest.approx(expected, rel=1e-15, abs=1e-300)
    if 1e-6 <= p <= 1 - 1e-6:
        assert expected == pytest.approx(scipy.stats.bernoulli.pmf(int(y), p), rel=1e-12)


def test_eq_bern_product_of_the_five_labels_by_hand():
    y = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
    p = np.array([0.9, 0.2, 0.7, 0.6, 0.1])
    # The probability of each true label is 0.9, 0.8, 0.7, 0.6, 0.9; multiplied by hand: 0.27216.
    assert np.prod(lb.bernoulli_likelihood(p, y)) == pytest.approx(0.27216, rel=1e-14)


def test_eq_bern_product_underflows_although_it_is_positive():
    """The chapter's 10,000 labels: mpmath holds the product, float64 rounds it to 0.0."""
    p, y = chapter_bernoulli_data()
    with mpmath.workdps(DIGITS):
        exact = mpmath.fprod(mpmath.mpf(pi) if yi == 1 else 1 - mpmath.mpf(pi) for pi, yi in zip(p, y))
        assert 0 < exact < mpmath.mpf(float(np.finfo(np.float64).smallest_subnormal))
    assert np.prod(lb.bernoulli_likelihood(p, y)) == 0.0


def test_eq_bern_product_of_constant_factors_leaves_full_precision_where_logarithms_predict():
    """The exercise: 0.9 ** N falls below the smallest normal float64 at the N that logarithms
    predict, and its log, N ln 0.9, is an ordinary number there."""
    tiny = mpmath.mpf(float(np.finfo(np.float64).tiny))
    with mpmath.workdps(DIGITS):
        n_exact = int(mpmath.floor(mpmath.log(tiny) / mpmath.log(mpmath.mpf("0.9")))) + 1
        assert mpmath.mpf("0.9") ** n_exact < tiny <= mpmath.mpf("0.9") ** (n_exact - 1)
    running = np.cumprod(lb.bernoulli_likelihood(np.full(10_000, 0.9), np.ones(10_000)))
    observed = int(np.argmax(running < np.finfo(np.float64).tiny)) + 1
    assert abs(observed - n_exact) <= 1
    assert lb.bernoulli_log_likelihood(np.full(n_exact, 0.9), np.ones(n_exact)).sum() == pytest.approx(
        n_exact * mp_log_float(0.9), rel=1e-12)


def test_eq_bern_loglik_is_the_log_of_the_exact_product():
    p, y = chapter_bernoulli_data()
    with mpmath.workdps(DIGITS):
        exact = mpmath.fprod(mpmath.mpf(pi) if yi == 1 else 1 - mpmath.mpf(pi) for pi, yi in zip(p, y))
        reference = float(mpmath.log(exact))
    assert lb.bernoulli_log_likelihood(p, y).sum() == pytest.approx(reference, rel=1e-11)


@SETTINGS
@given(st.lists(st.tuples(st.floats(1e-6, 1 - 1e-6), st.sampled_from([0.0, 1.0])), min_size=1, max_size=20))
def test_eq_bern_loglik_matches_scipy_logpmf(pairs):
    p = np.array([pair[0] for pair in pairs])
    y = np.array([pair[1] for pair in pairs])
    reference = scipy.stats.bernoulli.logpmf(y.astype(int), p).sum()
    assert lb.bernoulli_log_likelihood(p, y).sum() == pytest.approx(reference, rel=1e-12, abs=1e-12)
    assert lb.bernoulli_log_likelihood(p, y, base=2).sum() == pytest.approx(reference / np.log(2), rel=1e-12, abs=1e-12)


@SETTINGS
@given(st.lists(st.tuples(st.floats(1e-6, 1 - 1e-6), st.floats(0.0, 1.0)), min_size=1, max_size=20))
def test_eq_bern_bce_is_the_negative_mean_log_likelihood(pairs):
    p = np.array([pair[0] for pair in pairs])
    y = np.array([pair[1] for pair in pairs])
    reference = np.mean([mp_bce_prob(pi, yi) for pi, yi in pairs])
    assert lb.binary_cross_entropy(p, y) == pytest.approx(reference, rel=1e-12, abs=1e-15)
    assert lb.binary_cross_entropy(p, y, reduction="sum") == pytest.approx(reference * len(pairs), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("y", [0.3, 0.8])
def test_eq_bern_bce_is_smallest_at_p_equal_to_y_where_it_is_the_label_entropy(y):
    """Soft labels, and the constant-prediction exercise (30 positives in 100 is y = 0.3)."""
    result = scipy.optimize.minimize_scalar(lambda p: mp_bce_prob(p, y), bounds=(1e-9, 1 - 1e-9),
                                            method="bounded", options={"xatol": 1e-10})
    assert result.x == pytest.approx(y, abs=1e-6)
    assert result.fun == pytest.approx(scipy.stats.entropy([y, 1 - y]), rel=1e-9)
    labels = np.array([1.0] * int(round(100 * y)) + [0.0] * int(round(100 * (1 - y))))
    assert lb.binary_cross_entropy(np.full(100, y), labels) == pytest.approx(
        scipy.stats.entropy([y, 1 - y]), rel=1e-12)


def test_eq_bern_bce_bracket_worked_by_hand():
    """The bracket matters: without it the loss rewards confident mistakes on negatives."""
    y = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
    p = np.array([0.9, 0.2, 0.7, 0.6, 0.1])
    positives = -(mpmath.log(0.9) + mpmath.log(0.7) + mpmath.log(0.6))
    negatives = -(mpmath.log(0.8) + mpmath.log(0.9))
    assert lb.binary_cross_entropy(p, y, reduction="sum") == pytest.approx(float(positives + negatives), rel=1e-14)
    bracketless = float(positives - negatives)
    assert bracketless == pytest.approx(0.6444, abs=1e-4)
    p_wrong = np.where(y == 0, 0.99, p)
    bracketless_wrong = float(positives + 2 * mpmath.log(0.01))
    assert bracketless_wrong < bracketless                 # falls when the model gets worse
    assert lb.binary_cross_entropy(p_wrong, y, reduction="sum") == pytest.approx(
        float(positives - 2 * mpmath.log(0.01)), rel=1e-14)


@SETTINGS
@given(st.floats(-700, 700))
def test_eq_bern_sigmoid_matches_scipy_expit_and_inverts_the_log_odds(z):
    assert lb.sigmoid(np.array([z]))[0] == pytest.approx(scipy.special.expit(z), rel=1e-14, abs=1e-300)
    with mpmath.workdps(DIGITS):                 # the logit is the log-odds of p = sigma(z)
        p, one_minus_p = mp_sigmoid(z), mp_sigmoid(-z)
        assert mpmath.almosteq(mpmath.log(p / one_minus_p), mpmath.mpf(z), abs_eps=mpmath.mpf(10) ** -40)
    if abs(z) < 5:     # beyond that, 1 - p in float64 has too few digits left to invert
        assert scipy.special.logit(lb.sigmoid(np.array([z]))[0]) == pytest.approx(z, rel=1e-10, abs=1e-12)


def test_eq_bern_sigmoid_computed_as_written_saturates_at_37():
    """The chapter's table: in float64, 1 + e^-z rounds to exactly 1 once e^-z is below half the
    spacing of floats just above 1 (2^-53), first at z = 37, and then 1 / (1 + e^-z) is 1.0."""
    half_spacing = mpmath.mpf(2) ** -53
    with mpmath.workdps(DIGITS):
        absorbed = [mpmath.exp(-z) < half_spacing for z in range(1, 60)]
    assert absorbed.index(True) + 1 == 37
    assert 1 / (1 + np.exp(-36.0)) < 1.0 and 1 / (1 + np.exp(-37.0)) == 1.0
    with np.errstate(divide="ignore"):
        assert -np.log(1 - 1 / (1 + np.exp(-40.0))) == np.inf


@SETTINGS
@given(st.floats(-500, 500))
def test_eq_bern_log_sigmoid_identities(z):
    with mpmath.workdps(300):       # 1 - sigma(500) is about e^-500: keep its digits
        log_s = mpmath.log(mp_sigmoid(z))
        log_one_minus_s = mpmath.log(1 - mp_sigmoid(z))
        tiny = mpmath.mpf(10) ** -45
        assert mpmath.almosteq(log_s, -mp_softplus(-z), rel_eps=tiny, abs_eps=tiny)
        assert mpmath.almosteq(log_one_minus_s, -mp_softplus(z), rel_eps=tiny, abs_eps=tiny)
        assert mpmath.almosteq(mp_softplus(z) - mp_softplus(-z), mpmath.mpf(z), abs_eps=mpmath.mpf(10) ** -40)
    assert lb.log_sigmoid(np.array([z]))[0] == pytest.approx(scipy.special.log_expit(z), rel=1e-13, abs=1e-300)


@SETTINGS
@given(st.floats(-1000, 1000), st.floats(0.0, 1.0))
def test_eq_bern_logits_softplus_form_matches_the_definition(z, y):
    with mpmath.workdps(500):            # softplus(z) - z is e^-z-sized for large z: keep its digits
        softplus_form = float(mp_softplus(z) - mpmath.mpf(y) * mpmath.mpf(z))
    assert softplus_form == pytest.approx(mp_bce_logit(z, y), rel=1e-12, abs=1e-300)
    loss = lb.binary_cross_entropy(np.array([z]), np.array([y]), from_logits=True)
    assert loss == pytest.approx(softplus_form, rel=1e-12, abs=1e-300)


@SETTINGS
@given(st.floats(-500, 500), st.floats(0.0, 1.0))
def test_eq_bern_logits_renaming_the_classes_changes_nothing(z, y):
    """The exercise: label y -> 1 - y together with logit z -> -z leaves the loss unchanged."""
    # 1 - y formed exactly: in float64 its rounding alone moves the loss by up to |z| * 1e-16.
    with mpmath.workdps(500):
        renamed_label = 1 - mpmath.mpf(y)
    assert mp_bce_logit(-z, renamed_label) == pytest.approx(mp_bce_logit(z, y), rel=1e-12, abs=1e-300)
    renamed = lb.binary_cross_entropy(np.array([-z]), np.array([1 - y]), from_logits=True)
    assert renamed == pytest.approx(mp_bce_logit(z, y), rel=1e-9, abs=1e-12)


@SETTINGS
@given(st.floats(-500, 500), st.sampled_from([0.0, 1.0]))
def test_eq_bern_logits_compact_form_holds_for_hard_labels_only(z, y):
    """The exercise: softplus((1 - 2y) z) is the loss for y in {0, 1}, not for soft labels."""
    with mpmath.workdps(DIGITS):
        compact = float(mp_softplus((1 - 2 * y) * z))
    assert compact == pytest.approx(mp_bce_logit(z, y), rel=1e-12, abs=1e-300)
    with mpmath.workdps(DIGITS):
        soft_compact = float(mp_softplus((1 - 2 * 0.8) * 2.0))
    assert abs(soft_compact - mp_bce_logit(2.0, 0.8)) > 0.1


def test_eq_bern_logits_worked_values_of_the_stability_table():
    z = np.array([-1000.0, -40.0, -5.0, 0.0, 5.0, 40.0, 1000.0])
    with mpmath.workdps(DIGITS):
        expected = [float(mp_softplus(v)) for v in z]           # label 0: the loss is softplus(z)
    assert expected[-1] == 1000.0 and expected[3] == pytest.approx(np.log(2), rel=1e-15)
    got = lb.binary_cross_entropy(z, np.zeros_like(z), from_logits=True, reduction="none")
    np.testing.assert_allclose(got, expected, rtol=1e-13, atol=0)


@SETTINGS
@given(st.floats(-40, 40), st.floats(0.0, 1.0))
def test_eq_bern_grad_is_sigmoid_minus_label(z, y):
    with mpmath.workdps(DIGITS):
        derivative = float(mpmath.diff(lambda t: mp_softplus(t) - mpmath.mpf(y) * t, mpmath.mpf(z)))
    assert derivative == pytest.approx(scipy.special.expit(z) - y, abs=1e-13)
    grad = lb.binary_cross_entropy_grad(np.array([z]), np.array([y]), reduction="none")[0]
    assert grad == pytest.approx(derivative, abs=1e-13)


@SETTINGS
@given(st.floats(-1000, 1000))
def test_eq_bern_softplus_stable_form_agrees_with_mpmath(z):
    stable = max(z, 0.0) + np.log1p(np.exp(-abs(z)))       # the formula, written in numpy here
    with mpmath.workdps(DIGITS):
        reference = float(mp_softplus(z))
    assert np.isfinite(stable)
    assert stable == pytest.approx(reference, rel=1e-14, abs=1e-300)


def test_eq_bern_softplus_stable_where_the_plain_formula_overflows():
    with np.errstate(over="ignore"):
        assert np.isinf(np.log(1 + np.exp(1000.0)))
    assert max(1000.0, 0.0) + np.log1p(np.exp(-1000.0)) == 1000.0
    assert float(mpmath.log(np.finfo(np.float64).max)) == pytest.approx(709.78, abs=0.01)


@SETTINGS
@given(st.floats(-50, 50), st.floats(0.0, 1.0))
def test_eq_bern_two_class_softmax_of_zero_and_z_is_sigmoid(z, y):
    probs = scipy.special.softmax([0.0, z])
    assert probs[1] == pytest.approx(scipy.special.expit(z), rel=1e-13, abs=1e-300)
    assert probs[0] == pytest.approx(scipy.special.expit(-z), rel=1e-13, abs=1e-300)
    two_class = lb.cross_entropy(np.array([[0.0, z]]), np.array([[1 - y, y]]), from_logits=True)
    assert two_class == pytest.approx(mp_bce_logit(z, y), rel=1e-11, abs=1e-14)


@SETTINGS
@given(st.floats(-20, 20), st.floats(-20, 20))
def test_eq_bern_two_class_depends_only_on_the_difference(a, b):
    assert scipy.special.softmax([a, b])[1] == pytest.approx(scipy.special.expit(b - a), rel=1e-12, abs=1e-300)


# --- Softmax and its gradient -------------------------------------------------------------------


def test_eq_smx_def_worked_example_and_its_rounding():
    with mpmath.workdps(DIGITS):
        reference = [float(v) for v in mp_softmax([5, 4, 2])]
        total = float(mpmath.exp(5) + mpmath.exp(4) + mpmath.exp(2))
    assert total == pytest.approx(210.4004, abs=1e-4)      # 148.4132 + 54.5982 + 7.3891
    np.testing.assert_allclose(lb.softmax(np.array([5.0, 4.0, 2.0])), reference, rtol=1e-14)
    assert [f"{v:.3f}" for v in reference] == ["0.705", "0.259", "0.035"]
    assert [f"{v:.2f}" for v in reference] == ["0.71", "0.26", "0.04"]     # not 0.03


@SETTINGS
@given(logit_vectors(max_size=8, bound=50.0))
def test_eq_smx_def_matches_scipy(z):
    np.testing.assert_allclose(lb.softmax(z), scipy.special.softmax(z), rtol=1e-12, atol=1e-300)


@SETTINGS
@given(logit_vectors(), st.floats(-1e4, 1e4))
def test_eq_smx_shift_leaves_softmax_unchanged(z, c):
    with mpmath.workdps(DIGITS):
        reference = [float(v) for v in mp_softmax(z)]
    np.testing.assert_allclose(lb.softmax(z + c), reference, rtol=1e-9, atol=1e-300)


def test_eq_smx_shift_by_1000_breaks_the_naive_formula_only():
    z = np.array([5.0, 4.0, 2.0])
    with np.errstate(all="ignore"):
        for shifted in (z + 1000, z - 1000):
            e = np.exp(shifted)
            assert np.all(np.isnan(e / e.sum()))
    np.testing.assert_allclose(lb.softmax(z + 1000), scipy.special.softmax(z), rtol=1e-14)
    np.testing.assert_allclose(lb.softmax(z - 1000), scipy.special.softmax(z), rtol=1e-14)


@SETTINGS
@given(logit_vectors(max_size=8, bound=1000.0))
def test_eq_smx_lse_matches_scipy_and_mpmath(z):
    with mpmath.workdps(DIGITS):
        reference = float(mp_lse(z))
    assert lb.logsumexp(z) == pytest.approx(reference, rel=1e-13, abs=1e-13)
    assert scipy.special.logsumexp(z) == pytest.approx(reference, rel=1e-13, abs=1e-13)
    m = z.max()
    assert m + np.log(np.sum(np.exp(z - m))) == pytest.approx(reference, rel=1e-13, abs=1e-13)


def test_eq_smx_lse_moves_by_the_shift():
    z = np.array([5.0, 4.0, 2.0])
    with mpmath.workdps(DIGITS):
        assert lb.logsumexp(z) == pytest.approx(float(mp_lse(z)), rel=1e-15)
        assert lb.logsumexp(z + 1000) == pytest.approx(float(mp_lse(z + 1000)), rel=1e-15)
        assert float(mp_lse(z + 1000) - mp_lse(z)) == pytest.approx(1000.0, rel=1e-15)


@SETTINGS
@given(logit_vectors(max_size=8, bound=500.0))
def test_eq_smx_log_matches_scipy_log_softmax(z):
    np.testing.assert_allclose(lb.log_softmax(z), scipy.special.log_softmax(z), rtol=1e-12, atol=1e-12)


def test_eq_smx_log_of_a_confident_mistake_is_finite():
    z = np.array([0.0, 800.0, 0.0])
    with mpmath.workdps(DIGITS):
        reference = [float(mpmath.mpf(v) - mp_lse(z)) for v in z]
    assert reference[0] == -800.0                          # ln(1 + 2 e^-800) is far below an ulp of 800
    np.testing.assert_allclose(lb.log_softmax(z), reference, rtol=1e-15)
    assert lb.cross_entropy(z[None, :], np.array([0]), from_logits=True) == pytest.approx(800.0, rel=1e-15)
    with np.errstate(divide="ignore"):
        assert np.log(scipy.special.softmax(z))[0] == -np.inf


@SETTINGS
@given(logit_vectors(max_size=5, bound=10.0))
def test_eq_smx_jacobian_against_mpmath_derivatives(z):
    p = scipy.special.softmax(z)
    formula = np.diag(p) - np.outer(p, p)
    with mpmath.workdps(30):
        rows = [mp_gradient(lambda v, k=k: mp_softmax(v)[k], z) for k in range(len(z))]
    np.testing.assert_allclose(formula, np.array(rows), atol=1e-13)
    np.testing.assert_allclose(formula.sum(axis=1), 0.0, atol=1e-15)
    np.testing.assert_allclose(formula, formula.T)


@SETTINGS
@given(logits_and_soft_target())
def test_eq_smx_jacobian_chained_with_the_loss_derivative_gives_p_minus_y(pair):
    """The long road: J^T (-y / p) = p - y, with J from the formula and p from scipy."""
    z, y = pair
    p = scipy.special.softmax(z)
    if np.any(p[y > 0] < 1e-200):
        return                                              # -y / p would overflow
    jacobian = np.diag(p) - np.outer(p, p)
    np.testing.assert_allclose(jacobian.T @ (-y / p), p - y, atol=1e-12)


def test_eq_smx_jacobian_worked_example_by_central_differences():
    z = np.array([5.0, 4.0, 2.0])
    p = scipy.special.softmax(z)
    numeric = np.array([central_differences(lambda v, k=k: scipy.special.softmax(v)[k], z) for k in range(3)])
    np.testing.assert_allclose(np.diag(p) - np.outer(p, p), numeric, atol=1e-9)
    assert p[0] * (1 - p[0]) == pytest.approx(0.2078, abs=1e-4)


@SETTINGS
@given(logits_and_soft_target())
def test_eq_smx_ce_of_probabilities_matches_mpmath(pair):
    z, y = pair
    probs = scipy.special.softmax(z)
    probs = probs / probs.sum()
    with mpmath.workdps(DIGITS):
        reference = float(-mpmath.fsum(mpmath.mpf(float(yk)) * mpmath.log(mpmath.mpf(float(pk)))
                                       for yk, pk in zip(y, probs) if yk != 0))
    assert lb.cross_entropy(probs[None, :], y[None, :]) == pytest.approx(reference, rel=1e-10, abs=1e-12)


@SETTINGS
@given(logits_and_soft_target())
def test_eq_smx_ce_logits_is_lse_minus_target_dot_logits(pair):
    z, y = pair
    shortcut = scipy.special.logsumexp(z) - np.dot(y, z)
    with mpmath.workdps(DIGITS):
        reference = float(mp_ce_logits(z, y))
    assert shortcut == pytest.approx(reference, rel=1e-10, abs=1e-10)
    assert lb.cross_entropy(z[None, :], y[None, :], from_logits=True) == pytest.approx(reference, rel=1e-10, abs=1e-10)


@SETTINGS
@given(logit_vectors(max_size=5, bound=20.0))
def test_eq_smx_lse_grad_is_softmax(z):
    with mpmath.workdps(30):
        derivative = mp_gradient(mp_lse, z)
    np.testing.assert_allclose(derivative, scipy.special.softmax(z), rtol=1e-12, atol=1e-15)


@SETTINGS
@given(logits_and_soft_target())
def test_eq_smx_grad_is_p_minus_y(pair):
    z, y = pair
    with mpmath.workdps(30):
        derivative = mp_gradient(lambda v: mp_ce_logits(v, y), z)
    np.testing.assert_allclose(scipy.special.softmax(z) - y, derivative, atol=1e-12)
    np.testing.assert_allclose(lb.cross_entropy_grad(z[None, :], y[None, :])[0], derivative, atol=1e-12)
    assert abs(derivative.sum()) < 1e-12


def test_eq_smx_grad_worked_example_and_its_rounding():
    with mpmath.workdps(30):
        derivative = mp_gradient(lambda v: mp_ce_logits(v, [1, 0, 0]), [5.0, 4.0, 2.0])
    assert [f"{v:.3f}" for v in derivative] == ["-0.295", "0.259", "0.035"]
    assert [f"{v:.2f}" for v in derivative] == ["-0.29", "0.26", "0.04"]
    np.testing.assert_allclose(lb.cross_entropy_grad(np.array([[5.0, 4.0, 2.0]]), np.array([0]))[0],
                               derivative, atol=1e-14)


def test_eq_smx_step_lowers_the_loss_by_less_than_the_linear_estimate():
    """One step with learning rate 1 on the worked example, evaluated in mpmath."""
    z = np.array([5.0, 4.0, 2.0])
    with mpmath.workdps(DIGITS):
        p = mp_softmax(z)
        grad = [p[0] - 1, p[1], p[2]]
        after = [mpmath.mpf(zk) - gk for zk, gk in zip(z, grad)]
        before_loss, after_loss = mp_ce_logits(z, [1, 0, 0]), mp_ce_logits(after, [1, 0, 0])
        predicted = mpmath.fsum(g ** 2 for g in grad)
        assert after_loss < before_loss
        assert 0 < before_loss - after_loss < predicted            # convexity
        assert float(before_loss) == pytest.approx(0.3490, abs=1e-4)
    new_logits = z - lb.cross_entropy_grad(z[None, :], np.array([0]))[0]
    assert lb.cross_entropy(new_logits[None, :], np.array([0]), from_logits=True) == pytest.approx(
        float(after_loss), rel=1e-13)


@SETTINGS
@given(logits_and_soft_target(), st.floats(1e-3, 1.0))
def test_eq_smx_step_never_raises_the_loss_for_a_modest_learning_rate(pair, eta):
    """With eta <= 1 the step is below 1/(largest curvature) of this convex loss (at most 1/2)."""
    z, y = pair
    before = scipy.special.logsumexp(z) - np.dot(y, z)
    stepped = z - eta * (scipy.special.softmax(z) - y)
    after = scipy.special.logsumexp(stepped) - np.dot(y, stepped)
    assert after <= before + 1e-12


@pytest.mark.parametrize(("temperature", "expected"), [(0.01, [1.0, 0.0, 0.0]), (1000.0, [1 / 3] * 3)])
def test_eq_smx_def_with_a_temperature_tends_to_argmax_or_uniform(temperature, expected):
    z = np.array([5.0, 4.0, 2.0]) / temperature
    with mpmath.workdps(DIGITS):
        reference = [float(v) for v in mp_softmax(z)]
    np.testing.assert_allclose(reference, expected, atol=1e-3)
    np.testing.assert_allclose(lb.softmax(z), reference, rtol=1e-12, atol=1e-300)


# --- Training a softmax classifier from scratch -------------------------------------------------


def small_problem(seed: int = 0, n: int = 12, d: int = 2, k: int = 3):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(n, d)), rng.integers(0, k, size=n),
            rng.normal(size=(d, k)), rng.normal(size=k))


def test_eq_train_model_is_a_weighted_sum_per_class():
    X, _, W, b = small_problem()
    Z = X @ W + b
    for n in range(X.shape[0]):
        for k in range(W.shape[1]):
            assert Z[n, k] == pytest.approx(sum(X[n, d] * W[d, k] for d in range(X.shape[1])) + b[k], rel=1e-13)
    np.testing.assert_allclose(lb.softmax(Z), scipy.special.softmax(Z, axis=1), rtol=1e-13)


def test_eq_train_loss_is_the_mean_over_examples():
    X, labels, W, b = small_problem()
    Z = X @ W + b
    with mpmath.workdps(DIGITS):
        reference = float(mpmath.fsum(mp_ce_logits(row, np.eye(3)[c]) for row, c in zip(Z, labels)) / len(labels))
    assert lb.cross_entropy(Z, labels, from_logits=True) == pytest.approx(reference, rel=1e-13)


def test_eq_train_loss_of_a_model_that_knows_nothing_is_ln_k():
    X, labels, _, _ = small_problem()
    with mpmath.workdps(DIGITS):
        ln3 = float(mpmath.log(3))
    assert lb.cross_entropy(np.zeros((len(labels), 3)), labels, from_logits=True) == pytest.approx(ln3, rel=1e-15)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_eq_train_grads_match_central_differences(seed):
    X, labels, W, b = small_problem(seed)
    Y = np.eye(3)[labels]

    def loss(W_, b_):
        return np.mean(scipy.special.logsumexp(X @ W_ + b_, axis=1) - np.sum(Y * (X @ W_ + b_), axis=1))

    G = (scipy.special.softmax(X @ W + b, axis=1) - Y) / len(labels)
    np.testing.assert_allclose(X.T @ G, central_differences(lambda w: loss(w, b), W), atol=1e-8)
    np.testing.assert_allclose(G.sum(axis=0), central_differences(lambda v: loss(W, v), b), atol=1e-8)
    G_package = lb.cross_entropy_grad(X @ W + b, labels)
    np.testing.assert_allclose(X.T @ G_package, X.T @ G, atol=1e-15)
    assert abs(G.sum(axis=0).sum()) < 1e-15                 # the bias gradient sums to zero


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_eq_train_step_descends_at_the_rate_of_the_squared_gradient(seed):
    X, labels, W, b = small_problem(seed)
    Y = np.eye(3)[labels]

    def loss(W_, b_):
        return np.mean(scipy.special.logsumexp(X @ W_ + b_, axis=1) - np.sum(Y * (X @ W_ + b_), axis=1))

    G = (scipy.special.softmax(X @ W + b, axis=1) - Y) / len(labels)
    dW, db = X.T @ G, G.sum(axis=0)
    squared = np.sum(dW ** 2) + np.sum(db ** 2)
    for eta in (1e-2, 1e-3, 1e-4):
        drop = loss(W, b) - loss(W - eta * dW, b - eta * db)
        assert drop > 0
        assert drop / eta == pytest.approx(squared, rel=20 * eta)


def test_eq_train_mse_worked_by_hand():
    p = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    y = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    # (0.09 + 0.04 + 0.01 + 0.01 + 0.01 + 0.04) / 2 = 0.1
    assert np.mean(np.sum((p - y) ** 2, axis=1)) == pytest.approx(0.1, rel=1e-14)
    assert np.mean(np.sum((y - y) ** 2, axis=1)) == 0.0


@SETTINGS
@given(logit_vectors(max_size=5, bound=15.0), st.data())
def test_eq_train_mse_grad_against_mpmath_derivatives(z, data):
    c = data.draw(st.integers(0, len(z) - 1))
    y = np.eye(len(z))[c]
    p = scipy.special.softmax(z)
    error = p - y
    formula = 2 * p * (error - np.sum(p * error))
    with mpmath.workdps(30):
        derivative = mp_gradient(lambda v: mpmath.fsum((pk - float(yk)) ** 2 for pk, yk in zip(mp_softmax(v), y)), z)
    np.testing.assert_allclose(formula, derivative, atol=1e-12)


@SETTINGS
@given(logit_vectors(max_size=6, bound=40.0), st.data())
def test_eq_train_vanish_bound_on_the_true_class_component(z, data):
    c = data.draw(st.integers(0, len(z) - 1))
    y = [1 if k == c else 0 for k in range(len(z))]
    with mpmath.workdps(DIGITS):
        p = mp_softmax(z)
        component = mpmath.diff(lambda t: mpmath.fsum(
            (pk - yk) ** 2 for pk, yk in zip(mp_softmax([t if k == c else z[k] for k in range(len(z))]), y)),
            mpmath.mpf(float(z[c])))
        assert abs(component) <= 4 * p[c] * (1 + mpmath.mpf(10) ** -20)


def test_eq_train_vanish_confidently_wrong_example():
    """Logits [0, 20, 0], true class 0: cross-entropy pulls with about 1, squared error with ~4e-9."""
    z = [0.0, 20.0, 0.0]
    with mpmath.workdps(DIGITS):
        p = mp_softmax(z)
        ce_component = mpmath.diff(lambda t: mp_ce_logits([t, 20.0, 0.0], [1, 0, 0]), 0)
        mse_component = mpmath.diff(lambda t: mpmath.fsum(
            (pk - yk) ** 2 for pk, yk in zip(mp_softmax([t, 20.0, 0.0]), [1, 0, 0])), 0)
        assert float(ce_component) == pytest.approx(-1.0, abs=1e-8)
        assert abs(mse_component) <= 4 * p[0]
        assert float(abs(mse_component)) < 1e-8


# --- The log-odds, the quotient rule, and the general maximum-likelihood recipe ----------------


@SETTINGS
@given(st.floats(1e-9, 1 - 1e-9))
def test_eq_bern_log_odds_inverts_the_sigmoid_against_scipy(p):
    z = np.log(p / (1 - p))
    assert z == pytest.approx(scipy.special.logit(p), rel=1e-9, abs=1e-9)
    with mpmath.workdps(DIGITS):
        assert float(mp_sigmoid(mpmath.log(mpmath.mpf(p) / (1 - mpmath.mpf(p))))) == pytest.approx(p, rel=1e-15)


def test_eq_bern_log_odds_worked_values():
    assert scipy.special.logit(0.75) == pytest.approx(mp_log_float(3.0), rel=1e-15)
    assert scipy.special.logit(0.9) == pytest.approx(mp_log_float(9.0), rel=1e-14)
    assert scipy.special.logit(0.5) == 0.0


@SETTINGS
@given(logits_and_soft_target(), st.data())
def test_eq_bern_categorical_is_the_probability_of_the_observed_class(pair, data):
    z, _ = pair
    p = scipy.special.softmax(z)
    p = p / p.sum()
    c = data.draw(st.integers(0, len(p) - 1))
    y = np.eye(len(p))[c]
    assert np.prod(p ** y) == p[c]
    assert scipy.stats.multinomial.pmf(y, n=1, p=p) == pytest.approx(p[c], rel=1e-12, abs=1e-300)
    if len(p) == 2:                                  # K = 2 is the Bernoulli of eq-bern-pmf
        assert scipy.stats.bernoulli.pmf(int(y[1]), p[1]) == pytest.approx(np.prod(p ** y), rel=1e-12)


@SETTINGS
@given(st.integers(2, 5), st.integers(1, 6), st.data())
def test_eq_bern_categorical_nll_is_the_mean_cross_entropy(k, n, data):
    rows = np.array([data.draw(st.lists(st.floats(0.05, 1.0), min_size=k, max_size=k)) for _ in range(n)])
    probs = rows / rows.sum(axis=1, keepdims=True)
    labels = np.array(data.draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    nll = -np.mean([scipy.stats.multinomial.logpmf(np.eye(k)[c], n=1, p=row) for row, c in zip(probs, labels)])
    assert lb.cross_entropy(probs, labels) == pytest.approx(nll, rel=1e-12)


def test_eq_bern_categorical_nll_worked_example():
    """The chapter's four examples: the observed classes get 0.7, 0.6, 0.6 and 0.4."""
    with mpmath.workdps(DIGITS):
        values = [mpmath.mpf(v) / 10 for v in (7, 6, 6, 4)]
        assert float(mpmath.fprod(values)) == pytest.approx(0.1008, rel=1e-14)
        assert float(-mpmath.fsum(mpmath.log(v) for v in values) / 4) == pytest.approx(0.57365423, abs=1e-8)


@SETTINGS
@given(st.floats(-50, 50), st.floats(-50, 50), st.floats(0.01, 20.0))
def test_eq_bern_gaussian_nll_matches_scipy_norm(y, mu, sigma):
    formula = (y - mu) ** 2 / (2 * sigma ** 2) + 0.5 * np.log(2 * np.pi * sigma ** 2)
    assert formula == pytest.approx(-scipy.stats.norm.logpdf(y, loc=mu, scale=sigma), rel=1e-12, abs=1e-12)


def test_eq_bern_gaussian_nll_with_fixed_variance_has_the_minimiser_of_squared_error():
    y = np.array([1.3, -0.2, 2.5, 0.9, 4.0])
    for sigma in (0.1, 0.5, 3.0):
        best = scipy.optimize.minimize_scalar(
            lambda m: -scipy.stats.norm.logpdf(y, loc=m, scale=sigma).sum(), bounds=(-10, 10),
            method="bounded", options={"xatol": 1e-10}).x
        assert best == pytest.approx(y.mean(), abs=1e-7)       # the squared error's minimiser
    # The constant gap between the NLL and the scaled squared error at sigma = 0.5.
    with mpmath.workdps(DIGITS):
        gap = float(mpmath.log(2 * mpmath.pi * mpmath.mpf("0.25")) / 2)
    assert -scipy.stats.norm.logpdf(1.3, 1.0, 0.5) - 0.3 ** 2 / 0.5 == pytest.approx(gap, rel=1e-12)


@SETTINGS
@given(st.floats(-20, 20), st.floats(-20, 20), st.floats(-10, 10))
def test_eq_bern_hetero_nll_is_the_gaussian_nll_with_variance_e_to_the_s(y, mu, s):
    formula = 0.5 * ((y - mu) ** 2 * np.exp(-s) + s + np.log(2 * np.pi))
    reference = -scipy.stats.norm.logpdf(y, loc=mu, scale=np.exp(s / 2))
    assert formula == pytest.approx(reference, rel=1e-11, abs=1e-11)


@SETTINGS
@given(st.floats(-5, 5), st.floats(-5, 5), st.floats(-4, 4))
def test_eq_bern_hetero_grad_matches_mpmath_derivatives(y, mu, s):
    def nll(m, v):
        return ((mpmath.mpf(y) - m) ** 2 * mpmath.exp(-v) + v + mpmath.log(2 * mpmath.pi)) / 2

    with mpmath.workdps(30):
        d_mu = float(mpmath.diff(lambda m: nll(m, mpmath.mpf(s)), mpmath.mpf(mu)))
        d_s = float(mpmath.diff(lambda v: nll(mpmath.mpf(mu), v), mpmath.mpf(s)))
    assert -(y - mu) * np.exp(-s) == pytest.approx(d_mu, rel=1e-12, abs=1e-12)
    assert 0.5 * (1 - (y - mu) ** 2 * np.exp(-s)) == pytest.approx(d_s, rel=1e-12, abs=1e-12)


def test_eq_bern_hetero_grad_in_s_vanishes_where_the_variance_is_the_squared_error():
    for residual in (0.1, 1.0, 7.5):
        best = scipy.optimize.minimize_scalar(
            lambda s: -scipy.stats.norm.logpdf(residual, loc=0.0, scale=np.exp(s / 2)),
            bounds=(-20, 20), method="bounded", options={"xatol": 1e-10}).x
        assert np.exp(best) == pytest.approx(residual ** 2, rel=1e-6)


def test_eq_bern_hetero_nll_chapter_fit_is_the_maximum_likelihood():
    """The chapter's 400 points, fitted by scipy's optimiser on scipy's normal log-density: the
    noise levels it finds at x = 0 and x = 1 are those the chapter's gradient descent shows."""
    rng = np.random.default_rng(7)
    x = rng.uniform(0.0, 1.0, size=400)
    y = 2.0 * x + 1.0 + 0.1 * np.exp(1.8 * x) * rng.standard_normal(400)

    def nll(theta):
        a, b, c, d = theta
        return -scipy.stats.norm.logpdf(y, loc=a * x + b, scale=np.exp((c * x + d) / 2)).mean()

    fit = scipy.optimize.minimize(nll, [2.0, 1.0, 0.0, -2.0], method="BFGS")
    sigma_at = np.exp(np.array([fit.x[3], fit.x[2] + fit.x[3]]) / 2)
    np.testing.assert_allclose(sigma_at, [0.0966, 0.5813], atol=2e-4)
    np.testing.assert_allclose(sigma_at, [0.1, 0.1 * np.exp(1.8)], rtol=0.1)   # near the truth
    residual = y - np.polyval(np.polyfit(x, y, 1), x)
    sigma_fixed = np.sqrt(np.mean(residual ** 2))
    assert sigma_fixed == pytest.approx(0.3028, abs=5e-4)
    fixed_nll = -scipy.stats.norm.logpdf(y, loc=np.polyval(np.polyfit(x, y, 1), x), scale=sigma_fixed).mean()
    assert fixed_nll == pytest.approx(0.2244, abs=5e-4)
    assert fit.fun == pytest.approx(-0.0133, abs=5e-4)


def test_eq_smx_quotient_matches_mpmath_derivatives():
    for z in ([5.0, 4.0, 2.0], [0.3, -1.2, 2.2, 0.0]):
        k = len(z)
        p = scipy.special.softmax(z)
        with mpmath.workdps(30):
            rows = np.array([mp_gradient(lambda v, i=i: mp_softmax(v)[i], z) for i in range(k)])
        # p_k (delta_kj - p_j), and the quotient-rule middle form written with S = sum e^z.
        formula = np.array([[p[i] * ((i == j) - p[j]) for j in range(k)] for i in range(k)])
        e, total = np.exp(z), np.exp(z).sum()
        quotient = np.array([[((i == j) * e[i] * total - e[i] * e[j]) / total ** 2 for j in range(k)]
                             for i in range(k)])
        np.testing.assert_allclose(formula, rows, atol=1e-14)
        np.testing.assert_allclose(quotient, rows, atol=1e-14)
