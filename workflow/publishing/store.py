"""Publish a language: stage a release, verify it against its manifest, switch a symlink atomically.

dist/<lang>/releases/<id>/      the files and manifest.json (id = hash of the files)
dist/<lang>/releases/<id>.tar.gz
dist/<lang>/current -> releases/<id>   replaced with os.replace: readers see old or new, never a mix
dist/<lang>/history.json        release ids in publish order, exactly the folders kept (rollback goes one back)
dist/<lang>/pin                 a pinned release id: publishing does not move the language
A per-language lock serializes concurrent publishes; identical content is a no-op. Every switch also
rewrites the site's link pages (site.py), so no link between languages ever names a missing page.
"""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import shutil
import tarfile
from pathlib import Path

from ..files import replace_symlink, temporary_name, write_atomic, write_folder
from ..model import WorkflowError
from ..names import check_lang
from .live import current_release, held, release_pages
from .site import Site

CRASH_ENV = "WORKFLOW_CRASH_BEFORE_SWITCH"  # fault injection for tests: exit before the switch
_RELEASE_ID = re.compile(r"^[0-9a-f]{16}$")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def language_lock(lang_dir: Path, timeout: float = 120.0):
    return held(lang_dir / ".lock", str(lang_dir), timeout)


def release_id(files: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + sha256(files[name]).encode() + b"\n")
    return digest.hexdigest()[:16]


