"""Release management for coordinators: list a language's releases, roll back, pin and unpin.

Every change takes the language's publish lock and switches `current` with the same atomic symlink
replacement as a publish (which also rewrites the site's link pages, site.py); the target release is
verified against its manifest first.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..files import write_atomic
from ..model import WorkflowError
from .live import OCCUPIED, shown
from ..names import check_lang
from .site import Site
from .store import (current_release, language_lock, manifest_of, pinned_release, read_history, switch,
                    verify_release, write_history)


def _lang_dir(output: Path, lang: str) -> Path:
    lang_dir = output / check_lang(lang)
    if not (lang_dir / "releases").is_dir():
        raise WorkflowError(f"{lang}: nothing published yet in {output.name}/{lang}; run `workflow publish --lang {lang}`")
    return lang_dir


def _known(lang_dir: Path, rid: str, history: list[str]) -> str:
    if rid not in history:
        shown = ", ".join(history) or "none"
        raise WorkflowError(f"{lang_dir.name}: no release {rid!r}; releases kept: {shown} (`workflow releases "
                            f"{lang_dir.name}`)")
    return rid


def list_releases(output: Path, lang: str) -> list[dict]:
    """Each kept release, oldest first: id, build time, guides, mean coverage, current, pinned."""
    lang_dir = _lang_dir(output, lang)
    current, pin = current_release(lang_dir), pinned_release(lang_dir)
    rows = []
    for rid in read_history(lang_dir):
        try:
            manifest = manifest_of(lang_dir / "releases" / rid, output)
        except (OSError, WorkflowError):
            manifest = {}
        guides = manifest.get("guides") if isinstance(manifest.get("guides"), dict) else {}
        cover = [g["coverage"] for g in guides.values() if isinstance(g, dict)
                 and isinstance(g.get("coverage"), (int, float))]
        rows.append({"release": rid, "build_time": manifest.get("build_time"), "guides": len(guides),
                     "coverage": round(sum(cover) / len(cover), 4) if cover else None,
                     "stand_ins": sorted(g for g, v in guides.items() if isinstance(v, dict) and v.get("source")
                                         not in (None, "built")),
                     "current": rid == current, "pinned": rid == pin})
    return rows


def rollback(output: Path, lang: str, to: str | None = None, site: Site | None = None) -> str:
    """Switch back one release (or to `to`); the releases after it leave the history. `site`: the
    project's languages for the link pages (default: the folders in `output`)."""
    lang_dir = _lang_dir(output, lang)
    with language_lock(lang_dir):
        pin = pinned_release(lang_dir)
        if pin:
            raise WorkflowError(f"{lang}: pinned to {pin}; `workflow unpin {lang}` first")
        history = read_history(lang_dir)
        current = current_release(lang_dir)
        if to is not None:
            target = _known(lang_dir, to, history)
        elif current not in history or history.index(current) == 0:
            raise WorkflowError(f"{lang}: no earlier release to roll back to (current {current or 'none'}; "
                                f"{len(history)} release(s) kept, keep_releases in workflow.yaml)")
        else:
            target = history[history.index(current) - 1]
        verify_release(lang_dir / "releases" / target, output)
        switch(lang_dir, target, site or Site(output))
        write_history(lang_dir, history[:history.index(target) + 1])
        return target


def pin(output: Path, lang: str, rid: str | None = None, site: Site | None = None) -> str:
    """Hold `lang` on a release (default: the current one), switching to it if needed."""
    lang_dir = _lang_dir(output, lang)
    with language_lock(lang_dir):
        _pin_writable(output, lang_dir)   # before any switch
        history = read_history(lang_dir)
        target = _known(lang_dir, rid, history) if rid else current_release(lang_dir)
        if not target:
            raise WorkflowError(f"{lang}: no current release to pin")
        verify_release(lang_dir / "releases" / target, output)
        if current_release(lang_dir) != target:
            switch(lang_dir, target, site or Site(output))
        write_atomic(lang_dir / "pin", (target + "\n").encode())
        return target


def unpin(output: Path, lang: str) -> str | None:
    """Let publishes move `lang` again; returns the release it was pinned to (None: it was not)."""
    lang_dir = _lang_dir(output, lang)
    with language_lock(lang_dir):
        _pin_writable(output, lang_dir)
        try:
            was = pinned_release(lang_dir)
        except WorkflowError:   # a pin that names no release: removed all the same (a link, not its target)
            was = None
        (lang_dir / "pin").unlink(missing_ok=True)
        return was


def _pin_writable(output: Path, lang_dir: Path) -> None:
    """dist/<lang>/pin is a file or a link (the product's to replace or remove), or absent; a folder there
    is named (it stopped pin and unpin with "unexpected IsADirectoryError" and absolute paths)."""
    path = lang_dir / "pin"
    if os.path.isdir(path) and not os.path.islink(path):
        raise WorkflowError.at(shown(output, path), 1, f"[{lang_dir.name}] a folder is where the pin goes; move it "
                               "away", OCCUPIED)
