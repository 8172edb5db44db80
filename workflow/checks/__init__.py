"""Catalog QA: small registered checks, each with an id, a severity and a one-line title.

The registry is an explicit ordered list; any check can be disabled by id in workflow.yaml
(`checks: {disable: [glossary]}`). Checks are pure: they see one entry and its source facts.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from ..catalog import Entry, TranslatedCatalog
from ..facts import Registry, placeholder_names
from ..model import ERROR, INFO, WARNING, Problem, Segment


@dataclass
class EntryView:
    """What a check sees: the translator's entry and what the source says about it."""
    entry: Entry
    source: Segment
    lang: str
    registry: Registry
    glossary: list[dict] = field(default_factory=list)
    protected_policy: str = "fallback"


@dataclass(frozen=True)
class Check:
    id: str
    severity: str
    title: str
    func: Callable[[EntryView], Iterable[str]]
    on_untranslated: bool = False   # legal text must be looked at even when empty or fuzzy


REGISTRY: list[Check] = []


def check(id: str, severity: str, title: str, on_untranslated: bool = False):
    def register(func):
        REGISTRY.append(Check(id, severity, title, func, on_untranslated))
        return func
    return register


def source_for_ui(msgid: str, registry: Registry) -> Segment:
    """UI strings have no Markdown source: derive placeholders and legal status from the text."""
    disclaimer = registry.disclaimer_for(msgid)
    names = placeholder_names(msgid)
    return Segment(msgid=msgid, line=0, kind="ui", placeholders={n: None for n in names},
                   legal=disclaimer.id if disclaimer else None)


def run(catalog: TranslatedCatalog, sources: dict[str, Segment], lang: str, registry: Registry,
        glossary: list[dict] | None = None, disabled: frozenset[str] = frozenset(),
        protected_policy: str = "fallback") -> list[Problem]:
    """Every problem of one catalog against its source segments, in file order."""
    from . import markup, policy, text  # noqa: F401  (registers the checks in order)

    problems: list[Problem] = []
    active = [c for c in REGISTRY if c.id not in disabled]
    seen = set()
    fuzzy = obsolete = 0
    for entry in catalog.entries:
        if entry.obsolete:
            obsolete += 1
            continue
        seen.add(entry.msgid)
        source = sources.get(entry.msgid)
        if source is None:
            problems.append(Problem(catalog.path, entry.line, WARNING,
                                    "entry is not in the current source; run `workflow update`", "stale",
                                    entry.msgid[:60]))
            continue
        fuzzy += entry.fuzzy
        view = EntryView(entry, source, lang, registry, glossary or [], protected_policy)
        for c in active:
            if not (entry.translated or c.on_untranslated):
                continue
            for found in c.func(view):
                severity, message = found if isinstance(found, tuple) else (c.severity, found)
                problems.append(Problem(catalog.path, entry.line, severity, message, c.id, entry.msgid[:60]))
    missing = [m for m in sources if m not in seen]
    if missing:
        problems.append(Problem(catalog.path, 1, WARNING,
                                f"{len(missing)} source entries are missing from the catalog; run `workflow update`",
                                "stale"))
    if fuzzy or obsolete:
        problems.append(Problem(catalog.path, 1, INFO,
                                f"{fuzzy} fuzzy entries (not published until reviewed), {obsolete} obsolete entries",
                                "fuzzy"))
    return problems


def descriptions() -> list[Check]:
    from . import markup, policy, text  # noqa: F401
    return list(REGISTRY)