def deterministic_tar(files: dict[str, bytes], epoch: int) -> bytes:
    """A .tar.gz whose bytes depend only on the files: sorted, fixed owner, mode and time; no links.
    The tar stream is compressed as it is written: memory holds the compressed archive, not the whole
    uncompressed tar and a copy of it besides the files (zlib's output does not depend on how its input
    is split)."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=epoch, compresslevel=6) as gz, \
            tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name in sorted(files):
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode, info.uid, info.gid = len(files[name]), epoch, 0o644, 0, 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(files[name]))
    return out.getvalue()


def verify_release(folder: Path) -> None:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for name, expected in manifest["files"].items():
        path = folder / name
        if Path(name).is_absolute() or ".." in Path(name).parts or not path.is_file() or path.is_symlink():
            raise WorkflowError.at(f"{folder}/manifest.json", 1, f"bad file entry {name!r}", "publish.manifest")
        if sha256(path.read_bytes()) != expected:
            raise WorkflowError.at(path, 1, "sha256 does not match the manifest; publish refused", "publish.hash")


def read_history(lang_dir: Path) -> list[str]:
    """Release ids in publish order, only those whose folder exists: a history.json written before
    pruning and history agreed may still name pruned releases, and rollback must never point at one."""
    path = lang_dir / "history.json"
    try:
        ids = json.loads(path.read_text()) if path.exists() else []
    except ValueError:
        ids = []
    releases = lang_dir / "releases"
    return [r for r in ids if isinstance(r, str) and _RELEASE_ID.match(r) and (releases / r).is_dir()]


def write_history(lang_dir: Path, history: list[str]) -> None:
    write_atomic(lang_dir / "history.json", json.dumps(history).encode())


def pinned_release(lang_dir: Path) -> str | None:
    path = lang_dir / "pin"
    if not path.is_file():
        return None
    rid = path.read_text(encoding="ascii", errors="replace").strip()
    return rid if _RELEASE_ID.match(rid) else None


def switch(lang_dir: Path, rid: str, site: Site) -> None:
    """Point `current` at releases/<rid>; under the site lock, the link pages of what the language loses
    become choosers before, and those of what it gains redirects after (a reader never meets a 404).
    Before the switch every link page the new release names exists (a chooser until the switch): a kill
    between the two steps leaves no link to a missing page, and a link page that cannot be written
    refuses the publish while the old release is still current, as its report says."""
    lang = lang_dir.name
    with site.lock():
        before, after = release_pages(lang_dir, current_release(lang_dir)), release_pages(lang_dir, rid)
        site.refresh({lang: before & after}, after)
        replace_symlink(lang_dir / "current", f"releases/{rid}")
        site.refresh()


def clean_stale(lang_dir: Path) -> None:
    """Remove what an interrupted publish left behind (staging folders, temp links)."""
    for leftover in [p for name in ("current", "history.json", "pin") for p in lang_dir.glob(temporary_name(Path(name)) + "*")]:
        leftover.unlink(missing_ok=True)
    releases = lang_dir / "releases"
    if releases.is_dir():
        for leftover in releases.glob(".staging-*"):
            shutil.rmtree(leftover, ignore_errors=True)


class CurrentMoved(WorkflowError):
    """Another publish switched the language after this one read the release it carries guides from."""


ANY = object()


def publish_language(output: Path, lang: str, files: dict[str, bytes], manifest_extra: dict,
                     epoch: int, keep: int = 5, base=ANY, site: Site | None = None,
                     stop=None) -> tuple[str, str]:
    """Publish one language's files; returns (release id, "published" | "unchanged" | "pinned").
    A pinned language keeps its release (checked under the lock, so a pin set during a build holds).
    `base`: the release the files were composed from (None: none yet); CurrentMoved when current is no
    longer it, so two `publish --guide` at once never drop each other's guide. Raises WorkflowError, old
    release kept. `site`: the project's languages for the link pages (default: the folders in `output`).
    `stop()` true (a cancelled build) right before the switch: (current release, "cancelled"), nothing
    switched (the new folder is pruned by the next publish)."""
    check_lang(lang)
    lang_dir = output / lang
    site = site or Site(output)
    with language_lock(lang_dir):
        clean_stale(lang_dir)
        pin = pinned_release(lang_dir)
        if pin:
            _refresh(site)
            return pin, "pinned"
        if base is not ANY and current_release(lang_dir) != base:
            raise CurrentMoved(f"{lang}: another publish switched the release during this one")
        rid = release_id(files)
        releases = lang_dir / "releases"
        folder = releases / rid
        if current_release(lang_dir) == rid and folder.is_dir():
            verify_release(folder)
            _refresh(site)
            return rid, "unchanged"
        if not folder.is_dir():
            manifest = {"lang": lang, "release": rid, "build_time": epoch,
                        "files": {name: sha256(data) for name, data in sorted(files.items())}, **manifest_extra}
            manifest_bytes = (json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()
            archive = deterministic_tar({**files, "manifest.json": manifest_bytes}, epoch)
            # Ctrl-C or disk full: nothing half-written stays (write_folder removes its staging folder)
            write_folder(folder, {**files, "manifest.json": manifest_bytes, f"{lang}-{rid}.tar.gz": archive},
                         f".staging-{rid}-", check=verify_release)
        else:
            verify_release(folder)
        if os.environ.get(CRASH_ENV) == lang:
            os._exit(17)
        if stop is not None and stop():
            return current_release(lang_dir) or "", "cancelled"
        history = [r for r in read_history(lang_dir) if r != rid] + [rid]
        switch(lang_dir, rid, site)
        prune(lang_dir, history, keep)
        return rid, "published"


def _refresh(site: Site) -> None:
    """A publish that switches nothing still brings the link pages up to date (a project's languages
    changed, a dist/ published before link pages existed)."""
    with site.lock():
        site.refresh()


def prune(lang_dir: Path, history: list[str], keep: int) -> list[str]:
    """Keep the last `keep` releases of the history, plus the current and the pinned one; history.json
    is written first and names exactly the folders kept, so rollback never meets a pruned release."""
    keep_ids = history[-max(1, keep):]
    for extra in (current_release(lang_dir), pinned_release(lang_dir)):
        if extra and extra in history and extra not in keep_ids:
            keep_ids = [r for r in history if r in keep_ids or r == extra]
    write_history(lang_dir, keep_ids)
    releases = lang_dir / "releases"
    for folder in releases.iterdir():
        if folder.is_dir() and not folder.name.startswith(".") and folder.name not in keep_ids:
            shutil.rmtree(folder, ignore_errors=True)
    return keep_ids


def safe_extract(archive: Path, target: Path) -> None:
    """Extract a bundle for a reader; tarfile's data filter refuses links, devices and escaping paths."""
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
