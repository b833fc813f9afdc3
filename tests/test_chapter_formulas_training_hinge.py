"""The hinge-loss formulas of the chapter Training a softmax classifier from scratch, checked
against references that do not share lossbook's code: a loop written from the definition,
CS231n's worked numbers, central differences, and torch's multi_margin_loss (which divides the
same sum by the number of classes).

Each test is named after the label of the equation it checks; tests/test_equation_coverage.py
makes sure no labelled equation is left without one.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import lossbook as lb

SETTINGS = settings(max_examples=60, deadline=None)


def hinge_by_loop(scores, label, margin=1.0) -> float:
    """The sum over wrong classes of max(0, s_j - s_y + margin), one class at a time."""
    total = 0.0
    for j, s_j in enumerate(scores):
        if j != label:
            total += max(0.0, s_j - scores[label] + margin)
    return total


@st.composite
def scores_and_label(draw):
    k = draw(st.integers(2, 6))
    scores = np.array(draw(st.lists(st.floats(-20, 20), min_size=k, max_size=k)))
    return scores, draw(st.integers(0, k - 1))


def test_eq_train_hinge_cs231n_worked_example():
    # CS231n: max(0, 5.1 - 3.2 + 1) + max(0, -1.7 - 3.2 + 1) = 2.9 + 0.
    assert lb.multiclass_hinge_loss([[3.2, 5.1, -1.7]], [0]) == pytest.approx(2.9, rel=1e-14)


@SETTINGS
@given(case=scores_and_label(), margin=st.floats(0.0, 5.0))
def test_eq_train_hinge_matches_the_definition(case, margin):
    scores, label = case
    assert lb.multiclass_hinge_loss(scores[None, :], [label], margin=margin) == pytest.approx(
        hinge_by_loop(scores, label, margin), rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("margin", [0.5, 1.0, 2.0])
def test_eq_train_hinge_is_k_times_torch_multi_margin_loss(margin):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(int(margin * 10))
    scores, labels = rng.normal(0, 2, (20, 4)), rng.integers(0, 4, 20)
    expected = torch.nn.functional.multi_margin_loss(torch.tensor(scores), torch.tensor(labels),
                                                     margin=margin, reduction="none")
    np.testing.assert_allclose(lb.multiclass_hinge_loss(scores, labels, margin=margin,
                                                        reduction="none"),
                               4 * expected.numpy(), rtol=1e-13, atol=1e-13)


@SETTINGS
@given(case=scores_and_label())
def test_eq_train_hinge_grad_matches_central_differences_away_from_kinks(case):
    scores, label = case
    gaps = np.delete(scores - scores[label] + 1.0, label)
    assume(np.all(np.abs(gaps) > 1e-3))          # the kinks have no derivative
    h = 1e-6
    numeric = np.zeros_like(scores)
    for j in range(len(scores)):
        up, down = scores.copy(), scores.copy()
        up[j] += h
        down[j] -= h
        numeric[j] = (hinge_by_loop(up, label) - hinge_by_loop(down, label)) / (2 * h)
    np.testing.assert_allclose(lb.multiclass_hinge_loss_grad(scores[None, :], [label])[0],
                               numeric, atol=1e-6)


def test_eq_train_hinge_grad_counts_active_classes():
    # Classes 1 and 3 fall inside the margin, class 2 does not: +1, +1 and -2 for the true class.
    grad = lb.multiclass_hinge_loss_grad([[2.0, 2.5, -5.0, 1.5]], [0])
    np.testing.assert_array_equal(grad, [[-2.0, 1.0, 0.0, 1.0]])


def test_eq_train_hinge_grad_is_zero_once_every_margin_is_met():
    assert np.all(lb.multiclass_hinge_loss_grad([[10.0, -2.0, 3.0]], [0]) == 0.0)
