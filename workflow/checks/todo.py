"""The translator's to-do list: each untranslated or fuzzy entry at its own msgstr line."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..model import INFO, Problem, Segment, TranslatedCatalog, one_line

SHORT = 50


def short(text: str) -> str:
    return one_line(text, SHORT)


@dataclass
class TodoList:
    lang: str
    domain: str
    path: str
    items: list[Problem] = field(default_factory=list)

    @property
    def fuzzy(self) -> int:
        return sum(p.message.startswith("fuzzy:") for p in self.items)

    @property
    def untranslated(self) -> int:
        return len(self.items) - self.fuzzy

    def as_dict(self) -> dict:
        return {"lang": self.lang, "catalog": self.domain, "path": self.path, "fuzzy": self.fuzzy,
                "untranslated": self.untranslated, "entries": [p.as_dict() for p in self.items]}


def todo(lang: str, domain: str, path: str, catalog: TranslatedCatalog | None,
         source: dict[str, Segment]) -> TodoList:
    """Entries of the current source still to do, in file order; a missing or unreadable catalog lists
    every source entry at line 1 (`workflow update` creates it; `check` names what is unreadable), a stale
    one (or an empty file) those of its entries it has not yet, as stats counts them."""
    result = TodoList(lang, domain, path)
    live = {} if catalog is None else catalog.lookup()
    result.items = [Problem(path, 1, INFO, f"untranslated: {short(m)}", "todo", m[:60]) for m in source
                    if m not in live]
    if catalog is None:
        return result
    for entry in catalog.entries:
        if entry.obsolete or entry.msgctxt is not None or entry.msgid not in source or entry.translated:
            continue
        state = "fuzzy" if entry.fuzzy and entry.msgstr else "untranslated"
        result.items.append(Problem(path, entry.line, INFO, f"{state}: {short(entry.msgid)}", "todo",
                                    entry.msgid[:60]))
    return result


def text_report(lists: list[TodoList], langs: list[str]) -> tuple[list[str], list[str]]:
    """(the to-do lines under a heading per catalog with something to do, one total per language)."""
    lines = []
    for t in lists:
        if t.items:
            lines.append(f"# {t.lang} {t.domain}: {t.fuzzy} fuzzy, {t.untranslated} untranslated")
            lines += [str(p) for p in t.items]
    totals = []
    for lang in langs:
        mine = [t for t in lists if t.lang == lang]
        totals.append(f"{lang}: {sum(t.fuzzy for t in mine)} fuzzy, {sum(t.untranslated for t in mine)} untranslated "
                      f"in {sum(bool(t.items) for t in mine)} of {len(mine)} catalog(s)")
    return lines, totals
