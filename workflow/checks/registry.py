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
from ..editions.render import has_syntax
from ..editions.services import segment_events, services_for
from ..editions.screen import FILLERS
from ..editions.visible import _CJK, MAY_HAVE_NUMBER, hides_numeral, may_have_number
from ..model import Entry, Segment, WorkflowError

T = TypeVar("T")


class RunContext:
    """What is the same for every entry of one `run`: the language and the project's registries."""

    def __init__(self, lang: str, registry: Registry, glossary: list[dict], protected_policy: str,
                 memo: dict | None = None):
        self.lang, self.registry, self.glossary, self.protected_policy = lang, registry, glossary, protected_policy
        # what checks derive from the above alone (fact numbers, glossary terms, placeholder values read):
        # a caller may pass one kept for the same settings (runner._findings: a language's catalogs)
        self.memo: dict = {} if memo is None else memo


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
        """Whether the msgstr may show a reader a number (editions.visible.may_have_number: any digit,
        numeral or & as written or in a compatibility form): computed once, read by several checks."""
        if self._may_have_number is None:
            self._may_have_number = may_have_number(self.entry.msgstr)
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
        found = derived.get(name, _MISSING)   # one look-up where most calls find it
        if found is _MISSING:
            found = derived[name] = func(view.entry.msgid)
        return found

    return cached


_MISSING = object()   # per_source: nothing kept yet (None may be a kept value)


# What checks look for, as bits of an entry (entry_bits): the runner calls a check only when the entry
# has one of the bits it declares (`needs`), since its own first test finds nothing without them
# (tests/test_checks_equivalence.py holds this check by check). Half the entries of a catalog have no bit
# at all, and most others one or two: the checks' ~9 generator calls and first tests (~12 us an entry) are
# made only where they may find something.
NUMBER = 1 << 0          # msgstr: a digit or CJK numeral or &, as written or in a compatibility form (may_have_number)
BRACE = 1 << 1           # msgstr: { or }
PERCENT = 1 << 2         # msgstr: % \u066a \uff05
MONEY = 1 << 3           # msgstr: $ € £ ¥ or USD
SYNTAX = 1 << 4          # msgstr: Markdown or HTML syntax (editions.render.has_syntax: * _ [ ] ! ` \\ < &)
COLON = 1 << 5           # msgstr: a colon (script URLs, addresses)
WWW = 1 << 6             # msgstr: www. in any case
EQUALS = 1 << 7          # msgstr: = (event handlers)
PLACEHOLDERS = 1 << 8    # source: the segment has placeholders
SOURCE_DIGIT = 1 << 9    # source: a digit in the msgid
SOURCE_SYNTAX = 1 << 10  # source: Markdown or HTML syntax in the msgid
LEGAL = 1 << 11          # source: legal text
ALWAYS = 1 << 12         # every entry has it: a check that declares it is called on every entry
UNDRAWN = 1 << 13        # msgstr: no letter or digit a screen draws, as written (DRAWN finds none)
UI = 1 << 14             # source: a template or registry string (ui.po)
SERVICE = 1 << 15        # source: an emergency number or a service's name shown (editions.services events)

# a letter or digit a screen draws (not _, not a Hangul filler): most texts have one at their first character
DRAWN = re.compile(rf"[^\W_{FILLERS}]")


@dataclass(frozen=True)
class Check:
    id: str
    severity: str
    title: str
    func: Callable[[EntryView], Iterable[str]]
    on_untranslated: bool = False   # legal text must be looked at even when empty or fuzzy
    needs: int = ALWAYS             # the entry bits without which it reports nothing (see entry_bits)


REGISTRY: list[Check] = []


def validate_disabled(config: Config) -> None:
    """`checks.disable` names registered checks only: a typo would silently leave a check running."""
    known = {c.id for c in REGISTRY}
    problems = [config_problem(config.lines, ("checks", "disable", i), f"unknown check id {name!r} in checks.disable"
                               + suggestion(name, known))
                for i, name in enumerate(config.disabled_checks) if name not in known]
    if problems:
        raise WorkflowError(f"{CONFIG_NAME}: invalid configuration", problems)


