"""Glue for `check` and `stats`: read each language's catalogs and run the registered checks."""
from __future__ import annotations

from dataclasses import dataclass

from . import catalog, checks
from .catalog import TranslatedCatalog
from .catalog_ops import UI_DOMAIN, domains, ui_messages
from .model import ERROR, Problem, Segment, WorkflowError
from .project import Project


@dataclass
class LanguageCatalogs:
    lang: str
    catalogs: dict[str, TranslatedCatalog | None]   # None: unreadable, see problems
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not any(p.severity == ERROR for p in self.problems)


def sources(project: Project) -> dict[str, dict[str, Segment]]:
    """msgid -> source segment, per catalog domain (first occurrence wins, as in the POT)."""
    out: dict[str, dict[str, Segment]] = {}
    for guide in project.guides:
        index: dict[str, Segment] = {}
        for seg in project.document(guide).segments:
            index.setdefault(seg.msgid, seg)
        out[guide] = index
    out[UI_DOMAIN] = {m[0]: checks.source_for_ui(m[0], project.registry) for m in ui_messages(project)}
    return out


def read_catalog(project: Project, lang: str, domain: str) -> tuple[TranslatedCatalog | None, list[Problem]]:
    path = project.po_path(lang, domain)
    rel = project.rel(path)
    if not path.exists():
        return None, [Problem(rel, 1, "warning", "catalog does not exist; run `workflow update --lang "
                              f"{lang}`", "stale")]
    try:
        return catalog.read(path.read_bytes(), rel), []
    except WorkflowError as exc:
        return None, exc.problems or [Problem(rel, 1, ERROR, str(exc), "po.syntax")]


def check_language(project: Project, lang: str, source_index=None, domain_list=None) -> LanguageCatalogs:
    source_index = source_index or sources(project)
    glossary = (project.glossary or {}).get("terms", [])
    policy = project.config.gate(lang, "protected")
    result = LanguageCatalogs(lang, {}, [])
    for domain in domain_list or domains(project):
        cat, problems = read_catalog(project, lang, domain)
        result.catalogs[domain] = cat
        result.problems.extend(problems)
        if cat is not None:
            result.problems.extend(checks.run(cat, source_index[domain], lang, project.registry, glossary,
                                              project.config.disabled_checks, policy))
    return result


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
