"""The file system read as data: project files are regular files inside the project, or refused.

Catalogs, guides, templates and caches arrive in pull requests and shared folders, so a path under
the project may be a symbolic link (to a secret, to /etc), a FIFO that blocks a reader, a device or a
huge file. Every read of such a file goes through `read_bytes`, every write through `check_inside`:

- a path whose real location (every link, of the file or of any folder above it, resolved) is
  outside the project root is refused, never opened; links that stay inside are read (a guide
  shared under two names is still project content);
- the file is opened without following a link in its last component (O_NOFOLLOW) and without
  blocking (O_NONBLOCK: a FIFO does not hang), and must be a regular file (fstat) of bounded size;
- a refusal is a WorkflowError whose Problem names the file (relative to the project) and never
  quotes its content.

Hard links are read like any file: git cannot carry one, and making one needs read access to the
target already (fs.protected_hardlinks), so they cross no boundary this code guards.
"""
from __future__ import annotations

import os
import stat
from functools import lru_cache
from pathlib import Path

from .model import WorkflowError

MAX_BYTES = 64 * 1024 * 1024   # no project file is near this; a bigger one is not read into memory


def shown(root: Path, path: Path) -> str:
    """The path as the user wrote it, relative to the project (never the target of a link)."""
    try:
        return Path(os.path.abspath(path)).relative_to(root).as_posix()
    except ValueError:
        return str(path)


def refusal(root: Path, path: Path, message: str, check: str) -> WorkflowError:
    return WorkflowError.at(shown(root, path), 1, message, check)


def real_inside(root: Path, path: Path) -> str | None:
    """The real location of `path` (links resolved, existing or not) if it is under `root`, else None."""
    return real_lstat_inside(root, path)[0]


def real_lstat_inside(root: Path, path: Path) -> tuple[str | None, os.stat_result | None]:
    """real_inside, and the lstat of what is there when the route below took one (None otherwise).

    A path under a root that is its own real location, with no link below the root, is its own real
    location: one lstat per name below the root shows that, where realpath takes one per name from "/"
    and as many again for the root (a catalog: 4 system calls, not 10). The root's own folders are not
    asked again: a link there leads every path under the root alike, so it changes no verdict. Any link
    below the root, or a name like "..", goes through realpath, resolved afresh."""
    text, base = os.fspath(path), os.fspath(root)
    if _is_real(base) and text.startswith(base) and text[len(base):len(base) + 1] == os.sep:
        names = text[len(base) + 1:].split(os.sep)
        if not ("" in names or os.curdir in names or os.pardir in names):
            current, info = base, None
            for name in names:
                current = f"{current}{os.sep}{name}"
                try:
                    info = os.lstat(current)
                except OSError:   # missing: realpath (not strict) keeps the names from here as they are
                    return text, None
                if stat.S_ISLNK(info.st_mode):
                    break
            else:
                return text, info
    real = os.path.realpath(path)
    base = os.path.realpath(root)
    return (real if real == base or real.startswith(base.rstrip(os.sep) + os.sep) else None), None


@lru_cache(maxsize=64)
def _is_real(root: str) -> bool:
    """Whether `root` is absolute and its own real location (a project root is: Project resolves it)."""
    return os.path.isabs(root) and os.path.realpath(root) == root


class Folders:
    """Where folders really are, resolved once, for a run that reads thousands of files in a few folders
    (a rebuild: 3,300 inputs, 3,000 cache entries) and takes them as fixed for its length anyway (a build
    hashes each file once). A file's real location is then its folder's and its name, after one lstat
    shows the name is not a link: what realpath gives, for one system call instead of one per folder
    on the way. A link, or anything unexpected, goes through real_inside. Cleared before each build and
    each Celery task (a long-lived worker never keeps a folder's location from one task to the next)."""

    def __init__(self, root: Path):
        self.root = root
        self._real: dict[str, str | None] = {}

    def clear(self) -> None:
        self._real.clear()

    def real_inside(self, path: Path) -> str | None:
        return self.real_lstat_inside(path)[0]

    def real_lstat_inside(self, path: Path) -> tuple[str | None, os.stat_result | None]:
        """real_inside, and the lstat of what is there when this took one (the digest memo compares it:
        one system call a file, not two); None when the file was found through a link or is missing."""
        if os.pardir in os.fspath(path).split(os.sep):   # abspath drops "x/.." by name, the kernel after x's link
            return real_inside(self.root, path), None
        folder, name = os.path.split(os.path.abspath(path))
        if folder not in self._real:
            self._real[folder] = real_inside(self.root, folder)
        base = self._real[folder]
        if base is not None and name not in ("", ".", ".."):
            real = os.path.join(base, name)
            try:
                info = os.lstat(real)
                if not stat.S_ISLNK(info.st_mode):
                    return real, info
            except OSError:
                pass
        return real_lstat_inside(self.root, path)


