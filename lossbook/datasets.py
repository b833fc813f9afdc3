"""Small 2-D classification datasets, generated from a seed identically in Python and JavaScript.

The training playground draws its data in the browser and in Python, and both sides must train
on the very same points. NumPy's generators have no JavaScript twin, so the points come from
mulberry32, a 32-bit integer generator that JavaScript computes with ``Math.imul`` and Python
with masked integers. Gaussian noise is the sum of twelve uniforms minus six (mean 0,
variance 1, the Irwin-Hall approximation), and the half-circles of ``"moons"`` use the rational
parametrisation of the circle: only ``+``, ``-``, ``*`` and ``/`` are involved, which IEEE 754
rounds the same way in both languages, so the two produce bit-identical coordinates.
(``log`` and ``cos``, which Box-Muller would need, are not guaranteed to round alike.)
The browser twin is ``makeDataset`` in ``widgets/training_playground.js``.
"""

from __future__ import annotations

import operator
from collections.abc import Iterator

import numpy as np
from numpy.typing import NDArray

__all__ = ["DATASETS", "make_dataset", "mulberry32"]

#: The names :func:`make_dataset` accepts, with what each one shows.
DATASETS = {
    "clouds": "three overlapping Gaussian clouds, 100 points each (the training chapter's)",
    "moons": "two interleaved half-moons, 150 points each: no straight line separates them",
    "imbalanced": "three Gaussian clouds of 140, 140 and 20 points: the last class is rare",
}

_MASK = 0xFFFFFFFF
_CLOUD_CENTRES = ((-2.0, -1.0), (2.0, -1.0), (0.0, 2.0))
_CLOUD_SPREAD = 1.1
_IMBALANCED_COUNTS = (140, 140, 20)
_MOON_POINTS, _MOON_NOISE = 150, 0.2


def mulberry32(seed: int) -> Iterator[float]:
    """Uniform numbers in [0, 1) from the mulberry32 generator, multiples of 2**-32.

    Parameters
    ----------
    seed : int
        Any integer in [0, 2**32).

    Yields
    ------
    float
        The next number; the same sequence as the JavaScript version for the same seed.

    Examples
    --------
    >>> numbers = mulberry32(0)
    >>> [round(next(numbers), 6) for _ in range(3)]
    [0.266429, 0.00033, 0.223272]
    """
    state = seed & _MASK
    while True:
        state = (state + 0x6D2B79F5) & _MASK
        t = ((state ^ (state >> 15)) * (state | 1)) & _MASK
        t = (t + ((t ^ (t >> 7)) * (t | 61))) & _MASK ^ t
        yield ((t ^ (t >> 14)) & _MASK) / 4294967296.0


def _normal(uniform: Iterator[float]) -> float:
    # Twelve multiples of 2**-32 below 1 add up exactly in a double, so the sum is the same
    # everywhere; subtracting 6 is exact too.
    total = 0.0
    for _ in range(12):
        total += next(uniform)
    return total - 6.0


def _clouds(uniform: Iterator[float], counts: tuple[int, ...]) -> list[tuple[float, float, int]]:
    points = []
    for label, ((cx, cy), count) in enumerate(zip(_CLOUD_CENTRES, counts)):
        for _ in range(count):
            x = cx + _CLOUD_SPREAD * _normal(uniform)
            y = cy + _CLOUD_SPREAD * _normal(uniform)
            points.append((x, y, label))
    return points


def _moons(uniform: Iterator[float]) -> list[tuple[float, float, int]]:
    points = []
    for label in (0, 1):
        for _ in range(_MOON_POINTS):
            # t in [-1, 1] sweeps half a circle: (u, v) = ((1-t^2)/(1+t^2), 2t/(1+t^2)).
            t = 2.0 * next(uniform) - 1.0
            u = (1.0 - t * t) / (1.0 + t * t)
            v = 2.0 * t / (1.0 + t * t)
            x, y = (-v, u) if label == 0 else (1.0 + v, 0.5 - u)
            points.append((x + _MOON_NOISE * _normal(uniform), y + _MOON_NOISE * _normal(uniform), label))
    return points


def make_dataset(name: str, seed: int = 0) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """Draw one of the playground's datasets.

    Parameters
    ----------
    name : {"clouds", "moons", "imbalanced"}
        Which dataset; see :data:`DATASETS`.
    seed : int, default 0
        Seed of the generator, in [0, 2**32).

    Returns
    -------
    X : ndarray of float64, shape (300, 2)
        The points, class by class.
    labels : ndarray of intp, shape (300,)
        Their classes, 0 .. K-1 (K = 3, or 2 for "moons").

    Raises
    ------
    ValueError
        If ``name`` is not a dataset or ``seed`` is outside [0, 2**32).
    TypeError
        If ``seed`` is not an integer.

    Examples
    --------
    >>> X, labels = make_dataset("clouds", seed=0)
    >>> X.shape, np.bincount(labels).tolist()
    ((300, 2), [100, 100, 100])
    >>> np.bincount(make_dataset("imbalanced")[1]).tolist()
    [140, 140, 20]
    """
    if not isinstance(name, str) or name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; choose one of {', '.join(map(repr, DATASETS))}")
    try:
        seed = operator.index(seed)
    except TypeError:
        raise TypeError(f"seed must be an integer, got {seed!r}; pass e.g. seed=0") from None
    if not 0 <= seed <= _MASK:
        raise ValueError(f"seed must be in [0, 2**32), got {seed}; pass e.g. seed=0")
    uniform = mulberry32(seed)
    if name == "moons":
        points = _moons(uniform)
    else:
        points = _clouds(uniform, (100, 100, 100) if name == "clouds" else _IMBALANCED_COUNTS)
    X = np.array([(x, y) for x, y, _ in points], dtype=np.float64)
    labels = np.array([label for _, _, label in points], dtype=np.intp)
    return X, labels
