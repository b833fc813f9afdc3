"""What the built website knows that a chapter's MyST source does not: numbers, titles, glued values.

The reader notebooks (scripts/reader_notebook.py) must show the same equation, figure and
exercise numbers as the website, and the values the build glued into the prose. Sphinx decides
the numbers, so they are read back from the built HTML (`_build/html`); myst-nb writes the glued
values of each page beside its executed notebook (`_build/jupyter_execute/<page>.glue.json`).
Citations are formatted from `references.bib` with pybtex, as sphinxcontrib-bibtex does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from pybtex.database import BibliographyData, parse_file
from pybtex.plugin import find_plugin
from pybtex.richtext import Text

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
NUMBER_CLASSES = ("eqno", "caption-number")


@dataclass(frozen=True)
class Anchor:
    """A place on the website that a reference can point at."""

    docname: str  # e.g. "chapters/cross_entropy"
    anchor: str  # the HTML id, "" for the page itself
    text: str  # what the website prints for a reference to it: "(2.1)", "Fig. 2.1", a title


class _PageParser(HTMLParser):
    """Collects, per HTML id, the number or heading the website shows for it, and the page title."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.numbers: dict[str, str] = {}  # id -> "(2.1)", "Fig. 2.1", "Exercise 2.1"
        self.headings: dict[str, str] = {}  # section id -> heading text
        self.exercises: list[str] = []  # "Exercise 2.1", … in page order
        self.title = ""
        self._last_id = ""
        self._section_id = ""
        self._section_labels: list[str] = []  # (label)= targets: empty <span id> after <section>
        self._capture: str | None = None  # "number" or "heading" while inside one
        self._depth = 0
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if self._capture:
            self._depth += 1
            if "headerlink" in classes:  # the "#" link Sphinx puts inside headings and numbers
                self._finish()
            return
        if a.get("id"):
            self._last_id = a["id"] or ""
            if tag == "section":
                self._section_id = self._last_id
                self._section_labels = []
            elif tag == "span" and self._section_id and self._section_id not in self.headings:
                self._section_labels.append(self._last_id)
        if tag == "span" and any(c in classes for c in NUMBER_CLASSES):
            self._capture, self._depth, self._text = "number", 1, []
        elif tag in HEADINGS:
            self._capture, self._depth, self._text = tag, 1, []

    def handle_endtag(self, tag: str) -> None:
        if self._capture:
            self._depth -= 1
            if self._depth == 0:
                self._finish()

    def handle_data(self, data: str) -> None:
        if self._capture:
            self._text.append(data)

    def _finish(self) -> None:
        """Record the number or heading just read, and stop capturing."""
        text = " ".join("".join(self._text).split())
        if self._capture == "number":
            self.numbers.setdefault(self._last_id, text)
            if text.startswith("Exercise"):
                self.exercises.append(text)
        elif self._capture:
            if self._capture == "h1" and not self.title:
                self.title = text
            for anchor in [self._section_id, *self._section_labels]:
                self.headings.setdefault(anchor, text)
            self._section_labels = []
        self._capture, self._depth = None, 0


def _short_author(entry) -> str:
    """"Shannon", "Cover and Thomas", "Goodfellow et al.": the author_year label's name part."""
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [Text(*p.rich_last_names).render_as("text") for p in people]
    if len(names) > 2:
        return f"{names[0]} et al."
    return " and ".join(names)


@dataclass
class BookIndex:
    """Numbers, titles and anchors of the built site, glued values of one page, the bibliography."""

    baseurl: str
    anchors: dict[str, Anchor] = field(default_factory=dict)  # HTML id -> where and what
    titles: dict[str, str] = field(default_factory=dict)  # docname -> page title
    exercises: dict[str, list[str]] = field(default_factory=dict)  # docname -> numbers in order
    glue: dict[str, dict[str, dict]] = field(default_factory=dict)  # docname -> name -> data
    bibliography: BibliographyData | None = None

    @classmethod
    def from_build(cls, root: Path, baseurl: str, docnames: list[str]) -> BookIndex:
        """Read `_build/html`, `_build/jupyter_execute` and `references.bib` under ``root``."""
        index = cls(baseurl=baseurl.rstrip("/") + "/")
        html, executed = root / "_build" / "html", root / "_build" / "jupyter_execute"
        for page in sorted(html.glob("chapters/*.html")):
            docname = page.relative_to(html).with_suffix("").as_posix()
            parser = _PageParser()
            parser.feed(page.read_text(encoding="utf-8"))
            index.titles[docname] = parser.title
            index.exercises[docname] = parser.exercises
            for anchor, text in parser.headings.items():
                index.anchors.setdefault(anchor, Anchor(docname, anchor, text))
            for anchor, text in parser.numbers.items():
                index.anchors[anchor] = Anchor(docname, anchor, text)
        for docname in docnames:
            glued = executed / f"{docname}.glue.json"
            if not glued.is_file():
                raise FileNotFoundError(f"{glued} is missing: build the book first (make book)")
            index.glue[docname] = {k: v["data"] for k, v in json.loads(glued.read_text()).items()}
        bib = root / "references.bib"
        if bib.is_file():
            index.bibliography = parse_file(str(bib))
        return index

    def url(self, docname: str, anchor: str = "") -> str:
        """The website address of a page, or of an anchor on it."""
        return f"{self.baseurl}{docname}.html" + (f"#{anchor}" if anchor else "")

    def cite_label(self, key: str) -> tuple[str, str]:
        """(names, year) for a citation key, e.g. ("Shannon", "1948")."""
        if self.bibliography is None or key not in self.bibliography.entries:
            raise KeyError(f"citation {key!r} is not in references.bib")
        entry = self.bibliography.entries[key]
        return _short_author(entry), entry.fields.get("year", "n.d.")

    def references(self, keys: list[str]) -> list[str]:
        """The bibliography entries of ``keys`` as text, formatted like the website's list."""
        if not keys or self.bibliography is None:
            return []
        style = find_plugin("pybtex.style.formatting", "plain")()
        entries = [self.bibliography.entries[k] for k in keys]
        return [" ".join(entry.text.render_as("text").split()) for entry in style.format_entries(entries)]
