"""Helpers for the built-site tests: a real `python -m http.server` in a
subprocess, and a copy of the site's sources that a test may edit."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StaticServer:
    """`python -m http.server` serving one folder on 127.0.0.1: no special headers."""

    def __init__(self, directory: Path | str, port: int | None = None, log=None):
        """``log``: an open file that keeps the server's request log (its stderr), or None."""
        self.directory = Path(directory)
        self.port = port or free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(self.port), "--bind", "127.0.0.1", "--directory", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=log or subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 15
        while True:
            try:
                with urllib.request.urlopen(self.origin + "/", timeout=2):
                    break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"python -m http.server did not start on port {self.port}")
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def source_copy(dest: Path) -> Path:
    """The files build_site reads, copied (static/vendor linked, it is large) so a test can change one."""
    dest.mkdir(parents=True, exist_ok=True)
    for rel in ("index.html", "pyscript.toml", "manifest.webmanifest", "fcnn/web/worker.py"):
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, dest / rel)
    (dest / "static").mkdir(exist_ok=True)
    for entry in (ROOT / "static").iterdir():
        if entry.name == "vendor" or entry.name.startswith("."):
            continue
        if entry.is_dir():
            shutil.copytree(entry, dest / "static" / entry.name)
        else:
            shutil.copy2(entry, dest / "static" / entry.name)
    os.symlink(ROOT / "static" / "vendor", dest / "static" / "vendor", target_is_directory=True)
    return dest
