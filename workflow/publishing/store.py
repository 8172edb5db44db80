"""Publish a language: stage a release, verify it against its manifest, switch a symlink atomically.

dist/<lang>/releases/<id>/      the files, manifest.json (id = hash of the files) and <lang>-<id>.tar.gz
dist/<lang>/current -> releases/<id>   replaced with os.replace: readers see old or new, never a mix
dist/<lang>/history.json        release ids in publish order, exactly the folders kept (rollback goes one back)
dist/<lang>/pin                 a pinned release id: publishing does not move the language
A per-language lock (on the folder) serializes concurrent publishes; identical content is a no-op.
Every switch also rewrites the site's link pages (site.py), so no link between languages ever names a
missing page. Every file of dist/ is read through live.read_state (safefs: no link out, bounded).
Something planted at one of these paths refuses this language alone, before its switch, naming the
path (`current` a folder, `releases` a file, the folder a link); history.json that cannot be read is
rebuilt from the release folders, and one that cannot be written leaves the releases unpruned: both
a warning, the publish goes on.
"""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import shutil
import tarfile
from pathlib import Path

from .. import safefs
from ..files import replace_symlink, temporary_name, write_atomic, write_folder
from ..model import ERROR, WARNING, Problem, WorkflowError
from ..names import check_lang
from .live import (OCCUPIED, RELEASE_ID, STATE_CHECK, current_release, held, load_json, occupied, read_state,
                   release_pages, shown)
from .site import Site

CRASH_ENV = "WORKFLOW_CRASH_BEFORE_SWITCH"  # fault injection for tests: exit before the switch


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def language_lock(lang_dir: Path, timeout: float = 120.0):
    return held(lang_dir, shown(lang_dir.parent, lang_dir), timeout)


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


def _output_of(folder: Path) -> Path:
    """dist/ above a release folder (releases/<id>, or <lang>/current): only to name its files."""
    return folder.parents[2] if folder.parent.name == "releases" else folder.parents[1]


def manifest_of(folder: Path, output: Path | None = None) -> dict:
    """A release's manifest.json, read through safefs; WorkflowError naming it when it is not one
    (corrupt, planted, a link out, too big)."""
    output = output or _output_of(folder)
    manifest = load_json(output, folder / "manifest.json")
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise WorkflowError.at(shown(output, folder / "manifest.json"), 1, "not a release manifest", "publish.manifest")
    return manifest


def verify_release(folder: Path, output: Path | None = None) -> None:
    """Every file the manifest names is a regular file of dist/ (no link) with that sha256."""
    output = output or _output_of(folder)
    manifest = manifest_of(folder, output)
    folders = safefs.Folders(output)
    for name, expected in manifest["files"].items():
        path = folder / str(name)
        # as the product writes names (no ./ nor //): one file named many ways was hashed once per name
        if (Path(name).as_posix() != name or Path(name).is_absolute() or ".." in Path(name).parts
                or not path.is_file() or path.is_symlink()):
            raise WorkflowError.at(shown(output, folder / "manifest.json"), 1, f"bad file entry {safefs.safe_quote(name, 80)}",
                                   "publish.manifest")
        if sha256(read_state(output, path, safefs.MAX_BYTES, folders)) != expected:
            raise WorkflowError.at(shown(output, path), 1, "sha256 does not match the manifest; publish refused",
                                   "publish.hash")


def read_history(lang_dir: Path, problems: list[Problem] | None = None) -> list[str]:
    """Release ids in publish order, only those whose folder exists: a history.json written before
    pruning and history agreed may still name pruned releases, and rollback must never point at one.
    A history.json that cannot be read (corrupt, a folder, a link out): a WorkflowError naming it, or
    with `problems`, a warning there and the history rebuilt from the release folders (oldest first)."""
    path, releases = lang_dir / "history.json", lang_dir / "releases"
    try:
        try:
            ids = load_json(lang_dir.parent, path) if os.path.lexists(path) else []
        except FileNotFoundError:   # a link to nothing: it refused the language ("No such file") before
            raise WorkflowError.at(shown(lang_dir.parent, path), 1, "is a link to nothing", STATE_CHECK) from None
        if not isinstance(ids, list):
            raise WorkflowError.at(shown(lang_dir.parent, path), 1, "not a list of release ids", STATE_CHECK)
    except WorkflowError as exc:
        if problems is None:
            raise
        problems.append(Problem(exc.problems[0].path, 1, WARNING, f"{exc.problems[0].message}; rebuilt from the "
                                "release folders (oldest first) and written again", STATE_CHECK))
        ids = _release_folders(releases)
    return [r for r in ids if isinstance(r, str) and RELEASE_ID.match(r) and (releases / r).is_dir()]


def _release_folders(releases: Path) -> list[str]:
    """The release folders, oldest written first (a history lost: what retention and rollback go by)."""
    try:
        with os.scandir(releases) as entries:
            found = [(e.stat(follow_symlinks=False).st_mtime_ns, e.name) for e in entries
                     if RELEASE_ID.match(e.name) and e.is_dir(follow_symlinks=False)]
    except OSError:
        return []
    return [name for _, name in sorted(found)]


def write_history(lang_dir: Path, history: list[str]) -> None:
    write_atomic(lang_dir / "history.json", json.dumps(history).encode())


