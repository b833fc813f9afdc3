"""Write the print edition, `_build/pdf/lossbook.pdf`, from the built website (`make pdf`).

No LaTeX: Chromium (the one the browser tests drive) opens every page of the table of contents in
order, lets each page's widgets draw their initial state, and hands over the chapter's article.
The articles are joined into one document after a title page and a contents page, and Chromium
prints it with the site's print stylesheet (`assets/print.css`). On the way, each chapter:

- keeps its maths as the SVG the build typeset (vector in the PDF);
- freezes its widgets as they first appear (a canvas becomes an image of itself);
- moves its solutions into a "Solutions" section at its end, opened;
- prefixes its element ids with its name, and its links to other pages of the book become links
  inside the PDF; a link to the web prints its address after its text (print.css).

Usage: python scripts/print_edition.py [--site _build/html] [--out _build/pdf/lossbook.pdf]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import html
import http.server
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))
import edition  # noqa: E402  (the version and build date every page's footer shows)

CHROMIUM = os.environ.get("LOSSBOOK_CHROMIUM", "/usr/bin/chromium")

# Runs in each page once its widgets are drawn: returns the chapter, ready to join the book.
SNAPSHOT_JS = Path(__file__).with_name("print_edition.js").read_text(encoding="utf-8")


def toc_pages() -> list[str]:
    """The book's pages (docnames) in the table of contents' order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [toc["root"]] + [c["file"] for part in toc.get("parts", []) for c in part["chapters"]]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def front_matter(chapters: list[dict], release: str, date: dt.date) -> str:
    """The title page and the contents page, whose entries link to the chapters in the PDF."""
    cff = edition.citation()
    title, _, subtitle = cff["title"].partition(": ")
    entries = "".join(
        f'<li><a href="#{c["prefix"]}">{html.escape(c["title"])}</a>'
        + ("<ol>" + "".join(f'<li><a href="#{c["prefix"]}--{s["id"]}">{html.escape(s["title"])}</a></li>'
                            for s in c["sections"]) + "</ol>" if c["sections"] else "")
        + "</li>"
        for c in chapters
    )
    return (
        '<section class="print-title-page">'
        f"<h1>{html.escape(title)}</h1><p class=\"print-subtitle\">{html.escape(subtitle)}</p>"
        f'<p class="print-edition">{html.escape(", ".join(a["name"] for a in cff["authors"]))}<br>'
        f"Version {release}, built {date.isoformat()}<br>{html.escape(cff['url'])}</p>"
        '<p class="print-licences">Text and figures: CC BY 4.0 (LICENSE-TEXT). Code: MIT (LICENSE).</p>'
        "</section>"
        f'<nav class="print-contents"><h1>Contents</h1><ol>{entries}</ol></nav>'
    )


PRINT_DOCUMENT_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
.print-title-page { break-after: page; padding-top: 30vh; text-align: center; }
.print-title-page h1 { font-size: 3em; margin-bottom: 0.2em; }
.print-subtitle { font-size: 1.5em; }
.print-edition, .print-licences { margin-top: 3em; color: #333; }
.print-contents { break-after: page; }
.print-contents ol { list-style: none; padding-left: 0; }
.print-contents ol ol { padding-left: 1.5em; font-size: 0.9em; margin-bottom: 0.6em; }
.print-contents > ol > li { margin-top: 0.5em; font-weight: 600; }
.print-contents ol ol li { font-weight: 400; }
.print-contents a::after { content: none !important; }
.print-chapter { break-before: page; }
.print-solutions { break-before: page; }
"""


def document(base: str, pages: list[dict], release: str, date: dt.date) -> str:
    styles = dict.fromkeys(href for p in pages for href in p["stylesheets"])
    links = "".join(f'<link rel="stylesheet" href="{html.escape(h)}">' for h in styles)
    inline = "".join(f"<style>{s}</style>" for s in dict.fromkeys(s for p in pages for s in p["styles"]))
    body = "".join(f'<section class="print-chapter" id="{p["prefix"]}">{p["article"]}{p["defs"]}</section>'
                   for p in pages)
    return (
        f'<!DOCTYPE html><html lang="en" data-theme="light"><head><meta charset="utf-8">'
        f'<base href="{base}chapters/"><title>lossbook {release}</title>{links}{inline}'
        f"<style>{PRINT_DOCUMENT_CSS}</style></head>"
        f'<body class="print-edition-body"><div class="bd-article">{front_matter(pages, release, date)}'
        f"{body}</div></body></html>"
    )


def print_book(site: Path, out: Path) -> int:
    """Print the book at ``site`` to ``out``; the number of chapters printed."""
    from playwright.sync_api import sync_playwright

    release, date = edition.version(), edition.build_date()
    site_url = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["html"]["baseurl"]
    docnames = toc_pages()
    prefixes = {f"{d.rsplit('/', 1)[-1]}.html": d.rsplit("/", 1)[-1] for d in docnames}
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1000, "height": 1400})
        page.emulate_media(color_scheme="light")
        pages = []
        for docname in docnames:
            page.goto(f"{base}{docname}.html", wait_until="networkidle")
            # Widgets draw as soon as their modules run; give their first frame time to land.
            page.wait_for_timeout(300)
            prefix = prefixes[f"{docname.rsplit('/', 1)[-1]}.html"]
            pages.append(page.evaluate(SNAPSHOT_JS, {"prefix": prefix, "pages": prefixes, "siteUrl": site_url}))
        page.set_content(document(base, pages, release, date), wait_until="networkidle")
        page.emulate_media(media="print", color_scheme="light")
        out.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(
            path=str(out),
            format="A4",
            print_background=True,
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=(
                '<div style="font-size:8px;width:100%;text-align:center;color:#555">'
                f'lossbook {release} · <span class="pageNumber"></span> / <span class="totalPages"></span></div>'
            ),
            margin={"top": "16mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
            outline=True,
            tagged=True,
        )
        browser.close()
    return len(pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "pdf" / "lossbook.pdf")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"no built site at {args.site}: run `make book` first", file=sys.stderr)
        return 1
    count = print_book(args.site, args.out)
    print(f"Printed {count} pages of the book into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
