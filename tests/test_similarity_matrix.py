"""SimilarityMatrix's Python side, without a browser: the loss it keeps up to date against CLIP's
and SigLIP's definitions in 50-digit arithmetic, what each cell shows, the state it sends to the
front end, and the errors readers get for bad values."""

from __future__ import annotations

import json

import mpmath
import numpy as np
import pytest
import traitlets
from hypothesis import given, settings
from hypothesis import strategies as st

import lossbook as lb
from lossbook.widgets import SimilarityMatrix
from lossbook.widgets.similarity_matrix import default_embeddings

mpmath.mp.dps = 50
REL = 1e-12


def mp_loss(similarities, tau, mode, bias):
    """The loss from the similarity matrix, written from the papers' definitions."""
    S = [[mpmath.mpf(v) / mpmath.mpf(tau) for v in row] for row in similarities]
    n = len(S)

    def ce(row, k):
        return mpmath.log(mpmath.fsum(mpmath.exp(v) for v in row)) - row[k]

    if mode == "clip":
        rows = mpmath.fsum(ce(S[i], i) for i in range(n)) / n
        cols = mpmath.fsum(ce([S[j][i] for j in range(n)], i) for i in range(n)) / n
        return (rows + cols) / 2
    return mpmath.fsum(mpmath.log1p(mpmath.exp(-(1 if i == j else -1) * (S[i][j] + mpmath.mpf(bias))))
                       for i in range(n) for j in range(n)) / n


def test_defaults_are_a_batch_of_five_at_temperature_0_1_with_clip():
    w = SimilarityMatrix()
    assert (w.temperature, w.mode, w.bias) == (0.1, "clip", -10.0)
    assert np.shape(w.similarities) == (5, 5)
    images, texts = default_embeddings()
    assert w.loss == float(lb.clip_loss(images, texts, temperature=0.1))


@settings(max_examples=60, deadline=None)
@given(st.floats(0.01, 1.0), st.sampled_from(["clip", "siglip"]), st.floats(-15.0, 5.0))
def test_loss_is_the_definition_for_every_setting(tau, mode, bias):
    w = SimilarityMatrix(temperature=tau, mode=mode, bias=bias)
    expected = mp_loss(w.similarities, tau, mode, bias)
    assert abs(w.loss - float(expected)) <= REL * float(expected)


def test_cells_are_softmax_rows_for_clip_and_independent_sigmoids_for_siglip():
    w = SimilarityMatrix(temperature=0.2)
    S = np.array(w.similarities)
    np.testing.assert_allclose(np.sum(w.probabilities, axis=1), 1.0, rtol=1e-14)
    np.testing.assert_allclose(w.probabilities, np.exp(S / 0.2) / np.exp(S / 0.2).sum(axis=1, keepdims=True), rtol=1e-13)
    w.mode, w.bias = "siglip", -3.0
    np.testing.assert_allclose(w.probabilities, 1 / (1 + np.exp(-(S / 0.2 - 3.0))), rtol=1e-13)


def test_bias_changes_only_siglip():
    w = SimilarityMatrix()
    before = w.loss
    w.bias = 0.0
    assert w.loss == before
    w.mode = "siglip"
    at_zero = w.loss
    w.bias = -10.0
    assert w.loss != at_zero


def test_the_front_end_state_is_json_and_carries_the_similarities():
    w = SimilarityMatrix()
    state = w.get_state()
    json.dumps(state)
    assert state["similarities"] == w.similarities and state["mode"] == "clip"
    assert "similarity_matrix" not in state["_esm"] and "function pairLosses" in state["_esm"]


def test_a_change_from_the_front_end_updates_the_loss():
    w = SimilarityMatrix()
    w.set_state({"temperature": 0.5})
    images, texts = default_embeddings()
    assert w.loss == float(lb.clip_loss(images, texts, temperature=0.5))
    w.set_state({"mode": "siglip", "bias": -4.5})
    assert w.loss == float(lb.siglip_loss(images, texts, t=2.0, bias=-4.5))


def test_own_embeddings_are_copied_not_modified():
    images = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    texts = images.copy()
    images.flags.writeable = False
    w = SimilarityMatrix(images, texts, temperature=1.0)
    texts[0] = [5.0, 5.0]
    assert w.loss == float(lb.clip_loss(images, [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], temperature=1.0))


@pytest.mark.parametrize("kwargs, error, pattern", [
    ({"temperature": 0.0}, traitlets.TraitError, r"temperature must be a finite number > 0, got 0\.0"),
    ({"temperature": float("nan")}, traitlets.TraitError, r"temperature must be a finite number > 0"),
    ({"mode": "softmax"}, traitlets.TraitError, r"mode must be 'clip' or 'siglip', got 'softmax'"),
    ({"bias": float("-inf")}, traitlets.TraitError, r"bias must be finite"),
    ({"images": np.ones((1, 3)), "texts": np.ones((1, 3))}, ValueError, r"2 to 8 pairs, got 1"),
    ({"images": np.ones((3, 3)), "texts": np.ones((2, 3))}, ValueError, r"a has shape \(3, 3\) but b has shape \(2, 3\)"),
])
def test_bad_values_raise_errors_that_say_how_to_fix_them(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        SimilarityMatrix(**kwargs)


def test_loss_is_read_only():
    with pytest.raises(traitlets.TraitError):
        SimilarityMatrix().loss = 0.0
