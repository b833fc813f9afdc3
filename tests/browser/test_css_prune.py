"""The pruned stylesheet bundle (_ext/css_prune.py) styles every element exactly as the full one.

Each page is loaded twice, once with the bundle as built and once with the bundle rebuilt from
the stylesheets it was made from (unpruned), and every element's computed style, its ::before
and ::after included, must be the same: at phone and desktop width, light and dark.

A section the reader has not come near is skipped by the browser (content-visibility: auto in
lossbook.css) and counts with a stand-in height until it has been drawn once, so how tall the
article was depended on which sections had happened to be drawn: a CI run failed on the heights
of the article's containers alone. Both loads therefore draw every section and fetch every lazy
image before the styles are read; how the sections are skipped is tested in test_site.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from test_css_bundle import unpruned_bundle  # noqa: E402

from _site import load_every_image  # noqa: E402
from test_site import RENDER_EVERYTHING  # noqa: E402

# One FNV-1a hash per element of its computed style, ::before and ::after included (custom
# properties left out: pruning drops the unused ones), so the page hands over numbers, not styles.
# A ::before or ::after whose content is none or normal draws no box, so only that value counts
# for it: hashing the rest of its style made each page take 45 s instead of 7.
STYLES = """() => [...document.querySelectorAll('body *')].map((el) => {
  let hash = 2166136261;
  const add = (text) => { for (let j = 0; j < text.length; j++) hash = Math.imul(hash ^ text.charCodeAt(j), 16777619) >>> 0; };
  for (const pseudo of [null, '::before', '::after']) {
    const s = getComputedStyle(el, pseudo);
    if (pseudo && (s.content === 'none' || s.content === 'normal')) { add(pseudo + ':' + s.content + ';'); continue; }
    for (let i = 0; i < s.length; i++) {
      const name = s[i];
      if (!name.startsWith('--')) add(name + ':' + s.getPropertyValue(name) + ';');
    }
  }
  return el.tagName + '.' + el.className + ' ' + hash;
})"""


def element_styles(browser, url: str, width: int, theme: str, bundle: str | None = None) -> list[str]:
    """Each element's style hash on ``url``, with the bundle as built or replaced by ``bundle``."""
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=theme)
    page = context.new_page()
    if bundle is not None:
        page.route("**/lossbook-bundle.css*",
                   lambda route: route.fulfill(status=200, content_type="text/css", body=bundle))
    page.goto(url, wait_until="networkidle")
    page.add_style_tag(content=RENDER_EVERYTHING)
    load_every_image(page)
    styles = page.evaluate(STYLES)
    context.close()
    return styles


@pytest.mark.parametrize("page_path,width,theme", [("chapters/softmax.html", 390, "light"),
                                                    ("chapters/softmax.html", 1280, "dark"),
                                                    ("search.html", 1280, "light")])
def test_pruned_bundle_styles_every_element_as_the_full_one(browser, base_url, page_path, width, theme):
    url = f"{base_url}/{page_path}"
    pruned = element_styles(browser, url, width, theme)
    unpruned = element_styles(browser, url, width, theme, unpruned_bundle())
    assert len(pruned) == len(unpruned)
    differences = [(a, b) for a, b in zip(pruned, unpruned) if a != b]
    assert not differences, differences[:10]


@pytest.mark.parametrize("extra_rule", ["h1::after{content:'!'}", "h1{letter-spacing:1px}"])
def test_the_comparison_sees_one_rule_more(browser, base_url, extra_rule):
    """A single rule the pruned bundle lacks, on an element or on its ::after, shows as a difference."""
    url = f"{base_url}/search.html"
    pruned = element_styles(browser, url, 1280, "light")
    more = element_styles(browser, url, 1280, "light", unpruned_bundle() + "\n" + extra_rule)
    differences = [b for a, b in zip(pruned, more) if a != b]
    assert differences and all(d.startswith("H1") for d in differences), differences[:5]
