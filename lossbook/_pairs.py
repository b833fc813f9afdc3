"""Checks and one kernel shared by the losses between pairs (distillation, contrastive, preferences)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validation import _is_number, as_float_array, check_finite, check_not_empty, check_same_shape
from .activations import softplus_of_minus_abs


def as_positive_number(name: str, value: object, hint: str) -> float:
    """Return ``value`` as a finite float > 0 (a temperature, a logit scale, DPO's beta)."""
    if not _is_number(value):
        raise TypeError(f"{name} must be a positive number, got {value!r}; {hint}")
    number = float(value)  # type: ignore[arg-type]
    if not (np.isfinite(number) and number > 0.0):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}; {hint}")
    return number


def divided_by_temperature(logits: NDArray[np.float64], temperature: float, hint: str) -> NDArray[np.float64]:
    """``logits / temperature``, refusing a temperature so small that finite logits overflow."""
    with np.errstate(over="ignore"):
        scaled: NDArray[np.float64] = logits / temperature
    overflowed = np.isinf(scaled) & np.isfinite(logits)
    if overflowed.any():
        raise ValueError(
            f"temperature={temperature!r} is so small that the logits divided by it overflow to "
            f"infinity (a logit of {logits[overflowed].flat[0]:.3g} among them); {hint}"
        )
    return scaled


def as_real_number(name: str, value: object, hint: str) -> float:
    """Return ``value`` as a finite float of either sign (a bias)."""
    if not _is_number(value):
        raise TypeError(f"{name} must be a real number, got {value!r}; {hint}")
    number = float(value)  # type: ignore[arg-type]
    if not np.isfinite(number):
        raise ValueError(f"{name} must be finite, got {value!r}; {hint}")
    return number


def as_matching_arrays(names: tuple[str, ...], values: tuple[ArrayLike, ...], hint: str) -> list[NDArray[np.float64]]:
    """Finite, non-empty float arrays of one shape, in the order of ``names``."""
    arrays = [as_float_array(name, value) for name, value in zip(names, values)]
    for name, array in zip(names, arrays):
        check_finite(name, array, hint)
        check_not_empty(name, array)
    for name, array in zip(names[1:], arrays[1:]):
        check_same_shape(names[0], arrays[0], name, array)
    return arrays


def softplus(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """``log(1 + exp(x)) = -log sigmoid(-x)``, as ``max(x, 0) + log1p(exp(-|x|))``: two terms >= 0.

    Exact for ``|x|`` in the thousands, where ``-log(sigmoid(-x))`` overflows or rounds to 0.
    """
    return np.maximum(x, 0.0) + softplus_of_minus_abs(x)
