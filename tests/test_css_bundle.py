"""The pages' shared stylesheets served as one file (_ext/css_bundle.py).

Unit cases check the pieces on small inputs worked by hand; the site cases check the built
bundle: every page links it once, it holds every stylesheet the pages used to link, in their
order, and every file it points to exists, so fonts and images resolve from its folder.
"""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))

from css_bundle import BUNDLE, MEMBERS_NOTE, bundle_links, rebase_urls, stylesheet_text  # noqa: E402
from css_prune import prune  # noqa: E402

SITE = Path(os.environ.get("LOSSBOOK_SITE", ROOT / "_build" / "html"))


@pytest.mark.parametrize("source, url, expected", [
    ("_static/lossbook.css", "vendored/fonts/i.woff", "../vendored/fonts/i.woff"),
    ("_static/styles/theme.css", "../vendor/fa.woff2", "../vendor/fa.woff2"),
    ("_static/styles/theme.css", "img.png", "img.png"),
    ("_static/a/b/c.css", "../../x.svg", "../x.svg"),
])
def test_relative_urls_point_to_the_same_file_from_the_bundle(source, url, expected):
    assert rebase_urls(f"a {{ src: url('{url}') }}", source) == f'a {{ src: url("{expected}") }}'


@pytest.mark.parametrize("url", ["data:image/svg+xml;charset=utf-8,%3Csvg%3E", "https://example.org/f.woff", "/abs.css", "#m"])
def test_absolute_and_data_urls_are_left_alone(url):
    css = f'a {{ b: url("{url}") }}'
    assert rebase_urls(css, "_static/x/y.css") == css


@pytest.mark.parametrize("rule", ['@import url("../basic.css");', "@import url(../basic.css);", '@import "../basic.css";'])
def test_an_import_is_inlined_with_its_own_urls_rebased(tmp_path, rule):
    (tmp_path / "_static" / "styles").mkdir(parents=True)
    (tmp_path / "_static" / "basic.css").write_text("b { background: url(img/b.png) }", encoding="utf-8")
    (tmp_path / "_static" / "styles" / "theme.css").write_text(
        f'@charset "utf-8";{rule}\nt {{ x: 1 }}\n/*# sourceMappingURL=theme.css.map */', encoding="utf-8")
    text = stylesheet_text(tmp_path, "_static/styles/theme.css")
    assert text.strip() == 'b { background: url("../img/b.png") }\nt { x: 1 }'


def test_the_shared_run_of_links_becomes_one_link_at_the_page_depth():
    html = ('<head>\n<link href="../_static/a.css?digest=1" rel="stylesheet" />\n'
            '    <link rel="stylesheet" type="text/css" href="../_static/b.css?v=2" />\n'
            '    <link rel="stylesheet" type="text/css" href="../_static/widgets/w.css" />\n</head><body></body>')
    edited, done = bundle_links(html, ["_static/a.css", "_static/b.css"], "abc")
    assert done
    assert re.findall(r'href="([^"]+)"', edited) == [f"../{BUNDLE}?v=abc", "../_static/widgets/w.css"]
    unchanged, done = bundle_links(html, ["_static/b.css", "_static/a.css"], "abc")  # another order: not the run
    assert not done and unchanged == html


def test_only_rules_no_page_can_use_are_dropped():
    css = ('.fa-sun:before{content:"S"}.fa-a:before,.fa-b::before{content:"B"}'
           '[data-theme=dark] .note:hover{color:red}.unused > p, div.note:not(.gone){margin:0}'
           '@media (min-width: 10px){.unused{x:y}.note{x:z}}@media print{.gone{a:b}}')
    assert prune(css, ['<div class="note fa-b" data-theme="dark">']) == (
        '.fa-b::before{content:"B"}\n[data-theme=dark] .note:hover{color:red}\n'
        "div.note:not(.gone){margin:0}\n@media (min-width: 10px){.note{x:z}}\n")


def test_custom_properties_nothing_reads_are_dropped_even_through_each_other():
    css = ":root{--used:1px;--chain:var(--dead);--dead:2px;--js:3px}.a{width:var(--used)}"
    assert prune(css, ['<p class="a">', 'el.style.getPropertyValue("--js")']) == (
        ":root{--used:1px;--js:3px}\n.a{width:var(--used)}\n")


