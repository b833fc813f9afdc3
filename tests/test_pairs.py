"""The losses between pairs (distillation, CLIP, SigLIP, Bradley-Terry, DPO) against 50-digit
references written from their definitions in mpmath, at ordinary and extreme margins; their
properties under hypothesis; and the errors readers get for bad input."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import lossbook as lb

mpmath.mp.dps = 50
REL = 1e-13
SETTINGS = settings(max_examples=60, deadline=None)


def mp_log_softmax(row):
    z = [mpmath.mpf(float(v)) for v in row]
    lse = mpmath.log(mpmath.fsum(mpmath.exp(v) for v in z))
    return [v - lse for v in z]


def mp_softplus(x) -> mpmath.mpf:
    return mpmath.log1p(mpmath.exp(mpmath.mpf(x)))


def mp_unit_rows(rows):
    out = []
    for row in rows:
        r = [mpmath.mpf(float(v)) for v in row]
        norm = mpmath.sqrt(mpmath.fsum(v * v for v in r))
        out.append([v / norm for v in r])
    return out


def mp_similarities(a, b):
    ua, ub = mp_unit_rows(a), mp_unit_rows(b)
    return [[mpmath.fsum(x * y for x, y in zip(ra, rb)) for rb in ub] for ra in ua]


def assert_rel(actual, expected, rel=REL):
    expected = float(expected)
    assert abs(float(actual) - expected) <= rel * abs(expected) + 1e-300, (float(actual), expected)


# --- references ----------------------------------------------------------------------------------

def mp_distillation(student, teacher, T):
    T = mpmath.mpf(T)
    out = []
    for s, t in zip(student, teacher):
        log_p = mp_log_softmax([mpmath.mpf(float(v)) / T for v in t])
        log_q = mp_log_softmax([mpmath.mpf(float(v)) / T for v in s])
        out.append(T * T * mpmath.fsum(mpmath.exp(lp) * (lp - lq) for lp, lq in zip(log_p, log_q)))
    return out


def mp_clip(a, b, tau):
    S = mp_similarities(a, b)
    n = len(S)
    logits = [[v / mpmath.mpf(tau) for v in row] for row in S]
    rows = -mpmath.fsum(mp_log_softmax(logits[i])[i] for i in range(n)) / n
    cols = -mpmath.fsum(mp_log_softmax([logits[j][i] for j in range(n)])[i] for i in range(n)) / n
    return (rows + cols) / 2


def mp_siglip(a, b, t, bias):
    S = mp_similarities(a, b)
    n = len(S)
    total = mpmath.fsum(mp_softplus(-(1 if i == j else -1) * (mpmath.mpf(t) * S[i][j] + mpmath.mpf(bias)))
                        for i in range(n) for j in range(n))
    return total / n


@pytest.mark.parametrize("T", [0.5, 1.0, 2.0, 7.0])
def test_distillation_loss_matches_the_definition_per_example(T):
    rng = np.random.default_rng(1)
    s, t = rng.normal(0, 3, (5, 4)), rng.normal(0, 3, (5, 4))
    got = lb.distillation_loss(s, t, temperature=T, reduction="none")
    for value, expected in zip(got, mp_distillation(s, t, T)):
        assert_rel(value, expected, 1e-11)
    assert_rel(lb.distillation_loss(s, t, temperature=T, reduction="sum"), mpmath.fsum(mp_distillation(s, t, T)), 1e-11)
    assert_rel(lb.distillation_loss(s, t, temperature=T), mpmath.fsum(mp_distillation(s, t, T)) / 5, 1e-11)


def test_distillation_at_huge_logits_stays_finite_and_exact():
    s, t = np.array([[1000.0, -1000.0, 0.0]]), np.array([[-1000.0, 1000.0, 0.0]])
    # The teacher puts all its mass on class 1, where the student's log-probability is -2000.
    assert_rel(lb.distillation_loss(s, t), mp_distillation(s, t, 1.0)[0])
    assert_rel(lb.distillation_loss(s, t), 2000.0)


@pytest.mark.parametrize("tau", [0.01, 0.07, 1.0])
def test_clip_loss_matches_the_definition(tau):
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    assert_rel(lb.clip_loss(a, b, temperature=tau), mp_clip(a, b, tau), 1e-12)


@pytest.mark.parametrize("t, bias", [(10.0, -10.0), (1.0, 0.0), (1000.0, 3.0)])
def test_siglip_loss_matches_the_definition(t, bias):
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    assert_rel(lb.siglip_loss(a, b, t=t, bias=bias), mp_siglip(a, b, t, bias), 1e-12)


def test_cosine_similarities_are_the_normalised_dot_products():
    rng = np.random.default_rng(4)
    a, b = rng.normal(size=(3, 5)) * 100, rng.normal(size=(3, 5))
    S = mp_similarities(a, b)
    np.testing.assert_allclose(lb.cosine_similarities(a, b), [[float(v) for v in row] for row in S], rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("scale_a, scale_b", [(1e300, 1.0), (1e-300, 1.0), (1e200, 1e-200), (5e-324, 1e308)])
def test_cosine_similarities_do_not_depend_on_the_rows_lengths(scale_a, scale_b):
    """Rows whose norm overflows or underflows in float64 still have a direction."""
    rng = np.random.default_rng(5)
    a, b = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    if scale_a == 5e-324:  # the smallest subnormal keeps no digits of a: use a direction it can hold
        a = np.sign(a)
    np.testing.assert_allclose(lb.cosine_similarities(a * scale_a, b * scale_b), lb.cosine_similarities(a, b),
                               rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("margin", [-1000.0, -40.0, -1.0, 0.0, 1e-8, 1.0, 40.0, 700.0, 1000.0])
def test_bradley_terry_and_dpo_are_exact_at_every_margin(margin):
    expected = mp_softplus(-margin)
    assert_rel(lb.bradley_terry_loss([margin], [0.0]), expected)
    # beta = 1 with the reference at 0: the DPO margin is the policy's log-ratio difference.
    assert_rel(lb.dpo_loss([margin], [0.0], [0.0], [0.0], beta=1.0), expected)


def test_at_margin_plus_1000_the_loss_is_the_tiny_true_value_not_a_rounding_artefact():
    # -log sigmoid(40) = log1p(e^-40) = 4.2e-18: log(sigmoid(40)) would round it to 0.
    assert_rel(lb.bradley_terry_loss([40.0], [0.0]), mp_softplus(-40))
    assert float(lb.bradley_terry_loss([1000.0], [0.0])) == 0.0  # e^-1000 is below the smallest double
    assert float(lb.dpo_loss([-1000.0], [0.0], [0.0], [0.0], beta=1.0)) == 1000.0


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_dpo_reductions_match_the_per_pair_definition(reduction):
    rng = np.random.default_rng(5)
    pc, pr, rc, rr = rng.normal(-50, 10, (4, 6))
    per_pair = [mp_softplus(-mpmath.mpf(0.3) * ((mpmath.mpf(w) - mpmath.mpf(y)) - (mpmath.mpf(x) - mpmath.mpf(z))))
                for w, x, y, z in zip(pc, pr, rc, rr)]
    got = lb.dpo_loss(pc, pr, rc, rr, beta=0.3, reduction=reduction)
    if reduction == "none":
        for value, expected in zip(got, per_pair):
            assert_rel(value, expected, 1e-12)
    else:
        total = mpmath.fsum(per_pair)
        assert_rel(got, total if reduction == "sum" else total / 6, 1e-12)


# --- properties ----------------------------------------------------------------------------------

finite = st.floats(-30, 30, allow_nan=False)


@st.composite
def logit_pair(draw):
    n, k = draw(st.integers(1, 5)), draw(st.integers(2, 6))
    return draw(arrays(np.float64, (n, k), elements=finite)), draw(arrays(np.float64, (n, k), elements=finite))


@SETTINGS
@given(logit_pair(), st.floats(0.1, 10.0))
def test_distillation_is_zero_for_a_copy_of_the_teacher_and_never_negative(pair, T):
    student, teacher = pair
    assert float(lb.distillation_loss(teacher, teacher, temperature=T)) == 0.0
    assert np.all(lb.distillation_loss(student, teacher, temperature=T, reduction="none") >= -1e-12)


@st.composite
def embedding_pair(draw):
    n, d = draw(st.integers(1, 6), ), draw(st.integers(1, 4))
    nonzero = st.floats(-5, 5).filter(lambda v: abs(v) > 1e-3)
    return draw(arrays(np.float64, (n, d), elements=nonzero)), draw(arrays(np.float64, (n, d), elements=nonzero))


@SETTINGS
@given(embedding_pair(), st.randoms(use_true_random=False), st.floats(0.01, 2.0))
def test_clip_and_siglip_losses_do_not_depend_on_the_order_of_the_pairs(pair, random, tau):
    a, b = pair
    order = list(range(len(a)))
    random.shuffle(order)
    assert np.isclose(lb.clip_loss(a[order], b[order], temperature=tau), lb.clip_loss(a, b, temperature=tau), rtol=1e-12)
    assert np.isclose(lb.siglip_loss(a[order], b[order], t=1 / tau), lb.siglip_loss(a, b, t=1 / tau), rtol=1e-12)


@SETTINGS
@given(arrays(np.float64, st.integers(1, 8), elements=st.floats(-300, 0)), st.floats(0.01, 5.0), st.data())
def test_dpo_is_bradley_terry_on_beta_scaled_log_ratios(pc, beta, data):
    others = [data.draw(arrays(np.float64, pc.shape, elements=st.floats(-300, 0))) for _ in range(3)]
    pr, rc, rr = others
    for reduction in ("mean", "sum", "none"):
        np.testing.assert_allclose(
            lb.dpo_loss(pc, pr, rc, rr, beta=beta, reduction=reduction),
            lb.bradley_terry_loss(beta * (pc - rc), beta * (pr - rr), reduction=reduction),
            rtol=1e-9, atol=1e-12)


@SETTINGS
@given(embedding_pair(), st.floats(0.01, 2.0))
def test_clip_loss_never_exceeds_log_n_plus_twice_the_largest_logit(pair, tau):
    a, b = pair
    assert 0 <= lb.clip_loss(a, b, temperature=tau) <= np.log(len(a)) + 2 / tau + 1e-9


# --- bad input -----------------------------------------------------------------------------------

Z = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]])
E = np.array([[1.0, 0.0], [0.3, 0.7]])


@pytest.mark.parametrize("call, error, pattern", [
    (lambda: lb.distillation_loss(Z, Z, temperature=0.0), ValueError, r"temperature must be a finite number > 0, got 0\.0"),
    (lambda: lb.distillation_loss(Z, Z, temperature=-2), ValueError, r"temperature .* got -2"),
    (lambda: lb.distillation_loss(Z, Z, temperature="2"), TypeError, r"temperature must be a positive number, got '2'"),
    (lambda: lb.distillation_loss(Z, Z[:, :2]), ValueError, r"shape \(2, 3\) but teacher_logits has shape \(2, 2\)"),
    (lambda: lb.distillation_loss(Z[0], Z[0]), ValueError, r"shape \(examples, classes\).*x\[None, :\]"),
    (lambda: lb.distillation_loss(Z, Z, reduction="mean"), ValueError, r"divides its 'mean' by .*reduction='batchmean'"),
    (lambda: lb.distillation_loss(Z, Z, reduction="avg"), ValueError, r"one of 'batchmean', 'sum' or 'none', got 'avg'"),
    (lambda: lb.distillation_loss([[np.nan, 1.0]], [[0.0, 1.0]]), ValueError, r"student_logits contains NaN"),
    (lambda: lb.clip_loss(E, E, temperature=0), ValueError, r"temperature must be a finite number > 0"),
    (lambda: lb.clip_loss(E, E[:1]), ValueError, r"a has shape \(2, 2\) but b has shape \(1, 2\)"),
    (lambda: lb.clip_loss(E, [[0.0, 0.0], [1.0, 1.0]]), ValueError, r"row 0 of b is all zeros"),
    (lambda: lb.clip_loss(E, [[np.nan, 0.0], [1.0, 1.0]]), ValueError, r"b contains NaN"),
    (lambda: lb.clip_loss(E, [[np.inf, 0.0], [1.0, 1.0]]), ValueError, r"b must be finite, got inf"),
    (lambda: lb.clip_loss(E[0], E[0]), ValueError, r"shape \(examples, dimensions\)"),
    (lambda: lb.siglip_loss(E, E, t=-1.0), ValueError, r"t must be a finite number > 0, got -1\.0"),
    (lambda: lb.siglip_loss(E, E, bias=np.inf), ValueError, r"bias must be finite"),
    (lambda: lb.siglip_loss(E, E, bias=None), TypeError, r"bias must be a real number, got None"),
    (lambda: lb.bradley_terry_loss([1.0, 2.0], [1.0]), ValueError, r"reward_chosen has shape \(2,\) but reward_rejected"),
    (lambda: lb.bradley_terry_loss([1.0], [np.nan]), ValueError, r"reward_rejected contains NaN"),
    (lambda: lb.bradley_terry_loss([1.0], [2.0], reduction="batchmean"), ValueError, r"'mean', 'sum' or 'none'"),
    (lambda: lb.bradley_terry_loss([], []), ValueError, r"reward_chosen is empty"),
    (lambda: lb.bradley_terry_loss(["a"], [1.0]), TypeError, r"reward_chosen must hold real numbers"),
    (lambda: lb.dpo_loss([1.0], [1.0], [1.0], [1.0], beta=0), ValueError, r"beta must be a finite number > 0, got 0"),
    (lambda: lb.dpo_loss([1.0], [1.0], [1.0], [1.0], beta=True), TypeError, r"beta must be a positive number, got True"),
    (lambda: lb.dpo_loss([1.0], [1.0], [1.0, 2.0], [1.0]), ValueError, r"reference_chosen_logps has shape \(2,\)"),
    (lambda: lb.dpo_loss([1.0], [1.0], [1.0], [np.nan]), ValueError, r"reference_rejected_logps contains NaN"),
    (lambda: lb.dpo_loss([1.0], [1.0], [1.0], [1.0], reduction="max"), ValueError, r"got 'max'"),
])
def test_bad_input_raises_an_error_that_says_how_to_fix_it(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


def test_no_input_is_modified():
    rng = np.random.default_rng(6)
    arrays_ = [rng.normal(size=(3, 4)) for _ in range(2)] + [rng.normal(size=5) for _ in range(4)]
    copies = [x.copy() for x in arrays_]
    for x in arrays_:
        x.flags.writeable = False  # any in-place write raises
    s, t, pc, pr, rc, rr = arrays_
    for reduction in ("batchmean", "sum", "none"):
        lb.distillation_loss(s, t, temperature=3.0, reduction=reduction)
    lb.clip_loss(s, t)
    lb.siglip_loss(s, t)
    lb.cosine_similarities(s, t)
    lb.bradley_terry_loss(pc, pr, reduction="none")
    lb.dpo_loss(pc, pr, rc, rr, reduction="none")
    for x, copy in zip(arrays_, copies):
        np.testing.assert_array_equal(x, copy)


@pytest.mark.parametrize("loss", [
    lambda T: lb.distillation_loss([[1.0, 0.0]], [[0.0, 1.0]], temperature=T),
    lambda T: lb.clip_loss([[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]], temperature=T),
], ids=["distillation", "clip"])
def test_a_temperature_too_small_for_the_logits_is_named_not_the_logits(loss):
    with pytest.raises(ValueError, match=r"temperature=1e-310 is so small that the logits divided by it overflow"):
        loss(1e-310)
    assert np.isfinite(loss(1e-300))  # small, but the logits still fit


@pytest.mark.parametrize("bad, words", [(np.inf, r"teacher_logits contains \+inf at index \(0, 0\)"),
                                        (np.nan, r"teacher_logits contains NaN")])
def test_a_bad_teacher_logit_is_blamed_on_the_teacher(bad, words):
    with pytest.raises(ValueError, match=words):
        lb.distillation_loss([[1.0, 0.0]], [[bad, 0.0]])
