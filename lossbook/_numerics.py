"""Small numerical building blocks shared by the loss modules."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.typing import NDArray

#: Row-wise kernels work through a batch in blocks of about this many elements (512 KiB of
#: float64): the temporary buffer stays in cache and is reused, instead of allocating and
#: page-faulting a scratch copy as large as the input.
BLOCK_ELEMENTS = 1 << 16


def row_blocks(shape: tuple[int, int]) -> Iterator[tuple[int, int, NDArray[np.float64]]]:
    """Yield ``(start, stop, buffer)`` covering the rows of an ``(n, k)`` array in blocks.

    ``buffer`` is scratch space of shape ``(stop - start, k)``, the same memory each time.
    """
    n, k = shape
    block = max(1, BLOCK_ELEMENTS // max(k, 1))
    scratch = np.empty((min(block, n), k))
    for start in range(0, n, block):
        stop = min(start + block, n)
        yield start, stop, scratch[: stop - start]


def weighted(
    weight: NDArray[np.float64], value: NDArray[np.float64], out: NDArray[np.float64] | None = None
) -> NDArray[np.float64]:
    """Return ``weight * value`` with the convention ``0 * anything = 0``.

    Information theory defines ``0 log 0 = 0`` (an outcome that never happens contributes
    nothing), so a zero weight must silence an infinite value instead of producing NaN.
    No warning is raised.  ``out`` (for instance ``value`` itself, when it is a temporary)
    receives the product instead of a new array: on large batches, allocating and first
    touching a new array costs about as much as the multiplication.
    """
    product = np.empty(np.broadcast_shapes(np.shape(weight), np.shape(value))) if out is None else out
    with np.errstate(invalid="ignore"):  # 0 * inf = NaN is repaired below
        np.multiply(weight, value, out=product)
    # Multiplying everywhere and repairing the rare NaN is several times faster than a
    # masked multiply; where the weight is not 0, a NaN stays (it came from the value).
    nan = np.isnan(product)
    if nan.any():
        product[nan & (np.broadcast_to(weight, product.shape) == 0)] = 0.0
    return product


def xlogy(x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return ``x * log(y)`` with ``0 * log(anything) = 0``; ``log(0) = -inf`` without warnings."""
    with np.errstate(divide="ignore"):
        return weighted(x, np.log(y))


def reduce(
    losses: NDArray[np.float64], reduction: str, divisor: float | None = None
) -> NDArray[np.float64] | np.float64:
    """Apply a checked reduction (``"mean"``, ``"sum"`` or ``"none"``) to per-example losses.

    "mean" divides the sum by ``divisor`` when given (a sum of weights), else by the count.
    """
    if reduction == "none":
        return losses
    if reduction == "sum":
        return np.float64(np.sum(losses))
    return np.float64(np.mean(losses) if divisor is None else np.sum(losses) / divisor)


def in_base(nats: NDArray[np.float64], log_base: float | None) -> NDArray[np.float64]:
    """Convert a quantity in nats to the unit whose natural log is ``log_base``."""
    return nats if log_base is None else nats / log_base