def check(id: str, severity: str, title: str, on_untranslated: bool = False, needs: int = ALWAYS):
    def register(func):
        REGISTRY.append(Check(id, severity, title, func, on_untranslated, needs))
        return func
    return register


# Every character a check looks for in a msgid or msgstr, in one class: any digit or CJK numeral and &
# (MAY_HAVE_NUMBER; text_bits adds numbers shown by compatibility forms), braces, percent signs, < = :
# (HTML, handlers, script URLs, addresses), currency signs, Markdown syntax (editions.render's _SYNTAX).
_LOOKED_FOR = re.compile(MAY_HAVE_NUMBER.pattern[:-1] + re.escape("{}%\u066a\uff05<=:$\u20ac\u00a3\u00a5*_[]!`\\") + "]")
# the bits of each of _LOOKED_FOR's characters but the digits of other scripts, which are NUMBER
_BITS_OF = {ch: bit for chars, bit in (("{}", BRACE), ("%\u066a\uff05", PERCENT), ("$\u20ac\u00a3\u00a5", MONEY),
                                       ("*_[]!`\\<", SYNTAX), (":", COLON), ("=", EQUALS),
                                       ("0123456789" + _CJK, NUMBER), ("&", NUMBER | SYNTAX)) for ch in chars}


def text_bits(text: str) -> int:
    """The msgstr bits of text: each of _LOOKED_FOR's characters found, USD, www. in any case (when it
    matters), a number shown by a compatibility form (㏠, ②): NUMBER is exactly may_have_number(text), and
    UNDRAWN."""
    found = _LOOKED_FOR.findall(text)
    bits = 0
    if found:
        get = _BITS_OF.get
        for ch in set(found):
            bits |= get(ch, NUMBER)
    if "USD" in text:
        bits |= MONEY
    # www. matters to markup only, which COLON and SYNTAX call anyway; only w and W lower to w
    if not bits & (COLON | SYNTAX) and ("w." in text or "W." in text) and "www." in text.lower():
        bits |= WWW
    if not bits & NUMBER and hides_numeral(text):
        bits |= NUMBER
    if DRAWN.search(text) is None:
        bits |= UNDRAWN
    return bits


@per_source
def _msgid_bits(msgid: str) -> int:
    return (SOURCE_DIGIT if _ANY_DIGIT.search(msgid) else 0) | (SOURCE_SYNTAX if has_syntax(msgid) else 0)


@per_source
def _source_events(msgid: str) -> dict:
    """The source text's events per the registry's names (Services.key), filled in as first met by
    source_events: a dict look-up per entry, where segment_events hashes the placeholder values."""
    return {}


def source_events(view: EntryView) -> list:
    """The emergency numbers and service names the source segment shows a reader, in order: read once per
    segment and registry, whatever the language (every language's Services reads names alike), and shared
    with the verification of the segment's guide (editions.services.segment_events)."""
    memo = view.run.memo
    names = memo.get("services")   # asked for every entry: the run's one, not the registry's dict of them
    if names is None:
        names = memo["services"] = services_for(view.registry, view.lang)
    kept = _source_events(view)
    found = kept.get(names.key)
    if found is None:
        found = kept[names.key] = segment_events(view.entry.msgid, view.source.placeholders, names)
    return found


def entry_bits(view: EntryView) -> int:
    """What the entry has that checks look for: its msgstr's bits and its source's."""
    source = view.source
    own = text_bits(view.entry.msgstr)
    view._may_have_number = bool(own & NUMBER)   # exactly may_have_number(msgstr): no second search
    return own | _msgid_bits(view) | (PLACEHOLDERS if source.placeholders else 0) | (LEGAL if source.legal else 0) \
        | (UI if source.kind == "ui" else 0) | (SERVICE if source_events(view) else 0) | ALWAYS
