"""SurprisalText in Python: its loss against a 40-digit reference, and its checks."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import traitlets
from hypothesis import given, settings
from hypothesis import strategies as st

from lossbook.widgets import SurprisalText

mpmath.mp.dps = 40
ALPHABET = "ab c"
RNG = np.random.default_rng(0)
UNIGRAM = np.log(RNG.dirichlet(np.ones(4)))
BIGRAM = np.log(RNG.dirichlet(np.ones(4), 4))


def reference(text, model, temperature):
    """Mean -ln softmax(logits / T)[next] over the predicted characters, from the rounded tables
    the widget sends to the page."""
    uni, bi = np.round(UNIGRAM, 4), np.round(BIGRAM, 4)
    total = mpmath.mpf(0)
    for a, b in zip(text[:-1], text[1:]):
        row = bi[ALPHABET.index(a)] if model == "bigram" else uni
        z = [mpmath.mpf(float(v)) / mpmath.mpf(temperature) for v in row]
        total += mpmath.log(mpmath.fsum(mpmath.exp(v) for v in z)) - z[ALPHABET.index(b)]
    return float(total / (len(text) - 1))


@settings(max_examples=40, deadline=None)
@given(text=st.text(alphabet=ALPHABET, min_size=2, max_size=30), model=st.sampled_from(["unigram", "bigram"]),
       temperature=st.floats(0.25, 3.0))
def test_the_loss_is_the_mean_surprisal_of_the_predicted_characters(text, model, temperature):
    w = SurprisalText(text, ALPHABET, UNIGRAM, BIGRAM, model=model, temperature=temperature)
    assert w.loss == pytest.approx(reference(text, model, temperature), rel=1e-12)
    assert len(w.surprisals()) == len(text) - 1


def test_changing_the_settings_recomputes_the_loss():
    w = SurprisalText("abcab ca", ALPHABET, UNIGRAM, BIGRAM)
    w.temperature = 2.0
    assert w.loss == pytest.approx(reference("abcab ca", "bigram", 2.0), rel=1e-12)
    w.model = "unigram"
    assert w.loss == pytest.approx(reference("abcab ca", "unigram", 2.0), rel=1e-12)


def test_bad_settings_name_the_fix():
    with pytest.raises(ValueError, match="at least two characters"):
        SurprisalText("a", ALPHABET, UNIGRAM, BIGRAM)
    with pytest.raises(ValueError, match="missing from the alphabet"):
        SurprisalText("xyz", ALPHABET, UNIGRAM, BIGRAM)
    with pytest.raises(ValueError, match="smooth the counts"):
        SurprisalText("ab", ALPHABET, np.full(4, -np.inf), BIGRAM)
    with pytest.raises(ValueError, match="shape"):
        SurprisalText("ab", ALPHABET, UNIGRAM, BIGRAM[:2])
    w = SurprisalText("ab", ALPHABET, UNIGRAM, BIGRAM)
    with pytest.raises(traitlets.TraitError, match="positive"):
        w.temperature = 0.0
    with pytest.raises(traitlets.TraitError, match="'unigram' or 'bigram'"):
        w.model = "trigram"


def test_the_tables_passed_in_are_not_modified():
    uni, bi = UNIGRAM.copy(), BIGRAM.copy()
    uni.flags.writeable = bi.flags.writeable = False
    SurprisalText("abca", ALPHABET, uni, bi)
    np.testing.assert_array_equal(uni, UNIGRAM)
    np.testing.assert_array_equal(bi, BIGRAM)