def is_inside(root: Path, path: Path) -> bool:
    return real_inside(root, path) is not None


def check_inside(root: Path, path: Path) -> Path:
    """`path`, after checking that it and the folders above it do not lead out of the project."""
    _checked_real(root, path)
    return path


def _checked_real(root: Path, path: Path, folders: Folders | None = None) -> str:
    real = real_inside(root, path) if folders is None else folders.real_inside(path)
    if real is None:
        raise refusal(root, path, "is a symbolic link (or under one) leading outside the project; "
                                  "not followed", "fs.outside")
    return real


def read_bytes(root: Path, path: Path, limit: int = MAX_BYTES, first: int | None = None,
               folders: Folders | None = None, offset: int = 0) -> bytes:
    """The bytes of a regular file inside the project; WorkflowError naming the file otherwise.
    `first`: only that many bytes at most, from `offset` (an entry of a cache pack, its head). `folders`:
    where folders are, as this build resolved them (Folders)."""
    return read_bytes_stat(root, path, limit, first, folders, offset)[0]


def read_bytes_stat(root: Path, path: Path, limit: int = MAX_BYTES, first: int | None = None,
                    folders: Folders | None = None, offset: int = 0) -> tuple[bytes, os.stat_result]:
    """read_bytes, and the file's stat as it was opened (taken before reading: an edit while reading
    changes its ctime, see digests.py)."""
    real = _checked_real(root, path, folders)   # resolved once: opened by the path that was checked
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(real, flags)
    except FileNotFoundError:   # the caller's to handle (a missing catalog is not an error of its own)
        raise
    except OSError as exc:  # ELOOP: the last component turned into a link after the check
        raise refusal(root, path, f"cannot be opened as a regular file ({exc.strerror})", "fs.not-regular") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise refusal(root, path, "is not a regular file (a device, FIFO or folder); not read", "fs.not-regular")
        if info.st_size > limit:
            raise refusal(root, path, f"is {info.st_size // (1024 * 1024)} MiB, over the "
                                      f"{limit // (1024 * 1024)} MiB limit; not read", "fs.size")
        if offset:
            os.lseek(fd, offset, os.SEEK_SET)
        if first is not None:   # (a count from a cache entry's unauthenticated first line: never past the limit)
            return os.read(fd, min(first, limit)), info
        chunks, total = [], 0
        while chunk := os.read(fd, 1 << 20):
            total += len(chunk)
            if total > limit:  # grew while read (a /proc-like file reports size 0)
                raise refusal(root, path, f"is over the {limit // (1024 * 1024)} MiB limit; not read", "fs.size")
            chunks.append(chunk)
        return b"".join(chunks), info
    finally:
        os.close(fd)


def files_under(folder: Path, root: Path) -> list[Path]:
    """Regular files under `folder`, each folder's files before its subfolders' (os.walk's order, which
    Babel's extractor used). Hidden names (editor swap files) and links leading out of the project or
    nowhere are not inputs: they are never read."""
    if not folder.is_dir():
        return []
    inside = root.resolve()
    out = []
    for path in folder.rglob("*"):
        hidden = any(part.startswith(".") for part in path.relative_to(folder).parts)
        if not hidden and path.is_file() and (not path.is_symlink() or path.resolve().is_relative_to(inside)):
            out.append(path)
    return sorted(out, key=lambda p: (p.relative_to(folder).parts[:-1], p.name))


def read_text(root: Path, path: Path, limit: int = MAX_BYTES) -> str:
    data = read_bytes(root, path, limit)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise WorkflowError.at(shown(root, path), line, "not UTF-8 text; not read", "fs.encoding") from None


def exists(root: Path, path: Path) -> bool:
    """Whether there is something at `path` at all (a link counts, even dangling or leading out):
    callers then read it with read_bytes, which refuses what is not a file of the project."""
    return os.path.lexists(path)


def safe_quote(text: str, size: int = 12) -> str:
    """At most a few characters of untrusted text for an error message: a keyword-like word is shown
    (so `msgstd` reads as the typo it is); anything else only by its length. A catalog linked to a
    file of credentials then leaks nothing into a report or a CI log."""
    if 0 < len(text) <= size and all(c.isascii() and (c.islower() or c in "#~|,.:_[]") for c in text):
        return repr(text)
    return f"({len(text)} character{'s' if len(text) != 1 else ''}, not shown)"
