"""Small numerical building blocks shared by the loss modules."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def weighted(weight: NDArray[np.float64], value: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return ``weight * value`` with the convention ``0 * anything = 0``.

    Information theory defines ``0 log 0 = 0`` (an outcome that never happens contributes
    nothing), so a zero weight must silence an infinite value instead of producing NaN.
    The product is only evaluated where the weight is non-zero, so no warning is raised.
    """
    weight, value = np.broadcast_arrays(weight, value)
    return np.multiply(weight, value, out=np.zeros(weight.shape), where=weight != 0)


def xlogy(x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return ``x * log(y)`` with ``0 * log(anything) = 0``; ``log(0) = -inf`` without warnings."""
    with np.errstate(divide="ignore"):
        return weighted(x, np.log(y))


def reduce(losses: NDArray[np.float64], reduction: str) -> NDArray[np.float64] | np.float64:
    """Apply a checked reduction (``"mean"``, ``"sum"`` or ``"none"``) to per-example losses."""
    if reduction == "none":
        return losses
    return np.float64(np.mean(losses) if reduction == "mean" else np.sum(losses))


def in_base(nats: NDArray[np.float64], log_base: float | None) -> NDArray[np.float64]:
    """Convert a quantity in nats to the unit whose natural log is ``log_base``."""
    return nats if log_base is None else nats / log_base
