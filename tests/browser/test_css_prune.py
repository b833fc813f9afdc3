"""The pruned stylesheet bundle (_ext/css_prune.py) styles every element exactly as the full one.

Each page is loaded twice, once with the bundle as built and once with the bundle rebuilt from
the stylesheets it was made from (unpruned), and every element's computed style, its ::before
and ::after included, must be the same: at phone and desktop width, light and dark."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from test_css_bundle import unpruned_bundle  # noqa: E402

# One FNV-1a hash per element of its computed style, ::before and ::after included (custom
# properties left out: pruning drops the unused ones), so the page hands over numbers, not styles.
STYLES = """() => [...document.querySelectorAll('body *')].map((el) => {
  let hash = 2166136261;
  for (const pseudo of [null, '::before', '::after']) {
    const s = getComputedStyle(el, pseudo);
    for (let i = 0; i < s.length; i++) {
      const name = s[i];
      if (name.startsWith('--')) continue;
      const text = name + ':' + s.getPropertyValue(name) + ';';
      for (let j = 0; j < text.length; j++) hash = Math.imul(hash ^ text.charCodeAt(j), 16777619) >>> 0;
    }
  }
  return el.tagName + '.' + el.className + ' ' + hash;
})"""


@pytest.mark.parametrize("page_path,width,theme", [("chapters/softmax.html", 390, "light"),
                                                    ("chapters/softmax.html", 1280, "dark"),
                                                    ("search.html", 1280, "light")])
def test_pruned_bundle_styles_every_element_as_the_full_one(browser, base_url, page_path, width, theme):
    full = unpruned_bundle()
    styles = []
    for replace in (False, True):
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=theme)
        page = context.new_page()
        if replace:
            page.route("**/lossbook-bundle.css*",
                       lambda route: route.fulfill(status=200, content_type="text/css", body=full))
        page.goto(f"{base_url}/{page_path}", wait_until="networkidle")
        styles.append(page.evaluate(STYLES))
        context.close()
    pruned, unpruned = styles
    assert len(pruned) == len(unpruned)
    differences = [(a, b) for a, b in zip(pruned, unpruned) if a != b]
    assert not differences, differences[:10]
