"""Translation memory: approved translations of one language, offered to new or changed entries.

Pure: units in, suggestions out; merge.py builds the memory from the project's catalogs (or a TMX file)
and applies it during `update`. A unit is a source text and its approved translation, with where it
came from. Matching rules (README, "What a translator does"):

- exact: the same source text (any guide, ui.po or a TMX file) fills the entry as translated;
  the same text with its placeholders named differently ({price} / {price2}) too, renamed;
- close: the most similar source (rapidfuzz's normalized Indel similarity, `memory.min_similarity` in
  workflow.yaml, default 80 out of 100) with exactly the same placeholders fills an empty entry
  as fuzzy, never as translated;
- a unit fills only an entry of the same legal status: legal text (a disclaimer) only from the same
  disclaimer, ordinary text never from legal text;
- a unit whose translation does not carry exactly its source's placeholders is not memory at all.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable

from babel.messages.catalog import Catalog
from rapidfuzz import fuzz, process

from ..editions.facts import placeholder_names
from .parser import refused_character

DEFAULT_MIN_SIMILARITY = 80.0
COMMENT_PREFIX = "memory:"   # translator comments written here start with it (replaced, never piled up)
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Unit:
    source: str
    target: str
    origin: str          # "locales/es/LC_MESSAGES/ui.po:82", "ja.tmx:17"
    legal: str | None    # the disclaimer id when the source is one, else None
    checked: bool = False   # passed the checks against this very source text in this language


@dataclass(frozen=True)
class Suggestion:
    target: str
    origin: str
    score: float         # 100 for exact matches
    exact: bool
    checked: bool = False   # the same text already passed the checks: no need to run them again

    def comment(self, approved: bool = True) -> str:
        how = "exact match" if self.exact else f"{self.score:.0f}% similar source"
        if not approved:
            how += " that fails a check (see `workflow check` once approved)"
        origin = "".join(ch if ch.isprintable() else "?" for ch in self.origin)   # one comment line, whatever the name
        return f"{COMMENT_PREFIX} {how}, from {origin}"


def _signature(text: str) -> tuple:
    """The placeholders a text carries, with their counts, in a comparable form."""
    return tuple(sorted(Counter(placeholder_names(text)).items()))


def _shape(text: str) -> str:
    return _PLACEHOLDER.sub("{}", text)


def _intact(unit: Unit) -> bool:
    """Both texts present, the same placeholders, and nothing the PO reader would refuse the whole
    catalog for (a bidi override in an imported segment would make the catalog unreadable)."""
    return bool(unit.source.strip()) and bool(unit.target.strip()) and \
        _signature(unit.source) == _signature(unit.target) and \
        refused_character(unit.source) is None and refused_character(unit.target) is None


class Memory:
    """Units of one language; the first unit of a source text wins (callers add the project's own
    catalogs in a fixed order before any imported file)."""

    def __init__(self, units: Iterable[Unit] = (), min_similarity: float = DEFAULT_MIN_SIMILARITY):
        self.min_similarity = float(min_similarity)
        self.exact: dict[str, Unit] = {}
        self._shapes: dict[tuple[str, str | None], Unit] = {}
        self._groups: dict[tuple, tuple[list[Unit], list[str]]] = {}   # units and their sources, for rapidfuzz
        self.rejected = 0          # units left out: placeholders not kept, or a character the reader refuses
        for unit in units:
            self.add(unit)

    def __len__(self) -> int:
        return len(self.exact)

    def add(self, unit: Unit) -> None:
        if not _intact(unit):
            self.rejected += 1
            return
        if unit.source in self.exact:
            return
        self.exact[unit.source] = unit
        self._shapes.setdefault((_shape(unit.source), unit.legal), unit)
        units, sources = self._groups.setdefault((_signature(unit.source), unit.legal), ([], []))
        units.append(unit)
        sources.append(unit.source)

    def units(self) -> list[Unit]:
        return list(self.exact.values())

    def suggest(self, msgid: str, legal: str | None) -> Suggestion | None:
        unit = self.exact.get(msgid)
        if unit is not None and unit.legal == legal:
            return Suggestion(unit.target, unit.origin, 100.0, True, unit.checked)
        renamed = self._renamed(msgid, legal)
        if renamed is not None:
            return renamed
        units, sources = self._groups.get((_signature(msgid), legal), ([], []))
        found = process.extractOne(msgid, sources, scorer=fuzz.ratio, score_cutoff=self.min_similarity) \
            if sources else None
        if found is None:
            return None
        _, score, index = found
        return Suggestion(units[index].target, units[index].origin, score, False)

    def _renamed(self, msgid: str, legal: str | None) -> Suggestion | None:
        """The same text with placeholders named differently: the translation with them renamed."""
        names = _PLACEHOLDER.findall(msgid)
        unit = self._shapes.get((_shape(msgid), legal)) if names else None
        if unit is None:
            return None
        old = _PLACEHOLDER.findall(unit.source)
        mapping = dict(zip(old, names))
        # one name for one name, both ways: otherwise the renaming would be a guess
        if len(mapping) != len(set(old)) or len(set(mapping.values())) != len(mapping) or \
                any(mapping.get(a, b) != b for a, b in zip(old, names)):
            return None
        target = _PLACEHOLDER.sub(lambda m: "{" + mapping.get(m.group(1), m.group(1)) + "}", unit.target)
        return Suggestion(target, unit.origin, 100.0, True)


_ORIGIN_END = re.compile(r":\d+$")


def _without_memory_comment(comments: list[str]) -> list[str]:
    """The comments without an earlier memory comment, which the PO writer may have wrapped over
    several lines: it starts with "memory:" and ends at the origin's ":line"."""
    out, inside = [], False
    for comment in comments:
        if comment.startswith(COMMENT_PREFIX):
            inside = True
        if not inside:
            out.append(comment)
        elif _ORIGIN_END.search(comment):
            inside = False
    return out


def prefill(catalog: Catalog, memory: Memory, legal_of: Callable[[str], str | None],
            passes: Callable[[str, str], bool] | None = None) -> int:
    """Fill the catalog's untranslated entries, and entries the merge just made fuzzy, from the memory;
    returns how many were filled. A translated entry is never touched; a close match only fills an
    empty entry and is always fuzzy; an exact match that fails `passes(msgid, msgstr)` (the catalog
    checks, for this entry's source) is offered as fuzzy, never approved."""
    filled = 0
    for message in catalog:
        if not message.id or message.pluralizable or message.context:
            continue
        changed = message.fuzzy and bool(message.previous_id)
        if message.string and not changed:
            continue
        found = memory.suggest(message.id, legal_of(message.id))
        if found is None or (not found.exact and message.string):
            continue
        approved = found.exact and (found.checked or passes is None or passes(message.id, found.target))
        if found.exact and not approved and message.string:
            continue   # the merge's own fuzzy suggestion stays rather than a failing one
        message.string = found.target
        if approved:
            message.flags.discard("fuzzy")
            message.previous_id = []
        else:
            message.flags.add("fuzzy")
        message.user_comments = _without_memory_comment(message.user_comments) + \
            [found.comment(approved or not found.exact)]
        filled += 1
    return filled
