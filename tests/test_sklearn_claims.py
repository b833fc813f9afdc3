"""Every statement the frameworks chapter makes about scikit-learn, checked against it.

`pytest -k sklearn` selects these tests, and the chapter's formula tests in
tests/test_chapter_formulas_frameworks.py that check scikit-learn's ceiling and its warning.
"""

from __future__ import annotations

import inspect
import warnings

import numpy as np
import pytest
from sklearn.calibration import calibration_curve
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss

import lossbook as lb
from frameworks_glue import glued

SCORES = np.array([[2.0, 1.0, -1.0], [2.0, 1.0, -1.0], [1.0, -2.0, 0.5]])   # the chapter's logits
SCORE_LABELS = np.array([0, 2, 0])


def test_sklearn_log_loss_takes_labels_of_any_type():
    probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    expected = lb.cross_entropy(probs, [0, 1, 0])
    assert log_loss(["cat", "dog", "cat"], probs) == pytest.approx(expected, rel=1e-14)


def test_sklearn_log_loss_takes_an_indicator_matrix():
    probs = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]])
    indicator = np.array([[1, 0, 0], [0, 1, 0]])
    assert log_loss(indicator, probs) == pytest.approx(lb.cross_entropy(probs, [0, 1]), rel=1e-14)


def test_sklearn_log_loss_is_a_mean_by_default():
    assert inspect.signature(log_loss).parameters["normalize"].default is True
    probs = np.random.default_rng(3).dirichlet(np.ones(3), size=7)
    labels = np.array([0, 1, 2, 0, 1, 2, 2])
    per_example = lb.cross_entropy(probs, labels, reduction="none")
    assert log_loss(labels, probs) == pytest.approx(per_example.mean(), rel=1e-14)
    assert log_loss(labels, probs, normalize=False) == pytest.approx(per_example.sum(), rel=1e-14)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sklearn_log_loss_also_clips_below_one(dtype):
    # The ceiling -ln(eps) is checked with equation eq-fw-clip-ceiling; the other end of the clip
    # makes a sure and right prediction cost -ln(1 - eps), not 0.
    eps = float(np.finfo(dtype).eps)
    assert log_loss([0], np.array([[1.0, 0.0]], dtype=dtype), labels=[0, 1]) == pytest.approx(
        -np.log1p(-eps), rel=1e-6)


def test_sklearn_log_loss_gives_the_ceiling_and_floor_the_chapter_glues():
    assert log_loss([0], np.array([[0.0, 1.0]]), labels=[0, 1]) == pytest.approx(glued("fw_sklearn_ceiling"), rel=1e-12)
    assert log_loss([0], np.array([[1.0, 0.0]]), labels=[0, 1]) == pytest.approx(glued("fw_sklearn_floor"), rel=1e-12)


def test_sklearn_log_loss_refuses_scores_outside_zero_and_one():
    # The chapter's logits, and a binary decision_function, are refused, not clipped.
    with pytest.raises(ValueError, match="greater than 1"):
        log_loss(SCORE_LABELS, SCORES, labels=[0, 1, 2])
    with pytest.raises(ValueError, match="lower than 0"):
        log_loss([0, 1], np.array([-0.3, 0.4]))


def test_sklearn_log_loss_takes_binary_scores_inside_zero_and_one_without_a_word():
    # The frameworks chapter's scikit-learn tab: one column of scores in [0, 1] reads as P(class 1).
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = log_loss([0, 1, 1], np.array([0.2, 0.7, 0.9]))
    assert loss == pytest.approx(-np.mean(np.log([0.8, 0.7, 0.9])), rel=1e-12)


def test_sklearn_predict_proba_gives_probabilities_and_decision_function_does_not():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 3))
    y = (x[:, 0] + 0.5 * rng.normal(size=200) > 0).astype(int)
    model = LogisticRegression().fit(x, y)
    proba = model.predict_proba(x)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    scores = model.decision_function(x)
    assert scores.min() < 0 or scores.max() > 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert log_loss(y, proba) == pytest.approx(lb.cross_entropy(proba, y), rel=1e-12)
    with pytest.raises(ValueError):
        log_loss(y, scores)


def test_sklearn_calibration_curve_bins_the_positive_class_where_confidence_bins_stay_empty():
    # The chapter's calibration example: two classes, logits inflated 2.5 times.
    rng = np.random.default_rng(7)
    true_logit = rng.normal(0.0, 1.5, size=5000)
    labels = (rng.random(5000) < lb.sigmoid(true_logit)).astype(int)
    probs = lb.softmax(np.stack([np.zeros(5000), 2.5 * true_logit], axis=1))
    assert inspect.signature(calibration_curve).parameters["n_bins"].default == 5
    prob_true, prob_pred = calibration_curve(labels, probs[:, 1])
    assert len(prob_pred) == 5 and prob_pred.min() < 0.5     # confident negatives, lowest bin
    curve = lb.reliability_curve(probs, labels)
    assert np.sum(curve.counts == 0) == 7                    # the 7 bins of 15 below one half
    assert curve.counts[curve.edges[1:] <= 0.5].sum() == 0
