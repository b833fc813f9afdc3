"""Probability rows are checked to sum to 1 within what their own precision can hold.

A float32 softmax over a language model's vocabulary can round to a row sum off by 1e-4, and a
float16 one over ten classes as much; neither is a row of logits. Float64 rows keep the 1e-6 tolerance, so
scores passed as probabilities are still caught."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import lossbook as lb


def float32_softmax(k: int, rows: int = 8, seed: int = 0) -> np.ndarray:
    """Rows of a softmax computed in float32 end to end, its sum added up one term at a time:
    the least accurate order, which over Llama 3's 128,256 tokens drifts by about 2e-4 (numpy's
    own pairwise sum would hide the problem)."""
    z = (np.random.default_rng(seed).standard_normal((rows, k)) * 3).astype(np.float32)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / np.cumsum(e, axis=1, dtype=np.float32)[:, -1:]


def float16_softmax(k: int = 10, rows: int = 8, seed: int = 0) -> np.ndarray:
    z = np.random.default_rng(seed).standard_normal((rows, k)).astype(np.float16)
    e = np.exp(z)
    return e / np.cumsum(e, axis=1, dtype=np.float16)[:, -1:]


def worst_drift(p: np.ndarray) -> float:
    return float(np.abs(p.astype(np.float64).sum(axis=1) - 1.0).max())


@pytest.mark.parametrize("make", [lambda: float32_softmax(128_256), float16_softmax],
                         ids=["float32 vocabulary", "float16"])
def test_rows_rounded_in_their_own_precision_are_accepted(make):
    p = make()
    assert worst_drift(p) > 1e-6  # these rows would fail the float64 tolerance
    labels = np.arange(len(p)) % p.shape[1]
    wide = p.astype(np.float64)
    expected = -np.mean(np.log(wide[np.arange(len(p)), labels]))
    np.testing.assert_allclose(lb.cross_entropy(p, labels), expected, rtol=1e-12)
    np.testing.assert_allclose(lb.entropy(p), -np.sum(wide * np.log(wide), axis=1), rtol=1e-12)
    lb.expected_calibration_error(p, labels)
    lb.cross_entropy(np.zeros(p.shape), p, from_logits=True)  # as soft targets


@pytest.mark.parametrize("dtype,drift,shown", [(np.float64, 2e-6, r"within 1e-06"),
                                                (np.float32, 1e-3, r"within 0\.00035 for float32 input"),
                                                (np.float16, 0.1, r"within 0\.031 for float16 input")])
def test_rows_off_by_more_than_their_precision_are_refused(dtype, drift, shown):
    p = np.array([[0.5, 0.5 + drift]]).astype(dtype)
    with pytest.raises(ValueError, match=rf"each row of y_pred must sum to 1 \({shown}\), but row 0"):
        lb.cross_entropy(p, [0])


def test_logits_in_float16_are_still_refused_as_probabilities():
    z = np.array([[0.3, 0.2, 0.4]], dtype=np.float16)  # sums to 0.9: scores, not a distribution
    with pytest.raises(ValueError, match=r"sums to 0\.899.*pass from_logits=True"):
        lb.cross_entropy(z, [0])


@pytest.mark.parametrize("dtype", [np.float32, np.float16])
@pytest.mark.parametrize("factor", [0.5, 2.0])
def test_the_tolerance_is_the_one_scikit_learn_uses(dtype, factor):
    """scikit-learn's log_loss warns on the rows lossbook refuses, and on no others."""
    from sklearn.metrics import log_loss

    drift = factor * float(np.sqrt(np.finfo(dtype).eps))
    p = np.array([[0.25, 0.75 + drift], [0.5, 0.5]], dtype=dtype)
    assert abs(float(p[0].astype(np.float64).sum()) - 1.0) == pytest.approx(drift, rel=0.05)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        log_loss([0, 1], p, labels=[0, 1])
    sklearn_refuses = any("do not sum to one" in str(w.message) for w in caught)
    try:
        lb.cross_entropy(p, [0, 1])
        lossbook_refuses = False
    except ValueError:
        lossbook_refuses = True
    assert sklearn_refuses == lossbook_refuses == (factor > 1)


def test_bfloat16_rows_converted_up_are_told_to_renormalise_not_to_pass_logits():
    """bfloat16 probabilities (a common training dtype) converted to float32 miss 1 by more than
    float32 allows; the message says what happened instead of calling them scores."""
    torch = pytest.importorskip("torch")
    rows = torch.softmax(torch.tensor([[6.0, 0.0, 0.0, -1.0]]), -1).bfloat16().float().numpy()
    assert 1e-3 < worst_drift(rows) < 1e-2
    with pytest.raises(ValueError, match=r"rounded in a narrower float.*renormalise them in float64 "
                                         r"\(y_pred / y_pred\.sum\(axis=-1, keepdims=True\)\); "
                                         r"otherwise if these are raw scores"):
        lb.cross_entropy(rows, [0])
    renormalised = rows.astype(np.float64) / rows.astype(np.float64).sum(axis=-1, keepdims=True)
    assert np.isfinite(lb.cross_entropy(renormalised, [0]))
