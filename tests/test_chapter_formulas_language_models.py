"""The formulas of the language-model chapter, each checked numerically against an independent
reference: mpmath, finite differences, a direct count, or torch."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lossbook as lb

mpmath.mp.dps = 40


def mp_log_softmax_at(row, k):
    values = [mpmath.mpf(float(v)) for v in row]
    return values[k] - mpmath.log(mpmath.fsum(mpmath.exp(v) for v in values))


def test_eq_lm_next_token_is_the_chain_rule_of_a_sequence_probability():
    # A model whose next-token probabilities are a fixed table (a bigram): the probability of the
    # whole sequence, multiplied out in 40 digits, against the mean loss with shifted targets.
    rng = np.random.default_rng(0)
    table = rng.normal(size=(6, 6)) * 2
    ids = rng.integers(0, 6, 30)
    log_prob = mpmath.fsum(mp_log_softmax_at(table[a], b) for a, b in zip(ids[:-1], ids[1:]))
    loss = lb.cross_entropy(table[ids[:-1]], ids[1:], from_logits=True)
    assert float(loss) == pytest.approx(float(-log_prob / (len(ids) - 1)), rel=1e-13)


def masked_batch(seed):
    rng = np.random.default_rng(seed)
    losses = rng.gamma(2.0, 1.0, (4, 9))
    lengths = np.array([9, 2, 5, 1])
    mask = np.arange(9)[None, :] < lengths[:, None]
    return losses, mask, lengths


def test_eq_lm_token_mean_equals_the_mean_over_the_real_tokens_alone():
    losses, mask, lengths = masked_batch(1)
    real = np.concatenate([losses[b, :n] for b, n in enumerate(lengths)])
    formula = (mask * losses).sum() / mask.sum()
    assert formula == pytest.approx(math.fsum(real) / len(real), rel=1e-14)


def test_eq_lm_token_mean_is_what_ignore_index_computes():
    rng = np.random.default_rng(2)
    z = rng.normal(size=(3, 7, 5))
    y = rng.integers(0, 5, (3, 7))
    y[1, 3:] = -100
    y[2, 1:] = -100
    mask = y != -100
    per = lb.cross_entropy(z, y, from_logits=True, reduction="none", ignore_index=-100)
    expected = math.fsum(-float(mp_log_softmax_at(z[b, t], y[b, t])) for b, t in zip(*np.nonzero(mask))) / mask.sum()
    assert float(lb.cross_entropy(z, y, from_logits=True, ignore_index=-100)) == pytest.approx(expected, rel=1e-13)
    assert (per * mask).sum() / mask.sum() == pytest.approx(expected, rel=1e-13)


def test_eq_lm_seq_mean_weighs_every_sequence_equally():
    losses, mask, lengths = masked_batch(3)
    per_sequence = [math.fsum(losses[b, :n]) / n for b, n in enumerate(lengths)]
    formula = np.mean((mask * losses).sum(axis=1) / mask.sum(axis=1))
    assert formula == pytest.approx(math.fsum(per_sequence) / len(per_sequence), rel=1e-14)
    # Doubling one sequence's tokens (repeating them) leaves its weight in the sequence mean unchanged.
    assert per_sequence[0] == pytest.approx(np.mean(np.tile(losses[0], 2)), rel=1e-14)


@settings(max_examples=50, deadline=None)
@given(counts=st.lists(st.integers(1, 50), min_size=2, max_size=6), seed=st.integers(0, 2**32 - 1))
def test_eq_lm_accum_summed_then_divided_once_is_the_whole_batch_mean(counts, seed):
    rng = np.random.default_rng(seed)
    parts = [rng.gamma(2.0, 1.0, n) for n in counts]
    whole = math.fsum(np.concatenate(parts)) / sum(counts)
    fixed = sum(p.sum() for p in parts) / sum(counts)
    assert fixed == pytest.approx(whole, rel=1e-13)
    mean_of_means = np.mean([p.mean() for p in parts])
    if len(set(counts)) == 1:
        assert mean_of_means == pytest.approx(whole, rel=1e-13)


def test_eq_lm_accum_the_mean_of_means_differs_when_counts_differ():
    parts = [np.full(10, 1.0), np.full(1, 5.0)]
    assert np.mean([p.mean() for p in parts]) == 3.0
    assert sum(p.sum() for p in parts) / 11 == pytest.approx(15 / 11)


def test_eq_lm_perplexity_of_a_uniform_model_is_the_vocabulary_size():
    for v in (2, 16, 50257):
        loss = lb.cross_entropy(np.zeros((3, v)), [0, 1, v - 1], from_logits=True)
        assert math.exp(float(loss)) == pytest.approx(v, rel=1e-12)


def test_eq_lm_perplexity_is_the_inverse_geometric_mean_probability():
    p = np.array([0.5, 0.1, 0.9, 0.25])
    geometric = mpmath.power(mpmath.fprod([mpmath.mpf(float(v)) for v in p]), mpmath.mpf(1) / 4)
    assert math.exp(-np.mean(np.log(p))) == pytest.approx(float(1 / geometric), rel=1e-13)


def test_eq_lm_bpc_does_not_depend_on_how_the_text_is_cut_into_tokens():
    # One model of a text, scored per character and per two-character token: the same bits in all.
    rng = np.random.default_rng(4)
    char_log_probs = np.log(rng.uniform(0.05, 1.0, 40))     # ln p of each of 40 characters
    token_log_probs = char_log_probs.reshape(20, 2).sum(axis=1)  # a pair's probability is the product
    char_loss, token_loss = -char_log_probs.mean(), -token_log_probs.mean()
    bpc_chars = 40 / 40 * char_loss / math.log(2)
    bpc_tokens = 20 / 40 * token_loss / math.log(2)
    assert bpc_tokens == pytest.approx(bpc_chars, rel=1e-14)
    assert math.exp(token_loss) == pytest.approx(math.exp(char_loss) ** 2, rel=1e-12)  # perplexities differ
    assert bpc_chars == pytest.approx(-math.fsum(np.log2(np.exp(char_log_probs))) / 40, rel=1e-12)


def test_eq_lm_linear_grad_matches_finite_differences():
    rng = np.random.default_rng(5)
    h, w, b = rng.normal(size=(6, 3)), rng.normal(size=(4, 3)), rng.normal(size=4)
    y = rng.integers(0, 4, 6)
    z = h @ w.T + b
    g = (lb.softmax(z) - np.eye(4)[y]) / len(y)
    formulas = {"h": g @ w, "w": g.T @ h, "b": g.sum(axis=0)}

    def loss(hh, ww, bb):
        return float(lb.cross_entropy(hh @ ww.T + bb, y, from_logits=True))

    numeric = {
        "h": lb.numerical_gradient(lambda x: loss(x, w, b), h),
        "w": lb.numerical_gradient(lambda x: loss(h, x, b), w),
        "b": lb.numerical_gradient(lambda x: loss(h, w, x), b),
    }
    for name in formulas:
        np.testing.assert_allclose(formulas[name], numeric[name], atol=1e-8)
    for got, name in zip(lb.linear_cross_entropy_grad(h, w, y, bias=b), "hwb"):
        np.testing.assert_allclose(got, formulas[name], rtol=1e-12, atol=1e-15)


def test_eq_lm_logits_bytes_equals_a_float32_arrays_nbytes():
    b, t, v = 2, 3, 5
    assert np.zeros((b, t, v), dtype=np.float32).nbytes == b * t * v * 4
    assert 8 * 4096 * 128_256 * 4 / 2**30 == pytest.approx(15.66, abs=0.01)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), block=st.integers(1, 40), scale=st.sampled_from([1.0, 50.0, 700.0]))
def test_eq_lm_online_lse_update_equals_the_40_digit_logsumexp(seed, block, scale):
    z = np.random.default_rng(seed).normal(size=37) * scale
    m, s = -math.inf, 0.0
    for start in range(0, len(z), block):
        part = z[start:start + block]
        new_m = max(m, float(part.max()))
        s = s * math.exp(m - new_m) + float(np.exp(part - new_m).sum())
        m = new_m
    exact = mpmath.log(mpmath.fsum(mpmath.exp(mpmath.mpf(float(v))) for v in z))
    assert m + math.log(s) == pytest.approx(float(exact), rel=1e-13, abs=1e-13)


def test_eq_lm_zloss_gradient_matches_finite_differences_and_sums_to_its_pull():
    z = np.random.default_rng(6).normal(size=7) + 30.0

    def z_loss(v):
        return 1e-4 * float(mpmath.log(mpmath.fsum(mpmath.exp(mpmath.mpf(float(x))) for x in v))) ** 2

    log_z = lb.logsumexp(z)
    formula = 2e-4 * log_z * lb.softmax(z)
    np.testing.assert_allclose(formula, lb.numerical_gradient(z_loss, z), rtol=1e-6)
    assert formula.sum() == pytest.approx(2e-4 * log_z, rel=1e-12)
    assert z_loss(z) == pytest.approx(1e-4 * log_z**2, rel=1e-12)


def test_torch_reads_the_second_axis_of_btv_logits_as_the_classes():
    """The chapter's claim: (B, T, V) logits with (B, T) targets fail in torch unless T == V, and
    then compute a different loss."""
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    rng = np.random.default_rng(7)
    z, y = torch.tensor(rng.normal(size=(2, 3, 5))), torch.tensor(rng.integers(0, 5, (2, 3)))
    with pytest.raises(RuntimeError):
        F.cross_entropy(z, y)
    right = F.cross_entropy(z.reshape(-1, 5), y.reshape(-1))
    assert float(F.cross_entropy(z.transpose(1, 2), y)) == pytest.approx(float(right), rel=1e-12)
    square, ys = torch.tensor(rng.normal(size=(2, 4, 4))), torch.tensor(rng.integers(0, 4, (2, 4)))
    wrong = F.cross_entropy(square, ys)  # no error: torch reads axis 1 (time) as the classes
    assert float(wrong) != pytest.approx(float(F.cross_entropy(square.reshape(-1, 4), ys.reshape(-1))), rel=1e-6)


def test_bfloat16_rounds_to_within_2_to_the_minus_8_and_is_2_apart_between_256_and_512():
    """The chapter's statements about the format, checked on ml_dtypes' bfloat16."""
    ml_dtypes = pytest.importorskip("ml_dtypes")
    bf16 = ml_dtypes.bfloat16
    x = np.random.default_rng(8).standard_normal(100_000).astype(np.float32) * 100
    rounded = x.astype(bf16).astype(np.float32)
    assert np.max(np.abs(rounded - x) / np.abs(x)) <= 2.0**-8
    assert float(bf16(257.0)) == 256.0 and float(bf16(258.0)) == 258.0 and float(bf16(511.0)) == 512.0
    # A running bfloat16 sum stalls: adding 0.01 forty thousand times stops far short of 400.
    assert float(np.full(40_000, 0.01, dtype=bf16).sum()) < 10
