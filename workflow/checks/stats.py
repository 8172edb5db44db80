"""Translation coverage of a catalog, counted against the current source."""
from __future__ import annotations

from dataclasses import dataclass

from ..model import Segment, TranslatedCatalog


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
    live = cat.lookup()   # (no obsolete entry: translated is a msgstr that is not fuzzy)
    translated = fuzzy = 0
    for entry in map(live.get, source):
        if entry is not None and entry.msgstr:
            if entry.fuzzy:
                fuzzy += 1
            else:
                translated += 1
    obsolete = sum(1 for e in cat.entries if e.obsolete and e.msgstr)   # an empty one keeps nothing
    return Stat(lang, domain, translated, fuzzy, len(source) - translated - fuzzy, obsolete)