def pinned_release(lang_dir: Path) -> str | None:
    """The release dist/<lang>/pin names, or None when there is no pin. A pin that is there but is no small
    regular file inside dist/ naming a release (a folder, a link out or to nothing, a FIFO, garbage) is a
    WorkflowError naming it: the language was pinned, so it stays as it is (it read as "no pin": publish
    moved the language and prune could delete the pinned release) until `workflow unpin` removes it."""
    path = lang_dir / "pin"
    if not os.path.lexists(path):
        return None
    try:
        rid = read_state(lang_dir.parent, path, 64).decode("ascii", errors="replace").strip()
    except (OSError, WorkflowError):
        rid = None
    if rid is None or not RELEASE_ID.match(rid):
        raise WorkflowError.at(shown(lang_dir.parent, path), 1, f"[{lang_dir.name}] a pin that names no release "
                               f"(not the file `workflow pin` writes): the language is kept as it is; "
                               f"`workflow unpin {lang_dir.name}` removes it", "publish.pin")
    return rid


def switch(lang_dir: Path, rid: str, site: Site) -> None:
    """Point `current` at releases/<rid>; under the site lock, the link pages of what the language loses
    become choosers before, and those of what it gains redirects after (a reader never meets a 404).
    Before the switch every link page the new release names exists (a chooser until the switch): a kill
    between the two steps leaves no link to a missing page. A page whose path something else holds is
    not written and is named in `site.problems`; it refuses that page alone, never the switch."""
    lang = lang_dir.name
    with site.lock():
        before, after = release_pages(lang_dir, current_release(lang_dir)), release_pages(lang_dir, rid)
        site.refresh({lang: before & after}, after)
        replace_symlink(lang_dir / "current", f"releases/{rid}")
        try:
            site.refresh()
        except WorkflowError as exc:   # switched: the report says what readers may miss, not "release kept"
            site.problems.extend(Problem(p.path, p.line, ERROR, f"[{lang_dir.name}] switched, but {p.message}; "
                                         "publish again", OCCUPIED) for p in exc.problems)


def clean_stale(lang_dir: Path) -> None:
    """Remove what an interrupted publish left behind (staging folders, temp links)."""
    for leftover in [p for name in ("current", "history.json", "pin") for p in lang_dir.glob(temporary_name(Path(name)) + "*")]:
        if leftover.is_symlink() or leftover.is_file():   # a folder under such a name is not ours: left
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
    check_folders(output, lang_dir)
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
            verify_release(folder, output)
            _refresh(site)
            return rid, "unchanged"
        _stage(output, lang, rid, files, manifest_extra, epoch)
        if os.environ.get(CRASH_ENV) == lang:
            os._exit(17)
        if stop is not None and stop():
            return current_release(lang_dir) or "", "cancelled"
        history = [r for r in read_history(lang_dir, site.problems) if r != rid] + [rid]
        switch(lang_dir, rid, site)
        try:   # switched: what fails now costs retention, never the publish its report names
            prune(lang_dir, history, keep)
        except (OSError, WorkflowError) as exc:
            why = occupied(exc) if isinstance(exc, OSError) else str(exc)
            site.problems.append(Problem(shown(output, lang_dir / "history.json"), 1, WARNING, f"[{lang}] published; "
                                         f"history not written ({why}), older releases not pruned", STATE_CHECK))
        return rid, "published"


def _stage(output: Path, lang: str, rid: str, files: dict[str, bytes], manifest_extra: dict, epoch: int) -> None:
    """releases/<rid>, written and verified (or, already there, verified)."""
    folder = output / lang / "releases" / rid
    if os.path.lexists(folder) and not folder.is_dir():
        raise WorkflowError.at(shown(output, folder), 1, f"[{lang}] a file is where this release's folder goes; "
                               "move it away", OCCUPIED)
    if folder.is_dir():
        verify_release(folder, output)
        return
    manifest = {"lang": lang, "release": rid, "build_time": epoch,
                "files": {name: sha256(data) for name, data in sorted(files.items())}, **manifest_extra}
    manifest_bytes = (json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()
    archive = deterministic_tar({**files, "manifest.json": manifest_bytes}, epoch)
    # Ctrl-C or disk full: nothing half-written stays (write_folder removes its staging folder)
    write_folder(folder, {**files, "manifest.json": manifest_bytes, f"{lang}-{rid}.tar.gz": archive},
                 f".staging-{rid}-", check=lambda staged: verify_release(staged, output))


def check_folders(output: Path, lang_dir: Path) -> None:
    """The language's folder, its releases/ and `current` are what the product makes there (or absent):
    anything else there refuses this language alone, before anything is written, naming it; a link in
    their place is never followed."""
    lang = lang_dir.name
    for path in (lang_dir, lang_dir / "releases"):
        if os.path.islink(path) or (os.path.lexists(path) and not path.is_dir()):
            raise WorkflowError.at(shown(output, path), 1, f"[{lang}] not a folder (a file or a link) where the "
                                   "language's releases go; move it away", OCCUPIED)
    current = lang_dir / "current"
    if os.path.lexists(current) and not current.is_symlink():
        raise WorkflowError.at(shown(output, current), 1, f"[{lang}] not the link to the current release (a folder "
                               "or file is there, readers keep it); move it away", OCCUPIED)


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
