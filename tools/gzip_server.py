#!/usr/bin/env python3
"""Serve a built site on 127.0.0.1 the way a real host does: gzip for text, long caching for
versioned assets, and a count of the bytes sent (used by tools/bench.py).

    python tools/gzip_server.py _build/html [PORT]

Text files (HTML, CSS, JS, JSON, SVG) are sent gzip-compressed when the browser accepts it.
A request whose address carries a version (`?v=...` or `?digest=...`, as Sphinx and the theme
write them) may be cached for a year; anything else is revalidated (Last-Modified, 304).
"""

from __future__ import annotations

import email.utils
import functools
import gzip
import http.server
import io
import os
import sys
import threading
from pathlib import Path

COMPRESS = {".html", ".css", ".js", ".json", ".svg", ".txt", ".map", ".ttf", ".inv", ".xml", ".csv"}


class Counter:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sent = 0  # bytes on the wire (bodies, after gzip)
        self.raw = 0  # the same bodies before gzip
        self.requests = 0

    def add(self, sent: int, raw: int) -> None:
        with self.lock:
            self.sent += sent
            self.raw += raw
            self.requests += 1

    def reset(self) -> tuple[int, int, int]:
        with self.lock:
            out = (self.sent, self.raw, self.requests)
            self.sent = self.raw = self.requests = 0
            return out


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real hosts
    counter: Counter | None = None
    _cache: dict = {}

    def log_message(self, *args):
        pass

    def _cache_control(self) -> str:
        query = self.path.partition("?")[2]
        return "public, max-age=31536000, immutable" if ("v=" in query or "digest=" in query) else "no-cache"

    def send_head(self):  # noqa: C901 (the standard handler's, plus gzip)
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            return super().send_head()
        if not path.is_file():
            self.send_error(404, "File not found")
            return None
        stat = path.stat()
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                if int(stat.st_mtime) <= email.utils.parsedate_to_datetime(since).timestamp():
                    self.send_response(304)
                    self.send_header("Cache-Control", self._cache_control())
                    self.end_headers()
                    if self.counter:
                        self.counter.add(0, 0)
                    return None
            except (TypeError, ValueError, OverflowError):
                pass
        body = path.read_bytes()
        raw = len(body)
        gz = path.suffix in COMPRESS and "gzip" in (self.headers.get("Accept-Encoding") or "")
        if gz:
            key = (str(path), stat.st_mtime_ns)
            if key not in self._cache:
                self._cache[key] = gzip.compress(body, compresslevel=6, mtime=0)
            body = self._cache[key]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(stat.st_mtime))
        self.send_header("Cache-Control", self._cache_control())
        self.send_header("Vary", "Accept-Encoding")
        if gz:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        if self.counter:
            self.counter.add(len(body), raw)
        return io.BytesIO(body)


def start(root: Path, port: int = 0) -> tuple[http.server.ThreadingHTTPServer, str, Counter]:
    """Serve ``root`` in a background thread; return the server, its base URL and its counter."""
    counter = Counter()
    handler = functools.partial(type("Handler", (GzipHandler,), {"counter": counter}), directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/", counter


def main(argv: list[str]) -> int:
    root = Path(argv[0] if argv else "_build/html")
    port = int(argv[1]) if len(argv) > 1 else int(os.environ.get("PORT", 8000))
    httpd, base, _ = start(root, port)
    print(f"serving {root} with gzip on {base} (Ctrl-C stops)")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        httpd.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
