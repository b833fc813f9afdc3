"""How fast are the framework options and the focal loss, against single-thread torch in the same run?

On 4096 x 1000 float64 logits with class-index targets (some of them -100 where the case
ignores examples), each case times lossbook and the torch call that computes the same number:

* class weights, label smoothing, and both with ignore_index;
* soft targets with weights and smoothing;
* the softmax focal loss (torch has none built in: the usual log_softmax / gather / pow route);
* BCEWithLogitsLoss with weight and pos_weight on the same array of logits;
* the gradients the training playground uses, against torch's forward plus backward.

The routes are timed round-robin, so a change in machine load slows both alike; the ratio is
of median CPU times of this process (torch on one thread, as numpy's ufuncs are).  Before
timing, each pair is checked to agree to 1e-12 relative, so speed is not bought with accuracy.

Run with ``make bench`` or ``python benchmarks/bench_losses.py [--repeats N]``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

import lossbook as lb

try:
    import torch
except ImportError:  # the comparison is optional
    torch = None

N, K = 4096, 1000
Case = tuple[Callable[[], object], Callable[[], object] | None]


def cases(seed: int = 0) -> dict[str, Case]:
    """Each case: (lossbook call, torch call computing the same value, or None without torch)."""
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((N, K)) * 3
    labels = rng.integers(0, K, N)
    ignored = labels.copy()
    ignored[::10] = -100
    weight = rng.uniform(0.5, 2.0, K)
    soft = rng.dirichlet(np.ones(K), N)
    y01 = rng.integers(0, 2, (N, K)).astype(float)
    row_weight = rng.uniform(0.5, 2.0, (N, 1))
    all_options = {"weight": weight, "label_smoothing": 0.1, "ignore_index": -100}
    ours: dict[str, Callable[[], object]] = {
        "CE weight": lambda: lb.cross_entropy(z, labels, from_logits=True, weight=weight),
        "CE label_smoothing=0.1": lambda: lb.cross_entropy(z, labels, from_logits=True, label_smoothing=0.1),
        "CE weight+smoothing+ignore": lambda: lb.cross_entropy(z, ignored, from_logits=True, **all_options),
        "CE soft, weight+smoothing": lambda: lb.cross_entropy(
            z, soft, from_logits=True, weight=weight, label_smoothing=0.1),
        "focal_loss gamma=2": lambda: lb.focal_loss(z, labels),
        "BCE logits weight+pos_weight": lambda: lb.binary_cross_entropy(
            z, y01, from_logits=True, weight=row_weight, pos_weight=weight),
        "grad CE weight+smoothing+ignore": lambda: lb.cross_entropy_grad(z, ignored, **all_options),
        "grad focal gamma=2": lambda: lb.focal_loss_grad(z, labels),
    }
    if torch is None:
        return {name: (run, None) for name, run in ours.items()}
    F = torch.nn.functional
    zt, lt, it = torch.from_numpy(z), torch.from_numpy(labels), torch.from_numpy(ignored)
    wt, st, yt, rt = (torch.from_numpy(a) for a in (weight, soft, y01, row_weight))

    def focal(logits: torch.Tensor) -> torch.Tensor:
        log_p = torch.log_softmax(logits, dim=-1).gather(1, lt[:, None])[:, 0]
        return (-(-torch.expm1(log_p)) ** 2 * log_p).mean()

    def backward(loss: Callable[[torch.Tensor], torch.Tensor]) -> Callable[[], object]:
        def run() -> object:
            leaf = zt.clone().requires_grad_(True)
            loss(leaf).backward()
            return leaf.grad
        return run

    theirs: dict[str, Callable[[], object]] = {
        "CE weight": lambda: F.cross_entropy(zt, lt, weight=wt),
        "CE label_smoothing=0.1": lambda: F.cross_entropy(zt, lt, label_smoothing=0.1),
        "CE weight+smoothing+ignore": lambda: F.cross_entropy(zt, it, weight=wt, label_smoothing=0.1),
        "CE soft, weight+smoothing": lambda: F.cross_entropy(zt, st, weight=wt, label_smoothing=0.1),
        "focal_loss gamma=2": lambda: focal(zt),
        "BCE logits weight+pos_weight": lambda: F.binary_cross_entropy_with_logits(
            zt, yt, weight=rt, pos_weight=wt),
        "grad CE weight+smoothing+ignore": backward(
            lambda leaf: F.cross_entropy(leaf, it, weight=wt, label_smoothing=0.1)),
        "grad focal gamma=2": backward(focal),
    }
    return {name: (ours[name], theirs[name]) for name in ours}


def agreement(ours: object, theirs: object) -> float:
    """Largest difference relative to the largest torch value."""
    a = np.asarray(ours, dtype=float)
    b = np.asarray(theirs.detach().numpy() if hasattr(theirs, "detach") else theirs, dtype=float)
    return float(np.max(np.abs(a - b)) / np.max(np.abs(b)))


def cpu_ms(run: Callable[[], object]) -> float:
    start = time.process_time()
    run()
    return (time.process_time() - start) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="timed runs per route (default 7)")
    args = parser.parse_args()
    if torch is not None:
        torch.set_num_threads(1)   # numpy's ufuncs are single-threaded: compare like with like
    print(f"{N} x {K} float64 logits ~ N(0, 3^2); CPU ms, medians of {args.repeats} round-robin runs")
    print(f"{'case':<34}{'lossbook':>10}{'torch':>10}{'ratio':>9}{'agreement':>12}")
    for name, (ours, theirs) in cases().items():
        if theirs is None:
            print(f"{name:<34}{np.median([cpu_ms(ours) for _ in range(args.repeats)]):>10.1f}"
                  f"{'-':>10}{'-':>9}{'-':>12}  (torch not installed)")
            continue
        difference = agreement(ours(), theirs())
        assert difference <= 1e-12, (name, difference)
        times: dict[bool, list[float]] = {True: [], False: []}
        for _ in range(args.repeats):
            times[True].append(cpu_ms(ours))
            times[False].append(cpu_ms(theirs))
        mine, torch_ms = float(np.median(times[True])), float(np.median(times[False]))
        print(f"{name:<34}{mine:>10.1f}{torch_ms:>10.1f}{mine / torch_ms:>9.2f}{difference:>12.1e}")
    print("ratio = lossbook / torch CPU time: below 1 means lossbook is faster")


if __name__ == "__main__":
    main()
