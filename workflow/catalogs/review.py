"""Reviewing a language's catalogs for `check`, `stats` and builds: read each one, run the registered
checks, keep their results."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from ..checks import registry, runner
from ..checks.todo import TodoList, todo
from ..model import ERROR, Problem, Segment, TranslatedCatalog, WorkflowError
from ..names import UI_DOMAIN
from ..parallel import chunked, imap_unordered, resolve_jobs
from ..project import Project
from . import reader
from .commands import domains, ui_messages


@dataclass
class LanguageCatalogs:
    lang: str
    catalogs: dict[str, TranslatedCatalog | None]   # None: unreadable, see problems
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not any(p.severity == ERROR for p in self.problems)


class SourceIndex(dict):
    """msgid -> source segment per catalog domain, built on first use (first occurrence wins, as in
    the POT), so an incremental build parses only the guides it rebuilds."""

    def __init__(self, project: Project):
        super().__init__()
        self.project = project
        self.broken: dict[str, list[Problem]] = {}   # guide -> why its source does not parse (file:line)

    def __missing__(self, domain: str) -> dict[str, Segment]:
        if domain == UI_DOMAIN:
            index = {m[0]: runner.source_for_ui(m[0], self.project.registry) for m in ui_messages(self.project)}
        else:
            index = {}
            for seg in self.project.document(domain).segments:
                index.setdefault(seg.msgid, seg)
        self[domain] = index
        return index


    def forget(self, domain_list) -> None:
        """Drop these domains' index (a Builder is done with a chunk of guides)."""
        for domain in domain_list:
            self.pop(domain, None)

    def readable(self, domain_list: list[str]) -> list[str]:
        """The domains of `domain_list` whose source parses, indexed now. A guide that does not parse is left
        out and its problems kept in `broken`: every command reports them once and goes on with the other
        guides, that guide's catalogs untouched (a broken templates folder or facts.yaml still raises)."""
        out = []
        for domain in domain_list:
            if domain in self.broken:
                continue
            try:
                self[domain]
            except WorkflowError as exc:
                if domain == UI_DOMAIN:
                    raise
                self.broken[domain] = exc.as_problems(self.project.rel(self.project.source_path(domain)), "source")
                continue
            out.append(domain)
        return out

    @property
    def problems(self) -> list[Problem]:
        """The broken guides' problems, in the order they were found."""
        return [p for found in self.broken.values() for p in found]


# What a memo of the checks kept by a Builder across chunks of guides may hold (runner.memo_size: ~0.5 kB
# each; the bench corpus reaches 24,000 in 150 guides, 12.6 MB)
MEMO_MOST = 20_000


def sources(project: Project) -> SourceIndex:
    """The source index, parsing each guide on first use (SourceIndex.readable parses a list now)."""
    return SourceIndex(project)


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


def catalog_bytes(project: Project, path) -> bytes | None:
    """A catalog's bytes, None when there is none; WorkflowError (naming it, quoting nothing) when it is
    not a regular file of the project: a link to a secret or out of the project is never read."""
    if not project.has_file(path):
        return None
    try:
        return project.read_bytes(path)
    except FileNotFoundError:  # a link inside the project to nothing
        return None


class CheckCache:
    """Check results in .cache/checks, keyed by everything a catalog's checks depend on: its bytes and
    path, the language, the guide (or the templates, for ui.po), the facts registry, the glossary,
    workflow.yaml (disabled checks, policies) and the code. Translators run `check` again and again and
    the coordinator then builds: a catalog nobody touched is not read and checked again."""

    def __init__(self, project: Project):
        self.project = project
        self.folder = project.cache_dir / "checks"
        self._digests: dict = {}   # file -> sha256, for this instance's lifetime (one command)

    def _digest(self, path) -> str:
        if path not in self._digests:
            self._digests[path] = self.project.file_digest(path)
        return self._digests[path]

    def key(self, lang: str, domain: str, data: bytes) -> str:
        """Project.check_inputs and the catalog (its path and the bytes read), hashed."""
        rel = self.project.rel(self.project.po_path(lang, domain))
        return self.project.content_key(self.project.check_inputs(domain), lang, rel, hashlib.sha256(data).hexdigest(),
                                        digest=self._digest)

    def get(self, key: str) -> list[Problem] | None:
        # sealed: a planted "no problems" entry for a broken catalog is a miss, not a pass
        return self.project.read_cached(self.folder / f"{key}.json", _problems)

    def put(self, key: str, problems: list[Problem]) -> None:
        payload = json.dumps([p.as_dict() for p in problems], ensure_ascii=False).encode("utf-8")
        self.project.write_cached(self.folder / f"{key}.json", payload)


