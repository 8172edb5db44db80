"""Locale formats for registered values: prices with Babel's CLDR data, dates, text direction."""
from __future__ import annotations

import datetime
import re
from functools import lru_cache
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import NumberFormatError, format_currency, parse_decimal

from ..model import Fact, Price, Value, one_line
from .pricerecipe import read_token, unproven, whole_amount, whole_pattern

@lru_cache(maxsize=256)  # Locale.parse costs ~1 ms; every edition asks
def locale_for(lang: str) -> Locale:
    """Babel locale for a language code; pseudo-locales (en_XA) format like their base language."""
    try:
        return Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(lang.split("_")[0])


@lru_cache(maxsize=256)
def is_known_locale(lang: str) -> bool:
    """Whether Babel's CLDR data has this locale (`qq`, `xx` and pseudo-locales are not)."""
    try:
        Locale.parse(lang)
        return True
    except (UnknownLocaleError, ValueError, TypeError):
        return False


def direction(lang: str) -> str:
    """Text direction from CLDR (Babel's character order), so every right-to-left locale gets rtl:
    Pashto, Sorani, Uyghur, Yiddish, Sindhi, Dhivehi... and scripts such as pa_Arab."""
    return "rtl" if locale_for(lang).character_order == "right-to-left" else "ltr"


def html_lang(lang: str) -> str:
    return lang.replace("_", "-")


def format_amount(value: Decimal, currency: str, locale: Locale) -> str:
    # a plain whole amount by the recipe proven on Babel's own output (pricerecipe), else Babel, memoized
    fast = whole_amount(value, currency, locale)
    if fast is not None:
        return fast
    # the sign is part of the memo's key: Decimal("-0") == Decimal("0"), but Babel writes "-$0" and "$0"
    return _format_amount(value, value.is_signed(), currency, locale)


@lru_cache(maxsize=65536)  # ~60 µs in Babel; an amount recurs as a price and as an end of ranges
def _format_amount(value: Decimal, signed: bool, currency: str, locale: Locale) -> str:
    return format_currency(value, currency, format=whole_pattern(locale), locale=locale, currency_digits=False)


@lru_cache(maxsize=256)  # per price of every edition: the same locale data each time
def range_pattern(locale: Locale) -> str:
    """CLDR's interval fallback ("{0} – {1}", "{0}～{1}") is the locale's range pattern."""
    return locale._data["interval_formats"].get(None, "{0}–{1}")


@lru_cache(maxsize=256)  # per price of every edition: the same locale data each time
def approx_sign(locale: Locale) -> str:
    return locale.number_symbols.get(locale.default_numbering_system, {}).get("approximatelySign", "~")


def format_price(price: Price, locale: Locale) -> str:
    # the signs are part of the memo's key, as in format_amount: Price(-0) == Price(0)
    return _format_price(price, price.low.is_signed(), price.high is not None and price.high.is_signed(), locale)


@lru_cache(maxsize=65536)  # the same prices recur in every edition of a language
def _format_price(price: Price, low_signed: bool, high_signed: bool, locale: Locale) -> str:
    text = format_amount(price.low, price.currency, locale)
    if price.high is not None:
        text = range_pattern(locale).replace("{0}", text).replace("{1}", format_amount(price.high, price.currency, locale))
    if price.open_ended:
        text += "+"
    if price.approx:
        text = approx_sign(locale) + text
    return text


def price_misread(price: Price, locale: Locale) -> str | None:
    """How a price's rendering in `locale` reads as other amounts, or None when it reads exactly
    (verify.py at build, showable.py at extract)."""
    key = format_price(price, locale)
    back = _parse_back(key, locale)
    if back == price.values():
        return None
    # as a reader sees it (no direction marks, no-break spaces as spaces), not Python's reprs
    read = " and ".join("?" if value is None else f"{value:,}" for value in back)
    return f"price {price.describe()} is shown as '{one_line(key, 80)}', which reads as {read}"


_TOKEN = re.compile(r"\d[\d.,\u00a0\u202f\u066b\u066c']*\d|\d")


@lru_cache(maxsize=4096)
def _parse_back(formatted: str, locale: Locale) -> list:
    return [_read_token(token, locale) for token in _TOKEN.findall(formatted)]


def _read_token(token: str, locale: Locale) -> Decimal | None:
    # digits and group symbols by the recipe of the locale's decimal pattern (pricerecipe), else Babel
    value = read_token(token, locale)
    return _babel_read(token, locale) if unproven(value) else value


def _babel_read(token: str, locale: Locale) -> Decimal | None:
    """The reference reading: Babel's strict parse, None where it refuses the token."""
    try:
        return parse_decimal(token, locale=locale, strict=True)
    except NumberFormatError:
        return None


def format_value(value: Value, locale: Locale) -> str:
    """A placeholder's value as a reader of `locale` sees it: the one formatting of values, memoized per
    (value, locale) and process (format_price), shared by the checks and the editions."""
    if isinstance(value, Fact):
        return value.number
    return format_price(value, locale)


def format_meta_date(value, locale: Locale) -> tuple[str, str]:
    """(ISO date, the date in the reader's locale) from a front matter value."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        value = datetime.date.fromisoformat(str(value))
    return value.isoformat(), _long_date(value.isoformat(), locale)


@lru_cache(maxsize=4096)  # ~50 µs in Babel, the same date in each edition of a language
def _long_date(iso: str, locale: Locale) -> str:
    return format_date(datetime.date.fromisoformat(iso), format="long", locale=locale)
