"""Whole prices at the cost of a table look-up (issue 17), Babel kept as the reference.

Babel formats a whole amount (`format_currency` with the locale's currency pattern minus its fraction
digits) and reads a token back (`parse_decimal(strict=True)`) in ~60 µs and ~20 µs. For a plain
non-negative whole amount both are fixed strings around the digits grouped by a fixed rule: a recipe
read from Babel's own pattern and symbols, then checked against Babel on probe amounts before use.
Anything the recipe is not proven for (fractions, signs and signed zero, exponents, 16+ digits,
non-ASCII digits, a decimal symbol in a token, quotes, scaled or significant-digit patterns, a locale
whose probes disagree) returns None: the caller goes to Babel. tests/test_price_recipe.py holds both
routes equal over every locale Babel knows.

The read-back recipe comes from the locale's DECIMAL pattern (what parse_decimal checks a grouped token
against), not from the currency recipe, so it stays an independent reading of what the formatter wrote.
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import NumberPattern, format_currency, format_decimal, get_currency_symbol, \
    get_decimal_symbol, get_group_symbol, parse_pattern

MAX_DIGITS = 15  # 10**15 - 1 and below: far inside the decimal context's 28 digits Babel quantizes in
# zero (padding to the minimum digits) and one amount of every length up to MAX_DIGITS: each count of groups
# the grouping loop can make; the recipe's output depends on nothing else than the length of the digits
_PROBES = (0,) + tuple(int("123456789012345"[:k]) for k in range(1, MAX_DIGITS + 1))


class Recipe:
    """How whole amounts are written; a plain class, not a NamedTuple (typing builds those with exec at import)."""
    __slots__ = ("prefix", "suffix", "group", "primary", "secondary", "min_digits", "thousands")

    def __init__(self, prefix: str, suffix: str, group: str, primary: int, secondary: int, min_digits: int):
        self.prefix, self.suffix = prefix, suffix    # what Babel writes around the digits (sign, marks, spaces)
        self.group = group                           # the group symbol of latn digits (Babel's default)
        self.primary, self.secondary = primary, secondary  # digits in the last group, in each before it (en_IN: 3, 2)
        self.min_digits = min_digits                 # the pattern's minimum integer digits (zero-padded)
        self.thousands = primary == secondary == 3 and min_digits <= 1


def grouped(digits: str, recipe: Recipe) -> str:
    """NumberPattern._format_int for a string of ASCII digits: the same padding and grouping loop (or, for
    groups of three and no leading zero, Python's own grouping of the int, which is that loop's output)."""
    if recipe.thousands and (digits[0] != "0" or len(digits) == 1):
        return f"{int(digits):,}".replace(",", recipe.group)
    if len(digits) < recipe.min_digits:
        digits = "0" * (recipe.min_digits - len(digits)) + digits
    size, out = recipe.primary, ""
    while len(digits) > size:
        out = recipe.group + digits[-size:] + out
        digits = digits[:-size]
        size = recipe.secondary
    return digits + out


def _plain_pattern(pattern: NumberPattern) -> bool:
    """A pattern whose non-negative whole amounts are prefix + grouped digits + suffix in NumberPattern.apply:
    no exponent, no significant digits, no percent/permille scaling, no forced fraction digits."""
    return (not pattern.exp_prec and "@" not in pattern.pattern and pattern.scale == 0 and pattern.frac_prec[0] == 0
            and bool(pattern.number_pattern) and "'" not in pattern.prefix[0] + pattern.suffix[0])


def _recipe(pattern: NumberPattern, locale: Locale, prefix: str, suffix: str, write) -> Recipe | None:
    group = get_group_symbol(locale)
    if len(group) != 1 or group.isdigit() or group == "'" or not _plain_pattern(pattern) or "'" in prefix + suffix:
        return None
    recipe = Recipe(prefix, suffix, group, pattern.grouping[0], pattern.grouping[1], pattern.int_prec[0])
    if recipe.primary < 1 or recipe.secondary < 1:
        return None
    # the probes: Babel itself must write each of them as the recipe does, or the recipe is not used
    if any(write(Decimal(n)) != prefix + grouped(str(n), recipe) + suffix for n in _PROBES):
        return None
    return recipe


@lru_cache(maxsize=256)
def whole_pattern(locale: Locale) -> NumberPattern:
    """The locale's currency pattern without its fraction digits: prices in the guides are whole amounts.
    Parsed once per locale: Babel would parse a pattern string again on every call."""
    return parse_pattern(re.sub(r"\.[0#]+", "", locale.currency_formats["standard"].pattern))


@lru_cache(maxsize=1024)
def currency_recipe(currency: str, locale: Locale) -> Recipe | None:
    """How Babel writes whole amounts of `currency` in the locale's whole currency pattern."""
    pattern = whole_pattern(locale)
    raw = pattern.prefix[0] + pattern.suffix[0]
    if "¤¤¤" in raw:  # the currency's plural name depends on the amount
        return None

    def sign(text: str) -> str:  # apply's replacements, on the text around the digits
        return text.replace("¤¤", currency.upper()).replace("¤", get_currency_symbol(currency, locale))

    def write(value: Decimal) -> str:
        return format_currency(value, currency, format=pattern, locale=locale, currency_digits=False)
    try:
        return _recipe(pattern, locale, sign(pattern.prefix[0]), sign(pattern.suffix[0]), write)
    except Exception:  # noqa: BLE001 - any surprise in the locale's data: Babel's route, which raises as before
        return None