def _problems(payload: bytes) -> list[Problem]:
    try:
        return [Problem(**p) for p in json.loads(payload)]
    except TypeError:
        raise ValueError("not a list of problems") from None


def check_language(project: Project, lang: str, source_index=None, domain_list=None,
                   ui_memo: dict | None = None, need_catalogs: bool = True,
                   memo: dict | None = None) -> LanguageCatalogs:
    """Read and check a language's catalogs; results come from the CheckCache when nothing they depend on
    changed (then, with need_catalogs=False, the catalog is not even read: `check` only prints problems).
    `ui_memo`, kept by a long-lived caller (a worker's Builder), holds the shared ui.po result by content
    hash: every edition task needs it. `memo`: the checks' findings per entry (runner.run), kept by such a
    caller for the next chunk of guides (one per language otherwise); keyed by the run's settings."""
    registry.validate_disabled(project.config)
    source_index = source_index or sources(project)
    glossary = (project.glossary or {}).get("terms", [])
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
            cache.put(key, problems)
        return cat, problems

    result = LanguageCatalogs(lang, {}, [])
    for domain in domains(project) if domain_list is None else domain_list:
        path = project.po_path(lang, domain)
        try:
            data = catalog_bytes(project, path)
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
    return result


def _check_chunk(root: str, langs: list[str], number: int, domain_list: list[str]):
    """(number, the problems of its guides that do not parse, {lang: problems}) for some catalogs of every
    language, so the parent reports them in order whatever finished first."""
    project = Project(root)
    index = sources(project)
    readable = index.readable(domain_list)
    return number, index.problems, {lang: check_language(project, lang, index, readable, need_catalogs=False).problems
                                    for lang in langs}


def check_all(project: Project, langs: list[str], jobs: int | None = None) -> list[Problem]:
    """Every problem of the languages' catalogs: first the guides that do not parse (their catalogs are not
    checked), then language then catalog order. Catalogs are checked by chunks of guides (each guide
    parsed once for all languages), in `jobs` processes (None: auto)."""
    domain_list = domains(project)
    jobs = resolve_jobs(jobs, len(domain_list), len(langs) * len(domain_list))
    parts = chunked(domain_list, jobs)
    results = {n: found for n, *found in imap_unordered(
        _check_chunk, [(str(project.root), langs, n, part) for n, part in enumerate(parts)], jobs)}
    broken = [p for n in range(len(parts)) for p in results[n][0]]
    return broken + [p for lang in langs for n in range(len(parts)) for p in results[n][1][lang]]


def todo_lists(project: Project, langs: list[str], domain_list: list[str] | None = None,
               index: SourceIndex | None = None) -> list[TodoList]:
    """The to-do list of each catalog of `langs` (every catalog, or `domain_list`), in language then
    catalog order; a guide that does not parse has none (its problems are in `index.broken`)."""
    index = sources(project) if index is None else index   # (an index is a dict: empty until used)
    readable = index.readable(domain_list or domains(project))
    out = []
    for lang in langs:
        for domain in readable:
            catalog, _ = read_catalog(project, lang, domain)
            out.append(todo(lang, domain, project.rel(project.po_path(lang, domain)), catalog, index[domain]))
    return out
