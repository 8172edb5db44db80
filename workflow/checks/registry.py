"""The check registry: each check has an id, a severity and a one-line title, and sees one entry.

The registry is an explicit ordered list (the check modules register in import order, see runner.py);
any check can be disabled by id in workflow.yaml (`checks: {disable: [glossary]}`). Checks are pure:
they see one entry and its source facts. Also what checks share: EntryView, per-source caching.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Iterable, TypeVar

from ..config import CONFIG_NAME, Config, problem as config_problem, suggestion
from ..editions.facts import Registry
from ..editions.visible import MAY_HAVE_NUMBER
from ..model import Entry, Segment, WorkflowError

T = TypeVar("T")


class RunContext:
    """What is the same for every entry of one `run`: the language and the project's registries."""

    def __init__(self, lang: str, registry: Registry, glossary: list[dict], protected_policy: str):
        self.lang, self.registry, self.glossary, self.protected_policy = lang, registry, glossary, protected_policy
        self.memo: dict = {}   # what checks derive from the above once per run: fact numbers, glossary terms


class EntryView:
    """What a check sees: the translator's entry and what the source says about it."""
    __slots__ = ("entry", "source", "run", "own_source", "_digits", "_has_digits", "_may_have_number")

    def __init__(self, entry: Entry, source: Segment, run: RunContext):
        self.entry, self.source, self.run, self._digits, self._may_have_number = entry, source, run, None, None
        # the index maps each msgid to its own segment; if a caller's does not, nothing is cached on it
        self.own_source = source.msgid == entry.msgid

    lang = property(lambda self: self.run.lang)
    registry = property(lambda self: self.run.registry)
    glossary = property(lambda self: self.run.glossary)
    protected_policy = property(lambda self: self.run.protected_policy)

    @property
    def may_have_number(self) -> bool:
        """Whether the msgstr has a character a number can be written with (editions.visible's
        MAY_HAVE_NUMBER: any digit, any numeral, &): one search, read by several checks."""
        if self._may_have_number is None:
            self._may_have_number = MAY_HAVE_NUMBER.search(self.entry.msgstr) is not None
        return self._may_have_number

    @property
    def digits(self) -> str:
        """The msgstr with any script's digits as ASCII: computed once, several checks read it."""
        if self._digits is None:
            msgstr = self.entry.msgstr
            # MAY_HAVE_NUMBER's class holds \d: text without its characters has no digit (most text)
            self._has_digits = self.may_have_number and _ANY_DIGIT.search(msgstr) is not None
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


def per_source(func: Callable[[str], T]) -> Callable[[EntryView], T]:
    """`func(msgid)` computed once per source segment and kept on it (model.DERIVED), then reused by
    every language's catalog (one source index serves all languages of a process). Guides sharing a
    sentence do not share it; a caller's index that maps a msgid to another msgid's segment is not
    cached at all. Nothing to clear: it goes with the segment."""
    name = f"{func.__module__}.{func.__qualname__}"

    def cached(view: EntryView) -> T:
        if not view.own_source:
            return func(view.entry.msgid)
        derived = view.source.derived
        if name not in derived:
            derived[name] = func(view.entry.msgid)
        return derived[name]

    return cached


@dataclass(frozen=True)
class Check:
    id: str
    severity: str
    title: str
    func: Callable[[EntryView], Iterable[str]]
    on_untranslated: bool = False   # legal text must be looked at even when empty or fuzzy
    silent_on_plain: bool = False   # reports nothing when msgid and msgstr are plain text (see plain_pair)


REGISTRY: list[Check] = []


def validate_disabled(config: Config) -> None:
    """`checks.disable` names registered checks only: a typo would silently leave a check running."""
    known = {c.id for c in REGISTRY}
    problems = [config_problem(config.lines, ("checks", "disable", i), f"unknown check id {name!r} in checks.disable"
                               + suggestion(name, known))
                for i, name in enumerate(config.disabled_checks) if name not in known]
    if problems:
        raise WorkflowError(f"{CONFIG_NAME}: invalid configuration", problems)


def check(id: str, severity: str, title: str, on_untranslated: bool = False, silent_on_plain: bool = False):
    def register(func):
        REGISTRY.append(Check(id, severity, title, func, on_untranslated, silent_on_plain))
        return func
    return register


# Every character a check flagged silent_on_plain looks for in a msgid or msgstr, in one class: any digit
# or numeral and & (MAY_HAVE_NUMBER), braces, percent signs, < = : (HTML, handlers, script URLs,
# addresses), currency signs, Markdown syntax (editions.render's _SYNTAX). Half the entries of a catalog
# have none: one search then stands for the ~10 tests those checks would each make (~12 us an entry).
_LOOKED_FOR = re.compile(MAY_HAVE_NUMBER.pattern[:-1] + re.escape("{}%\u066a\uff05<=:$\u20ac\u00a3\u00a5*_[]!`\\") + "]")


def plain(text: str) -> bool:
    """Text with nothing a silent_on_plain check looks for: none of _LOOKED_FOR's characters, no
    currency code USD, no www. in any case."""
    return not _LOOKED_FOR.search(text) and "USD" not in text and "www." not in text.lower()


@per_source
def _plain_source(msgid: str) -> bool:
    return plain(msgid)


def plain_pair(view: EntryView) -> bool:
    """Whether the entry's source segment (no placeholders, plain msgid) and msgstr are plain text: then
    every silent_on_plain check reports nothing, and the runner skips them."""
    return not view.source.placeholders and _plain_source(view) and plain(view.entry.msgstr)
