"""Sphinx extension: the edition a page belongs to, its licences, and how to cite it.

The version lives in ``pyproject.toml`` alone. This extension makes it the book's ``release``,
and writes under every page's footer the version, the build date, a link to the PDF edition and
which licence covers what: the text and figures CC BY 4.0 (``LICENSE-TEXT``), the code MIT
(``LICENSE``). Pages with no source (search, the index) get a meta description from the
citation file's abstract; the others get theirs from their front matter (``_ext/descriptions.py``).

The directive ``cite-this-book`` (at the end of the introduction) writes a BibTeX entry generated
from ``CITATION.cff``, the file GitHub's "Cite this repository" reads, with the version and the
build year added, so the two cannot disagree. The build date is ``SOURCE_DATE_EPOCH`` when set
(reproducible builds), otherwise today's date in UTC.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

ROOT = Path(__file__).resolve().parent.parent
CODE_LICENCE = ("MIT", "LICENSE")
TEXT_LICENCE = ("CC BY 4.0", "LICENSE-TEXT", "https://creativecommons.org/licenses/by/4.0/")


def version() -> str:
    """The package version, from ``pyproject.toml``."""
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["project"]["version"]


def build_date() -> dt.date:
    """``SOURCE_DATE_EPOCH`` as a UTC date when it is set, otherwise today's UTC date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return now.date()


def citation() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def _bibtex_authors(authors: list[dict[str, str]]) -> str:
    names = []
    for a in authors:
        # An entity ("name") is braced so BibTeX does not split it into first and last names.
        names.append(f"{{{a['name']}}}" if "name" in a else f"{a['family-names']}, {a['given-names']}")
    return " and ".join(names)


def bibtex(cff: dict[str, Any], release: str, date: dt.date) -> str:
    """A BibTeX ``@misc`` entry for ``release`` of the book that ``cff`` (CITATION.cff) describes."""
    fields = {
        "author": _bibtex_authors(cff["authors"]),
        "title": f"{{{cff['title']}}}",
        "year": str(date.year),
        "version": release,
        "url": cff["url"],
        "note": f"Version {release}, source code at {cff['repository-code']}",
    }
    body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields.items())
    return f"@misc{{lossbook,\n{body}\n}}"


class CiteThisBook(SphinxDirective):
    """A sentence naming the edition and a BibTeX block, both from CITATION.cff and pyproject.toml."""

    def run(self) -> list[nodes.Node]:
        for path in ("CITATION.cff", "pyproject.toml"):
            self.env.note_dependency(str(ROOT / path))
        cff, release, date = citation(), version(), build_date()
        intro = nodes.paragraph(
            text=f"You are reading version {release} of {cff['title'].split(':')[0]}, built on "
            f"{date.isoformat()}. To cite it, please name that version; in BibTeX:"
        )
        entry = bibtex(cff, release, date)
        block = nodes.literal_block(entry, entry, language="bibtex")
        return [intro, block]


def _footer(app: Sphinx) -> str:
    config = app.config
    repo = config.html_theme_options.get("repository_url", "").rstrip("/")
    release, date = html.escape(config.release), build_date()
    pdf = config.html_baseurl.rstrip("/") + "/lossbook.pdf"
    return (
        f'<p class="lb-edition">lossbook {release}, built <time datetime="{date.isoformat()}">'
        f"{date.isoformat()}</time> · <a href=\"{pdf}\">PDF edition</a></p>"
        f'<p class="lb-licences">Text and figures: <a href="{TEXT_LICENCE[2]}" rel="license">'
        f"{TEXT_LICENCE[0]}</a> (<a href=\"{repo}/blob/main/{TEXT_LICENCE[1]}\">{TEXT_LICENCE[1]}</a>). "
        f'Code: <a href="{repo}/blob/main/{CODE_LICENCE[1]}">{CODE_LICENCE[0]}</a>.</p>'
    )


def _configure(app: Sphinx, config: Any) -> None:
    config.version = config.release = version()
    config.html_theme_options["extra_footer"] = _footer(app)
    # The 404 page is served at any depth of the published site, so its links start from the
    # site's own path (sphinx-notfound-page), which html_baseurl names.
    config.notfound_urls_prefix = urlsplit(config.html_baseurl).path
    config.ogp_site_url = config.html_baseurl


def _describe_generated_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Pages with no source (search, index) get a meta description too: what the book is about."""
    metatags = context.get("metatags", "")
    if doctree is None and 'name="description"' not in metatags:
        about = " ".join(citation()["abstract"].split())
        title = str(context.get("title", pagename))
        text = html.escape(f"{title[:1].upper()}{title[1:]}: lossbook. {about}", quote=True)
        context["metatags"] = f'{metatags}\n<meta name="description" content="{text}" />'


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _configure)
    app.connect("html-page-context", _describe_generated_page)
    app.add_directive("cite-this-book", CiteThisBook)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
