"""Lighthouse (npm, mobile preset) on every page of the built site, served as GitHub Pages serves it.

The site is served from localhost, gzipped and under its published path (`/lossbook/`, so the
404 page's links resolve), and Lighthouse 12 drives Debian's Chromium (`CHROME_PATH`) with its
default mobile preset: a mid-range phone on slow 4G, simulated. Prints one row per page: the four
category scores, Largest Contentful Paint, Total Blocking Time and the unused CSS Lighthouse
counts; then each page's failed audits. The bar the book aims for: performance >= 95,
LCP <= 2.5 s, accessibility, best practices and SEO 100. Asserts nothing.

Usage: .venv/bin/python benchmarks/lighthouse.py [PAGE ...]   (pages relative to the site root)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from urllib.parse import urlsplit

import yaml

from _site import ROOT, default_site, page_paths, serve_like_pages

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def audit(url: str) -> dict:
    """Lighthouse's JSON report for ``url``."""
    env = {**os.environ, "CHROME_PATH": os.environ.get("LOSSBOOK_CHROMIUM", "/usr/bin/chromium")}
    run = subprocess.run(
        [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
         f"--only-categories={','.join(CATEGORIES)}",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
        capture_output=True, text=True, env=env, timeout=300, check=True)
    return json.loads(run.stdout)


def failed_audits(report: dict) -> list[str]:
    """The ids of the audits that cost a score point in a category other than performance."""
    ids = {ref["id"] for name in CATEGORIES[1:] for ref in report["categories"][name]["auditRefs"]
           if ref["weight"] > 0}
    return sorted(i for i in ids if report["audits"][i]["score"] is not None and report["audits"][i]["score"] < 1)


def main() -> None:
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is missing: run `npm ci`")
    site = default_site()
    prefix = urlsplit(yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["html"]["baseurl"]).path
    paths = sys.argv[1:] or page_paths(site)
    header = f"{'page':28} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5} {'LCP s':>6} {'TBT ms':>7} {'unused CSS KiB':>15}"
    print(f"\nLighthouse (mobile, gzipped localhost) on {site}\n{header}")
    problems = {}
    with serve_like_pages(site, prefix) as base:
        for path in paths:
            report = audit(base + path)
            scores = [round(100 * report["categories"][c]["score"]) for c in CATEGORIES]
            audits = report["audits"]
            lcp = audits["largest-contentful-paint"]["numericValue"] / 1000
            tbt = audits["total-blocking-time"]["numericValue"]
            unused = audits["unused-css-rules"].get("details", {}).get("overallSavingsBytes", 0) / 1024
            print(f"{path:28} {scores[0]:5d} {scores[1]:5d} {scores[2]:5d} {scores[3]:5d} {lcp:6.2f} {tbt:7.0f} {unused:15.0f}",
                  flush=True)
            if failed_audits(report):
                problems[path] = failed_audits(report)
    for path, ids in problems.items():
        print(f"{path}: failed {', '.join(ids)}")


if __name__ == "__main__":
    main()
