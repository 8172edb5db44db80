"""Cache entries stored many to a file (.cache/editions, .cache/checks), found through an index that is a hint.

A file per entry (an edition, a catalog's check results) made ~6,000 files for a cold build of 300 guides
in 10 languages, and creating one (inode, directory entry, rename) cost more real time than writing its
bytes (~110-240 us: ~3 % of a build). Now each process appends the entries it stores to a pack of its own
(created exclusively under a random name, up to PACK_BYTES, then another), a batch at a time (the editions
it stores at once, a language's check results); then one line per entry is appended to the folder's
`index`, so that no line names bytes not yet written:

    <key> <pack> <offset> <length> <slot>

`slot` names what the entry is for (an edition's guide and language, a catalog; hashed): a newer entry for
the same slot supersedes the older, which is what collect() goes by.

Nothing here is trusted: the caller seals each entry over its key (sealed.py), so a line pointing at another
entry, a garbled line, a pack cut short or planted read as bytes the seal refuses: a miss, the work is done
again. Two processes never write the same pack, and each appends its lines in one O_APPEND write, after a
newline of its own: a write torn by a crash garbles only its own lines (misses), never a misread. When the
index holds more than twice the live entries (the newest of each slot), collect() rewrites it with those
alone and deletes the packs that hold none of them: rebuilds do not make the cache grow without bound.
I/O edge, bottom layer: imports only model, safefs, sealed and files.
"""
from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import stat
import time
from pathlib import Path

from . import safefs, sealed
from .files import FILE_MODE, write_atomic
from .model import WorkflowError

INDEX = "index"
# What get_head reads first: an edition entry's head (its result; 1.2-2.1 kB on the bench's corpus) fits, its
# files (~200 kB) are not read by a rebuild; a longer head is read again, to its end.
HEAD_BYTES = 4 * 1024
PACK_BYTES = 16 * 1024 * 1024   # a pack is closed past this: far under safefs.MAX_BYTES, the most a read takes
COLLECT_LINES = 256   # index lines before collect() is considered, and only past twice the live entries
GRACE = 600   # seconds: a pack no line names is deleted only when older (its lines may be on their way)
_LINE = re.compile(rb"([0-9a-f]{8,64}) ([0-9a-f]{16}\.pack) ([0-9]{1,12}) ([0-9]{1,12}) ([0-9a-f]{16})")
_PACK_NAME = re.compile(r"[0-9a-f]{16}\.pack")
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_APPEND = os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


def slot_of(*parts: str) -> str:
    """What an entry is for, as the index names it (a fixed-size hash: any guide name fits a line)."""
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


