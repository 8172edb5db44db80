"""Glue for `check` and `stats`: read each language's catalogs and run the registered checks."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from . import catalog, checks
from .catalog import TranslatedCatalog
from .catalog_ops import UI_DOMAIN, domains, ui_messages
from .model import ERROR, Problem, Segment, WorkflowError
from .parallel import chunked, imap_unordered, resolve_jobs
from .project import Project


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

    def __missing__(self, domain: str) -> dict[str, Segment]:
        if domain == UI_DOMAIN:
            index = {m[0]: checks.source_for_ui(m[0], self.project.registry) for m in ui_messages(self.project)}
        else:
            index = {}
            for seg in self.project.document(domain).segments:
                index.setdefault(seg.msgid, seg)
        self[domain] = index
        return index


def sources(project: Project, eager: bool = False) -> SourceIndex:
    """The source index; eager parses every guide now, so a broken guide is reported up front."""
    index = SourceIndex(project)
    if eager:
        for domain in domains(project):
            index[domain]
    return index


def read_catalog(project: Project, lang: str, domain: str, data: bytes | None = None
                 ) -> tuple[TranslatedCatalog | None, list[Problem]]:
    path = project.po_path(lang, domain)
    rel = project.rel(path)
    if data is None and not path.exists():
        return None, [Problem(rel, 1, "warning", "catalog does not exist; run `workflow update --lang "
                              f"{lang}`", "stale")]
    try:
        return catalog.read(path.read_bytes() if data is None else data, rel), []
    except WorkflowError as exc:
        return None, exc.problems or [Problem(rel, 1, ERROR, str(exc), "po.syntax")]


def check_language(project: Project, lang: str, source_index=None, domain_list=None,
                   ui_memo: dict | None = None) -> LanguageCatalogs:
    """Read and check a language's catalogs. `ui_memo`, kept by a long-lived caller (a worker's
    Builder), holds the shared ui.po result by content hash: every edition task needs it."""
    source_index = source_index or sources(project)
    glossary = (project.glossary or {}).get("terms", [])
    policy = project.config.gate(lang, "protected")

    def check(domain: str, data: bytes | None):
        cat, problems = read_catalog(project, lang, domain, data)
        if cat is not None:
            problems = problems + checks.run(cat, source_index[domain], lang, project.registry, glossary,
                                             project.config.disabled_checks, policy)
        return cat, problems

    result = LanguageCatalogs(lang, {}, [])
    for domain in domain_list or domains(project):
        path = project.po_path(lang, domain)
        data = path.read_bytes() if path.exists() else None
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
    """(number, {lang: problems}) for some catalogs of every language, or (number, the WorkflowError of a
    broken guide), so the parent reports the first broken guide in order whatever finished first."""
    project = Project(root)
    index = sources(project)
    try:
        for domain in domain_list:
            index[domain]
        return number, {lang: check_language(project, lang, index, domain_list).problems for lang in langs}
    except WorkflowError as exc:
        return number, exc
    finally:
        checks.clear_caches()


def check_all(project: Project, langs: list[str], jobs: int | None = None) -> list[Problem]:
    """Every problem of the languages' catalogs, in language then catalog order. Catalogs are checked by
    chunks of guides (each guide parsed once for all languages), in `jobs` processes (None: auto)."""
    domain_list = domains(project)
    jobs = resolve_jobs(jobs, len(domain_list), len(langs) * len(domain_list))
    parts = chunked(domain_list, jobs)
    results = dict(imap_unordered(_check_chunk, [(str(project.root), langs, n, part) for n, part in enumerate(parts)],
                                  jobs))
    for n in range(len(parts)):
        if isinstance(results[n], WorkflowError):
            raise results[n]
    return [p for lang in langs for n in range(len(parts)) for p in results[n][lang]]


@dataclass
class Stat:
    lang: str
    domain: str
    translated: int
    fuzzy: int
    untranslated: int
    obsolete: int

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def coverage(self) -> float:
        return self.translated / self.total if self.total else 1.0

    def as_dict(self) -> dict:
        return {"lang": self.lang, "catalog": self.domain, "translated": self.translated, "fuzzy": self.fuzzy,
                "untranslated": self.untranslated, "obsolete": self.obsolete, "total": self.total,
                "coverage": round(self.coverage, 4)}


def stat(lang: str, domain: str, cat: TranslatedCatalog | None, source: dict[str, Segment]) -> Stat:
    """Coverage counted against the current source, so a stale catalog cannot look complete."""
    if cat is None:
        return Stat(lang, domain, 0, 0, len(source), 0)
    live = cat.lookup()
    translated = sum(1 for m in source if m in live and live[m].translated)
    fuzzy = sum(1 for m in source if m in live and live[m].fuzzy and live[m].msgstr)
    obsolete = sum(1 for e in cat.entries if e.obsolete)
    return Stat(lang, domain, translated, fuzzy, len(source) - translated - fuzzy, obsolete)
