"""accuracy."""

from __future__ import annotations

import numpy as np
import pytest

import lossbook as lb


def test_seed_accuracy_is_two_thirds():
    batch = [[0.7, 0.1, 0.2], [0.5, 0.1, 0.4], [0.02, 0.9, 0.08]]
    assert lb.accuracy(batch, [0, 1, 1]) == pytest.approx(2 / 3, rel=1e-15)
    assert lb.accuracy(batch, lb.one_hot([0, 1, 1], 3)) == pytest.approx(2 / 3, rel=1e-15)


def test_accuracy_ignores_confidence_and_works_on_logits():
    assert lb.accuracy([[0.34, 0.33, 0.33], [0.01, 0.99, 0.0]], [0, 1]) == 1.0
    assert lb.accuracy([[12.0, -3.0], [0.5, 4.0]], [0, 0]) == 0.5


def test_ties_go_to_the_lowest_index():
    assert lb.accuracy([[0.5, 0.5]], [0]) == 1.0
    assert lb.accuracy([[0.5, 0.5]], [1]) == 0.0


def test_leading_batch_dimensions():
    pred = np.eye(3)[[0, 1, 2, 0]].reshape(2, 2, 3)
    assert lb.accuracy(pred, [[0, 1], [2, 1]]) == 0.75


def test_mismatched_batch():
    with pytest.raises(ValueError, match=r"y_true has shape \(1,\) but y_pred has shape \(2, 2\)"):
        lb.accuracy([[0.5, 0.5], [0.5, 0.5]], [0])


def test_empty_batch():
    with pytest.raises(ValueError, match=r"y_pred is empty"):
        lb.accuracy(np.zeros((0, 2)), np.zeros(0, dtype=int))


def test_label_out_of_range():
    with pytest.raises(ValueError, match=r"class index 2 but there are only 2 classes"):
        lb.accuracy([[0.5, 0.5]], [2])
