"""How fast is lossbook.cross_entropy(..., from_logits=True) with class-index targets?

Times it on two float64 shapes, a large batch of a 1000-class problem and a language-model
sized vocabulary, against other routes to the same mean loss, all in one run on the same array:

* a single ``np.exp`` pass over the logits: the floor, since every exact method must
  exponentiate every logit once;
* ``scipy.special.log_softmax`` then gathering the true classes;
* the textbook numpy route, ``-log`` of a (max-shifted) softmax;
* ``torch.nn.functional.cross_entropy`` in float64 on one thread, if torch is installed.

A third case repeats the first shape with logits of scale 1000, where every row overflows the
single-pass formula and is recomputed with the max-shifted kernel: the worst case, shown
so the common-case figures are not mistaken for a guarantee.

The routes are timed round-robin, so a machine whose load changes during the run slows them
all alike.  Both the median wall-clock time and the median CPU time of this process are
reported; the ratios use CPU time, which other programs on a busy machine disturb less.
lossbook's losses are checked against 50-digit mpmath on a few rows (and on logits [40, 0],
where the loss is 4.25e-18) to show that the speed is not bought with accuracy, and the last
column gives each route's mean loss relative to scipy's.

Run with ``make bench`` or ``python benchmarks/bench_cross_entropy.py [--repeats N]``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import mpmath
import numpy as np
import scipy.special

import lossbook as lb

#: (rows, classes, logit scale)
CASES = [(4096, 1000, 3.0), (512, 50257, 3.0), (4096, 1000, 1000.0)]

try:
    import torch
except ImportError:  # the comparison is optional
    torch = None


def routes(z: np.ndarray, labels: np.ndarray) -> dict[str, Callable[[], object]]:
    """Each route computes the mean loss (except the exp floor, which only exponentiates)."""
    rows = np.arange(len(z))

    def numpy_softmax() -> float:
        with np.errstate(all="ignore"):   # at scale 1000 probabilities underflow to 0: -log 0
            e = np.exp(z - z.max(axis=1, keepdims=True))
            return float(-np.log((e / e.sum(axis=1, keepdims=True))[rows, labels]).mean())

    def exp_pass() -> np.ndarray:
        with np.errstate(all="ignore"):   # at scale 1000, exp overflows
            return np.exp(z)

    found: dict[str, Callable[[], object]] = {
        "np.exp pass (floor)": exp_pass,
        "lossbook.cross_entropy": lambda: lb.cross_entropy(z, labels, from_logits=True),
        "scipy log_softmax": lambda: float(-scipy.special.log_softmax(z, axis=1)[rows, labels].mean()),
        "numpy -log(softmax)": numpy_softmax,
    }
    if torch is not None:
        zt, lt = torch.from_numpy(z), torch.from_numpy(labels)
        found["torch F.cross_entropy (1 thread)"] = lambda: torch.nn.functional.cross_entropy(zt, lt)
    return found


def mp_loss(row: np.ndarray, label: int) -> float:
    """``log sum_j exp(z_j - z_label)`` in enough digits to resolve every term."""
    with mpmath.workdps(50 + int(np.ptp(row) / np.log(10)) + 5):
        top = mpmath.mpf(float(row[label]))
        return float(mpmath.log(mpmath.fsum(mpmath.exp(mpmath.mpf(float(v)) - top) for v in row)))


def accuracy_check(z: np.ndarray, labels: np.ndarray, picks: list[int]) -> float:
    got = lb.cross_entropy(z[picks], labels[picks], from_logits=True, reduction="none")
    expected = np.array([mp_loss(z[i], labels[i]) for i in picks])
    return float(np.max(np.abs(got - expected) / expected))


def bench(n: int, k: int, scale: float, repeats: int) -> list[tuple[str, float, float, float]]:
    """Return (route, median wall s, median CPU s, mean loss relative to scipy) per route."""
    rng = np.random.default_rng(0)
    z = rng.standard_normal((n, k)) * scale
    labels = rng.integers(0, k, n)
    labels[:2] = np.argmax(z[:2], axis=1)   # include rows whose loss is small
    error = accuracy_check(z, labels, [0, 1, n // 2, n - 1])
    print(f"\n{n} x {k} float64, logits ~ N(0, {scale:g}^2); "
          f"max relative error vs mpmath on 4 rows: {error:.1e}")
    candidates = routes(z, labels)
    wall: dict[str, list[float]] = {name: [] for name in candidates}
    cpu: dict[str, list[float]] = {name: [] for name in candidates}
    means: dict[str, float] = {}
    for _ in range(repeats):
        for name, run in candidates.items():
            start_wall, start_cpu = time.perf_counter(), time.process_time()
            value = run()
            cpu[name].append(time.process_time() - start_cpu)
            wall[name].append(time.perf_counter() - start_wall)
            means[name] = float(np.nan) if "floor" in name else float(value)
    reference = means["scipy log_softmax"]
    ours = means["lossbook.cross_entropy"]
    assert abs(ours - reference) <= 1e-12 * reference, (ours, reference)
    return [
        (name, float(np.median(wall[name])), float(np.median(cpu[name])),
         abs(means[name] - reference) / reference)
        for name in candidates
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per route (default 5)")
    args = parser.parse_args()
    if torch is not None:
        torch.set_num_threads(1)   # numpy's ufuncs are single-threaded: compare like with like
    tiny = lb.cross_entropy([[40.0, 0.0]], [0], from_logits=True)
    print(f"logits [40, 0], true class 0: loss {float(tiny):.6e} "
          f"(mpmath {mp_loss(np.array([40.0, 0.0]), 0):.6e}; naive -log(softmax) gives 0)")
    for n, k, scale in CASES:
        results = bench(n, k, scale, args.repeats)
        cpu = {name: seconds for name, _, seconds, _ in results}
        floor, ours = cpu["np.exp pass (floor)"], cpu["lossbook.cross_entropy"]
        print(f"{'route':<34}{'wall ms':>9}{'CPU ms':>9}{'/ exp pass':>12}{'/ lossbook':>12}"
              f"{'mean vs scipy':>15}")
        for name, wall_seconds, cpu_seconds, difference in results:
            shown = "" if np.isnan(difference) else f"{difference:.1e}"
            print(f"{name:<34}{wall_seconds * 1e3:>9.1f}{cpu_seconds * 1e3:>9.1f}"
                  f"{cpu_seconds / floor:>12.2f}{cpu_seconds / ours:>12.2f}{shown:>15}")


if __name__ == "__main__":
    main()
