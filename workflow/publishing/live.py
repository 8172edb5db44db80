"""What is live in dist/: each language's current release and the pages it holds; the locks that
serialize changing it; the one way dist/'s own files are read. Read by the store (publish, switch),
the release commands and the site pages.
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import time
from contextlib import contextmanager
from pathlib import Path

from .. import safefs
from ..config import CONFIG_NAME, load_config
from ..model import WorkflowError

RELEASE_ID = re.compile(r"^[0-9a-f]{16}$")
# dist/'s own JSON (a manifest of 300 guides is ~100 kB): a bigger file there is planted, never read whole
STATE_BYTES = 8 * 1024 * 1024
OCCUPIED = "publish.occupied"   # something not ours where the product writes: that path alone is refused
STATE_CHECK = "publish.state"   # dist/'s own bookkeeping unreadable or unwritable: a warning, nothing refused


@contextmanager
def held(folder: Path, what: str, timeout: float = 120.0):
    """An exclusive flock on `folder` itself (made if missing), waited for up to `timeout` seconds.
    The folder, not a lock file in it: no stray entry can sit where a lock must go, and a link is not
    followed (O_NOFOLLOW)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:   # a file or a link there (rollback and pin met it as "unexpected" OSError)
        raise WorkflowError.at(what, 1, f"cannot be locked: not a folder (a file or a link is there: "
                               f"{exc.strerror}); move it away", OCCUPIED) from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise WorkflowError(f"{what}: another publish holds the lock for over {timeout:.0f}s") from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)   # releases the lock


def current_release(lang_dir: Path) -> str | None:
    """The release id `current` links to; None when it is no link to a release (missing, or planted)."""
    try:
        rid = os.readlink(lang_dir / "current").split("/")[-1]
    except OSError:
        return None
    return rid if RELEASE_ID.match(rid) else None


def release_pages(lang_dir: Path, rid: str | None) -> frozenset[str]:
    """The HTML pages (names without `.html`) of a release: what a link into it may name."""
    if not rid:
        return frozenset()
    try:
        with os.scandir(lang_dir / "releases" / rid) as entries:
            return frozenset(e.name[:-5] for e in entries if e.name.endswith(".html") and e.is_file(follow_symlinks=False))
    except OSError:
        return frozenset()


def shown(output: Path, path: Path) -> str:
    """A path of dist/ as the project names it (`dist/ja/history.json`; `public/site/ja/...` with `output:
    public/site`), never an absolute path: the one way a path of the output folder is named."""
    return safefs.shown(project_of(output), path)


def project_of(output: Path) -> Path:
    """The project folder `output` is the output folder of: the nearest folder above it that holds a
    workflow.yaml, if its `output` names this folder; else the folder just above (no workflow.yaml: the
    default `dist`, right inside the project). Asked only to name a path in a problem (a file read or two)."""
    for folder in output.parents:
        try:
            text = safefs.read_text(folder, folder / CONFIG_NAME, 1 << 20)
        except FileNotFoundError:
            continue
        except WorkflowError:   # a link, a folder, not UTF-8: no project's configuration
            break
        try:
            named = folder / load_config(text).output
        except WorkflowError:
            break
        return folder if os.path.abspath(named) == os.path.abspath(output) else output.parent
    return output.parent


def read_state(output: Path, path: Path, limit: int = STATE_BYTES, folders: safefs.Folders | None = None) -> bytes:
    """A file of dist/ through safefs: really inside dist/ (a link leading out is not followed), a
    regular file of at most `limit` bytes. FileNotFoundError when missing; else a WorkflowError naming it
    as shown(). `folders`: a safefs.Folders(output) shared by many reads (a release's files), so that
    each folder is resolved once (a realpath per file cost a no-op publish of 30 guides +35 % CPU)."""
    try:
        return safefs.read_bytes(output, path, limit, folders=folders)
    except WorkflowError as exc:
        first = exc.problems[0] if exc.problems else None
        raise WorkflowError.at(shown(output, path), 1, first.message if first else str(exc),
                               first.check if first else "fs") from None
    except IsADirectoryError:
        raise WorkflowError.at(shown(output, path), 1, "is a folder, not a file; not read", "fs.not-regular") from None


def load_json(output: Path, path: Path, limit: int = STATE_BYTES):
    """read_state, parsed as JSON; WorkflowError naming the file when it is not JSON (too deep too)."""
    data = read_state(output, path, limit)
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        raise WorkflowError.at(shown(output, path), 1, "is not the JSON the product writes (corrupt or planted)",
                               STATE_CHECK) from None


IN_THE_WAY = frozenset({errno.EISDIR, errno.ENOTDIR, errno.ENOTEMPTY, errno.EEXIST, errno.ELOOP})


def in_the_way(exc: Exception) -> bool:
    """A write failed because something not ours holds the path (not a full disk or a read-only one)."""
    return isinstance(exc, WorkflowError) or getattr(exc, "errno", None) in IN_THE_WAY


def occupied(exc: Exception) -> str:
    """Why a path of dist/ could not be written, in a coordinator's words."""
    if isinstance(exc, WorkflowError):
        return "its folder is a link leading out of the site"
    if exc.errno in IN_THE_WAY:
        return "something else is there, a folder or a link, or a file where a folder goes"
    return exc.strerror or str(exc)
