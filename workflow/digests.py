"""sha256 of project files, remembered by stat so that a rebuild does not read every input again.

An edition key hashes its inputs (~330 MB of catalogs and guides on a 300-guide, 10-language project:
~0.4 s a build). A file whose lstat (size, mtime, ctime, inode, device) is the one recorded when it was
hashed keeps its digest, as git's index does. Why that is safe:

- ctime cannot be set by a user (os.utime sets mtime; ctime becomes the present), so an edit, a copy
  over, a replacement by rename or by a new file under a reused inode all change what is compared;
- "racy" entries: an edit in the same timestamp tick as the hashing could leave every field as it was.
  An entry is recorded only when the file's mtime and ctime are older than GRANULARITY_NS both against
  the clock right before the file was read and against the memo file's own write (git's rule, in the
  file system's clock): a younger file is hashed again on every run until it is old enough;
- the memo is a sealed cache entry (workflow.sealed): planted, altered or foreign, it is ignored, and it
  names the project root it was made for (never trusted across a moved or copied project);
- only what the plain route (file_digest) reads is remembered: a missing file, a link out of the
  project or anything but a regular file goes to the plain route every time.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from pathlib import Path

from . import safefs, sealed
from .files import write_atomic
from .model import WorkflowError

# The coarsest file-system timestamp to expect (FAT: 2 s; ext4, xfs, btrfs, tmpfs: 1 ns, a ~4 ms tick).
GRANULARITY_NS = 2_000_000_000


def file_digest(path: Path, root: Path) -> str:
    """sha256 of a file's bytes; "-" for a missing file (absence is an input state too), "refused" for
    one that is not a file of the project (a link out is never read, not even to hash it)."""
    return _read_digest(path, root)[0]


def _read_digest(path: Path, root: Path) -> tuple[str, os.stat_result | None]:
    """file_digest, and the stat of the file as it was opened (None when it was not read)."""
    try:
        data, info = safefs.read_bytes_stat(root, path)
    except FileNotFoundError:
        return "-", None
    except WorkflowError:
        return "refused", None
    return hashlib.sha256(data).hexdigest(), info


def _fields(info: os.stat_result) -> list[int]:
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]


class DigestMemo:
    """file_digest for the files of one project, remembered in a sealed file (`path`) across runs."""

    def __init__(self, root: Path, path: Path, rel=None, folders: safefs.Folders | None = None):
        self.root, self.path = root, path
        self._folders = folders or safefs.Folders(root)   # where the files' folders are, for this build
        self._rel = rel or (lambda file: safefs.shown(root, file))   # a file's name in the memo
        self._real_root = os.path.realpath(root)
        self._known: dict[str, list] | None = None   # project path -> stat fields + [digest]
        self._added: dict[str, list] = {}

    def digest(self, path: Path, fresh: safefs.Folders | None = None) -> str:
        """file_digest(path). `fresh`: folders made for a check that the build's inputs did not move or change
        while it ran (each resolved when first asked, after a batch of editions was built), not the ones this
        build resolved."""
        if self._known is None:
            self._known = self._read()
        rel = self._rel(path)
        entry = self._known.get(rel)
        if entry is not None:
            real, info = (self._folders if fresh is None else fresh).real_lstat_inside(path)
            if real is not None and info is None:   # (reached through a link inside the project)
                try:
                    info = os.lstat(real)
                except OSError:
                    pass
            if real is not None and info is not None and stat.S_ISREG(info.st_mode) and _fields(info) == entry[:5]:
                return entry[5]
        hashed_at = time.time_ns()   # before reading: what is read is at least as new as this
        found, info = _read_digest(path, self.root)
        if info is not None and max(info.st_mtime_ns, info.st_ctime_ns) < hashed_at - GRANULARITY_NS:
            self._known[rel] = self._added[rel] = _fields(info) + [found]
        return found

    def known_digest(self, path: Path, opened: os.stat_result) -> str | None:
        """The digest remembered for `path` when `opened`, its stat as a reader opened it, is the one it was
        hashed at and the file still has it: the bytes that reader read are then the bytes hashed (an edit
        since, or while it read, changes ctime), and need not be hashed again (a build's check key and
        edition key hash a catalog once). None when that is not shown: the reader hashes its bytes."""
        if self._known is None:
            self._known = self._read()
        entry = self._known.get(self._rel(path))
        if entry is None or not stat.S_ISREG(opened.st_mode) or _fields(opened) != entry[:5]:
            return None
        # (where this build resolved it: any path to that inode with that ctime shows it unedited)
        real, now = self._folders.real_lstat_inside(path)
        if real is not None and now is None:   # (reached through a link inside the project)
            try:
                now = os.lstat(real)
            except OSError:
                pass
        return entry[5] if now is not None and stat.S_ISREG(now.st_mode) and _fields(now) == entry[:5] else None

    def _read(self) -> dict[str, list]:
        """The sealed memo's entries for this root, minus the racy ones; {} when there is none to trust."""
        try:
            data, info = safefs.read_bytes_stat(self.root, self.path)
            written = info.st_mtime_ns   # of the memo these bytes are (another process may replace it meanwhile)
            memo = json.loads(sealed.unseal(data) or b"null")
        except (OSError, ValueError, WorkflowError):
            return {}
        if not isinstance(memo, dict) or memo.get("root") != self._real_root or not isinstance(memo.get("files"), dict):
            return {}
        return {rel: entry for rel, entry in memo["files"].items()
                if isinstance(entry, list) and len(entry) == 6 and all(isinstance(n, int) for n in entry[:5])
                and isinstance(entry[5], str) and max(entry[1], entry[2]) < written - GRANULARITY_NS}

    def save(self) -> None:
        """Write the memo when this run hashed files it did not know, merged with what another process
        wrote meanwhile (a worker of the same build); failures are ignored (a read-only project still
        builds, it only hashes every file each time). What is kept in memory after is what the next
        process would trust."""
        if not self._added:
            return
        merged = {**self._read(), **self._added}
        payload = json.dumps({"root": self._real_root, "files": merged}, separators=(",", ":"), sort_keys=True)
        try:
            safefs.check_inside(self.root, self.path.parent)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, sealed.seal(payload.encode()), durable=False)
            written = os.lstat(self.path).st_mtime_ns
        except (OSError, WorkflowError):
            written = None
        # This process judged what it added by its own clock; the file system's, seen in the memo's write,
        # decides as it does for the next process (a clock ahead of a file server's with coarse timestamps
        # would otherwise keep a racy digest for a long-lived worker's later builds).
        for rel, entry in self._added.items():
            if written is None or max(entry[1], entry[2]) >= written - GRANULARITY_NS:
                self._known.pop(rel, None)
        self._added = {}
