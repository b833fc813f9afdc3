"""linear_cross_entropy and its gradient without torch: references from mpmath and finite
differences, hypothesis properties, bad input, inputs left unchanged, and the memory promise."""

from __future__ import annotations

import tracemalloc

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lossbook as lb
from lossbook.linear_cross_entropy import default_chunk_size

mpmath.mp.dps = 40


def problem(seed, n=12, d=5, v=9, scale=1.0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((n, d)) * scale, rng.standard_normal((v, d)), rng.standard_normal(v),
            rng.integers(0, v, n))


def mp_token_losses(h, w, b, labels):
    """-log softmax(W h + b)[y] per row, from the definition in 40 digits."""
    out = []
    for row, y in zip(h, labels):
        z = [mpmath.fsum(mpmath.mpf(float(a)) * mpmath.mpf(float(c)) for a, c in zip(wr, row)) + mpmath.mpf(float(bj))
             for wr, bj in zip(w, b)]
        out.append(mpmath.log(mpmath.fsum(mpmath.exp(zj) for zj in z)) - z[y])
    return out


@pytest.mark.parametrize("scale", [1.0, 30.0, 300.0])
def test_values_match_a_40_digit_reference_in_every_reduction(scale):
    h, w, b, y = problem(1, scale=scale)
    reference = [float(x) for x in mp_token_losses(h, w, b, y)]
    got = lb.linear_cross_entropy(h, w, y, bias=b, reduction="none", chunk_size=5)
    np.testing.assert_allclose(got, reference, rtol=1e-12)
    assert float(lb.linear_cross_entropy(h, w, y, bias=b, reduction="sum")) == pytest.approx(sum(reference), rel=1e-12)
    assert float(lb.linear_cross_entropy(h, w, y, bias=b)) == pytest.approx(np.mean(reference), rel=1e-12)


def test_gradients_match_central_differences_of_the_mp_reference():
    h, w, b, y = problem(2, n=4, d=3, v=5)
    d_h, d_w, d_b = lb.linear_cross_entropy_grad(h, w, y, bias=b, chunk_size=3)

    def mean_loss(hh, ww, bb):
        return mpmath.fsum(mp_token_losses(hh, ww, bb, y)) / len(y)

    step = 1e-7
    for array, grad, name in ((h, d_h, "h"), (w, d_w, "w"), (b, d_b, "b")):
        for index in np.ndindex(array.shape):
            plus, minus = array.copy(), array.copy()
            plus[index] += step
            minus[index] -= step
            args = {"h": (h, w, b), "w": (h, w, b), "b": (h, w, b)}[name]
            swap = {"h": 0, "w": 1, "b": 2}[name]
            up = list(args); up[swap] = plus
            down = list(args); down[swap] = minus
            numeric = float((mean_loss(*up) - mean_loss(*down)) / (2 * step))
            assert grad[index] == pytest.approx(numeric, abs=1e-8), (name, index)


def test_ignored_rows_count_zero_and_leave_the_mean():
    h, w, b, y = problem(3)
    padded = y.copy()
    padded[[1, 4, 5]] = -100
    kept = padded != -100
    full = lb.linear_cross_entropy(h, w, y, bias=b, reduction="none")
    got = lb.linear_cross_entropy(h, w, padded, bias=b, ignore_index=-100, reduction="none")
    np.testing.assert_array_equal(got[~kept], 0.0)
    np.testing.assert_allclose(got[kept], full[kept], rtol=1e-14)
    mean = lb.linear_cross_entropy(h, w, padded, bias=b, ignore_index=-100)
    assert mean == pytest.approx(full[kept].mean(), rel=1e-14)
    d_h = lb.linear_cross_entropy_grad(h, w, padded, bias=b, ignore_index=-100)[0]
    np.testing.assert_array_equal(d_h[~kept], 0.0)


def test_batch_time_inputs_give_the_flattened_result_in_their_shape():
    h, w, b, y = problem(4, n=12)
    h3, y3 = h.reshape(3, 4, -1), y.reshape(3, 4)
    flat = lb.linear_cross_entropy(h, w, y, bias=b, reduction="none")
    np.testing.assert_array_equal(lb.linear_cross_entropy(h3, w, y3, bias=b, reduction="none"), flat.reshape(3, 4))
    d_h3 = lb.linear_cross_entropy_grad(h3, w, y3, bias=b)[0]
    assert d_h3.shape == h3.shape


def test_float32_inputs_stay_float32_and_are_accurate_to_float32_rounding():
    h, w, b, y = problem(5, n=64, d=16, v=300)
    exact = lb.linear_cross_entropy(h.astype(np.float32).astype(float), w.astype(np.float32).astype(float), y)
    got = lb.linear_cross_entropy(h.astype(np.float32), w.astype(np.float32), y)
    assert got == pytest.approx(exact, rel=1e-6)
    grads = lb.linear_cross_entropy_grad(h.astype(np.float32), w.astype(np.float32), y, bias=b.astype(np.float32))
    assert all(g.dtype == np.float32 for g in grads)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), chunk=st.integers(1, 20), n=st.integers(1, 20))
