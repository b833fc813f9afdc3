"""Checkers for the build-it-yourself exercises: ``checks.<task>(your_function)``.

Each checker calls the reader's function on the chapters' worked examples, on random batches
compared with lossbook's own functions, and on extreme inputs (logits of ±800 and ±1000) that
break every naive formula. It answers with a :class:`CheckResult`: ✓, "not written yet" while
the function still raises ``NotImplementedError``, or a hint that names the input that broke it.
A checker never raises because of the function it checks.

Examples
--------
>>> import numpy as np
>>> from lossbook import checks
>>> def logsumexp(z):
...     m = z.max(axis=-1, keepdims=True)
...     return (m + np.log(np.exp(z - m).sum(axis=-1, keepdims=True)))[..., 0]
>>> result = checks.logsumexp(logsumexp)
>>> bool(result)
True
>>> def todo(z):
...     raise NotImplementedError  # TODO
>>> print(checks.logsumexp(todo))
… logsumexp is not written yet: replace raise NotImplementedError with your code and run this cell again
"""

from ._result import CheckResult
from .activations import log_softmax, logsumexp, softmax
from .encoding import one_hot, true_class_probability
from .gradients import bce_grad_from_logits, cross_entropy_grad, train_step
from .information import entropy, kl_divergence
from .language_models import bits_per_character, padded_cross_entropy
from .losses import (
    bce_with_pos_weight,
    binary_cross_entropy_with_logits,
    cross_entropy,
    focal_loss,
    smooth_l1,
    smoothed_cross_entropy,
    weighted_cross_entropy,
)
from .pairs import clip_loss, distillation_loss, dpo_loss

__all__ = [
    "CheckResult",
    "bce_grad_from_logits",
    "bce_with_pos_weight",
    "binary_cross_entropy_with_logits",
    "bits_per_character",
    "clip_loss",
    "cross_entropy",
    "cross_entropy_grad",
    "distillation_loss",
    "dpo_loss",
    "entropy",
    "focal_loss",
    "kl_divergence",
    "log_softmax",
    "logsumexp",
    "one_hot",
    "padded_cross_entropy",
    "smooth_l1",
    "smoothed_cross_entropy",
    "softmax",
    "train_step",
    "true_class_probability",
    "weighted_cross_entropy",
]
