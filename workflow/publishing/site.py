"""The pages readers meet outside the releases, so that no link between languages ends on a 404.

dist/index.html            the languages live now, each named in its own language (Babel), linking to
                           <lang>/index.html (below: a redirect to current/index.html; nginx and Caddy serve
                           current/index.html there)
dist/<lang>/<page>.html    where every language switcher and hreflang link points (`../../<lang>/<page>.html`,
                           also the stable URL the nginx and Caddy snippets serve from current/): a redirect to
                           current/<page>.html when <lang>'s current release holds the page, else a chooser
                           listing the languages whose current release holds it
Why not link straight into current/: a release never changes once published (its pages are verified and
hashed in its manifest, and a pinned language's are frozen), while what the other languages hold changes
with each publish, rollback and pin. So links inside releases name these stable pages, and these pages are
rewritten whenever a `current` switches, under one site lock: pages a language loses become choosers
before its switch, pages it gains become redirects after it. A link page is never deleted (a kept or
pinned page may still name it); it is rewritten as a chooser.
Something else where one of these pages goes (a folder, a file where dist/<lang>/ goes, a link): that
page alone is not written, and the path is named once as a problem (Site.problems, exit 1); every other
page, and every language's publish, goes on. What is there is left as it is: it may be a coordinator's,
and readers of that address keep getting it; moving it away lets the next publish write the page.
"""
from __future__ import annotations

import json
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from ..editions.edition import language_name
from ..editions.localeformat import direction, html_lang
from ..files import write_atomic
from ..model import ERROR, WARNING, Problem, WorkflowError
from ..names import GUIDE_NAME, INDEX_PAGE as INDEX, check_lang
from ..project import Project
from .live import (OCCUPIED, STATE_CHECK, current_release, held, in_the_way, occupied, read_state,
                   release_pages, shown)
from .plan import published_languages

SITE_STATE = ".site.json"      # what the link pages were last written from, and which files they are
WRITTEN, SAME, REFUSED = 1, 0, -1   # what became of a page to write
FORMAT = 2                     # change with the pages' markup: every link page is then rewritten


@dataclass(frozen=True)
class Site:
    output: Path
    languages: tuple[str, ...] = ()          # the project's languages, source first: switchers name each
    pseudo: frozenset[str] = frozenset()     # pseudo-locales: never offered to readers
    # what this Site could not write or read (each path once), for the reports: nothing is raised for it
    problems: list[Problem] = field(default_factory=list, compare=False, hash=False)

    @classmethod
    def of(cls, project: Project) -> "Site":
        return cls(project.output_dir, tuple(published_languages(project)), frozenset(project.config.pseudo_languages))

    @contextmanager
    def lock(self):
        # dist/ itself may be a link inside the project (Project.output_dir refuses one leading out): its
        # folder is locked; O_NOFOLLOW on the link refused every publish
        with held(Path(os.path.realpath(self.output)), f"{self.output.name}/"):
            yield

    def refresh(self, override: dict[str, frozenset[str]] | None = None, extra: frozenset[str] = frozenset()) -> int:
        """Rewrite every link page and the root chooser that differ from what is live (`override`: a
        language's pages taken as these instead; `extra`: pages that get a link page even if no language
        holds them yet); call under `lock()`. Returns the files written.
        Skipped when nothing they depend on moved since the last refresh and every page on disk is still
        the file it wrote (a publish that changes nothing would otherwise read every link page: 0.02 s of
        CPU per language at 100 guides x 11 languages); a page deleted, edited or replaced since is
        rewritten."""
        dirs = self._language_dirs()
        current = {lang: current_release(self.output / lang) for lang in dirs}
        langs = list(dict.fromkeys([*self.languages, *sorted(dirs)]))
        inputs = {"format": FORMAT, "languages": langs, "pseudo": sorted(self.pseudo), "current": current,
                  "override": {k: sorted(v) for k, v in (override or {}).items()}, "extra": sorted(extra)}
        if self._read(self.output / SITE_STATE, 1 << 22) == _state(inputs, self._on_disk(langs)):
            return 0
        live = {lang: release_pages(self.output / lang, rid) for lang, rid in current.items() if rid}
        live.update(override or {})
        readers = [lang for lang in langs if lang in live and lang not in self.pseudo]
        pages = {INDEX}.union(extra, *live.values(), *(self._link_pages(lang) for lang in langs))
        wanted = {self.output / "index.html": root_chooser(readers)}
        folders = [lang for lang in langs if self._folder(lang)]
        for lang in folders:
            for page in pages:
                wanted[self.output / lang / f"{page}.html"] = link_page(
                    lang, page, page in live.get(lang, ()), [r for r in readers if r != lang and page in live[r]])
        outcomes = [self._write_if_changed(path, data) for path, data in wanted.items()]
        if REFUSED not in outcomes and folders == langs:   # else tried (and reported) again by the next refresh
            self._write_if_changed(self.output / SITE_STATE, _state(inputs, self._on_disk(langs)), STATE_CHECK)
        return outcomes.count(WRITTEN)

    def _folder(self, lang: str) -> bool:
        """dist/<lang>/ is a folder (made if missing); anything else there (a file, a link, followed
        nowhere) is named once and the language's link pages are not written."""
        folder = self.output / lang
        try:
            if not folder.is_symlink():
                folder.mkdir(exist_ok=True)
                if folder.is_dir():
                    return True
        except OSError:
            pass
        self._refuse(folder, "not a folder (a file or a link) where this language's pages go; its link pages are "
                             "not written; move it away", OCCUPIED)
        return False

    def _read(self, path: Path, limit: int) -> bytes | None:
        """A file of dist/ as written (never through a link), or None when it is none (or over `limit`)."""
        try:
            return None if path.is_symlink() else read_state(self.output, path, limit)
        except (OSError, WorkflowError):
            return None

    def _write_if_changed(self, path: Path, data: bytes, check: str = OCCUPIED) -> int:
        """WRITTEN, SAME (already these bytes) or REFUSED (named in problems)."""
        if self._read(path, len(data)) == data:
            return SAME
        try:
            write_atomic(path, data, inside=self.output)
        except (OSError, WorkflowError) as exc:
            if check == STATE_CHECK:
                self._refuse(path, f"not written ({occupied(exc)}); link pages are checked again at each publish",
                             check)
            elif in_the_way(exc):
                self._refuse(path, f"this page is not written: {occupied(exc)}; readers of this address get what "
                                   "is there; move it away, the next publish writes it", check)
            else:   # a full or read-only disk: refused before any `current` moves (switch), as for a release
                raise WorkflowError.at(shown(self.output, path), 1, f"cannot write this link page ({occupied(exc)})",
                                       "publish") from None
            return REFUSED
        return WRITTEN

    def _refuse(self, path: Path, message: str, check: str) -> None:
        problem = Problem(shown(self.output, path), 1, ERROR if check == OCCUPIED else WARNING, message, check)
        if problem not in self.problems:
            self.problems.append(problem)

    def _on_disk(self, langs: list[str]) -> list[list]:
        """Which file each page is now: a rewrite (a new inode), an edit (mtime, size) or a deletion
        changes it, so a stale or copied .site.json never vouches for pages it did not see written."""
        found = []
        for folder in [self.output, *(self.output / lang for lang in langs)]:
            try:
                with os.scandir(folder) as entries:
                    for entry in entries:
                        if entry.name.endswith(".html"):
                            st = entry.stat(follow_symlinks=False)
                            found.append([folder.name, entry.name, st.st_mode, st.st_ino, st.st_mtime_ns, st.st_size])
            except OSError:
                continue
        return sorted(found)

    def _language_dirs(self) -> list[str]:
        try:
            with os.scandir(self.output) as entries:
                names = [e.name for e in entries if e.is_dir(follow_symlinks=False) and not e.name.startswith(".")]
        except OSError:
            return []
        return [n for n in names if _is_lang(n) and (self.output / n / "releases").is_dir()]

    def _link_pages(self, lang: str) -> set[str]:
        try:
            with os.scandir(self.output / lang) as entries:
                names = {e.name[:-5] for e in entries if e.name.endswith(".html")}
        except OSError:
            return set()
        # only names a guide can have: any other file here (planted, a backup) is neither copied into
        # every language's folder nor written into a page
        return {name for name in names if GUIDE_NAME.fullmatch(name)}


