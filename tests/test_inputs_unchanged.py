"""No public function writes to its inputs.

Every array argument is passed read-only (so any in-place write raises) and compared with a
copy afterwards (so a write through some other route would still be noticed).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import lossbook as lb

Z = np.array([[2.0, -1.0, 0.5], [40.0, 0.0, -1000.0]])
P = lb.softmax(Z)
LABELS = np.array([0, 2])
SOFT = np.array([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]])
BZ = np.array([3.0, -2.0, 0.0])
BP = np.array([0.9, 0.1, 0.5])
BY = np.array([1.0, 0.0, 0.7])
W = np.array([0.5, 2.0, 1.0])
BW = np.array([2.0, 0.5, 1.0])

CALLS = {
    "softmax": (lb.softmax, (Z,), {}),
    "log_softmax": (lb.log_softmax, (Z,), {"axis": 0}),
    "logsumexp": (lb.logsumexp, (Z,), {}),
    "sigmoid": (lb.sigmoid, (BZ,), {}),
    "log_sigmoid": (lb.log_sigmoid, (BZ,), {}),
    "one_hot": (lb.one_hot, (LABELS,), {"num_classes": 3}),
    "from_one_hot": (lb.from_one_hot, (np.eye(3),), {}),
    "cross_entropy logits index": (lb.cross_entropy, (Z, LABELS), {"from_logits": True}),
    "cross_entropy logits soft": (lb.cross_entropy, (Z, SOFT), {"from_logits": True}),
    "cross_entropy probs eps": (lb.cross_entropy, (P, SOFT), {"eps": 1e-7}),
    "cross_entropy probs index": (lb.cross_entropy, (P, LABELS), {"reduction": "none"}),
    "binary_cross_entropy": (lb.binary_cross_entropy, (BP, BY), {"eps": 1e-7}),
    "binary_cross_entropy logits": (lb.binary_cross_entropy, (BZ, BY), {"from_logits": True}),
    "cross_entropy_grad index": (lb.cross_entropy_grad, (Z, LABELS), {}),
    "cross_entropy_grad soft": (lb.cross_entropy_grad, (Z, SOFT), {}),
    "binary_cross_entropy_grad": (lb.binary_cross_entropy_grad, (BZ, BY), {}),
    "cross_entropy options index": (
        lb.cross_entropy, (Z, LABELS), {"from_logits": True, "weight": W, "label_smoothing": 0.1, "ignore_index": 2}),
    "cross_entropy options probs": (
        lb.cross_entropy, (P, LABELS), {"weight": W, "label_smoothing": 0.1, "ignore_index": 2}),
    "cross_entropy options soft": (
        lb.cross_entropy, (Z, SOFT), {"from_logits": True, "weight": W, "label_smoothing": 0.1}),
    "cross_entropy_grad options index": (
        lb.cross_entropy_grad, (Z, LABELS), {"weight": W, "label_smoothing": 0.1, "ignore_index": 2}),
    "cross_entropy_grad options soft": (lb.cross_entropy_grad, (Z, SOFT), {"weight": W, "label_smoothing": 0.1}),
    "binary_cross_entropy weights": (
        lb.binary_cross_entropy, (BZ, BY), {"from_logits": True, "weight": BW, "pos_weight": BW}),
    "binary_cross_entropy_grad weights": (lb.binary_cross_entropy_grad, (BZ, BY), {"weight": BW, "pos_weight": BW}),
    "focal_loss": (lb.focal_loss, (Z, LABELS), {"alpha": W / 2}),
    "focal_loss_grad": (lb.focal_loss_grad, (Z, LABELS), {"alpha": W / 2, "gamma": 0.5}),
    "sigmoid_focal_loss": (lb.sigmoid_focal_loss, (BZ, BY), {}),
    "softmax_squared_error": (lb.softmax_squared_error, (Z, SOFT), {}),
    "softmax_squared_error_grad": (lb.softmax_squared_error_grad, (Z, LABELS), {}),
    "multiclass_hinge_loss": (lb.multiclass_hinge_loss, (Z, LABELS), {}),
    "multiclass_hinge_loss_grad": (lb.multiclass_hinge_loss_grad, (Z, LABELS), {}),
    "expected_calibration_error": (lb.expected_calibration_error, (P, LABELS), {"n_bins": 4}),
    "reliability_curve": (lb.reliability_curve, (P, SOFT), {}),
    "fit_temperature": (lb.fit_temperature, (Z, np.array([0, 1])), {}),
    "bernoulli_likelihood": (lb.bernoulli_likelihood, (BP, BY), {}),
    "bernoulli_log_likelihood": (lb.bernoulli_log_likelihood, (BP, BY), {"base": 2}),
    "entropy": (lb.entropy, (SOFT,), {}),
    "kl_divergence": (lb.kl_divergence, (SOFT, P), {}),
    "accuracy": (lb.accuracy, (P, SOFT), {}),
    "numerical_gradient": (lb.numerical_gradient, (lambda v: float(np.sum(v ** 2)), BZ), {}),
}


def _read_only_copy(value):
    if isinstance(value, np.ndarray):
        copy = value.copy()
        copy.flags.writeable = False
        return copy
    return value


@pytest.mark.parametrize("name", CALLS)
def test_inputs_are_left_unchanged(name):
    function, args, kwargs = CALLS[name]
    frozen = [_read_only_copy(a) for a in args]
    frozen_kwargs = {key: _read_only_copy(value) for key, value in kwargs.items()}
    function(*frozen, **frozen_kwargs)
    for before, after in zip([*args, *kwargs.values()], [*frozen, *frozen_kwargs.values()]):
        if isinstance(before, np.ndarray):
            np.testing.assert_array_equal(after, before)


@pytest.mark.parametrize("name", ["softmax", "cross_entropy logits index"])
def test_non_contiguous_inputs_are_read_not_copied_back(name):
    function, args, kwargs = CALLS[name]
    wide = np.asfortranarray(args[0])
    wide.flags.writeable = False
    function(wide, *args[1:], **kwargs)
    np.testing.assert_array_equal(wide, args[0])


@settings(max_examples=40, deadline=None)
@given(z=arrays(np.float64, (3, 4), elements=st.floats(-1e3, 1e3)), data=st.data())
def test_losses_leave_random_inputs_unchanged(z, data):
    labels = np.array(data.draw(st.lists(st.integers(0, 3), min_size=3, max_size=3)))
    z_before, labels_before = z.copy(), labels.copy()
    z.flags.writeable = False
    labels.flags.writeable = False
    lb.cross_entropy(z, labels, from_logits=True)
    lb.cross_entropy_grad(z, labels)
    lb.log_softmax(z)
    np.testing.assert_array_equal(z, z_before)
    np.testing.assert_array_equal(labels, labels_before)
