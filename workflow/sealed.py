"""Cache entries authenticated with a key that lives outside the project.

`.cache/` is a folder anyone who can write to the project (a pull request that force-adds files, a
shared volume) can fill, and its file names are predictable content hashes. An entry is trusted only
if its HMAC-SHA256, under a key the project does not carry, matches: a planted or corrupted entry is
a cache miss, and the work is done again. The key is, in order:

- WORKFLOW_CACHE_KEY (any string): set the same value for the client and every worker that share a
  project folder (docker compose), so they reuse each other's entries;
- otherwise a random key in the user's cache folder ($XDG_CACHE_HOME or ~/.cache,
  guide-workflow/cache.key, created exclusively, mode 0600);
- otherwise (no writable home) a key for this process only: nothing is shared, nothing breaks.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from functools import lru_cache
from pathlib import Path

KEY_ENV = "WORKFLOW_CACHE_KEY"
_MAGIC = b"workflow-sealed-1 "
_HEAD_MAGIC = b"workflow-sealed-head-1 "


def _key_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "guide-workflow" / "cache.key"


@lru_cache(maxsize=4)
def _key(env_value: str) -> bytes:
    if env_value:
        return hashlib.sha256(env_value.encode()).digest()
    path = _key_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(32))
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(fd, "rb") as handle:
            key = handle.read(64)
        if len(key) >= 32:
            return key
    except OSError:
        pass
    return secrets.token_bytes(32)


def key() -> bytes:
    return _key(os.environ.get(KEY_ENV) or "")


def _mac(payload: bytes) -> bytes:
    return hmac.new(key(), payload, hashlib.sha256).hexdigest().encode()


def seal(payload: bytes) -> bytes:
    return _MAGIC + _mac(payload) + b"\n" + payload


def unseal(data: bytes) -> bytes | None:
    """The payload if `data` was sealed with this key, else None (foreign, planted or corrupt)."""
    if not data.startswith(_MAGIC):
        return None
    mac, _, payload = data[len(_MAGIC):].partition(b"\n")
    return payload if hmac.compare_digest(mac, _mac(payload)) else None


# An entry whose reader mostly needs a small part of it (a rebuild reads 3,000 edition results, only a
# publish their files): the head is sealed, the body after it is not. The head must carry the sha256 of
# what the body holds, and whoever reads the body checks it: an altered body is then refused too.
def seal_head(head: bytes, body: bytes) -> bytes:
    return sealed_head(head) + body


def sealed_head(head: bytes) -> bytes:
    """What seal_head puts before the body: a writer that has the body in pieces writes them after it
    (a cache pack), not a copy of them all joined."""
    if b"\n" in head:
        raise ValueError("a sealed head is one line")
    return _HEAD_MAGIC + _mac(head) + b" %d\n" % len(head) + head


def head_end(data: bytes) -> int | None:
    """Where the head of a seal_head entry ends (read that many bytes for unseal_head), from its first
    line alone; None when `data` does not start like one."""
    line, newline, _ = data[:200].partition(b"\n")
    fields = line[len(_HEAD_MAGIC):].split(b" ")
    if not (newline and line.startswith(_HEAD_MAGIC) and len(fields) == 2 and fields[1].isdigit()):
        return None
    return len(line) + 1 + int(fields[1])


def unseal_head(data: bytes) -> tuple[bytes, bytes] | None:
    """(head, what follows it) if `data` starts with a head sealed with this key, else None (foreign,
    planted, corrupt, or cut before the head's end). What follows is not authenticated: see seal_head."""
    end = head_end(data)
    if end is None or end > len(data):
        return None
    newline = data.index(b"\n")   # (not a partition of `data`: a copy of the whole body for nothing)
    mac, head = data[len(_HEAD_MAGIC):newline].split(b" ")[0], data[newline + 1:end]
    return (head, data[end:]) if hmac.compare_digest(mac, _mac(head)) else None