class PackStore:
    """The packed entries of one cache folder, as this process last read its index."""

    def __init__(self, root: Path, folder: Path, folders: safefs.Folders | None = None):
        self.root, self.folder, self.folders = root, folder, folders
        self._where: dict[str, tuple[str, int, int, str]] = {}   # key -> (pack, offset, length, slot), newest line
        self._slots: dict[str, str] = {}   # slot -> the key of its newest line
        self._read_to, self._index_id, self._lines = 0, None, 0   # how much of which index file was parsed
        self._looked = False   # the index read at least once (a store's first look-up reads it)
        self._filling = None   # (pid, descriptor, name, length) of the pack this process appends to

    def refresh(self) -> None:
        """Read the index lines appended since the last look (all of them when the index was replaced: a
        collect()). Called once per batch of look-ups, not per key: a missing index is an empty one."""
        self._looked = True
        try:
            data, info = safefs.read_bytes_stat(self.root, self.folder / INDEX, folders=self.folders,
                                                offset=self._read_to)
            if (info.st_dev, info.st_ino) != self._index_id or info.st_size < self._read_to:
                self._forget((info.st_dev, info.st_ino))
                data = safefs.read_bytes(self.root, self.folder / INDEX, folders=self.folders)
        except FileNotFoundError:   # none yet, or the cache was removed: nothing is there
            self._forget(None)
            return
        except (OSError, WorkflowError):
            return
        end = data.rfind(b"\n") + 1   # (a line still being written is read on the next look)
        for line in data[:end].split(b"\n"):
            found = _LINE.fullmatch(line)
            if found:
                key, pack, offset, length, slot = (v.decode() for v in found.groups())
                self._where.pop(key, None)   # (moved to the end: the order is the index's, collect's newest last)
                self._where[key] = (pack, int(offset), int(length), slot)
                self._slots[slot] = key
                self._lines += 1
        self._read_to += end

    def _forget(self, index_id) -> None:
        self._where.clear()
        self._slots.clear()
        self._read_to, self._index_id, self._lines = 0, index_id, 0

    def has(self, key: str) -> bool:
        if not self._looked:
            self.refresh()
        return key in self._where

    def keys(self) -> list[str]:
        """The keys the index names, oldest line first."""
        if not self._looked:
            self.refresh()
        return list(self._where)

    def where(self, key: str) -> tuple[Path, int, int] | None:
        """(pack, offset, length) of the entry as the index says (a hint), or None."""
        if not self._looked:
            self.refresh()
        found = self._where.get(key)
        return None if found is None else (self.folder / found[0], found[1], found[2])

    def read(self, key: str, first: int | None = None) -> bytes | None:
        """The entry's bytes (its first `first` only), or None when the index names none or its pack is gone
        or short. Not checked here: the caller's seal decides. Raises WorkflowError for a pack that is not a
        regular file of the project (a link planted under its name)."""
        found = self.where(key)
        if found is None:
            return None
        path, offset, length = found
        size = length if first is None else min(first, length)
        try:
            data = safefs.read_bytes(self.root, path, first=size, folders=self.folders, offset=offset)
        except FileNotFoundError:   # collected by another process since its line was read
            return None
        return data if len(data) == size else None

    def seal(self, key: str, payload: bytes) -> bytes:
        """An entry for get(): sealed over the folder and key too, so that a sealed entry the index points
        to for another key (another catalog's verdict) is a miss."""
        return sealed.seal(f"{self.folder.name}/{key}\n".encode() + payload)

    def get(self, key: str, decode):
        """decode(payload) of an entry this installation sealed (seal()) for this key, or None: missing,
        corrupt, planted, linked or sealed for another key, a miss (the work is done again), never trusted."""
        name = f"{self.folder.name}/{key}\n".encode()
        try:
            data = self.read(key)
            payload = sealed.unseal(data) if data is not None else None
            return decode(payload[len(name):]) if payload is not None and payload.startswith(name) else None
        except (OSError, ValueError, WorkflowError):
            return None

    def get_head(self, key: str, decode, whole: bool = False):
        """decode(head, rest) of a sealed.seal_head entry this installation sealed, or None as for get (the
        head must name its key: decode's to check). Only the entry's first bytes are read unless `whole`
        (rest is then all of the entry after the head, else whatever of it came with them); rest is not
        authenticated: decode checks it."""
        try:
            data = self.read(key, None if whole else HEAD_BYTES)
            end = sealed.head_end(data) if data is not None else None
            if end is not None and end > len(data) and not whole:   # a head longer than the bytes read
                data = self.read(key, end)
            found = sealed.unseal_head(data) if data is not None else None
            return None if found is None else decode(*found)
        except (OSError, ValueError, WorkflowError):
            return None

    def write(self, entries: list[tuple[str, str, bytes | list[bytes]]]) -> None:
        """Store (key, slot, entry) entries, an entry as bytes or in pieces written one after the other:
        packs of up to PACK_BYTES, each followed by its index lines. OSError (disk full, read-only) to the
        caller; what was not indexed is a miss."""
        batch, size = [], 0
        for key, slot, data in entries:
            parts = data if isinstance(data, list) else [data]
            length = sum(map(len, parts))
            if batch and size + length > PACK_BYTES:
                self._write_pack(batch)
                batch, size = [], 0
            batch.append((key, slot, parts, length))
            size += length
        if batch:
            self._write_pack(batch)
        if self._lines > COLLECT_LINES and self._lines > 2 * len(self._slots):
            try:
                self.collect()
            except (OSError, WorkflowError):   # housekeeping: what was stored above stays stored
                pass

    def _write_pack(self, batch: list[tuple[str, str, list[bytes], int]]) -> None:
        fd, name, at = self._pack(sum(length for *_, length in batch))
        start, lines = at, []
        for key, slot, _, length in batch:
            if not _LINE.fullmatch(f"{key} {name} 0 0 {slot}".encode()):
                raise ValueError(f"{key!r}, {slot!r}: not a key and slot of an index line")
            lines.append(f"{key} {name} {at} {length} {slot}\n")
            at += length
        try:
            for *_, parts, _ in batch:
                for part in parts:
                    view = memoryview(part)
                    while view:
                        view = view[os.write(fd, view):]
        except BaseException:   # disk full, Ctrl-C: where this pack ends is not known, the next batch starts one
            self._close_pack(unlink=start == 0)
            raise
        self._filling = (os.getpid(), fd, name, at)
        self._append(("\n" + "".join(lines)).encode())   # (its own newline first: see the module's doc)
        at = start
        for key, slot, _, length in batch:
            self._where.pop(key, None)
            self._where[key] = (name, at, length, slot)
            self._slots[slot] = key
            at += length

    def _pack(self, size: int) -> tuple[int, str, int]:
        """(descriptor, name, length so far) of this process's pack, appended to until PACK_BYTES: a file
        per ~80 editions, not per batch (creating a file waited on the file system's journal, ~1 ms). A
        process of its own (a forked worker) starts its own; one collected meanwhile (unlinked) is left."""
        if self._filling is not None:
            pid, fd, name, length = self._filling
            if pid == os.getpid() and length + size <= PACK_BYTES and os.fstat(fd).st_nlink:
                return fd, name, length
            self._close_pack(unlink=False)
        name = f"{secrets.token_hex(8)}.pack"
        fd = os.open(self.folder / name, _CREATE, FILE_MODE)   # (exclusive: never a planted name's file)
        os.fchmod(fd, FILE_MODE)   # (not the umask's)
        self._filling = (os.getpid(), fd, name, 0)
        return fd, name, 0

    def _close_pack(self, unlink: bool) -> None:
        pid, fd, name, _ = self._filling
        self._filling = None
        if pid == os.getpid():   # (a forked worker's copy of its parent's descriptor is the parent's to close)
            os.close(fd)
            if unlink:
                (self.folder / name).unlink(missing_ok=True)

    def _append(self, lines: bytes) -> None:
        """Append to the index in one write. A planted index that is not a file of its own (a folder, a
        link, a FIFO, a hard link to another file) is removed and made anew, never written through."""
        path = self.folder / INDEX
        for again in (False, True):
            try:
                fd = os.open(path, _APPEND | os.O_CREAT, FILE_MODE)
            except OSError:   # EISDIR, ELOOP (a link), ENXIO (a FIFO nobody reads)
                if again:
                    raise
                _remove(path)
                continue
            try:
                info = os.fstat(fd)
                if stat.S_ISREG(info.st_mode) and info.st_nlink == 1:
                    view = memoryview(lines)
                    while view:
                        view = view[os.write(fd, view):]
                    return
            finally:
                os.close(fd)
            _remove(path)
        raise OSError(f"{path}: not a file of its own")

    def collect(self) -> None:
        """Keep the newest entry of each slot: the index rewritten with their lines alone, and the packs that
        hold none of them deleted (when older than GRACE). The cache then holds at most the packs of live
        entries, however many rebuilds came before. Lines another process appends meanwhile are lost: misses."""
        self.refresh()
        newest = [(key, *self._where[key]) for key in self._slots.values()]
        live = {pack for _, pack, *_ in newest}
        write_atomic(self.folder / INDEX, "".join(" ".join(map(str, line)) + "\n" for line in newest), durable=False)
        self._forget(None)   # (read afresh below)
        old = time.time() - GRACE
        with os.scandir(self.folder) as found:
            for entry in found:
                if _PACK_NAME.fullmatch(entry.name) and entry.name not in live:
                    try:
                        if entry.stat(follow_symlinks=False).st_mtime < old:
                            os.unlink(entry.path)
                    except OSError:   # gone meanwhile, or a folder planted under a pack's name: left
                        pass
        self.refresh()


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
