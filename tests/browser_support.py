"""Serving the repository on 127.0.0.1 and guarding every page against outside
requests, uncaught errors and Python tracebacks."""

from __future__ import annotations

import functools
import http.server
import pathlib
import threading

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".mjs": "text/javascript", ".wasm": "application/wasm"}

    def log_message(self, *args):
        pass


def start_server(directory=ROOT):
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


class PageGuard:
    """Collects what a page did that a browser test must fail on."""

    def __init__(self, page, origin):
        self.origin = origin
        self.outside_requests = []
        self.page_errors = []
        self.tracebacks = []
        self.console = []
        self.csp_violations = []
        page.context.on("request", self._on_request)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("console", self._on_console)

    def _on_request(self, request):
        url = request.url
        if not (url.startswith(self.origin + "/") or url.startswith(("data:", "blob:"))):
            self.outside_requests.append(url)

    def _on_console(self, message):
        text = message.text
        self.console.append(f"{message.type}: {text}")
        if "Traceback (most recent call last)" in text or "PythonError" in text:
            self.tracebacks.append(text)
        if "Content Security Policy" in text:
            self.csp_violations.append(text)

    def reset(self):
        """Forget what was collected: a page shared by many tests is checked test by test."""
        for found in (self.outside_requests, self.page_errors, self.tracebacks, self.csp_violations):
            found.clear()

    def problems(self):
        found = []
        if self.outside_requests:
            found.append(f"requests outside {self.origin}: {self.outside_requests}")
        if self.page_errors:
            found.append(f"uncaught page errors: {self.page_errors}")
        if self.tracebacks:
            found.append(f"Python tracebacks in the console: {self.tracebacks}")
        if self.csp_violations:
            found.append(f"Content-Security-Policy violations: {self.csp_violations}")
        return found
