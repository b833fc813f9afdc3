"""Knowledge distillation: a student matches a teacher's softened distribution (Hinton et al., 2015)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._numerics import weighted
from ._pairs import as_positive_number, divided_by_temperature
from ._validation import as_float_array, check_no_nan, check_not_empty, check_same_shape
from .activations import named_log_softmax

TEMPERATURE_HINT = "a usual choice is temperature=2.0 to 5.0"

REDUCTIONS = ("batchmean", "sum", "none")


def _check_reduction(reduction: object) -> str:
    if reduction == "mean":
        raise ValueError(
            "reduction='mean' is refused: torch's F.kl_div divides its 'mean' by the number of "
            "examples times the number of classes, which is not the KL divergence; pass "
            "reduction='batchmean' to divide by the number of examples"
        )
    if not isinstance(reduction, str) or reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be one of 'batchmean', 'sum' or 'none', got {reduction!r}")
    return reduction


def _logit_rows(name: str, values: ArrayLike) -> NDArray[np.float64]:
    array = as_float_array(name, values)
    if array.ndim != 2:
        raise ValueError(
            f"{name} must have shape (examples, classes), got shape {array.shape}; "
            "for a single example pass x[None, :]"
        )
    check_not_empty(name, array)
    check_no_nan(name, array)
    if np.isposinf(array).any():
        where = tuple(int(i) for i in np.argwhere(np.isposinf(array))[0])
        raise ValueError(
            f"{name} contains +inf at index {where}, so its softmax is undefined; replace infinite "
            f"logits by large finite values (e.g. np.clip({name}, -1e300, 1e300))"
        )
    return array


def distillation_loss(
    student_logits: ArrayLike,
    teacher_logits: ArrayLike,
    *,
    temperature: float = 1.0,
    reduction: str = "batchmean",
) -> NDArray[np.float64] | np.float64:
    r"""Distillation loss :math:`T^2 \, KL(\mathrm{softmax}(t/T) \,\|\, \mathrm{softmax}(s/T))` per example.

    The teacher's softened distribution is the target; the factor :math:`T^2` undoes the
    :math:`1/T^2` by which softening shrinks the gradient, so the loss keeps its weight against
    a hard-label cross-entropy whatever the temperature (Hinton et al., 2015).

    Parameters
    ----------
    student_logits, teacher_logits : array_like, shape (n, k)
        Logits of the student and of the teacher, one row per example.
    temperature : float, default 1.0
        :math:`T > 0`; both sets of logits are divided by it before the softmax.
    reduction : {"batchmean", "sum", "none"}, default "batchmean"
        Divide the sum over examples by ``n``, return the sum, or one loss per example.
        torch's ``"mean"`` (a division by ``n * k``) is refused, as it is not the divergence.

    Returns
    -------
    float64 or ndarray of float64
        A scalar, or shape ``(n,)`` for "none"; always >= 0 up to rounding.

    Raises
    ------
    TypeError
        If an input or ``temperature`` is not numeric.
    ValueError
        If the shapes differ or are not ``(n, k)``; on NaN, an empty batch, a temperature
        <= 0, an unknown reduction, or a row whose softmax is undefined (``+inf``).

    Examples
    --------
    >>> float(distillation_loss([[2.0, 0.0]], [[2.0, 0.0]]))
    0.0
    >>> teacher = [[4.0, 1.0, 0.0]]
    >>> round(float(distillation_loss([[0.0, 0.0, 0.0]], teacher, temperature=2.0)), 6)
    1.386527
    """
    reduction = _check_reduction(reduction)
    T = as_positive_number("temperature", temperature, TEMPERATURE_HINT)
    student = _logit_rows("student_logits", student_logits)
    teacher = _logit_rows("teacher_logits", teacher_logits)
    check_same_shape("student_logits", student, "teacher_logits", teacher)
    log_p = named_log_softmax("teacher_logits", divided_by_temperature(teacher, T, TEMPERATURE_HINT))
    log_q = named_log_softmax("student_logits", divided_by_temperature(student, T, TEMPERATURE_HINT))
    with np.errstate(invalid="ignore"):  # -inf - -inf where both rule a class out; weight 0 there
        gap = log_p - log_q
    per_example: NDArray[np.float64] = T * T * np.sum(weighted(np.exp(log_p), gap, out=gap), axis=-1)
    if reduction == "none":
        return per_example
    total = np.sum(per_example)
    return np.float64(total if reduction == "sum" else total / len(per_example))
