"""How soon each page of the built site is usable after navigation, in headless Chromium.

"Usable" is the first moment at which the page is parsed (DOMContentLoaded), every widget it
displays has rendered (its sliders exist; anywidget-host.js marks each view, the older
ipywidgets manager filled a .widget-subarea) and, where the page loads MathJax, MathJax has
finished typesetting. It is read inside the page with ``performance.now()``, which counts from
navigation start. Each page is loaded cold (a fresh browser context: empty cache) ``--loads``
times, interleaved with the same page served with every script removed (the reference: usable
as soon as it is parsed), so that the ratio to it still means something on a busy machine.
Give several built sites to compare them in one run (e.g. main's build and this one). Prints
medians; asserts nothing.

Usage: .venv/bin/python benchmarks/site_load_time.py [--loads 5] [SITE ...]
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from playwright.sync_api import sync_playwright

from _site import CHROMIUM, CHROMIUM_ARGS, default_site, page_paths, serve

# Installed before any page script runs; sets window.__usableAt once the page is usable.
WATCH_USABLE = """
(() => {
  const VIEW = 'script[type="application/vnd.jupyter.widget-view+json"]';
  let mathDone = false, mathHooked = false;
  const check = () => {
    if (window.__usableAt !== undefined) return;
    if (document.readyState === 'loading') return setTimeout(check, 1);
    const mathjax = document.querySelector('script[src*="mathjax"]');
    if (mathjax && !mathDone) {
      const promise = window.MathJax && window.MathJax.startup && window.MathJax.startup.promise;
      if (promise && !mathHooked) { mathHooked = true; promise.then(() => { mathDone = true; check(); }); }
      return setTimeout(check, 1);
    }
    const views = document.querySelectorAll(VIEW).length;
    const rendered = document.querySelectorAll('[data-anywidget], .widget-subarea > *').length;
    if (rendered < views) return setTimeout(check, 1);
    window.__usableAt = performance.now();
  };
  check();
})();
"""


def usable_ms(browser, url: str) -> float:
    context = browser.new_context()
    context.add_init_script(WATCH_USABLE)
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_function("window.__usableAt !== undefined", timeout=30_000)
    value = float(page.evaluate("window.__usableAt"))
    context.close()
    return value


def measure(browser, site: Path, loads: int) -> None:
    print(f"\n{site}")
    print(f"{'page':32} {'usable ms':>10} {'no-script ms':>13} {'ratio':>6}   (medians of {loads} cold loads)")
    with serve(site) as base:
        for path in page_paths(site):
            usable, bare = [], []
            for _ in range(loads):
                usable.append(usable_ms(browser, f"{base}/{path}"))
                bare.append(usable_ms(browser, f"{base}/{path}?bare"))
            u, b = statistics.median(usable), statistics.median(bare)
            print(f"{path:32} {u:10.0f} {b:13.0f} {u / b:6.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=5, help="cold loads of each page (default 5)")
    parser.add_argument("sites", nargs="*", type=Path, help="built sites (default _build/html or $LOSSBOOK_SITE)")
    args = parser.parse_args()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for site in args.sites or [default_site()]:
            measure(browser, site, args.loads)
        browser.close()


if __name__ == "__main__":
    main()
