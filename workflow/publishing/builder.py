"""The build driver: which editions to build, gates per language, content-hash cache.

An edition's key hashes every input (source, catalogs, facts, templates, config, code), so an
unchanged edition is read back from the cache instead of rebuilt, and a task that runs twice
writes the same bytes to the same place.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..catalogs.review import catalog_bytes, check_language, read_catalog
from ..catalogs.sources import sources
from ..checks.stats import stat
from ..editions.edition import Translations, build_edition
from ..model import ERROR, Problem, WorkflowError
from ..names import UI_DOMAIN
from ..packs import slot_of
from ..project import Project
from ..safefs import Folders
from .entries import entry_files, entry_result, pack_parts
from .indexpage import SourceFronts, index_page
from .plan import published_languages

# Built editions held before their inputs are asked again and they are stored: a whole language of
# 300 guides held ~35 MB per process (~110 kB an edition); 32 hold ~4 MB for one more look at the shared
# inputs (~0.6 ms) per batch
SETTLE_EVERY = 32


def _approved(catalog, problems: list[Problem]) -> dict:
    """Entries of a catalog minus those an error was reported on (they fall back to the source)."""
    if catalog is None:
        return {}
    rejected = {p.line for p in problems if p.severity == ERROR}
    live = catalog.lookup()
    # most catalogs have no error: a copy made in C, not a Python loop over the entries per edition
    return {m: e for m, e in live.items() if e.line not in rejected} if rejected else dict(live)


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


class Builder:
    """Builds editions for a project, reusing parsed sources across languages."""

    def __init__(self, project: Project):
        self.project = project
        self._sources = None
        self._digests: dict[Path, str] = {}
        self._entries = project.packs("editions")   # sealed entries, many to a pack file (packs.py)
        self._prefix = None   # the hash of the inputs every edition shares (templates listed), for this build
        self._common, self._switcher = [], ""   # those inputs as listed for _prefix; the language list every key holds
        self._keys: dict[tuple[str, str], str] = {}   # (guide, lang) -> edition key, for this build
        self._cache_ready = False   # .cache/editions checked (not a link out) and made, for this build
        self._ui_checked: dict = {}   # (lang, ui.po content hash) -> (catalog, problems)
        self._ui_read: dict = {}      # (lang, ui.po content hash) -> catalog, for stand-ins and index pages
        self._distrusted: set[str] = set()   # keys whose entry's files failed their sha256: built again
        self._check_memo: dict = {}   # the checks' findings per entry (runner.run), for every chunk of guides
        self.fronts = SourceFronts(self)   # each guide's source title and excerpt, for index pages

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
            self._digests[path] = self.project.file_digest(path)
        return self._digests[path]

    def forget_guides(self, guides: list[str]) -> None:
        """Drop these guides' parsed forms and source index (a chunk of guides is done)."""
        self.project.forget_documents(guides)
        self.sources.forget(guides)

    def forget_files(self) -> None:
        """Files are hashed, templates listed and folders resolved again from now on."""
        self._digests.clear()
        self.project.folders.clear()
        self._prefix = None
        self._keys.clear()
        self._cache_ready = False

    def edition_key(self, guide: str, lang: str) -> str:
        """Project.edition_inputs, hashed; the language list too (the switcher shows it). The inputs every
        edition shares are hashed once per build (Project.key_prefix)."""
        if (guide, lang) not in self._keys:
            if self._prefix is None:
                self._common = self.project.edition_common_inputs()
                self._prefix = self.project.key_prefix(self._common, digest=self._digest)
                self._switcher = json.dumps(self.published_languages())   # (the same for every key)
            self._keys[guide, lang] = self.project.content_key(
                self.project.edition_own_inputs(guide, lang), guide, lang, self._switcher,
                digest=self._digest, prefix=self._prefix)
        return self._keys[guide, lang]

    def unbuilt(self, langs: list[str], guides: list[str], most: int) -> int:
        """How many of these editions have no cache entry yet, counted up to `most` (an entry that turns
        out not sealed is rebuilt all the same: this only sizes the work)."""
        count = 0
        self._entries.refresh()
        for key in (self.edition_key(guide, lang) for lang in langs for guide in guides):
            if not self._entries.has(key):
                count += 1
                if count >= most:
                    return count
        return count

    def build_languages(self, langs: list[str], guides: list[str]) -> dict[str, LanguageResult]:
        """build_language for each language, as one build: a file is hashed (a guide is parsed) once for all."""
        try:
            return {lang: self._build_language(lang, guides) for lang in langs}
        finally:
            self.project.digests.save()

    def build_language(self, lang: str, guides: list[str]) -> LanguageResult:
        """One language's editions as a build of its own: files are hashed afresh, and forgotten after, so
        that a long-lived Builder's next edition_key sees a catalog edited since (a Celery worker compares
        it with the client's key before building)."""
        self.forget_files()
        try:
            return self._build_language(lang, guides)
        finally:
            self.forget_files()
            self.project.digests.save()

    def _build_language(self, lang: str, guides: list[str]) -> LanguageResult:
        result = LanguageResult(lang)
        keys = {g: self.edition_key(g, lang) for g in guides}
        self._entries.refresh()   # (once for the batch: what other processes stored meanwhile)
        stored = {g: self._stored(k) for g, k in keys.items()}
        missing = [g for g, data in stored.items() if data is None]
        unreadable = self._unreadable(lang, missing, keys)
        missing = [g for g in missing if g not in unreadable]
        by_path: dict[str, list[Problem]] = {}
        catalogs = {}
        if missing and lang != self.project.config.source_language:
            # only the catalogs of editions to build: an incremental build checks what changed
            checked = check_language(self.project, lang, self.sources, missing + [UI_DOMAIN], self._ui_checked,
                                     memo=self._check_memo)
            catalogs = checked.catalogs
            result.problems.extend(checked.problems)
            for p in checked.problems:
                by_path.setdefault(p.path, []).append(p)
        ui_cat = catalogs.get(UI_DOMAIN)
        built = []   # (result, files) of the editions built since the last _settle
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
            built.append((er, edition.files))
            result.editions.append(er)
            if len(built) == SETTLE_EVERY:
                self._settle(lang, built)
                built = []
        self._settle(lang, built)
        return result

    def _settle(self, lang: str, built: list) -> None:
        """Store built editions whose inputs are still the bytes their keys hashed: the shared ones asked once
        per batch (_changed_shared, after the batch is built), each edition's own ones after it."""
        # folders resolved afresh once for the batch, after all its editions were built (one lstat a file then)
        fresh = Folders(self.project.root)
        shared = self._changed_shared(fresh) if built else None
        ready = []
        for er, files in built:
            changed = shared or self._changed_since_keyed(er.guide, lang, fresh)
            if changed:
                er.ok = False
                er.problems = er.problems + [Problem(
                    changed, 1, ERROR, f"[{lang}] {er.guide}: this file changed while its edition was built; "
                    "not stored, nothing of it is published; build again", "build.changed")]
            else:
                ready.append((er, files))
        try:
            self._store(ready)
        except (OSError, WorkflowError) as exc:   # disk full, read-only cache, .cache linked out
            for er, _ in ready:
                er.ok = False
                er.problems = er.problems + [Problem(
                    self.project.rel(self._entries.folder), 1, ERROR,
                    f"[{lang}] edition built but not stored ({getattr(exc, 'strerror', None) or exc}); "
                    "nothing of it is published",
                    "build.store")]

    def _changed_shared(self, fresh: Folders) -> str | None:
        """The first input every edition shares (workflow.yaml, facts, glossary, templates) that is not the
        bytes the keys hashed: changed or moved since (resolved afresh), a template added or removed (listed
        afresh), or read by this Project, which keeps what it read, as other bytes before the key was made."""
        listed = self.project.edition_common_inputs()
        if listed != self._common:
            return self.project.rel(self.project.templates_dir)
        return next((self.project.rel(path) for path in listed if self._unlike_keyed(path, fresh)), None)

    def _changed_since_keyed(self, guide: str, lang: str, fresh: Folders) -> str | None:
        """The first of an edition's own inputs (its guide, catalog, ui.po) whose bytes are no longer those
        its key hashed, resolved afresh (edited while the edition was built, or its folder repointed): the
        build may have read either, so its files are not stored under that key, where reverting the edit
        would find them. One lstat each when unchanged (the digest memo)."""
        return next((self.project.rel(path) for path in self.project.edition_own_inputs(guide, lang)
                     if self._unlike_keyed(path, fresh)), None)

    def _unlike_keyed(self, path: Path, fresh: Folders) -> bool:
        """Whether the file is not the bytes the keys hashed: now (resolved afresh), or as this Project read it
        (the shared inputs, a guide as parsed: read through folders resolved once, r14 red team)."""
        keyed = self._digests.get(path)
        return self.project.digests.digest(path, fresh=fresh) != keyed \
            or self.project.read_digests.get(path, keyed) != keyed

    def _unreadable(self, lang: str, guides: list[str], keys: dict[str, str]) -> dict[str, EditionResult]:
        """Guides whose source does not parse (SourceIndex.readable, which also remembers them for the other
        languages): refused editions (not cached), so one broken guide does not stop the other guides."""
        readable = set(self.sources.readable(guides))
        return {guide: EditionResult(guide, lang, keys[guide], False, {}, list(self.sources.broken[guide]))
                for guide in guides if guide not in readable}

    def _catalog_paths(self, lang: str, guide: str) -> tuple[str, str]:
        return (self.project.rel(self.project.po_path(lang, guide)),
                self.project.rel(self.project.po_path(lang, UI_DOMAIN)))

    def _gates(self, lang, guide, guide_cat, own: list[Problem]) -> list[Problem]:
        """Gate failures for one edition: catalog errors, coverage below the configured minimum."""
        if lang == self.project.config.source_language:
            return []
        out = []
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
        if coverage < minimum:   # (the file named only then: a stat an edition otherwise)
            rel = self.project.catalog_cite(lang, guide)   # a new guide has no .po yet: name its .pot
            out.append(Problem(rel, 1, ERROR, f"[{lang}] coverage {coverage:.0%} is below the gate of {minimum:.0%}",
                               "gate.coverage"))
        return out

    def _entry(self, key: str) -> tuple[dict, dict[str, bytes]] | None:
        """(result, files) of a cached edition, or None when there is none or this installation did not
        seal it (planted, altered, unsealed, a link, a folder of the old layout) or sealed it for another key
        (a genuine entry copied under this name): then it is rebuilt."""
        entry = self._entries.get_head(key, entry_files, whole=True)
        if entry is None:   # (stored by another process since this one read the index: a worker's)
            self._entries.refresh()
            entry = self._entries.get_head(key, entry_files, whole=True)
        return entry if entry is not None and entry[0].get("key") == key else None

    def _stored(self, key: str) -> dict | None:
        """The result of a cached edition (None as for _entry), from its sealed head alone: its files are
        checked when they are read (edition_bytes)."""
        data = None if key in self._distrusted else self._entries.get_head(key, entry_result)
        return data if data is not None and data.get("key") == key else None

    def _store(self, ready: list[tuple[EditionResult, dict[str, bytes]]]) -> None:
        """Seal the editions (entries.pack) into one pack file (packs.py: one file a batch, not one an edition).
        Not fsynced: a cache entry is checked on every read and a power cut can at worst lose it (then it
        is rebuilt). An entry already stored under a key (another worker's, a planted one) is superseded."""
        if not ready:
            return
        if not self._cache_ready:
            self.project.check_inside(self._entries.folder)   # never write an edition through a .cache linked away
            self._entries.folder.mkdir(parents=True, exist_ok=True)
            self._cache_ready = True
        self._entries.write([(er.key, slot_of("edition", er.guide, er.lang), pack_parts(er.as_dict(), files))
                             for er, files in ready])
        self._distrusted.difference_update(er.key for er, _ in ready)

    def _cached(self, guide: str, lang: str, key: str, data: dict) -> EditionResult:
        problems = [Problem(**p) for p in data["problems"]]
        return EditionResult(guide, lang, key, data["ok"], data["summary"], problems, cached=True)

    def edition_bytes(self, key: str) -> dict[str, bytes]:
        """An edition's files from its sealed entry, each checked against the sha256 its sealed head names:
        a file changed in the cache after the build makes the entry a miss, never a publish."""
        entry = self._entry(key)
        if entry is None:
            raise WorkflowError(f".cache/editions/{key}: edition missing or not sealed by this installation; "
                                "build again")
        return entry[1]

    def files_to_publish(self, edition: EditionResult) -> dict[str, bytes]:
        """A built edition's files for a release. The build read only its entry's head: when the files
        after it are not those the head names (altered in the cache), the edition is built again, so an
        altered file costs a rebuild, never a publish or a failed one."""
        try:
            return self.edition_bytes(edition.key)
        except WorkflowError:
            self._distrusted.add(edition.key)
        again = self.build_language(edition.lang, [edition.guide]).editions[0]
        if again.key != edition.key or not again.ok:   # an input changed meanwhile: this build is stale
            raise WorkflowError(f"{edition.lang}/{edition.guide}: its inputs changed during the build; build again")
        return self.edition_bytes(edition.key)

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
        return index_page(self, lang, summaries, problems)
