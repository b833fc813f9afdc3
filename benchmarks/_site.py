"""What the site benchmarks share: a built site served on localhost, its pages, and Chromium.

The server can also send any page with its scripts removed (``?bare``): the load-time benchmark's
reference, a page that is usable as soon as it is parsed. ``serve_like_pages`` serves the site as
GitHub Pages does: text gzipped, under the site's path (``/lossbook/``), missing pages answered
with ``404.html``.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("LOSSBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>|<link\b[^>]*\bas=\"script\"[^>]*>", re.S | re.I)


def default_site() -> Path:
    return Path(os.environ.get("LOSSBOOK_SITE", ROOT / "_build" / "html"))


def load_every_image(page) -> None:
    """Make a loaded Playwright ``page`` fetch the images it leaves until the reader scrolls near
    them (``loading="lazy"``), as reading it to the end would, and wait until they have arrived."""
    page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(img => { img.loading = 'eager'; })")
    page.wait_for_function("[...document.images].every(img => img.complete)")


def page_paths(site: Path) -> list[str]:
    """Every HTML page of the site, relative to its root, except the front door's redirect."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if "_static" not in p.parts and p.relative_to(site).as_posix() != "index.html")


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        parts = urlsplit(self.path)
        if parts.query != "bare":
            return super().do_GET()
        page = Path(self.directory, unquote(parts.path).lstrip("/"))
        body = SCRIPT.sub("", page.read_text(encoding="utf-8")).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a page closed before its last download finished: expected between cold loads


class _PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Serves ``directory`` under ``prefix``, compressing text, with 404.html for what is missing."""

    prefix = "/"
    COMPRESSED = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".ipynb")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        path = unquote(urlsplit(self.path).path)
        file = Path(self.directory, path.removeprefix(self.prefix)) if path.startswith(self.prefix) else None
        if file is not None and file.is_dir():
            file = file / "index.html"
        status = 200
        if file is None or not file.is_file():
            file, status = Path(self.directory, "404.html"), 404
        body = file.read_bytes()
        zipped = file.suffix in self.COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", "")
        if zipped:
            body = gzip.compress(body, compresslevel=6)
        self.send_response(status)
        self.send_header("Content-Type", self.guess_type(str(file)))
        if zipped:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")  # what GitHub Pages sends
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def _serving(handler: Callable[..., http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """The base URL of a localhost server on a free port, answering with ``handler``, while the block runs."""
    server = _Server(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serve_like_pages(site: Path, prefix: str) -> Iterator[str]:
    """The URL of ``site`` served at ``prefix`` (e.g. "/lossbook/") on localhost, gzipped."""
    handler = type("Handler", (_PagesHandler,), {"prefix": prefix})
    with _serving(functools.partial(handler, directory=str(site))) as base:
        yield base + prefix


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """The base URL of ``site`` served on a free localhost port while the block runs."""
    with _serving(functools.partial(_Handler, directory=str(site))) as base:
        yield base
