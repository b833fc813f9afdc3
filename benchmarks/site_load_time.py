"""How soon each page of the built site is usable after navigation, in headless Chromium.

"Usable" is the first moment at which the page is parsed (its maths, typeset at build time, is
in it), every widget it displays has rendered (its sliders exist; anywidget-host.js marks each
view, the older ipywidgets manager filled a .widget-subarea) and, where the page loads MathJax,
MathJax has finished typesetting. It is read inside the page with ``performance.now()``, which
counts from navigation start. The DCL column is DOMContentLoaded, by when the page's deferred
scripts (the theme's: copy buttons, colour switch, menus) have run too. Each page is loaded cold (a fresh browser context: empty cache) ``--loads``
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

# Installed before any page script runs; sets window.__usableAt once the page is usable. It
# listens (readystatechange, and mutations once the page is parsed) rather than polling, so that
# measuring does not take main-thread time from the page it measures.
WATCH_USABLE = """
(() => {
  const VIEW = 'script[type="application/vnd.jupyter.widget-view+json"]';
  let mathDone = false, mathHooked = false;
  const check = () => {
    if (window.__usableAt !== undefined || document.readyState === 'loading') return;
    const mathjax = document.querySelector('script[src*="mathjax"]');
    if (mathjax && !mathDone) {  // a build that typesets in the browser
      const promise = window.MathJax && window.MathJax.startup && window.MathJax.startup.promise;
      if (promise && !mathHooked) { mathHooked = true; promise.then(() => { mathDone = true; check(); }); }
      if (!mathHooked) setTimeout(check, 5);
      return;
    }
    const views = document.querySelectorAll(VIEW).length;
    const rendered = document.querySelectorAll('[data-anywidget], .widget-subarea > *').length;
    if (rendered < views) return;
    window.__usableAt = performance.now();
  };
  document.addEventListener('readystatechange', check);
  new MutationObserver(() => { if (document.readyState !== 'loading') check(); })
    .observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-anywidget']});
})();
"""


def usable_ms(browser, url: str) -> tuple[float, float]:
    """(ms until usable, ms until DOMContentLoaded: the page's deferred scripts, the theme's, have run)."""
    context = browser.new_context()
    context.add_init_script(WATCH_USABLE)
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_function("window.__usableAt !== undefined", timeout=30_000)
    usable, loaded = page.evaluate(
        "[window.__usableAt, performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd]")
    context.close()
    return float(usable), float(loaded)


def measure(browser, site: Path, loads: int) -> None:
    print(f"\n{site}")
    print(f"{'page':32} {'usable ms':>10} {'DCL ms':>7} {'no-script ms':>13} {'ratio':>6}   (medians of {loads} cold loads)")
    with serve(site) as base:
        for path in page_paths(site):
            usable, loaded, bare = [], [], []
            for _ in range(loads):
                u, d = usable_ms(browser, f"{base}/{path}")
                usable.append(u)
                loaded.append(d)
                bare.append(usable_ms(browser, f"{base}/{path}?bare")[0])
            u, d, b = statistics.median(usable), statistics.median(loaded), statistics.median(bare)
            print(f"{path:32} {u:10.0f} {d:7.0f} {b:13.0f} {u / b:6.1f}")


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
