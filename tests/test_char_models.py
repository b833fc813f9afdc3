"""The shipped text and the character counting models, against direct counts."""

from __future__ import annotations

from collections import Counter
from importlib import resources

import numpy as np
import pytest

import lossbook as lb
from lossbook.char_models import TEXT_SOURCE


def test_the_shipped_text_is_small_ascii_and_starts_and_ends_where_the_source_says():
    path = resources.files("lossbook") / "data" / "pride_and_prejudice_1-11.txt"
    raw = path.read_bytes()
    assert len(raw) <= 100_000
    text = lb.pride_and_prejudice()
    assert text.startswith("PRIDE AND PREJUDICE\n\nBy Jane Austen\n\n\n\nChapter 1\n")
    assert "Chapter 11\n" in text and "Chapter 12" not in text
    assert "Pride and Prejudice (1813)" in TEXT_SOURCE and "janeaustenr" in TEXT_SOURCE


def test_encoding_round_trips_and_refuses_unknown_characters():
    alphabet, ids = lb.encode_characters("hello world")
    assert "".join(alphabet[i] for i in ids) == "hello world"
    assert alphabet == "".join(sorted(set("hello world")))
    with pytest.raises(ValueError, match="missing from the alphabet"):
        lb.encode_characters("abc", "ab")
    with pytest.raises(ValueError, match="repeats"):
        lb.encode_characters("ab", "aab")
    with pytest.raises(TypeError, match="decode bytes first"):
        lb.encode_characters(b"ab")


def test_unigram_and_bigram_equal_smoothed_counts():
    text = "abracadabra"
    alphabet, ids = lb.encode_characters(text)
    v = len(alphabet)
    counts = Counter(text)
    for alpha in (0.5, 1.0):
        uni = lb.unigram_log_probs(ids, v, alpha=alpha)
        for c, i in zip(alphabet, range(v)):
            assert uni[i] == pytest.approx(np.log((counts[c] + alpha) / (len(text) + alpha * v)), rel=1e-14)
        bi = lb.bigram_log_probs(ids, v, alpha=alpha)
        pairs = Counter(zip(text, text[1:]))
        firsts = Counter(text[:-1])
        for a in alphabet:
            for b in alphabet:
                expected = np.log((pairs[a, b] + alpha) / (firsts[a] + alpha * v))
                assert bi[alphabet.index(a), alphabet.index(b)] == pytest.approx(expected, rel=1e-14)
        np.testing.assert_allclose(np.exp(bi).sum(axis=1), 1.0, rtol=1e-14)


def test_count_models_refuse_bad_ids():
    with pytest.raises(ValueError, match="encode the text"):
        lb.bigram_log_probs(np.array([0, 5]), 3)
    with pytest.raises(ValueError, match="alpha"):
        lb.unigram_log_probs(np.array([0, 1]), 2, alpha=-1.0)