def whole_amount(value: Decimal, currency: str, locale: Locale) -> str | None:
    """Babel's format_currency(value, currency, format=whole_pattern(locale), locale, currency_digits=False) for a
    non-negative whole amount written without exponent (str() all ASCII digits), else None."""
    digits = str(value)
    if len(digits) > MAX_DIGITS or not digits.isdigit() or not digits.isascii():
        return None
    recipe = currency_recipe(currency, locale)
    if recipe is None:
        return None
    return recipe.prefix + grouped(digits, recipe) + recipe.suffix


@lru_cache(maxsize=256)
def decimal_recipe(locale: Locale) -> Recipe | None:
    """How format_decimal (parse_decimal's strict check) writes whole numbers in `locale`."""
    try:
        pattern = parse_pattern(locale.decimal_formats[None])
        decimal = get_decimal_symbol(locale)
        if len(decimal) != 1 or decimal.isdigit() or decimal == get_group_symbol(locale):
            return None
        return _recipe(pattern, locale, pattern.prefix[0], pattern.suffix[0],
                       lambda value: format_decimal(value, locale=locale, decimal_quantization=False))
    except Exception:  # noqa: BLE001 - any surprise: Babel's route
        return None


_UNPROVEN = object()


def read_token(token: str, locale: Locale):
    """parse_decimal(token, locale, strict=True) for a token of ASCII digits and the group symbol:
    the Decimal, or None where Babel raises NumberFormatError; _UNPROVEN for any other token."""
    recipe = decimal_recipe(locale)
    if recipe is None:
        return _UNPROVEN
    if token.isdigit() and token.isascii():
        return Decimal(token)  # no group symbol in it: Babel's Decimal(token), no strict check
    digits = token.replace(recipe.group, "")
    # 16+ digits: Babel's strict check quantizes to 3 places and can overflow (it raises, not None)
    if not digits or len(digits) > MAX_DIGITS or not digits.isdigit() or not digits.isascii():
        return _UNPROVEN
    # strict: a grouped token must be exactly how format_decimal writes its value
    proper = recipe.prefix + grouped(str(int(digits)), recipe) + recipe.suffix
    return Decimal(digits) if token == proper else None


def unproven(value) -> bool:
    return value is _UNPROVEN
