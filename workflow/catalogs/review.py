"""Reviewing a language's catalogs for `check`, `stats` and builds: read each one, run the registered
checks, keep their results."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from ..checks import registry, runner
from ..checks.todo import TodoList, todo
from ..config import CONFIG_NAME
from ..model import ERROR, WARNING, Problem, TranslatedCatalog, WorkflowError
from ..names import UI_DOMAIN
from ..parallel import chunked, imap_unordered, resolve_jobs
from .. import safefs
from ..packs import slot_of
from ..project import Project
from . import reader
from .sources import SourceIndex, domains, problems_from_json, problems_json, sources


@dataclass
class LanguageCatalogs:
    lang: str
    catalogs: dict[str, TranslatedCatalog | None]   # None: unreadable, see problems
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not any(p.severity == ERROR for p in self.problems)


# What a memo of the checks kept by a Builder across chunks of guides may hold (runner.memo_size: ~0.5 kB
# each; the bench corpus reaches 24,000 in 150 guides, 12.6 MB)
MEMO_MOST = 20_000
_NO_TERMS: tuple = ()   # no glossary: the same key for every chunk a Builder checks (a new [] was a new key)


def read_catalog(project: Project, lang: str, domain: str, data: bytes | None = None
                 ) -> tuple[TranslatedCatalog | None, list[Problem]]:
    path = project.po_path(lang, domain)
    rel = project.rel(path)
    try:
        data = catalog_bytes(project, path) if data is None else data
        if data is None:
            return None, [Problem(project.catalog_cite(lang, domain), 1, "warning", f"[{lang}] no catalog {rel} "
                                  f"yet; run `workflow update --lang {lang}`", "stale")]
        return reader.read(data, rel), []
    except WorkflowError as exc:
        return None, exc.as_problems(rel, "po.syntax")


def catalog_bytes(project: Project, path, opened: dict | None = None) -> bytes | None:
    """A catalog's bytes, None when there is none; WorkflowError (naming it, quoting nothing) when it is
    not a regular file of the project: a link to a secret or out of the project is never read.
    `opened`: path -> (the bytes, the file's stat as it was opened), for CheckCache.key."""
    if not project.has_file(path):
        return None
    try:
        data, info = safefs.read_bytes_stat(project.root, path)
    except FileNotFoundError:  # a link inside the project to nothing
        return None
    if opened is not None:
        opened[path] = (data, info)
    return data


class CheckCache:
    """Check results in .cache/checks, keyed by everything a catalog's checks depend on: its bytes and
    path, the language, the guide (or the templates, for ui.po), the facts registry, the glossary,
    workflow.yaml (disabled checks, policies) and the code. Translators run `check` again and again and
    the coordinator then builds: a catalog nobody touched is not read and checked again."""

    def __init__(self, project: Project):
        self.project = project
        self.entries = project.packs("checks")   # sealed entries, many to a pack file (packs.py)
        self.entries.refresh()   # (once per language: what another `check` or build stored meanwhile)
        self._pending: list[tuple[str, str, bytes]] = []   # put() since the last flush()
        self._digests: dict = {}   # file -> sha256, for this instance's lifetime (one command)
        self.opened: dict = {}     # catalog -> (bytes, stat as opened) of its last read (catalog_bytes)

    def _digest(self, path) -> str:
        if path not in self._digests:
            self._digests[path] = self.project.file_digest(path)
        return self._digests[path]

    def key(self, lang: str, domain: str, data: bytes) -> str:
        """Project.check_inputs and the catalog (its path and the bytes read), hashed."""
        path = self.project.po_path(lang, domain)
        return self.project.content_key(self.project.check_inputs(domain), lang, self.project.rel(path),
                                        self._bytes_digest(path, data), digest=self._digest)

    def _bytes_digest(self, path, data: bytes) -> str:
        """sha256 of `data`: the digest memo's when these bytes are the read that catalog_bytes noted and the
        memo shows the file unchanged since it hashed it (the build's edition key just did: ~1 MB a catalog
        hashed once, not twice); else hashed here."""
        bytes_read, opened = self.opened.pop(path, (None, None))
        known = self.project.digests.known_digest(path, opened) if bytes_read is data else None
        return known or hashlib.sha256(data).hexdigest()

    def get(self, key: str) -> list[Problem] | None:
        # sealed over its key: a planted "no problems" entry for a broken catalog is a miss, not a pass
        return self.entries.get(key, problems_from_json)

    def put(self, key: str, lang: str, domain: str, problems: list[Problem]) -> None:
        """Held until flush(): a language's check results go to one pack file, not one file each."""
        self._pending.append((key, slot_of("check", lang, domain), self.entries.seal(key, problems_json(problems))))

    def flush(self) -> None:
        """Store what put() held; failures are ignored (a read-only project still checks, only slower)."""
        pending, self._pending = self._pending, []
        try:
            if pending:
                self.project.check_inside(self.entries.folder)
                self.entries.folder.mkdir(parents=True, exist_ok=True)
                self.entries.write(pending)
        except (OSError, WorkflowError):
            pass


def check_language(project: Project, lang: str, source_index=None, domain_list=None,
                   ui_memo: dict | None = None, need_catalogs: bool = True,
                   memo: dict | None = None) -> LanguageCatalogs:
    """Read and check a language's catalogs; results come from the CheckCache when nothing they depend on
    changed (then, with need_catalogs=False, the catalog is not even read: `check` only prints problems).
    `ui_memo`, kept by a long-lived caller (a worker's Builder), holds the shared ui.po result by content
    hash: every edition task needs it. `memo`: the checks' findings per entry (runner.run), kept by such a
    caller for the next chunk of guides (one per language otherwise); keyed by the run's settings."""
    registry.validate_disabled(project.config)
    source_index = sources(project) if source_index is None else source_index   # (an empty index is falsy)
    glossary = (project.glossary or {}).get("terms") or _NO_TERMS   # one object: the memo keys it by identity
    policy = project.config.gate(lang, "protected")
    cache = CheckCache(project)
    memo = {} if memo is None else memo   # the checks' findings per entry, for every catalog of this language
    if runner.memo_size(memo) > MEMO_MOST:   # a caller's long-lived memo starts again (~10 MB)
        memo.clear()

    def check(domain: str, data: bytes | None):
        key = cache.key(lang, domain, data) if data is not None else None
        known = cache.get(key) if key else None
        if known is not None:
            return (read_catalog(project, lang, domain, data)[0] if need_catalogs else None), known
        cat, problems = read_catalog(project, lang, domain, data)
        if cat is not None:
            problems = problems + runner.run(cat, source_index[domain], lang, project.registry, glossary,
                                             project.config.disabled_checks, policy, memo)
        if key:
            cache.put(key, lang, domain, problems)
        # a caller that only prints problems gets no catalog, as from the cache: each is freed here, while its
        # entries are still in the CPU's caches, not all of a language's at once after (~2 % of a `check`)
        return (cat if need_catalogs else None), problems

    result = LanguageCatalogs(lang, {}, [])
    for domain in domains(project) if domain_list is None else domain_list:
        path = project.po_path(lang, domain)
        try:
            data = catalog_bytes(project, path, cache.opened)
        except WorkflowError as exc:     # not a file of the project: this catalog is refused
            result.catalogs[domain] = None
            result.problems.extend(exc.problems)
            continue
        if domain == UI_DOMAIN and ui_memo is not None:
            key = (lang, hashlib.sha256(data).hexdigest() if data is not None else None)
            if key not in ui_memo:
                ui_memo[key] = check(domain, data)
            cat, problems = ui_memo[key]
        else:
            cat, problems = check(domain, data)
        result.catalogs[domain] = cat
        result.problems.extend(problems)
    cache.flush()
    return result


class _Checker:
    """What one process keeps between the chunks of guides it checks in one `check`: the project (its settings,
    registry and glossary, read once), one source index and the checks' findings per entry of each language
    (runner.run's memo, bounded by MEMO_MOST), as a Builder keeps them between its chunks: a sentence met
    again in a later chunk's guides is not checked again, and a chunk costs no set-up of its own. A chunk's
    parsed guides are dropped when it is done."""

    def __init__(self, project: Project):
        self.project, self.index, self.memo = project, sources(project), {}

    def chunk(self, langs: list[str], domain_list: list[str], with_todo: bool) -> tuple:
        project, index = self.project, self.index
        readable = index.readable(domain_list)
        found, items = {}, {}
        try:
            for lang in langs:
                checked = check_language(project, lang, index, readable, need_catalogs=with_todo, memo=self.memo)
                found[lang] = checked.problems
                if with_todo:
                    items[lang] = [p for d in readable
                                   for p in _todo(project, lang, d, checked.catalogs[d], index).items]
            # this chunk's broken guides, in the order readable() found them (SourceIndex.problems, per chunk)
            broken = [p for d in domain_list for p in index.broken.get(d, ())]
            return broken, index.prices(readable, langs), found, items
        finally:
            index.forget(domain_list)
            project.forget_documents(domain_list)


# In this process: the _Checker of the `check` it serves, (root, run id) -> _Checker (one at a time)
_CHECKERS: dict[tuple[str, str], _Checker] = {}


def _check_chunk(root: str, langs: list[str], number: int, domain_list: list[str], with_todo: bool, run: str):
    """(number, the problems of its guides that do not parse, of their prices some of `langs` cannot show,
    {lang: problems}, {lang: to-do items} when `with_todo`) for some catalogs of every language, so the parent
    reports them in order whatever finished first. One source index serves the checks and the to-do lists.
    `run`: an id drawn per `check`, so a process never reuses another run's project, files or findings."""
    if (root, run) not in _CHECKERS:
        _CHECKERS.clear()
        _CHECKERS[root, run] = _Checker(Project(root))
    return (number, *_CHECKERS[root, run].chunk(langs, domain_list, with_todo))


def check_all(project: Project, langs: list[str], jobs: int | None = None, with_todo: bool = False
              ) -> tuple[list[Problem], list[Problem]]:
    """Every problem of the languages' catalogs: first the source's (guides that do not parse, whose catalogs
    are not checked, then prices some of `langs` cannot show exactly), then language then catalog order;
    and, `with_todo`, the to-do items of those catalogs in the same order (else none). Catalogs are checked
    by chunks of guides (each guide parsed once for all languages), in `jobs` processes (None: auto)."""
    domain_list = domains(project)
    absent = {lang: found for lang in langs for found in [_no_catalogs(project, lang)] if found}
    jobs = resolve_jobs(jobs, len(domain_list), len(langs) * len(domain_list))
    parts = chunked(domain_list, jobs)
    root, run = str(project.root), secrets.token_hex(8)
    try:
        results = {n: found for n, *found in imap_unordered(
            _check_chunk, [(root, langs, n, part, with_todo, run) for n, part in enumerate(parts)], jobs)}
    finally:
        _CHECKERS.pop((root, run), None)   # (in this process when jobs == 1: its findings are not kept after)
    order = range(len(parts))
    source = [p for part in (0, 1) for n in order for p in results[n][part]]   # the same order whatever `jobs`
    problems = source + [p for lang in langs for p in ([absent[lang]] if lang in absent else
                                                       [p for n in order for p in results[n][2][lang]])]
    return problems, [p for lang in langs for n in order for p in results[n][3].get(lang, [])]


def _no_catalogs(project: Project, lang: str) -> Problem | None:
    """One warning for a language that has no catalog folder at all (listed in workflow.yaml, or a locale folder
    without LC_MESSAGES): its catalogs would each say they are missing, one line per guide."""
    folder = project.po_path(lang, UI_DOMAIN).parent
    if project.has_file(folder):
        return None
    where = project.rel(folder.parent) if project.has_file(folder.parent) else CONFIG_NAME
    return Problem(where, 1, WARNING, f"[{lang}] no catalogs yet: {project.rel(folder)} is missing; run "
                   f"`workflow update --lang {lang}`", "stale")


def _todo(project: Project, lang: str, domain: str, catalog: TranslatedCatalog | None, index: SourceIndex) -> TodoList:
    return todo(lang, domain, project.rel(project.po_path(lang, domain)), catalog, index[domain])


def todo_lists(project: Project, langs: list[str], domain_list: list[str] | None = None,
               index: SourceIndex | None = None) -> list[TodoList]:
    """The to-do list of each catalog of `langs` (every catalog, or `domain_list`), in language then
    catalog order; a guide that does not parse has none (its problems are in `index.broken`)."""
    index = sources(project) if index is None else index   # (an index is a dict: empty until used)
    readable = index.readable(domain_list or domains(project))
    return [_todo(project, lang, domain, read_catalog(project, lang, domain)[0], index)
            for lang in langs for domain in readable]