def test_keyframes_and_fonts_nothing_names_are_dropped():
    css = ('@font-face{font-family:"Kept";src:url(k.woff2)}@font-face{font-family:"Gone";src:url(g.woff2)}'
           "@keyframes spin{to{transform:rotate(1turn)}}@keyframes idle{to{opacity:0}}"
           '.a{font-family:"Kept";animation:spin 1s}')
    pruned = prune(css, ['<p class="a">'])
    assert "Kept" in pruned and "spin" in pruned and "Gone" not in pruned and "idle" not in pruned


@pytest.fixture(scope="module")
def pages() -> dict[Path, str]:
    if not (SITE / "index.html").is_file():
        pytest.fail(f"no built site at {SITE}: run `make book` first (or set LOSSBOOK_SITE)")
    return {p: p.read_text(encoding="utf-8") for p in SITE.rglob("*.html") if "_static" not in p.parts}


def test_every_page_links_the_bundle_once_and_no_shared_stylesheet_besides(pages):
    bundle = (SITE / BUNDLE).read_text(encoding="utf-8")
    version = re.escape(BUNDLE.rsplit("/", 1)[-1]) + r"\?v=(\w+)"
    for page, html in pages.items():
        if "http-equiv=\"Refresh\"" in html:
            continue  # the front door redirects
        head = html.split("</head>")[0]
        links = re.findall(r'<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"', head)
        bundled = [link for link in links if BUNDLE in link]
        assert len(bundled) == 1, f"{page.name}: {links}"
        assert all(BUNDLE in link or "/widgets/" in link for link in links), f"{page.name}: {links}"
        assert re.search(version, bundled[0]).group(1), bundled[0]
    members = bundle.split("\n", 1)[0].removeprefix(f"/* {MEMBERS_NOTE} ").removesuffix(" */").split()
    for member in ("_static/lossbook.css", "_static/styles/pydata-sphinx-theme.css", "_static/math.css"):
        assert member in members, member
    assert members.index("_static/styles/pydata-sphinx-theme.css") < members.index("_static/lossbook.css")
    assert "content-visibility:auto" in bundle and "@import" not in bundle


def unpruned_bundle() -> str:
    """The bundle as it was before pruning, rebuilt from the stylesheets its first line names."""
    first = (SITE / BUNDLE).read_text(encoding="utf-8").split("\n", 1)[0]
    members = first.removeprefix(f"/* {MEMBERS_NOTE} ").removesuffix(" */").split()
    return "\n".join(stylesheet_text(SITE, member) for member in members)


def test_pruned_bundle_is_smaller_than_purgecss_makes_it(tmp_path):
    """PurgeCSS (npm), given the same stylesheets and the same pages and scripts, is the baseline."""
    purgecss = ROOT / "node_modules" / ".bin" / "purgecss"
    if not purgecss.exists():
        pytest.fail("PurgeCSS is missing: run `npm ci`")
    full = tmp_path / "bundle.css"
    full.write_text(unpruned_bundle(), encoding="utf-8")
    subprocess.run([purgecss, "--css", full, "--content", f"{SITE}/**/*.html", f"{SITE}/_static/**/*.js",
                    "--output", tmp_path / "out"], check=True, capture_output=True)
    theirs = gzip.compress((tmp_path / "out" / "bundle.css").read_bytes(), 6)
    ours = gzip.compress((SITE / BUNDLE).read_bytes(), 6)
    assert len(ours) < len(theirs), (len(ours), len(theirs))
    assert len(ours) < len(gzip.compress(full.read_bytes(), 6)) / 2


def test_every_file_the_bundle_points_to_exists():
    bundle = (SITE / BUNDLE).read_text(encoding="utf-8")
    folder = (SITE / BUNDLE).parent
    urls = {m for m in re.findall(r'url\("([^"]+)"\)', bundle) if not re.match(r"^(?:data:|[a-z]+://|#)", m)}
    missing = sorted(url for url in urls if not (folder / url.split("?")[0].split("#")[0]).is_file())
    assert missing == []