def _is_lang(name: str) -> bool:
    try:
        check_lang(name)
        return True
    except WorkflowError:
        return False


def _state(inputs: dict, on_disk: list) -> bytes:
    return json.dumps({**inputs, "on_disk": on_disk}, sort_keys=True).encode()


def _head(lang: str, title: str, extra: str = "") -> str:
    return (f'<!DOCTYPE html>\n<html lang="{html_lang(lang)}" dir="{direction(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<link rel="icon" href="data:,">\n'
            f"{extra}<title>{escape(title)}</title>\n</head>\n<body>\n")


def _language_links(langs: list[str], href) -> str:
    items = "".join(f'<li><a href="{href(lang)}" hreflang="{html_lang(lang)}" lang="{html_lang(lang)}" '
                    f'dir="{direction(lang)}">{escape(language_name(lang))}</a></li>\n' for lang in langs)
    return f"<ul>\n{items}</ul>\n"


def root_chooser(readers: list[str]) -> bytes:
    """dist/index.html: every language live now, named in itself."""
    body = _language_links(readers, lambda lang: f"{lang}/{INDEX}.html")
    return (_head("en", "Languages") + f'<main>\n<h1>Languages</h1>\n{body}</main>\n</body>\n</html>\n').encode()


def link_page(lang: str, page: str, held_here: bool, elsewhere: list[str]) -> bytes:
    """dist/<lang>/<page>.html: a redirect into current/ when the page is live in `lang`; else a chooser
    of the languages holding it (`elsewhere`) and of the site's languages (../index.html)."""
    name = escape(language_name(lang))
    if held_here:
        target = f"current/{page}.html"
        return (_head(lang, language_name(lang), f'<meta http-equiv="refresh" content="0; url={target}">\n'
                      f'<link rel="canonical" href="{target}">\n')
                + f'<p><a href="{target}">{name}</a></p>\n</body>\n</html>\n').encode()
    others = _language_links(elsewhere, lambda other: f"../{other}/current/{page}.html") if elsewhere else ""
    note = "It is published in:" if elsewhere else "No language publishes it now."
    return (_head("en", language_name(lang), '<meta name="robots" content="noindex">\n')
            + f'<main>\n<p>This page is not published in <span lang="{html_lang(lang)}">{name}</span>. {note}</p>\n'
            + others + '<p><a href="../index.html">All languages</a></p>\n</main>\n</body>\n</html>\n').encode()
