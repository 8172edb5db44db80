"""The one way this project writes a file, a folder or a link that others may be reading.

Every writer goes through here so that no reader ever sees half a file, two concurrent runs never
share a temporary name, and a planted symlink is never followed: temporary names are unique and
created exclusively in the target's folder (O_CREAT|O_EXCL|O_NOFOLLOW), then renamed.
I/O edge, bottom layer: imports only model (its error type) and safefs (where a path really is).
"""
from __future__ import annotations

import itertools
import os
import secrets
import shutil
import tempfile
from pathlib import Path

from .model import WorkflowError
from .safefs import is_inside

# Folders made here are read by other users (a web server serving dist/): mkdtemp's 0700 is widened.
FOLDER_MODE = 0o755
FILE_MODE = 0o644


def temporary_name(path: Path) -> str:
    """The prefix of every temporary file for `path`: what a cleanup after a crash looks for."""
    return f".{path.name}.tmp-"


def write_atomic(path: Path | str, data: bytes | str, durable: bool = True, inside: Path | None = None) -> None:
    """Replace `path` with `data` in one step: readers see the old bytes or the new, never a mix.

    `durable` fsyncs before the rename so that a power cut cannot leave an empty file under the
    final name; caches (content-hash keyed, checked on read, safe to delete) skip it for speed.
    `inside`: the folder the file must really be in; a folder on the way that is a link leading out
    of it (a `locales/xx -> /home/...` from a pull request) is refused, nothing is written."""
    path = Path(path)
    if inside is not None:
        ensure_inside(path, inside)
    if isinstance(data, str):
        data = data.encode("utf-8")
    fd, tmp = _exclusive_temporary(path)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if durable:
                os.fsync(fd)
            os.fchmod(fd, FILE_MODE)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:   # disk full, Ctrl-C: no temporary file stays, the old file is intact
        Path(tmp).unlink(missing_ok=True)
        raise


# A temporary name is this process's id, a random token drawn once per process (another host sharing the
# folder) and a counter: unique without mkstemp's random draw per name and its Python file object
# (~5 system calls a write less). O_EXCL still refuses a name that exists, link or not (then the next).
_TOKEN = secrets.token_hex(4)
_COUNTER = itertools.count()
_EXCLUSIVE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


def _exclusive_temporary(path: Path) -> tuple[int, str]:
    """A new file of ours alone in `path`'s folder, created exclusively (mode 0600 until filled)."""
    prefix = os.path.join(os.fspath(path.parent), temporary_name(path))
    for _ in range(100):
        tmp = f"{prefix}{os.getpid()}-{_TOKEN}-{next(_COUNTER)}"
        try:
            return os.open(tmp, _EXCLUSIVE, 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"{path}: no free temporary name in its folder")


def ensure_inside(path: Path, inside: Path) -> None:
    """Refuse a path whose folder is really elsewhere than under `inside` (a link on the way)."""
    if not is_inside(inside, Path(path).parent):
        raise WorkflowError(f"{path}: its folder leads out of {inside} (a symbolic link?); not written")


def temporary_folder(parent: Path, prefix: str) -> Path:
    """A new, empty folder under `parent` that no other run shares (created exclusively)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    os.chmod(folder, FOLDER_MODE)
    return folder


def write_folder(final: Path, contents: dict[str, bytes], prefix: str, check=None, durable: bool = True) -> None:
    """Create the folder `final` holding `contents` (relative name -> bytes) in one rename, after
    `check(folder)` passed on the filled temporary folder. Raises OSError when `final` exists (another
    run made it first) or the disk is full; nothing half-written stays either way. `durable` as for
    write_atomic: a release is fsynced before it can be switched to, a cache entry is not."""
    final.parent.mkdir(parents=True, exist_ok=True)
    folder = temporary_folder(final.parent, prefix)
    try:
        for name, data in contents.items():
            path = folder / name
            if Path(name).is_absolute() or ".." in Path(name).parts:
                raise ValueError(f"file name {name!r} leaves its folder")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)   # in a folder just created for us alone: no planted name to follow
        if durable:   # every file on disk before the folder gets its final name (a release: before a switch);
            for name in contents:   # once all are written: ~30% less CPU and wall than one fsync per write
                _fsync(folder / name)
        if check:
            check(folder)
        os.rename(folder, final)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_symlink(link: Path, target: str) -> None:
    """Point `link` at `target` atomically (a new link under a unique name, then renamed over)."""
    tmp = link.with_name(f"{temporary_name(link)}{secrets.token_hex(8)}")
    os.symlink(target, tmp)     # fails rather than follows if the name exists
    try:
        os.replace(tmp, link)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
