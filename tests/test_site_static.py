"""Checks on the built website's HTML that need no browser: links, anchors, launch buttons,
and that no page loads anything from outside the site."""

from __future__ import annotations

import os
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(os.environ.get("LOSSBOOK_SITE", ROOT / "_build" / "html"))
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
SITE_PATH = urlsplit(CONFIG["html"]["baseurl"]).path  # "/lossbook/" where the site is published
NOTEBOOK_CHAPTERS = sorted(p.stem for p in (ROOT / "chapters").glob("*.ipynb"))


class Page(HTMLParser):
    """The ids, links and loaded resources of one HTML file."""

    def __init__(self, path: Path):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []  # <a href>: navigation
        self.loads: list[str] = []  # what the browser fetches by itself: scripts, styles, images, icons
        self.images: list[dict[str, str | None]] = []  # the attributes of each <img>
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "img":
            self.images.append(a)
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag in ("script", "img", "iframe", "source", "video", "audio") and a.get("src"):
            self.loads.append(a["src"])
        elif tag == "link" and a.get("href") and a.get("rel") not in ("canonical",):
            self.loads.append(a["href"])


@pytest.fixture(scope="module")
def pages() -> dict[Path, Page]:
    if not (SITE / "index.html").is_file():
        pytest.fail(f"no built site at {SITE}: run `make book` first (or set LOSSBOOK_SITE)")
    return {p: Page(p) for p in SITE.rglob("*.html") if "_static" not in p.parts}


