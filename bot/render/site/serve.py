"""``packman site --serve``: preview a built site on 127.0.0.1 with the standard library."""

from __future__ import annotations

import functools
import http.server
from pathlib import Path

HOST = "127.0.0.1"
"""Only this machine: the preview is never reachable from the network."""


class _Files(http.server.SimpleHTTPRequestHandler):
    """The standard file handler, with the media types of the site's feeds and data."""

    extensions_map = {  # noqa: RUF012 - the standard library's own class attribute
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".atom": "application/atom+xml",
        ".svg": "image/svg+xml",
        ".json": "application/json",
        ".csv": "text/csv; charset=utf-8",
    }


class _Quiet(_Files):
    """The same, without a log line per request."""

    def log_message(self, format: str, *args: object) -> None:
        """Say nothing."""


def server(directory: Path, port: int, quiet: bool = False) -> http.server.ThreadingHTTPServer:
    """A server of ``directory`` on 127.0.0.1 (``port`` 0 picks a free one)."""
    handler = functools.partial(_Quiet if quiet else _Files, directory=str(directory))
    return http.server.ThreadingHTTPServer((HOST, port), handler)


def serve(directory: Path, port: int) -> None:
    """Serve ``directory`` until interrupted."""
    with server(directory, port) as running:
        print(f"serving {directory} on http://{HOST}:{running.server_address[1]}/ (Ctrl-C stops)")
        try:
            running.serve_forever()
        except KeyboardInterrupt:
            print("stopped")
