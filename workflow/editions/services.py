"""Which emergency service a reader sees named next to an emergency number: one reading for check and verify.

Pure. The maintainers keep each service's vetted names per language in source/facts.yaml (`names:`; the
first one is the label's translation, the others words that name that service alone). A text is read as
a reader sees it (editions.visible: markup, entities, NFKC, format characters already gone), then as a
name *skeleton*: case, accents and other combining marks, letters shaped like Latin ones (Cyrillic о,
Greek ο), Arabic tatweel and letter variants folded, and everything but letters dropped, so that spaces,
punctuation, markup or zero-width characters inside a name ("警 察", "Poli**cía**", "Pоlicía") hide nothing.

A text becomes a sequence of *events*: each emergency number shown (by its digits) and each service
name shown. The rules, the same at `check` (one segment) and in the verification (one edition's body):
- a service named must be one the source names or shows the number of;
- a number's neighbours in the sequence that name another service must be so in the source too, on the
  same side (the number before or after the name): a swap of two labels, or of two numbers, changes them.
A label (the emergency box's, ui.po's) must read exactly as its service's vetted name, or as the English
label (the fallback), and a language without vetted names has its labels unverified (a warning at `check`;
other services' English names are still refused).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

SOURCE_LANGUAGE = "en"
# letters a reader takes for Latin ones (Unicode's confusables.txt, lower case): "Pоlicía" with Cyrillic о
_LOOKALIKES = str.maketrans("аеорсухіјѕԁһӏɑıǀοαικνρτυχϲ", "aeopcyxijsdhlailoaikvptuxc")
# Arabic: tatweel stretches a word without changing it; teh marbuta/heh, alef maksura/yeh, Persian yeh and
# keheh read alike to a reader in a hurry
_ARABIC = {"\u0640": "", "\u0629": "\u0647", "\u0649": "\u064a", "\u06cc": "\u064a", "\u06a9": "\u0643"}
_NUMBER_EDGE = r"(?<![\d.,])({})(?![\d]|[.,]\d)"


@lru_cache(maxsize=65536)
def _fold(ch: str) -> str:
    """What one character adds to a name skeleton: its letters, case folded, without marks."""
    out = []
    for part in unicodedata.normalize("NFKD", ch).casefold():
        part = _ARABIC.get(part, part).translate(_LOOKALIKES)
        if part and unicodedata.category(part)[0] == "L":
            out.append(part)
    return "".join(out)


def skeleton(text: str) -> str:
    """The letters of `text` (already as a reader sees it) as compared for names."""
    return text.translate({ord(ch): _fold(ch) for ch in set(text)})


@dataclass(frozen=True)
class Event:
    fact: str       # the service's id
    number: bool    # its number shown, or its name


class Services:
    """The services' names as one language reads them: its labels' vetted names (the language's, else its
    base language's, as the glossary reads renderings; the English ones for en_XA, en_GB), and every name
    of every language, which any text may show."""

    def __init__(self, registry, lang: str):
        base = lang.split("_")[0]
        self.lang, self.facts = lang, {f.id: f for f in registry.emergency}
        self.english_variant = base == SOURCE_LANGUAGE   # en_XA, en_GB: the English names themselves
        terms: dict[str, str] = {}
        self.labels: dict[str, str | None] = {}
        self.vetted_names: dict[str, tuple[str, ...]] = {}
        for fact in registry.emergency:
            names = registry.names.get(fact.id, {})
            english = (fact.label, *names.get(SOURCE_LANGUAGE, ()))
            own = english if self.english_variant else names.get(lang) or names.get(base) or ()
            self.vetted_names[fact.id] = own
            self.labels[fact.id] = skeleton(own[0]) if own else None
            # every language's names: a name written in another language or script is still shown
            for name in (*english, *(n for found in names.values() for n in found)):
                key = skeleton(name)
                if key and terms.setdefault(key, fact.id) != fact.id:
                    terms[key] = ""   # two services share it: it names neither (maintainer.py refuses this)
        self.english_labels = {f.id: skeleton(f.label) for f in registry.emergency}
        self.vetted = all(self.labels.values())
        self.terms = {k: v for k, v in terms.items() if v}
        alternatives = "|".join(re.escape(k) for k in sorted(self.terms, key=len, reverse=True))
        self._names = re.compile(alternatives) if alternatives else None
        numbers = "|".join(re.escape(f.number) for f in sorted(registry.emergency, key=lambda f: -len(f.number)))
        self._numbers = re.compile(_NUMBER_EDGE.format(numbers)) if numbers else None
        self._by_number = {f.number: f.id for f in registry.emergency}
        # what events() depends on: the same in every language of a registry
        self.key = (tuple(sorted(self.terms.items())), self._numbers.pattern if self._numbers else "")

    def named(self, text: str) -> list[str]:
        """The services named in `text` (as a reader sees it), in order, a run of one service's names once."""
        if self._names is None:
            return []
        found: list[str] = []
        for m in self._names.finditer(skeleton(text)):
            fact = self.terms[m.group()]
            if not found or found[-1] != fact:
                found.append(fact)
        return found

    def events(self, text: str) -> list[Event]:
        """The numbers and names a reader sees in `text` (visible.normalize'd), in order."""
        if self._numbers is None:
            return []
        out: list[Event] = []
        pieces = self._numbers.split(text)   # text, number, text, ...
        for i, piece in enumerate(pieces):
            if i % 2:
                out.append(Event(self._by_number[piece], True))
            else:
                out += [Event(fact, False) for fact in self.named(piece) if not out or out[-1] != Event(fact, False)]
        return out

    def label_problem(self, fact_id: str, shown: str) -> str | None:
        """What is wrong with `shown` (as a reader sees it) as the label of `fact_id`, or None: it reads as
        the vetted name or the English label (what an untranslated label shows), nothing else."""
        key = skeleton(shown)
        if key == self.english_labels[fact_id] or key == self.labels[fact_id]:
            return None
        others = [f for f in dict.fromkeys(self.named(shown)) if f != fact_id]
        if others:
            return f"{self.describe(fact_id)} is labelled {shown!r}, a name of {self.describe(others[0])}: a " \
                   f"reader would call the wrong service"
        if self.labels[fact_id] is None:
            return None   # unverified: the language has no vetted names (a warning at check)
        return f"{self.describe(fact_id)} is labelled {shown!r}, not its vetted name " \
               f"{self.vetted_names[fact_id][0]!r} (source/facts.yaml)"

    def describe(self, fact_id: str) -> str:
        fact = self.facts[fact_id]
        return f"{fact.number} ({fact.label})"


def services_for(registry, lang: str) -> Services:
    """The registry's Services for `lang`, built once per registry and language."""
    kept = registry.derived.setdefault(__name__, {})
    if lang not in kept:
        kept[lang] = Services(registry, lang)
    return kept[lang]


def pairs(events: list[Event]) -> set[tuple[str, str, bool]]:
    """(number's service, a neighbouring name's service, the name comes first) for each number of
    `events` next to another service's name."""
    found = set()
    for i, event in enumerate(events):
        if not event.number:
            continue
        for j, before in ((i - 1, True), (i + 1, False)):
            if 0 <= j < len(events) and not events[j].number and events[j].fact != event.fact:
                found.add((event.fact, events[j].fact, before))
    return found


def misplaced(events: list[Event], source: list[Event], services: Services) -> list[str]:
    """What a reader sees wrongly named in `events` against the source's: a service the source neither
    names nor shows the number of, a number next to another service's name where the source has none."""
    allowed = {e.fact for e in source}
    problems = [f"shows a name of {services.describe(fact)}, which the source does not name here"
                for fact in dict.fromkeys(e.fact for e in events if not e.number) if fact not in allowed]
    for number, name, before in sorted(pairs(events) - pairs(source)):
        problems.append(f"shows {services.facts[number].number} {'after' if before else 'before'} a name of "
                        f"{services.describe(name)}: a reader would call the wrong service")
    return problems
