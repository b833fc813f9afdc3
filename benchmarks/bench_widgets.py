"""How fast the live widgets answer a slider on the built website, in headless Chromium.

For each widget, 200 slider moves (round-robin over its sliders, random values on each slider's
grid): the time from dispatching the ``input`` event to the widget's ``data-loss`` attribute being
rewritten, measured inside the page with ``performance.now()``. The page gets one animation frame
between moves, as it would during a drag. The target is one frame at 60 Hz, 16 ms. Worst cases
are sensitive to other load on the machine (a busy CPU pauses the page); the median, the 95th
percentile and the count of moves over the target tell that apart from a slow widget.

Usage (after ``make book``)::

    .venv/bin/python benchmarks/bench_widgets.py [--moves 200] [--site _build/html]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import statistics
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("LOSSBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TARGET_MS = 16.0
WIDGETS = {  # name: (page, root element's class)
    "ConfidenceSlider": ("chapters/cross_entropy.html", "lossbook-confidence"),
    "BernoulliExplorer": ("chapters/bernoulli.html", "lossbook-bernoulli"),
    "SoftmaxExplorer": ("chapters/softmax.html", "lossbook-softmax"),
}

MEASURE_JS = """
async ({selector, moves}) => {
  const root = document.querySelector(selector);
  const inputs = [...root.querySelectorAll('input[type=range]')];
  const times = [];
  let unchanged = 0;
  for (let i = 0; i < moves; i++) {
    const input = inputs[i % inputs.length];
    const min = Number(input.min), step = Number(input.step);
    const steps = Math.round((Number(input.max) - min) / step);
    let value;
    do {
      value = String(Number((min + Math.floor(Math.random() * (steps + 1)) * step).toFixed(6)));
    } while (value === input.value);
    const before = root.dataset.loss;
    const rewritten = new Promise((resolve) => {
      const observer = new MutationObserver(() => { observer.disconnect(); resolve(performance.now()); });
      observer.observe(root, { attributes: true, attributeFilter: ['data-loss'] });
    });
    const start = performance.now();
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    times.push((await rewritten) - start);
    if (root.dataset.loss === before) unchanged++;
    await new Promise((resolve) => requestAnimationFrame(() => resolve()));
  }
  return { times, unchanged, sliders: inputs.length };
}
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=200)
    parser.add_argument("--site", type=Path, default=Path(os.environ.get("LOSSBOOK_SITE", ROOT / "_build" / "html")))
    args = parser.parse_args()
    missing = [page for page, _ in WIDGETS.values() if not (args.site / page).is_file()]
    if missing:
        print(f"not built in {args.site}: {', '.join(missing)}; run `make book` first", file=sys.stderr)
        return 2

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(args.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    slow = []
    print(f"input event -> data-loss rewritten, {args.moves} moves per widget (target <= {TARGET_MS:.0f} ms)")
    print(f"{'widget':<20}{'sliders':>8}{'median ms':>12}{'p95 ms':>9}{'worst ms':>11}{'> target':>10}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, (page_path, css) in WIDGETS.items():
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_port}/{page_path}")
            page.wait_for_selector(f".{css}[data-loss]", timeout=20_000)
            result = page.evaluate(MEASURE_JS, {"selector": f".{css}[data-loss]", "moves": args.moves})
            times = result["times"]
            median, worst = statistics.median(times), max(times)
            p95 = statistics.quantiles(times, n=20)[-1]
            over = sum(t > TARGET_MS for t in times)
            print(f"{name:<20}{result['sliders']:>8}{median:>12.3f}{p95:>9.3f}{worst:>11.3f}{over:>10}")
            if result["unchanged"]:
                print(f"  warning: {result['unchanged']} moves left data-loss unchanged", file=sys.stderr)
            if worst > TARGET_MS:
                slow.append(name)
            page.close()
        browser.close()
    server.shutdown()
    if slow:
        print(f"slower than {TARGET_MS:.0f} ms at worst: {', '.join(slow)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
