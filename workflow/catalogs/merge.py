"""`update`: merge each catalog with the current source and prefill it from the translation memory.

The memory of a language is every approved translation of the project in that language (every guide's
catalog and ui.po): translated, not fuzzy, and clean of check errors, so a broken translation is never
copied. Reading and writing happen here; matching is memory.py's.
"""
from __future__ import annotations

from ..checks import runner
from ..model import ERROR, Entry, Problem, Segment, TranslatedCatalog
from ..project import Project, source_date_epoch
from . import writer
from .commands import existing_catalog, templates, write_catalog
from .memory import Memory, Unit, prefill
from .review import check_language
from .sources import SourceIndex, default_policy, domains, sources


def legal_of(project: Project):
    """msgid -> id of the disclaimer it is, or None: the same rule for catalogs and imported units."""
    def legal(text: str) -> str | None:
        found = project.registry.disclaimer_for(text)
        return found.id if found else None
    return legal


def project_units(project: Project, lang: str, index: SourceIndex | None = None) -> list[Unit]:
    """Approved translations of `lang`, guides in name order then ui.po, each entry once; none from a guide
    that does not parse (its problems are in `index.broken`)."""
    index = sources(project) if index is None else index   # (an index is a dict: empty until used)
    checked = check_language(project, lang, index, index.readable(domains(project)))
    errors = {(p.path, p.line) for p in checked.problems if p.severity == ERROR}
    legal = legal_of(project)
    units = []
    for domain in domains(project):
        catalog = checked.catalogs.get(domain)
        if catalog is None:
            continue
        for entry in catalog.entries:
            if entry.translated and entry.msgctxt is None and entry.msgid and (catalog.path, entry.line) not in errors:
                # the origin is named in the language's own folder, where the translator is
                units.append(Unit(entry.msgid, entry.msgstr, f"{domain}.po:{entry.line}", legal(entry.msgid),
                                  checked=True))
    return units


def checker(project: Project, lang: str, source: dict[str, Segment]):
    """(msgid, msgstr) -> True when the translation passes every enabled catalog check against its source
    in this language: a memory unit approved elsewhere (or imported) is approved here only if so."""
    glossary = (project.glossary or {}).get("terms", [])
    policy = project.config.gate(lang, "protected")

    def passes(msgid: str, msgstr: str) -> bool:
        segment = source.get(msgid)
        if segment is None:
            return False
        entry = Entry(msgid, msgstr, None, False, False, 1, ())
        problems = runner.run(TranslatedCatalog("memory", lang, [entry]), {msgid: segment}, lang,
                              project.registry, glossary, project.config.disabled_checks, policy)
        return not any(p.severity == ERROR for p in problems)
    return passes


def min_similarity(project: Project) -> float:
    return float(project.config.memory_min_similarity)


def update(project: Project, langs: list[str], extra: dict[str, list[Unit]] | None = None
           ) -> tuple[list[str], list[Problem]]:
    """Merge every catalog of `langs` with the source and prefill it from the memory (the project's
    approved translations, then `extra` units per language, e.g. from a TMX file); returns the catalogs
    whose bytes changed and the problems of the guides that do not parse (their POT and catalogs are left
    as they are)."""
    epoch = source_date_epoch()
    default = default_policy(project)
    index = sources(project)
    guides = index.readable(project.guides)
    by_policy = {default: templates(project, epoch, default, guides)}
    changed = []
    for domain, template in by_policy[default].items():
        write_catalog(project.pot_path(domain), writer.dump(template), project)
    legal = legal_of(project)
    for lang in langs:
        policy = str(project.config.gate(lang, "protected"))
        if policy not in by_policy:   # a language's own policy is what its comments describe
            by_policy[policy] = templates(project, epoch, policy, guides)
        memory = Memory(project_units(project, lang, index) + (extra or {}).get(lang, []), min_similarity(project))
        for domain, template in by_policy[policy].items():
            passes = checker(project, lang, index[domain])
            fill = lambda catalog: prefill(catalog, memory, legal, passes)  # noqa: E731
            path = project.po_path(lang, domain)
            old = existing_catalog(project, path)   # a link out of the project: refused, never read
            if old is not None:
                data = writer.update(old, project.rel(path), template, fill)
            else:
                data = writer.init(template, lang, epoch, fill)
            if write_catalog(path, data, project):
                changed.append(project.rel(path))
    return changed, index.problems
