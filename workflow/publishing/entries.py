"""An edition's cache entry: one file per edition, its result sealed as a head, its files' bytes after."""
from __future__ import annotations

import hashlib
import json

from .. import sealed


def pack(result: dict, files: dict[str, bytes]) -> bytes:
    """An edition's cache entry: its result as one JSON line, sealed (sealed.seal_head), naming under
    "files" each file's size and sha256; then the files' bytes one after the other in that order. A
    rebuild reads only the head, a publish the files too, each checked against its sha256 (entry_files)."""
    return b"".join(pack_parts(result, files))


def pack_parts(result: dict, files: dict[str, bytes]) -> list[bytes]:
    """pack()'s bytes in pieces, the sealed head then each file: what a cache pack writes one after the
    other (joining them copied ~200 kB an edition twice, into new memory each time)."""
    names = sorted(files)
    head = {**result, "files": {name: [len(files[name]), hashlib.sha256(files[name]).hexdigest()] for name in names}}
    return [sealed.sealed_head(json.dumps(head, ensure_ascii=False, sort_keys=True).encode()),
            *(files[name] for name in names)]


def entry_result(head: bytes, body: bytes = b"") -> dict:
    """The result of an entry's head; ValueError when it is not one (the HMAC covered the head, so this
    only meets heads this installation wrote, possibly by older code)."""
    data = json.loads(head)
    sizes = data.get("files") if isinstance(data, dict) else None
    if not isinstance(sizes, dict) or "ok" not in data or not all(
            isinstance(f, list) and len(f) == 2 and isinstance(f[0], int) and f[0] >= 0 and isinstance(f[1], str)
            for f in sizes.values()):
        raise ValueError("not an edition entry")
    return data


def entry_files(head: bytes, body: bytes) -> tuple[dict, dict[str, bytes]]:
    """(result, files) of a whole entry; ValueError when a file's bytes are not those its sealed head
    names (altered in the cache after the build): the entry is then a miss."""
    data = entry_result(head)
    sizes = data["files"]
    if sum(size for size, _ in sizes.values()) != len(body):
        raise ValueError("edition files cut or grown")
    files, at = {}, 0
    for name, (size, digest) in sizes.items():   # json keeps the order they were written in: sorted
        files[name] = body[at:at + size]
        at += size
        if hashlib.sha256(files[name]).hexdigest() != digest:
            raise ValueError("edition file altered")
    return data, files
