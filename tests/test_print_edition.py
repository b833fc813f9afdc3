"""The print edition (`make pdf`, scripts/print_edition.py), printed from the built site: the whole
book in the table of contents' order, with embedded fonts, internal links, the version, and each
chapter's solutions after its text. Needs the built site and poppler's pdftotext and pdffonts."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from html import unescape
from pathlib import Path

import pytest
from book_chapters import toc_docnames

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
DOCNAMES = toc_docnames()


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def title(docname: str) -> str:
    """The chapter's title as its page shows it, with its number ("1. One-hot encoding")."""
    html = (SITE / f"{docname}.html").read_text(encoding="utf-8")
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html[html.index("<article"):], re.S).group(1)
    h1 = re.sub(r'<a class="headerlink".*?</a>', "", h1)
    return words(unescape(re.sub(r"<[^>]+>", "", h1)))


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Path:
    if not (SITE / "index.html").is_file():
        pytest.fail("no built site: run `make book` first")
    for tool in ("pdftotext", "pdffonts", "pdfinfo"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} is missing: apt-get install poppler-utils")
    out = tmp_path_factory.mktemp("pdf") / "lossbook.pdf"
    run = subprocess.run([sys.executable, ROOT / "scripts" / "print_edition.py", "--out", out],
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout + run.stderr
    return out


@pytest.fixture(scope="module")
def pages(pdf) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True).stdout
    return [words(p) for p in text.split("\f") if p.strip()]


def test_at_least_60_pages(pdf):
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= 60, info


def test_every_font_is_embedded(pdf):
    lines = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert lines, "no fonts listed"
    # Columns: name type encoding emb sub uni object ID; the type may hold spaces, so count from the right.
    not_embedded = [line for line in lines if line.split()[-5] != "yes"]
    assert not not_embedded, not_embedded


def chapter_starts(pages: list[str]) -> list[int]:
    """The page each chapter starts on, each looked for after the one before (and the contents)."""
    starts = []
    after = next(i for i, page in enumerate(pages) if page.startswith("Contents"))
    for docname in DOCNAMES:
        name = title(docname)
        found = [i for i, page in enumerate(pages) if i > after and page.startswith(name)]
        assert found, f"no page after {pages[after][:40]!r} starts with the chapter title {name!r}"
        after = found[0]
        starts.append(after)
    return starts


def test_every_chapter_starts_a_page_in_the_contents_order(pages):
    assert len(chapter_starts(pages)) == len(DOCNAMES)


def test_contents_page_lists_every_chapter(pages):
    first = next(i for i, page in enumerate(pages) if page.startswith("Contents"))
    contents = " ".join(pages[first:chapter_starts(pages)[0]])
    for docname in DOCNAMES:
        assert title(docname) in contents, docname


def test_title_page_and_footers_name_the_version(pages):
    assert f"Version {VERSION}" in pages[0]
    assert all(f"lossbook {VERSION}" in page for page in pages[1:])


def test_solutions_come_after_the_chapter_text(pages):
    starts = chapter_starts(pages)
    with_solutions = 0
    for docname, start, end in zip(DOCNAMES, starts, starts[1:] + [len(pages)]):
        chapter = pages[start:end]
        if not any("Solution to" in page for page in chapter):
            continue
        with_solutions += 1
        first = next(i for i, page in enumerate(chapter) if page.startswith("Solutions"))
        assert not any("Solution to" in page for page in chapter[:first]), docname
        assert all(page.startswith("Solution") for page in chapter[first:]), docname
    assert with_solutions >= len(DOCNAMES) - 2, "every chapter but the references has solutions"


def test_links_inside_the_book_are_internal(pdf):
    raw = pdf.read_bytes()
    assert raw.count(b"/Dest") >= 50, "contents and cross-references should link inside the PDF"
    assert b"/URI (http" in raw, "web links stay clickable"
