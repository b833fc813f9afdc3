"""Every formula stated in the chapter Losses between pairs, checked numerically against references
that do not share lossbook's code: mpmath at 50 digits (values and derivatives), scipy's
minimiser, a Gaussian pair whose mutual information is known in closed form, and torch where it
is installed.

Each test is named after the label of the equation it checks (``eq-pairs-dpo-grad`` is checked
by ``test_eq_pairs_dpo_grad_...``); tests/test_equation_coverage.py makes sure no labelled
equation is left without one.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import scipy.optimize
import scipy.special
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import lossbook as lb

mpmath.mp.dps = 50
SETTINGS = settings(max_examples=40, deadline=None)
TEACHER = np.array([9.0, 5.0, 4.0, 0.5, 0.0, -1.0])  # the chapter's teacher


def mp_softmax(row, T=1):
    z = [mpmath.mpf(float(v)) / mpmath.mpf(T) for v in row]
    total = mpmath.fsum(mpmath.exp(v) for v in z)
    return [mpmath.exp(v) / total for v in z]


def mp_sigmoid(x):
    return 1 / (1 + mpmath.exp(-mpmath.mpf(x)))


# --- distillation -------------------------------------------------------------------------------

@pytest.mark.parametrize("T", [1.0, 2.0, 5.0, 10.0])
def test_eq_pairs_soft_target_is_the_softmax_of_logits_over_t(T):
    expected = mp_softmax(TEACHER, T)
    np.testing.assert_allclose(lb.softmax(TEACHER / T), [float(v) for v in expected], rtol=1e-14)


def test_eq_pairs_soft_target_keeps_the_order_and_flattens_towards_uniform():
    entropies = [float(lb.entropy(lb.softmax(TEACHER / T))) for T in (1, 2, 5, 10, 1e6)]
    assert entropies == sorted(entropies)
    assert abs(entropies[-1] - np.log(6)) < 1e-9
    for T in (1, 2, 5, 10):
        assert list(np.argsort(lb.softmax(TEACHER / T))) == list(np.argsort(TEACHER))


@pytest.mark.parametrize("T", [1.0, 3.0, 8.0])
def test_eq_pairs_distill_is_t_squared_times_the_kl_divergence(T):
    rng = np.random.default_rng(int(T))
    s, t = rng.normal(0, 3, (4, 6)), rng.normal(0, 3, (4, 6))
    for row, value in enumerate(lb.distillation_loss(s, t, temperature=T, reduction="none")):
        p, q = mp_softmax(t[row], T), mp_softmax(s[row], T)
        expected = T**2 * mpmath.fsum(pk * mpmath.log(pk / qk) for pk, qk in zip(p, q))
        assert abs(value - float(expected)) <= 1e-11 * float(expected)


def test_eq_pairs_distill_is_soft_cross_entropy_minus_the_teachers_entropy():
    rng = np.random.default_rng(2)
    s, t, T = rng.normal(0, 3, (5, 6)), rng.normal(0, 3, (5, 6)), 4.0
    p = lb.softmax(t / T)
    soft_ce = lb.cross_entropy(s / T, p, from_logits=True, reduction="none")
    np.testing.assert_allclose(lb.distillation_loss(s, t, temperature=T, reduction="none"),
                               T**2 * (soft_ce - lb.entropy(p)), rtol=1e-10)


def mp_kl_gradient(s, t, T, k):
    """d/ds_k of KL(softmax(t/T) || softmax(s/T)), differentiated by mpmath."""
    p = mp_softmax(t, T)

    def kl(x):
        s_ = [mpmath.mpf(float(v)) for v in s]
        s_[k] = x
        z = [v / mpmath.mpf(T) for v in s_]
        lse = mpmath.log(mpmath.fsum(mpmath.exp(v) for v in z))
        return mpmath.fsum(pk * (mpmath.log(pk) - (zk - lse)) for pk, zk in zip(p, z))

    return mpmath.diff(kl, mpmath.mpf(float(s[k])))


@pytest.mark.parametrize("T", [1.0, 2.0, 7.0])
def test_eq_pairs_distill_grad_is_q_minus_p_over_t(T):
    student = np.random.default_rng(3).normal(0.0, 2.0, size=6)
    closed_form = (lb.softmax(student / T) - lb.softmax(TEACHER / T)) / T
    for k in range(6):
        assert abs(closed_form[k] - float(mp_kl_gradient(student, TEACHER, T, k))) <= 1e-14


def test_eq_pairs_distill_grad_agrees_with_torch_autograd():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    student = torch.tensor(np.random.default_rng(4).normal(0.0, 2.0, size=(1, 6)), requires_grad=True)
    T = 3.0
    F.kl_div(F.log_softmax(student / T, dim=-1), F.log_softmax(torch.tensor(TEACHER[None]) / T, dim=-1),
             log_target=True, reduction="batchmean").backward()
    closed_form = (lb.softmax(student.detach().numpy() / T) - lb.softmax(TEACHER[None] / T)) / T
    np.testing.assert_allclose(student.grad.numpy(), closed_form, rtol=1e-12, atol=1e-15)


def test_eq_pairs_distill_limit_the_scaled_gradient_tends_to_centred_logit_differences():
    student = np.random.default_rng(3).normal(0.0, 2.0, size=6)
    limit = ((student - student.mean()) - (TEACHER - TEACHER.mean())) / 6
    errors = []
    for T in (1e2, 1e3, 1e4):
        scaled = T * (lb.softmax(student / T) - lb.softmax(TEACHER / T))   # T^2 times (q - p) / T
        errors.append(np.max(np.abs(scaled - limit)))
    # The first-order expansion leaves an error of order 1/T: ten times less per decade.
    assert errors[-1] < 1e-3 and errors[0] / errors[1] > 8 and errors[1] / errors[2] > 8


def test_eq_pairs_distill_limit_unscaled_gradient_shrinks_like_one_over_t_squared():
    student = np.random.default_rng(3).normal(0.0, 2.0, size=6)
    norm = {T: np.linalg.norm((lb.softmax(student / T) - lb.softmax(TEACHER / T)) / T) for T in (100.0, 1000.0)}
    assert norm[100.0] / norm[1000.0] == pytest.approx(100.0, rel=0.02)


# --- contrastive --------------------------------------------------------------------------------

def test_eq_pairs_clip_is_the_mean_of_row_and_column_cross_entropies_written_as_loops():
    rng = np.random.default_rng(5)
    a, b, tau = rng.normal(size=(4, 3)), rng.normal(size=(4, 3)), 0.2
    ua = a / np.linalg.norm(a, axis=1, keepdims=True)
    ub = b / np.linalg.norm(b, axis=1, keepdims=True)
    S = [[mpmath.fsum(mpmath.mpf(x) * mpmath.mpf(y) for x, y in zip(ra, rb)) / mpmath.mpf(tau) for rb in ub] for ra in ua]
    total = mpmath.mpf(0)
    for i in range(4):
        total -= mpmath.log(mpmath.exp(S[i][i]) / mpmath.fsum(mpmath.exp(S[i][j]) for j in range(4)))
        total -= mpmath.log(mpmath.exp(S[i][i]) / mpmath.fsum(mpmath.exp(S[j][i]) for j in range(4)))
    assert abs(lb.clip_loss(a, b, temperature=tau) - float(total / 8)) <= 1e-12 * float(total / 8)


@SETTINGS
@given(st.integers(2, 6), st.integers(2, 5), st.floats(0.05, 2.0), st.integers(0, 2**32 - 1))
def test_eq_pairs_clip_floor_no_batch_goes_below_it(B, d, tau, seed):
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=(B, d)), rng.normal(size=(B, d))
    assert lb.clip_loss(a, b, temperature=tau) >= np.log1p((B - 1) * np.exp(-2 / tau)) - 1e-12


@pytest.mark.parametrize("tau", [0.07, 0.5, 1.0])
def test_eq_pairs_clip_floor_is_reached_by_two_opposite_pairs(tau):
    a = np.array([[1.0, 0.0], [-1.0, 0.0]])
    expected = mpmath.log1p(mpmath.exp(-2 / mpmath.mpf(tau)))
    assert abs(lb.clip_loss(a, a, temperature=tau) - float(expected)) <= 1e-14 * float(expected) + 1e-300


def test_eq_pairs_infonce_bounds_the_known_mutual_information_of_a_gaussian_pair_from_below():
    """x ~ N(0, 1), y = rho x + noise: I(x; y) = -ln(1 - rho^2) / 2. With the best critic, the
    log density ratio, ln B - InfoNCE approaches I from below as B grows, and never exceeds ln B."""
    rho = 0.9
    mi = -0.5 * np.log(1 - rho**2)
    rng = np.random.default_rng(6)
    bounds = {}
    for B in (4, 64, 512):
        estimates = []
        for _ in range(200 if B < 512 else 30):
            x = rng.normal(size=B)
            y = rho * x + np.sqrt(1 - rho**2) * rng.normal(size=B)
            # The best critic: the log density ratio ln p(y_j | x_i) - ln p(y_j), up to a constant.
            scores = -(y[None, :] - rho * x[:, None]) ** 2 / (2 * (1 - rho**2)) + y[None, :] ** 2 / 2
            estimates.append(np.log(B) - lb.cross_entropy(scores, np.arange(B), from_logits=True))
        bounds[B] = (np.mean(estimates), np.std(estimates) / np.sqrt(len(estimates)))
        assert bounds[B][0] <= np.log(B)
        assert bounds[B][0] <= mi + 3 * bounds[B][1]
    assert bounds[4][0] < bounds[64][0] < bounds[512][0]
    assert bounds[512][0] > mi - 0.05


@SETTINGS
@given(arrays(np.float64, (4, 4), elements=st.floats(-50, 50)))
def test_eq_pairs_infonce_the_bound_never_exceeds_log_b(scores):
    assert np.log(4) - lb.cross_entropy(scores, np.arange(4), from_logits=True) <= np.log(4) + 1e-12


def test_eq_pairs_siglip_is_one_binary_cross_entropy_per_cell_written_as_a_loop():
    rng = np.random.default_rng(7)
    a, b, t, bias = rng.normal(size=(3, 4)), rng.normal(size=(3, 4)), 10.0, -10.0
    ua = a / np.linalg.norm(a, axis=1, keepdims=True)
    ub = b / np.linalg.norm(b, axis=1, keepdims=True)
    total = mpmath.mpf(0)
    for i in range(3):
        for j in range(3):
            logit = t * mpmath.fsum(mpmath.mpf(x) * mpmath.mpf(y) for x, y in zip(ua[i], ub[j])) + bias
            total -= mpmath.log(mp_sigmoid(logit if i == j else -logit))
    assert abs(lb.siglip_loss(a, b, t=t, bias=bias) - float(total / 3)) <= 1e-12 * float(total / 3)


@pytest.mark.parametrize("B", [2, 5, 256, 32_768])
def test_eq_pairs_siglip_bias_minimises_the_starting_loss(B):
    def start(b):  # every similarity 0: B positives and B^2 - B negatives, all at logit b
        return (B * np.logaddexp(0, -b) + (B * B - B) * np.logaddexp(0, b)) / B

    found = scipy.optimize.minimize_scalar(start, bounds=(-20, 5), method="bounded", options={"xatol": 1e-10})
    assert abs(found.x - (-np.log(B - 1))) < 1e-6
    assert scipy.special.expit(-np.log(B - 1)) == pytest.approx(1 / B, rel=1e-12)


# --- preferences --------------------------------------------------------------------------------

@pytest.mark.parametrize("rc, rr", [(1.0, 0.0), (-3.0, 2.5), (40.0, -40.0), (500.0, 1500.0)])
def test_eq_pairs_bt_probability_and_loss(rc, rr):
    p = mpmath.exp(mpmath.mpf(rc)) / (mpmath.exp(mpmath.mpf(rc)) + mpmath.exp(mpmath.mpf(rr)))
    assert float(lb.sigmoid(rc - rr)) == pytest.approx(float(p), rel=1e-14, abs=1e-300)
    expected = -mpmath.log(p)
    assert float(lb.bradley_terry_loss([rc], [rr])) == pytest.approx(float(expected), rel=1e-14)


def test_eq_pairs_bt_maximum_likelihood_recovers_the_reward_differences():
    """Preferences drawn from known rewards; minimising the loss over the rewards finds them."""
    rng = np.random.default_rng(8)
    true = np.array([0.0, 0.7, -1.2, 2.0])
    i, j = rng.integers(0, 4, (2, 40_000))
    i, j = i[i != j], j[i != j]
    first_wins = rng.random(len(i)) < scipy.special.expit(true[i] - true[j])
    chosen, rejected = np.where(first_wins, i, j), np.where(first_wins, j, i)

    def loss(r):
        return float(lb.bradley_terry_loss(np.r_[0.0, r][chosen], np.r_[0.0, r][rejected]))

    fitted = scipy.optimize.minimize(loss, np.zeros(3), method="BFGS").x
    np.testing.assert_allclose(fitted, true[1:], atol=0.05)


@pytest.mark.parametrize("beta", [0.01, 0.1, 1.0])
def test_eq_pairs_dpo_matches_the_definition(beta):
    logps = [-40.0, -52.5, -45.0, -47.25]
    pc, pr, rc, rr = (mpmath.mpf(v) for v in logps)
    expected = -mpmath.log(mp_sigmoid(mpmath.mpf(beta) * ((pc - rc) - (pr - rr))))
    assert float(lb.dpo_loss(*[[v] for v in logps], beta=beta)) == pytest.approx(float(expected), rel=1e-13)


@pytest.mark.parametrize("beta", [0.01, 0.1, 0.5, 2.0])
def test_eq_pairs_dpo_grad_is_beta_sigma_of_minus_the_margin(beta):
    logps = [-40.0, -52.0, -45.0, -47.0]
    m = beta * ((logps[0] - logps[2]) - (logps[1] - logps[3]))
    weight = float(mp_sigmoid(-m))

    def loss_at(index):
        def f(x):
            v = [mpmath.mpf(u) for u in logps]
            v[index] = x
            return -mpmath.log(mp_sigmoid(mpmath.mpf(beta) * ((v[0] - v[2]) - (v[1] - v[3]))))
        return f

    d_chosen = float(mpmath.diff(loss_at(0), mpmath.mpf(logps[0])))
    d_rejected = float(mpmath.diff(loss_at(1), mpmath.mpf(logps[1])))
    assert d_chosen == pytest.approx(-beta * weight, rel=1e-12)
    assert d_rejected == pytest.approx(beta * weight, rel=1e-12)
    numeric = lb.numerical_gradient(lambda v: lb.dpo_loss(v[:1], v[1:2], v[2:3], v[3:], beta=beta), logps)
    np.testing.assert_allclose(numeric[:2], [-beta * weight, beta * weight], rtol=1e-6)
