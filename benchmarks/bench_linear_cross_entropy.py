"""Memory and time of lossbook.linear_cross_entropy (and its gradient) against the full logits.

For each case (N tokens, width d, vocabulary V), in float32 as language models train:

* ``naive numpy``: ``z = h @ W.T`` in full, then the max-shifted log-sum-exp; for the
  gradient, ``softmax(z) - onehot`` in full, then ``G @ W`` and ``G.T @ h``;
* ``lossbook``: :func:`lossbook.linear_cross_entropy` / ``_grad`` at the default chunk size;
* ``torch``: ``F.cross_entropy(h @ W.T, y)`` (and ``.backward()``) on one thread, if installed.

Every route runs with one BLAS thread (threadpoolctl), so the ratios compare the methods, not
how many cores each grabs on a shared machine. Peak memory is measured with tracemalloc, which
sees numpy's allocations but not torch's. The targets: peak at most a quarter of the float32
logits; time at most 1.5x the naive numpy route; and, in float64, agreement with the naive
route to 1e-6 relative (printed).

Run with ``make bench`` or ``python benchmarks/bench_linear_cross_entropy.py [--repeats N]``.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections.abc import Callable

import numpy as np
from threadpoolctl import threadpool_limits

import lossbook as lb

CASES = [(2048, 64, 32768), (4096, 128, 50257)]

try:
    import torch
except ImportError:  # the comparison is optional
    torch = None


def naive_loss(h: np.ndarray, w: np.ndarray, y: np.ndarray) -> float:
    z = h @ w.T
    m = z.max(axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.exp(z - m).sum(axis=1))
    return float(np.mean(lse - z[np.arange(len(y)), y]))


def naive_grad(h: np.ndarray, w: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    z = h @ w.T
    e = np.exp(z - z.max(axis=1, keepdims=True))
    g = e / e.sum(axis=1, keepdims=True)
    g[np.arange(len(y)), y] -= 1
    g /= len(y)
    return g @ w, g.T @ h


def routes(h: np.ndarray, w: np.ndarray, y: np.ndarray) -> dict[str, Callable[[], object]]:
    found: dict[str, Callable[[], object]] = {
        "naive numpy loss": lambda: naive_loss(h, w, y),
        "lossbook loss": lambda: lb.linear_cross_entropy(h, w, y),
        "naive numpy loss+grad": lambda: naive_grad(h, w, y),
        "lossbook loss+grad": lambda: lb.linear_cross_entropy_grad(h, w, y),
    }
    if torch is not None:
        ht, wt, yt = torch.from_numpy(h), torch.from_numpy(w), torch.from_numpy(y)

        def torch_grad() -> None:
            hg, wg = ht.clone().requires_grad_(), wt.clone().requires_grad_()
            torch.nn.functional.cross_entropy(hg @ wg.T, yt).backward()

        found["torch loss (1 thread)"] = lambda: torch.nn.functional.cross_entropy(ht @ wt.T, yt)
        found["torch loss+grad (1 thread)"] = torch_grad
    return found


def peak_bytes(call: Callable[[], object]) -> int:
    tracemalloc.start()
    call()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if torch is not None:
        torch.set_num_threads(1)
    with threadpool_limits(limits=1):
        for n, d, v in CASES:
            rng = np.random.default_rng(0)
            h = rng.standard_normal((n, d), dtype=np.float32)
            w = (rng.standard_normal((v, d), dtype=np.float32) / np.sqrt(d)).astype(np.float32)
            y = rng.integers(0, v, n)
            logits = n * v * 4
            print(f"\nN={n}, d={d}, V={v}: the float32 logits take {logits / 2**20:.0f} MiB")
            found = routes(h, w, y)
            times: dict[str, list[float]] = {name: [] for name in found}
            for _ in range(args.repeats):  # round-robin, so a change in load hits every route alike
                for name, call in found.items():
                    start = time.process_time()
                    call()
                    times[name].append(time.process_time() - start)
            print(f"{'route':30s} {'CPU time':>10s} {'vs naive':>9s} {'peak (tracemalloc)':>19s} {'/ logits':>9s}")
            for name, call in found.items():
                median = float(np.median(times[name]))
                naive = float(np.median(times["naive numpy loss+grad" if "grad" in name else "naive numpy loss"]))
                peak = "n/a (not numpy)" if name.startswith("torch") else f"{peak_bytes(call) / 2**20:.1f} MiB"
                share = "" if name.startswith("torch") else f"{peak_bytes(call) / logits:.3f}"
                print(f"{name:30s} {median * 1e3:8.1f} ms {median / naive:8.2f}x {peak:>19s} {share:>9s}")
            h64, w64 = h.astype(np.float64), w.astype(np.float64)
            exact, ours = naive_loss(h64, w64, y), float(lb.linear_cross_entropy(h64, w64, y))
            print(f"float64 loss: naive {exact:.15f}, lossbook {ours:.15f}, relative difference "
                  f"{abs(ours - exact) / exact:.1e}")


if __name__ == "__main__":
    main()