def is_external(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https") or url.startswith("//")


def test_no_page_loads_anything_from_outside_the_site(pages):
    outside = {f"{p.relative_to(SITE)}: {u}" for p, page in pages.items() for u in page.loads if is_external(u)}
    assert not outside, "\n".join(sorted(outside))


def test_every_image_loads_lazily_in_a_box_of_its_own_size(pages):
    from PIL import Image

    wrong = []
    for path, page in pages.items():
        for img in page.images:
            src = unquote(img.get("src") or "")
            if img.get("loading") != "lazy":
                wrong.append(f"{path.relative_to(SITE)}: {src} loads at once (loading={img.get('loading')!r})")
            if "_images/" in src:
                with Image.open((path.parent / src).resolve()) as image:
                    size = image.size
                box = (int(img.get("width") or 0), int(img.get("height") or 0))
                if box != size:
                    wrong.append(f"{path.relative_to(SITE)}: {src} is {size[0]}x{size[1]} px, its box {box[0]}x{box[1]}")
    assert sum(len(page.images) for page in pages.values()) > 30, "the chapters' figures are missing"
    assert not wrong, "\n".join(wrong)


def test_every_internal_link_and_anchor_resolves(pages):
    broken = []
    for path, page in pages.items():
        for url in page.links + page.loads:
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//") or url.startswith("mailto:"):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if parts.path.startswith(SITE_PATH):  # the 404 page links from the site's root path
                target = SITE / unquote(parts.path[len(SITE_PATH):])
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{path.relative_to(SITE)}: {url} (no file)")
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else Page(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{path.relative_to(SITE)}: {url} (no anchor)")
    assert not broken, "\n".join(broken)


@pytest.mark.parametrize("chapter", NOTEBOOK_CHAPTERS)
def test_colab_button_opens_the_paired_notebook_in_the_configured_repository(pages, chapter):
    repo = CONFIG["repository"]
    owner_name = urlsplit(repo["url"]).path.strip("/")
    expected = (f"{CONFIG['launch_buttons']['colab_url']}/github/{owner_name}/blob/"
                f"{repo['branch']}/chapters/{chapter}.ipynb")
    page = pages[SITE / "chapters" / f"{chapter}.html"]
    colab = [u for u in page.links if "colab" in u]
    assert colab == [expected], f"Colab links on {chapter}.html: {colab}"


@pytest.mark.parametrize("chapter", NOTEBOOK_CHAPTERS)
def test_download_button_serves_the_paired_notebook(pages, chapter):
    page = pages[SITE / "chapters" / f"{chapter}.html"]
    assert f"../_sources/chapters/{chapter}.ipynb" in page.links
    served = SITE / "_sources" / "chapters" / f"{chapter}.ipynb"
    assert served.read_bytes() == (ROOT / "chapters" / f"{chapter}.ipynb").read_bytes()


def test_every_page_declares_a_favicon_so_the_browser_does_not_ask_for_a_missing_one(pages):
    without = [str(p.relative_to(SITE)) for p, page in pages.items()
               if not any("favicon" in u for u in page.loads)]
    assert not without, without


def test_front_door_redirects_to_the_first_chapter(pages):
    index = pages[SITE / "index.html"]
    assert index.links == ["chapters/intro.html"]
    assert "<title>" in (SITE / "index.html").read_text(encoding="utf-8")


def test_no_source_maps_are_shipped():
    assert not list(SITE.rglob("*.map"))


# What pages used to load on every visit (about 2.5 MB gzipped): the ipywidgets manager and its
# AMD loader, MathJax, FontAwesome's script and full fonts. Widgets, maths and icons now come
# with the page (assets/anywidget-host.js, _ext/math_prerender.py, _ext/inline_icons.py).
HEAVY = ("require.js", "embed-amd.js", "mathjax", "tex-svg", "tex-chtml", "fontawesome.js", "fa-solid-900", "fa-brands-400")


def test_no_page_loads_the_heavy_stock_scripts(pages):
    heavy = sorted({f"{p.relative_to(SITE)}: {u}" for p, page in pages.items() for u in page.loads
                    if any(name in u for name in HEAVY)})
    assert not heavy, "\n".join(heavy)


def test_maths_is_typeset_in_the_html_with_a_mathml_copy_for_screen_readers(pages):
    for chapter in ("softmax", "cross_entropy"):
        html = (SITE / "chapters" / f"{chapter}.html").read_text(encoding="utf-8")
        assert "\\(" not in html and "\\[" not in html, f"{chapter}.html has untypeset TeX"
        assert html.count("<mjx-container") == html.count("<mjx-assistive-mml"), f"{chapter}.html: a formula lacks MathML"
        assert 'class="eqno"' in html, f"{chapter}.html shows no equation numbers"


def test_bibliography_keeps_the_case_of_code_names_in_titles():
    # BibTeX styles lower-case titles ("Torch.nn.bcewithlogitsloss") unless braces protect them.
    import pybtex.database

    entries = pybtex.database.parse_file(str(ROOT / "references.bib")).entries.values()
    names = [e.fields["title"].strip("{}").replace("\\_", "_") for e in entries
             if e.type == "misc" and any(c in e.fields["title"] for c in "._")]
    text = (SITE / "chapters" / "references.html").read_text(encoding="utf-8")
    missing = [name for name in names if name not in text]
    assert names and not missing, f"titles shown in another case: {missing}"


def test_code_names_equations_by_the_numbers_the_reader_sees():
    """Code comments name equations by label, "(eq-pairs-clip)"; pages and notebooks show "(10.5)"
    (_ext/code_equation_numbers.py, scripts/reader_notebook.py)."""
    import doctest
    import json

    sys.path.insert(0, str(ROOT / "_ext"))
    import code_equation_numbers

    assert doctest.testmod(code_equation_numbers).failed == 0
    for path in sorted(SITE.glob("chapters/*.html")):
        code = " ".join(m.group(2) for m in code_equation_numbers.CODE_BLOCK.finditer(path.read_text(encoding="utf-8")))
        assert "(eq-" not in code, f"{path.name} shows an equation label in its code"
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        assert not [c for c in cells if c["cell_type"] == "code" and "(eq-" in "".join(c["source"])], path.name
    sources = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "chapters").glob("*.md"))
    assert re.search(r"^[^$\n]*#[^\n]*\(eq-[a-z-]+\)", sources, re.M), "no code comment names an equation: test nothing"
