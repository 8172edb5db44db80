"""Helpers for the real-browser tests: Debian chromium, a local HTTP server.

Chromium comes from the Debian packages ``chromium`` and ``chromium-driver``;
Playwright's bundled browsers are never downloaded (no ``playwright install``).
"""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
APT_PACKAGES = ("chromium", "chromium-driver")
INSTALL_TIMEOUT = 900  # seconds; apt-get update + install of chromium can be slow

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def ensure_chromium() -> Path:
    """Return the path of Debian's chromium, installing it with apt when missing.

    Installs only when running as root with apt-get available; otherwise the
    calling test is skipped with a reason saying what to install.
    """
    if CHROMIUM.exists():
        return CHROMIUM
    how = "apt-get install chromium chromium-driver"
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip(f"{CHROMIUM} is missing and not running as root; run `{how}` first")
    if shutil.which("apt-get") is None:
        pytest.skip(f"{CHROMIUM} is missing and apt-get is not available; install chromium")
    cmd = f"apt-get update -qq && apt-get install -y -qq {' '.join(APT_PACKAGES)}"
    try:
        proc = _apt_install(APT_PACKAGES)
    except subprocess.TimeoutExpired:
        pytest.skip(f"installing chromium timed out after {INSTALL_TIMEOUT}s (`{cmd}`)")
    if proc.returncode != 0 or not CHROMIUM.exists():
        tail = (proc.stderr or proc.stdout or "").strip()[-600:]
        pytest.skip(f"could not install chromium with `{cmd}` (exit {proc.returncode}): {tail}")
    return CHROMIUM


def _apt_install(packages, timeout=INSTALL_TIMEOUT) -> subprocess.CompletedProcess:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    # Wait for the dpkg/apt locks rather than failing when another apt-get runs.
    lock = "-o DPkg::Lock::Timeout=600"
    cmd = f"apt-get {lock} update -qq && apt-get {lock} install -y -qq {' '.join(packages)}"
    return subprocess.run(["sh", "-c", cmd], env=env, capture_output=True, text=True, timeout=timeout)


# Debian packages that give the system font stacks in style.css something to find:
# Noto Sans CJK JP/SC (fonts-noto-cjk) and Noto Naskh/Sans Arabic (fonts-noto-core).
FONT_PACKAGES = {"ja": "fonts-noto-cjk", "ar": "fonts-noto-core"}


def _has_font_for(lang: str) -> bool:
    try:
        out = subprocess.run(["fc-list", f":lang={lang}", "family"], capture_output=True,
                             text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return True  # cannot tell; do not install anything
    families = [line for line in out.splitlines() if line.strip()]
    # DejaVu claims Arabic coverage but renders it poorly; ask for a real Arabic face.
    return any("DejaVu" not in f for f in families)


def ensure_fonts() -> list[str]:
    """Best effort: install Noto CJK/Arabic system fonts so screenshots are readable.

    Never skips or fails the test: the pages only name system font stacks, and
    missing fonts affect the screenshots, not the checks. Returns what is missing.
    """
    missing = [pkg for lang, pkg in FONT_PACKAGES.items() if not _has_font_for(lang)]
    if missing and hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        try:
            _apt_install(missing)
        except subprocess.TimeoutExpired:
            pass
        missing = [pkg for lang, pkg in FONT_PACKAGES.items() if not _has_font_for(lang)]
    return missing


def import_playwright():
    """Import Playwright's sync API or skip when the Python package is absent."""
    return pytest.importorskip(
        "playwright.sync_api", reason="the Python package `playwright` is not installed"
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature from the stdlib
        pass


@contextmanager
def serve_directory(root: Path):
    """Serve ``root`` on 127.0.0.1 at a free port in a daemon thread; yield the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="dist-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
