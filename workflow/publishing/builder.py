"""The build driver: which editions to build, gates per language, content-hash cache.

An edition's key hashes every input (source, catalogs, facts, templates, config, code), so an
unchanged edition is read back from the cache instead of rebuilt, and a task that runs twice
writes the same bytes to the same place.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..catalogs.review import catalog_bytes, check_language, read_catalog, sources
from .. import sealed
from ..checks.stats import stat
from ..editions.edition import Translations, build_edition, build_index
from ..files import write_folder
from ..model import ERROR, Problem, WorkflowError
from ..names import UI_DOMAIN
from ..project import Project, file_digest
from .plan import published_languages


def _approved(catalog, problems: list[Problem]) -> dict:
    """Entries of a catalog minus those an error was reported on (they fall back to the source)."""
    if catalog is None:
        return {}
    rejected = {p.line for p in problems if p.severity == ERROR}
    return {m: e for m, e in catalog.lookup().items() if e.line not in rejected}


@dataclass
class EditionResult:
    guide: str
    lang: str
    key: str
    ok: bool
    summary: dict
    problems: list[Problem]
    cached: bool = False

    def as_dict(self) -> dict:
        return {"guide": self.guide, "lang": self.lang, "key": self.key, "ok": self.ok, "cached": self.cached,
                "summary": self.summary, "problems": [p.as_dict() for p in self.problems]}


@dataclass
class LanguageResult:
    lang: str
    editions: list[EditionResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)   # catalog problems and gate failures

    @property
    def ok(self) -> bool:
        return all(e.ok for e in self.editions) and not any(p.severity == ERROR for p in self.problems)

    def all_problems(self) -> list[Problem]:
        seen, out = set(), []
        for p in self.problems + [p for e in self.editions for p in e.problems]:
            if p not in seen:
                seen.add(p)
                out.append(p)
        return out


def _result(payload: bytes) -> dict:
    data = json.loads(payload)
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict) or "ok" not in data:
        raise ValueError("not an edition result")
    return data


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)


class Builder:
    """Builds editions for a project, reusing parsed sources across languages."""

    def __init__(self, project: Project):
        self.project = project
        self._sources = None
        self._digests: dict[Path, str] = {}
        self._templates: list[Path] | None = None   # Project.template_files(), listed once per build
        self._keys: dict[tuple[str, str], str] = {}   # (guide, lang) -> edition key, for this build
        self._ui_checked: dict = {}   # (lang, ui.po content hash) -> (catalog, problems)
        self._ui_read: dict = {}      # (lang, ui.po content hash) -> catalog, for stand-ins and index pages

    def document(self, guide: str):
        return self.project.document(guide)

    @property
    def sources(self):
        if self._sources is None:
            self._sources = sources(self.project)
        return self._sources

    def published_languages(self) -> list[str]:
        return published_languages(self.project)

    def switcher_languages(self, lang: str) -> list[str]:
        """Languages readers are offered: pseudo-locales are for testing and are never advertised."""
        pseudo = set(self.project.config.pseudo_languages)
        return [l for l in self.published_languages() if l not in pseudo or l == lang]

    def _digest(self, path: Path) -> str:
        """sha256 of a file's bytes, read once per build (a guide serves every language, ui.po every
        guide); a file that is not one of the project (a link out) keys as refused: reading it for the
        build says why."""
        if path not in self._digests:
            self._digests[path] = file_digest(path, self.project.root)
        return self._digests[path]

    def _forget_files(self) -> None:
        """Files are hashed and templates listed again from now on."""
        self._digests.clear()
        self._templates = None
        self._keys.clear()

    def edition_key(self, guide: str, lang: str) -> str:
        """Project.edition_inputs, hashed; the language list too (the switcher shows it)."""
        if (guide, lang) not in self._keys:
            if self._templates is None:
                self._templates = self.project.template_files()
            inputs = self.project.edition_inputs(guide, lang, self._templates)
            self._keys[guide, lang] = self.project.content_key(inputs, guide, lang, json.dumps(self.published_languages()),
                                                               digest=self._digest)
        return self._keys[guide, lang]

    def cache_path(self, key: str) -> Path:
        return self.project.cache_dir / "editions" / key

    def unbuilt(self, langs: list[str], guides: list[str], most: int) -> int:
        """How many of these editions have no cache entry yet, counted up to `most` (an entry that turns
        out not sealed is rebuilt all the same: this only sizes the work)."""
        count = 0
        for lang in langs:
            for guide in guides:
                if not (self.cache_path(self.edition_key(guide, lang)) / "result.json").is_file():
                    count += 1
                    if count >= most:
                        return count
        return count

    def build_languages(self, langs: list[str], guides: list[str]) -> dict[str, LanguageResult]:
        """build_language for each language, as one build: a file is hashed at its first use and once for
        all of them (a guide, the templates), like the guide is parsed once for all of them."""
        return {lang: self._build_language(lang, guides) for lang in langs}

    def build_language(self, lang: str, guides: list[str]) -> LanguageResult:
        """One language's editions as a build of its own: files are hashed afresh, and forgotten after, so
        that a long-lived Builder's next edition_key sees a catalog edited since (a Celery worker compares
        it with the client's key before building)."""
        self._forget_files()
        try:
            return self._build_language(lang, guides)
        finally:
            self._forget_files()

    def _build_language(self, lang: str, guides: list[str]) -> LanguageResult:
        result = LanguageResult(lang)
        keys = {g: self.edition_key(g, lang) for g in guides}
        stored = {g: self._stored(k) for g, k in keys.items()}
        missing = [g for g, data in stored.items() if data is None]
        unreadable = self._unreadable(lang, missing, keys)
        missing = [g for g in missing if g not in unreadable]
        by_path: dict[str, list[Problem]] = {}
        catalogs = {}
        if missing and lang != self.project.config.source_language:
            # only the catalogs of editions to build: an incremental build checks what changed
            checked = check_language(self.project, lang, self.sources, missing + [UI_DOMAIN], self._ui_checked)
            catalogs = checked.catalogs
            result.problems.extend(checked.problems)
            for p in checked.problems:
                by_path.setdefault(p.path, []).append(p)
        ui_cat = catalogs.get(UI_DOMAIN)
        for guide, key in keys.items():
            if guide in unreadable:
                result.editions.append(unreadable[guide])
                continue
            if guide not in missing:
                result.editions.append(self._cached(guide, lang, key, stored[guide]))
                continue
            paths = self._catalog_paths(lang, guide)
            own = [p for path in paths for p in by_path.get(path, [])]
            guide_cat = catalogs.get(guide)
            translations = Translations.from_entries(_approved(guide_cat, by_path.get(paths[0], [])),
                                                     _approved(ui_cat, by_path.get(paths[1], [])))
            edition = build_edition(self.document(guide), lang, translations, self.project.registry,
                                    self.project.templates_dir, self.switcher_languages(lang),
                                    self.project.config.source_language)
            gate = self._gates(lang, guide, guide_cat, own)
            # catalog problems travel with the edition, so a cached refusal still says why
            er = EditionResult(guide, lang, key, edition.ok and not gate, edition.summary,
                               own + edition.problems + gate)
            try:
                self._store(er, edition.files)
            except (OSError, WorkflowError) as exc:   # disk full, read-only cache, .cache linked out
                er.ok = False
                er.problems = er.problems + [Problem(
                    self.project.rel(self.cache_path(key)), 1, ERROR,
                    f"[{lang}] edition built but not stored ({getattr(exc, 'strerror', None) or exc}); "
                    "nothing of it is published",
                    "build.store")]
            result.editions.append(er)
        return result

    def _unreadable(self, lang: str, guides: list[str], keys: dict[str, str]) -> dict[str, EditionResult]:
        """Guides whose source does not parse: refused editions (not cached), so one broken guide does not
        stop the other guides of the run."""
        out = {}
        for guide in guides:
            try:
                self.document(guide)
            except WorkflowError as exc:
                problems = exc.as_problems(self.project.rel(self.project.source_path(guide)), "source")
                out[guide] = EditionResult(guide, lang, keys[guide], False, {}, problems)
        return out

    def _catalog_paths(self, lang: str, guide: str) -> tuple[str, str]:
        return (self.project.rel(self.project.po_path(lang, guide)),
                self.project.rel(self.project.po_path(lang, UI_DOMAIN)))

    def _gates(self, lang, guide, guide_cat, own: list[Problem]) -> list[Problem]:
        """Gate failures for one edition: catalog errors, coverage below the configured minimum."""
        if lang == self.project.config.source_language:
            return []
        out = []
        rel = self.project.catalog_cite(lang, guide)   # a new guide has no .po yet: name its .pot
        ui_rel = self._catalog_paths(lang, guide)[1]
        errors: dict[str, list[Problem]] = {}
        for p in own:
            if p.severity == ERROR:
                errors.setdefault(p.path, []).append(p)
        # blamed on the catalog that has the errors, at its first error's line; ui.po's errors refuse every
        # edition alike, so that message names no guide and is reported once per language
        for path, found in errors.items():
            whom = f"every {lang} edition refused" if path == ui_rel else "edition refused"
            out.append(Problem(path, found[0].line, ERROR, f"[{lang}] {len(found)} catalog error(s); {whom}",
                               "gate.check"))
        minimum = float(self.project.config.gate(lang, "min_coverage"))
        coverage = stat(lang, guide, guide_cat, self.sources[guide]).coverage
        if coverage < minimum:
            out.append(Problem(rel, 1, ERROR, f"[{lang}] coverage {coverage:.0%} is below the gate of {minimum:.0%}",
                               "gate.coverage"))
        return out

    def _stored(self, key: str) -> dict | None:
        """The sealed result.json of a cached edition (with the sha256 of each of its files), or None
        when there is none or this installation did not write it: then the edition is rebuilt."""
        return self.project.read_cached(self.cache_path(key) / "result.json", _result)

    def _store(self, er: EditionResult, files: dict[str, bytes]) -> None:
        final = self.cache_path(er.key)
        if self._stored(er.key) is not None:
            return
        self.project.check_inside(final.parent)   # never write an edition through a .cache linked away
        _remove(final)   # a corrupt or planted entry under this key: replaced, never reused
        contents = {f"files/{name}": data for name, data in files.items()}
        result = {**er.as_dict(), "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}}
        contents["result.json"] = sealed.seal(json.dumps(result, ensure_ascii=False, sort_keys=True).encode())
        try:
            write_folder(final, contents, f".tmp-{er.key}-", durable=False)  # a cache, safe to delete
        except OSError:
            if not final.exists():
                raise
            # another worker stored the same key first: same content, keep theirs

    def _cached(self, guide: str, lang: str, key: str, data: dict) -> EditionResult:
        problems = [Problem(**p) for p in data["problems"]]
        return EditionResult(guide, lang, key, data["ok"], data["summary"], problems, cached=True)

    def edition_files(self, key: str) -> dict[str, Path]:
        folder = self.cache_path(key) / "files"
        if not folder.is_dir():
            raise WorkflowError(f"edition {key} is not in the cache; build it first")
        return {p.name: p for p in sorted(folder.iterdir())}

    def edition_bytes(self, key: str) -> dict[str, bytes]:
        """An edition's files, each checked against the sha256 its sealed result.json holds: a file
        changed or added in the cache after the build is never published."""
        stored = self._stored(key)
        if stored is None:
            raise WorkflowError(f".cache/editions/{key}: edition missing or not sealed by this installation; "
                                "build again")
        folder = self.cache_path(key) / "files"
        files = {name: self.project.read_bytes(folder / name) for name in sorted(stored["files"])}
        for name, data in files.items():
            if hashlib.sha256(data).hexdigest() != stored["files"][name]:
                _remove(self.cache_path(key))   # so the next run builds it again
                raise WorkflowError(f".cache/editions/{key}/files/{name}: changed since it was built; not "
                                    "published (the entry was dropped: the next run builds it again)")
        return files

    def ui_translations(self, lang: str, problems: list[Problem]) -> dict:
        """Approved ui.po entries of a language (minus those an error was reported on)."""
        if lang == self.project.config.source_language:
            return {}
        path = self.project.po_path(lang, UI_DOMAIN)
        try:
            data = catalog_bytes(self.project, path)
        except WorkflowError:   # not a file of the project (a link out): no entries, as when missing
            data = None
        # parsed once per content, not once per stand-in (a refused language stands in for every guide)
        memo = (lang, hashlib.sha256(data).hexdigest() if data is not None else None)
        if memo not in self._ui_read:
            self._ui_read[memo] = read_catalog(self.project, lang, UI_DOMAIN, data)[0] if data is not None else None
        ui_path = self.project.rel(path)
        return _approved(self._ui_read[memo], [p for p in problems if p.path == ui_path])

    def source_stand_in(self, lang: str, guide: str, problems: list[Problem]):
        """The guide in the source language inside `lang`'s page: every passage marked lang="en" with the
        fallback notice, labels and the disclaimer from approved ui.po entries; verified like any edition."""
        translations = Translations.from_entries({}, self.ui_translations(lang, problems))
        return build_edition(self.document(guide), lang, translations, self.project.registry,
                             self.project.templates_dir, self.switcher_languages(lang),
                             self.project.config.source_language)

    def index_page(self, lang: str, summaries: list[dict], problems: list[Problem]) -> bytes:
        ui = self.ui_translations(lang, problems)
        return build_index(summaries, lang, Translations.from_entries({}, ui),
                           self.project.registry, self.project.templates_dir, self.switcher_languages(lang),
                           self.project.config.source_language)
