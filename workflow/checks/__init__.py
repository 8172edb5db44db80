"""Catalog QA: small registered checks, each with an id, a severity and a one-line title.

The registry is an explicit ordered list; any check can be disabled by id in workflow.yaml
(`checks: {disable: [glossary]}`). Checks are pure: they see one entry and its source facts.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Iterable, TypeVar

from ..editions.facts import Registry, placeholder_names
from ..model import INFO, WARNING, Entry, Problem, Segment, TranslatedCatalog

T = TypeVar("T")


class RunContext:
    """What is the same for every entry of one `run`: the language and the project's registries."""

    def __init__(self, lang: str, registry: Registry, glossary: list[dict], protected_policy: str):
        self.lang, self.registry, self.glossary, self.protected_policy = lang, registry, glossary, protected_policy
        self.memo: dict = {}   # what checks derive from the above once per run: fact numbers, glossary terms


class EntryView:
    """What a check sees: the translator's entry and what the source says about it."""
    __slots__ = ("entry", "source", "run", "own_source", "_digits", "_has_digits")

    def __init__(self, entry: Entry, source: Segment, run: RunContext):
        self.entry, self.source, self.run, self._digits = entry, source, run, None
        # the index maps each msgid to its own segment; if a caller's does not, nothing is cached on it
        self.own_source = source.msgid == entry.msgid

    lang = property(lambda self: self.run.lang)
    registry = property(lambda self: self.run.registry)
    glossary = property(lambda self: self.run.glossary)
    protected_policy = property(lambda self: self.run.protected_policy)

    @property
    def digits(self) -> str:
        """The msgstr with any script's digits as ASCII: computed once, several checks read it."""
        if self._digits is None:
            msgstr = self.entry.msgstr
            self._has_digits = _ANY_DIGIT.search(msgstr) is not None
            self._digits = ascii_digits(msgstr) if self._has_digits else msgstr
        return self._digits

    @property
    def has_digits(self) -> bool:
        """Whether the msgstr has a digit of any script (most have none: number checks stop there)."""
        if self._digits is None:
            self.digits  # sets both
        return self._has_digits


_ANY_DIGIT = re.compile(r"\d")
_NON_ASCII_DIGIT = re.compile(r"(?![0-9])\d")


def ascii_digits(text: str) -> str:
    """Any script's decimal digits (Arabic-Indic, full-width...) as ASCII digits."""
    if text.isascii() or not _ANY_DIGIT.search(text):  # most text has no digit: a cheap scan decides
        return text
    return _NON_ASCII_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group(), m.group())), text)


_PER_SOURCE: list[Callable] = []


def per_source(func: Callable[[str], T]) -> Callable[[EntryView], T]:
    """`func(msgid)` computed once per source segment, then reused by every language's catalog (one
    source index serves all languages of a process). Keyed by the segment object, not its text: guides
    sharing a sentence are not shared. The cache holds the segment, so its id cannot be reused."""
    cache: dict[int, tuple[Segment, T]] = {}

    def cached(view: EntryView) -> T:
        segment = view.source
        hit = cache.get(id(segment))
        if hit is not None and hit[0] is segment and view.own_source:
            return hit[1]
        value = func(view.entry.msgid)
        if view.own_source:
            if len(cache) >= 65536:  # a long-lived worker sees many source versions: stay bounded
                cache.clear()
            cache[id(segment)] = (segment, value)
        return value

    cached.cache_clear = cache.clear
    _PER_SOURCE.append(cached)
    return cached


def clear_caches() -> None:
    for cached in _PER_SOURCE:
        cached.cache_clear()


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
    untranslated = [c for c in active if c.on_untranslated]  # legal text is looked at even when empty or fuzzy
    context = RunContext(lang, registry, glossary or [], protected_policy)
    path = catalog.path
    seen = set()
    fuzzy = obsolete = 0
    for entry in catalog.entries:
        if entry.obsolete:
            obsolete += 1
            continue
        msgid = entry.msgid
        seen.add(msgid)
        source = sources.get(msgid)
        if source is None:
            problems.append(Problem(path, entry.line, WARNING,
                                    "entry is not in the current source; run `workflow update`", "stale",
                                    msgid[:60]))
            continue
        fuzzy += entry.fuzzy
        todo = active if entry.translated else untranslated
        if not todo:
            continue
        view = EntryView(entry, source, context)
        for c in todo:
            for found in c.func(view):
                severity, message = found if isinstance(found, tuple) else (c.severity, found)
                problems.append(Problem(path, entry.line, severity, message, c.id, msgid[:60]))
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