def test_the_chunk_size_never_changes_the_result(seed, chunk, n):
    h, w, b, y = problem(seed, n=n)
    one_block = lb.linear_cross_entropy(h, w, y, bias=b, reduction="none", chunk_size=n)
    np.testing.assert_allclose(lb.linear_cross_entropy(h, w, y, bias=b, reduction="none", chunk_size=chunk),
                               one_block, rtol=1e-13, atol=0)
    for got, whole in zip(lb.linear_cross_entropy_grad(h, w, y, bias=b, chunk_size=chunk),
                          lb.linear_cross_entropy_grad(h, w, y, bias=b, chunk_size=n)):
        np.testing.assert_allclose(got, whole, rtol=1e-12, atol=1e-15)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), shift=st.floats(-500, 500))
def test_shifting_every_logit_of_a_row_never_changes_the_result(seed, shift):
    # A constant bias shift moves every logit of every row by the same amount.
    h, w, b, y = problem(seed)
    base = lb.linear_cross_entropy(h, w, y, bias=b, reduction="none")
    moved = lb.linear_cross_entropy(h, w, y, bias=b + shift, reduction="none")
    np.testing.assert_allclose(moved, base, rtol=1e-9, atol=1e-9 * (1 + abs(shift)))
    d_base, d_moved = (lb.linear_cross_entropy_grad(h, w, y, bias=bb)[0] for bb in (b, b + shift))
    np.testing.assert_allclose(d_moved, d_base, atol=1e-9)


@pytest.mark.parametrize("kwargs, error, words", [
    ({"hidden": np.ones((4, 3)), "weight": np.ones((7, 2))}, ValueError, "width d=3"),
    ({"targets": np.array([0, 1, 9, 2])}, ValueError, "only 7 classes"),
    ({"targets": np.array([0, 1, -5, 2]), "ignore_index": -100}, ValueError, "ignore_index=-100"),
    ({"chunk_size": 0}, ValueError, "chunk_size must be at least 1"),
    ({"chunk_size": 2.5}, TypeError, "chunk_size must be a whole number"),
    ({"targets": np.array([[0, 1, 2, 3]])}, ValueError, "pass one class index per token row, shape (4,)"),
    ({"targets": np.full(4, -100), "ignore_index": -100}, ValueError, "every target is ignored"),
    ({"targets": np.array(["a", "b", "c", "d"])}, TypeError, "integer class indices"),
    ({"weight": np.ones(2)}, ValueError, "(V, d)"),
    ({"bias": np.ones(3)}, ValueError, "one bias per vocabulary entry"),
    ({"reduction": "avg"}, ValueError, "reduction must be one of"),
    ({"hidden": np.full((4, 2), np.nan)}, ValueError, "hidden contains NaN"),
])
def test_bad_input_names_the_fix(kwargs, error, words):
    call = {"hidden": np.ones((4, 2)), "weight": np.ones((7, 2)), "targets": np.array([0, 1, 2, 3])} | kwargs
    hidden, weight, targets = call.pop("hidden"), call.pop("weight"), call.pop("targets")
    for function in (lb.linear_cross_entropy, lb.linear_cross_entropy_grad):
        with pytest.raises(error, match=None) as caught:
            function(hidden, weight, targets, **call)
        assert words in str(caught.value)


def test_every_target_ignored_sums_to_zero():
    assert lb.linear_cross_entropy(np.ones((2, 2)), np.ones((3, 2)), [-1, -1], ignore_index=-1, reduction="sum") == 0.0


def test_inputs_are_never_modified():
    h, w, b, y = problem(6)
    y = y.copy()
    y[0] = -100
    frozen = [a.copy() for a in (h, w, b, y)]
    for a in frozen:
        a.flags.writeable = False
    for function in (lb.linear_cross_entropy, lb.linear_cross_entropy_grad):
        function(frozen[0], frozen[1], frozen[3], bias=frozen[2], ignore_index=-100, chunk_size=5)
    for before, after in zip((h, w, b, y), frozen):
        np.testing.assert_array_equal(before, after)


def test_peak_memory_stays_under_a_quarter_of_the_float32_logits():
    n, d, v = 1024, 16, 8192
    rng = np.random.default_rng(7)
    h, w, y = rng.standard_normal((n, d)), rng.standard_normal((v, d)) * 0.1, rng.integers(0, v, n)
    logits_bytes = n * v * 4
    for function in (lb.linear_cross_entropy, lb.linear_cross_entropy_grad):
        tracemalloc.start()
        function(h, w, y)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < logits_bytes / 4, (function.__name__, peak, logits_bytes)


def test_default_chunk_holds_at_most_a_sixteenth_of_the_rows_and_2_to_the_21_logits():
    for n, v in ((2048, 32768), (100_000, 50), (3, 10), (40, 1_000_000)):
        chunk = default_chunk_size(n, v)
        assert 1 <= chunk <= max(1, -(-n // 16))
        assert chunk == 1 or chunk * v <= 2**21


def test_zero_width_hidden_states_leave_the_bias_as_the_logits():
    """With d = 0 every logit is its bias: the loss is the cross-entropy of the bias row."""
    bias = np.array([1.0, 0.0, -2.0])
    got = lb.linear_cross_entropy(np.zeros((2, 0)), np.zeros((3, 0)), [0, 2], bias=bias)
    assert got == pytest.approx(float(np.mean([np.log(np.exp(bias).sum()) - bias[t] for t in (0, 2)])), rel=1e-15)
