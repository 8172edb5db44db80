"""What is live in dist/: each language's current release and the pages it holds; the locks that
serialize changing it. Read by the store (publish, switch), the release commands and the site pages.
"""
from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path

from ..model import WorkflowError


@contextmanager
def held(lock_file: Path, what: str, timeout: float = 120.0):
    """An exclusive flock on `lock_file` (created if missing), waited for up to `timeout` seconds."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise WorkflowError(f"{what}: another publish holds the lock for over {timeout:.0f}s") from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def current_release(lang_dir: Path) -> str | None:
    link = lang_dir / "current"
    return os.readlink(link).split("/")[-1] if link.is_symlink() else None


def release_pages(lang_dir: Path, rid: str | None) -> frozenset[str]:
    """The HTML pages (names without `.html`) of a release: what a link into it may name."""
    if not rid:
        return frozenset()
    try:
        with os.scandir(lang_dir / "releases" / rid) as entries:
            return frozenset(e.name[:-5] for e in entries if e.name.endswith(".html") and e.is_file(follow_symlinks=False))
    except OSError:
        return frozenset()
