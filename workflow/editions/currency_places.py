"""A currency noun "of" a place: es "dólares de Hong Kong" names the Hong Kong dollar, as CLDR's "dólares
hongkoneses" does, not every dollar (currency_marks.Marks reads it after a noun that names several currencies;
currency_words.OF_A_PLACE: the words for "of"). Places from Babel's data: the territory names of the language and
English, and the time-zone database's cities. Read once per language and process, where first needed."""
from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale
from babel.core import get_global

from .visible import normalize

_PLACE = re.compile(r"[^\W\d_]+(?:[ '’.-]+[^\W\d_]+){0,5}")   # up to six words of a place's name
_PARENTHESIS = re.compile(r"\s*\([^)]*\)")
_WORD_END = re.compile(r"[^\W\d_](?![^\W\d_])")
_JOINS = re.compile(r"[ '’.-]+")   # what a place's name is read without


def qualified_name(low: str, end: int, of: tuple[str, ...], locale: Locale) -> tuple[int, frozenset] | None:
    """(where the phrase ends, the currencies its place pays in) where the currency noun ending at low[end]
    (lowered, normalized text) is followed by "of" (`of`: currency_words.OF_A_PLACE) and a place's name: "dólares
    de hong kong" is the Hong Kong dollar, as a reader takes it. None where no place follows."""
    if low[end:end + 1] != " ":
        return None
    for word in of:
        if low.startswith(word, end + 1):
            found = _PLACE.match(low, end + 1 + len(word))
            if found is None:
                return None
            places, name = place_currencies(locale), found.group()
            # the longest name that ends where a word does, its spaces and hyphens aside (Hongkong, Hong-Kong)
            for stop in sorted((m.end() for m in _WORD_END.finditer(name)), reverse=True):
                codes = places.get(_JOINS.sub("", name[:stop]))
                if codes:
                    return found.start() + stop, codes
            return None
    return None


@lru_cache(maxsize=16)
def place_currencies(locale: Locale) -> dict[str, frozenset]:
    """Each place's name (the locale's and English's territory names, with and without a parenthesis, and the
    cities of the time-zone database: Hong Kong, Singapore), normalized, lowered and without its spaces, hyphens,
    dots and apostrophes -> the currencies legal tender
    there now. Read once per locale and process, where a currency noun is first followed by "of"."""
    tender: dict[str, frozenset] = {}
    for territory, spans in get_global("territory_currencies").items():
        codes = frozenset(code for code, _, stop, legal in spans if stop is None and legal)
        if codes:
            tender[territory] = codes
    names: dict[str, set] = {}
    for loc in {locale, Locale("en")}:
        for territory, name in loc.territories.items():
            for form in {name, _PARENTHESIS.sub("", name)}:
                if territory in tender:
                    names.setdefault(_JOINS.sub("", normalize(form).lower()), set()).update(tender[territory])
    for zone, territory in get_global("zone_territories").items():
        if territory in tender and "/" in zone:
            names.setdefault(_JOINS.sub("", normalize(zone.rsplit("/", 1)[1]).lower().replace("_", "")),
                             set()).update(tender[territory])
    return {name: frozenset(codes) for name, codes in names.items() if name}
