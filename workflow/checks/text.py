"""Checks on placeholders, braces, percent signs, numbers by value and protected facts."""
from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal, InvalidOperation

from ..editions.facts import placeholder_names
from .registry import BRACE, MONEY, NUMBER, PERCENT, PLACEHOLDERS, SOURCE_DIGIT, EntryView, ascii_digits, check, \
    per_source

_TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}|[{}]")
_URL = re.compile(r"\]\([^)]*\)")
_DIGIT_RUN = re.compile(r"\d+")
_NON_DIGITS = re.compile(r"\D+")
# digit grouping and decimal marks as locales write them: NBSP, narrow NBSP, thin space (U+2009),
# apostrophes (' and ’: Swiss 10’000), Arabic separators
_SEPARATORS = ",.\u00a0\u202f\u2009'\u2019\u066b\u066c "
_SEPARATOR = re.compile(f"[{_SEPARATORS}]")
_GROUPED = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")
_DECIMAL = re.compile(r"\d+\.\d+")
_MONEY_IN_MSGSTR = re.compile(r"[$€£¥]|US\$|USD")
_MONEY_IN_MSGID = re.compile(r"[$€£¥]|USD")
_NUMBER = re.compile(rf"\d+(?:[{_SEPARATORS}]\d+)*")
_PERCENT = re.compile(r"[%\u066a\uff05]")
_DIGIT_BEFORE = re.compile(r"\d\s?$")
_DIGIT_AFTER = re.compile(r"\s?\d")
_DIRECTIVE = re.compile(r"[sdif(]")


def _has_money(text: str) -> bool:
    """_MONEY_IN_MSGSTR.search(text) as substring tests, several times faster ("US$" has a "$")."""
    return "$" in text or "€" in text or "£" in text or "¥" in text or "USD" in text


def _strip(text: str) -> str:
    # each substitution needs a character most text lacks: skip the regex then (same result)
    if "{" in text or "}" in text:
        text = _TOKEN.sub(" ", text)
    if "](" not in text:
        return text
    # every link target ends at a ')': none starts after the last one. Searching past it, each "](" read
    # the rest of the text in vain ("](" * n: quadratic)
    end = text.rfind(")") + 1
    return _URL.sub("]", text[:end]) + text[end:]


@check("placeholders", "error", "placeholders missing, renamed, duplicated or invented", needs=PLACEHOLDERS)
def placeholders(view: EntryView):
    if not view.source.placeholders:  # not brace-format: nothing expected, nothing looked for
        return
    expected = Counter(list(view.source.placeholders))
    found = Counter(placeholder_names(view.entry.msgstr)) if view.source.brace_format else Counter()
    missing = [n for n in expected if found[n] == 0]
    invented = [n for n in found if n not in expected]
    if missing and invented and len(missing) == len(invented):
        yield f"placeholder renamed: {', '.join('{' + n + '}' for n in missing)} became " \
              f"{', '.join('{' + n + '}' for n in invented)}"
        return
    for name in missing:
        yield f"placeholder {{{name}}} is missing"
    for name in invented:
        yield f"placeholder {{{name}}} does not exist in the source"
    for name, count in found.items():
        if name in expected and count > expected[name]:
            yield f"placeholder {{{name}}} appears {count} times, the source has it {expected[name]} time(s)"


@check("braces", "error", "stray { or } that would break formatting", needs=BRACE)
def braces(view: EntryView):
    msgstr = view.entry.msgstr
    if "{" not in msgstr and "}" not in msgstr:
        return
    if view.source.brace_format:
        stray = [m.group(0) for m in _TOKEN.finditer(msgstr) if m.group(0) in "{}"]
    else:
        stray = [ch for ch in "{}" if msgstr.count(ch) > view.source.msgid.count(ch)]
    if stray:
        yield f"stray {' '.join(sorted(set(stray)))} in translation (write placeholders exactly as in the source)"


@check("percent", "error", "a % sign that is not attached to a number, or a printf directive", needs=PERCENT)
def percent(view: EntryView):
    msgstr = view.entry.msgstr
    if "%" not in msgstr and "\u066a" not in msgstr and "\uff05" not in msgstr:
        return
    text = view.digits
    for m in _PERCENT.finditer(text):
        before, after = text[max(0, m.start() - 2):m.start()], text[m.end():m.end() + 2]
        if _DIGIT_BEFORE.search(before) or _DIGIT_AFTER.match(after):
            continue
        if _DIRECTIVE.match(text[m.end():m.end() + 1]):
            yield "printf-style directive in translation; this text is not printf-formatted"
        else:
            yield "stray % sign not attached to a number"
        return


def _values(token: str) -> set[Decimal]:
    """Every value a digit run may mean in some locale: grouping or decimal separators."""
    parts = _SEPARATOR.split(token)
    out = {Decimal("".join(parts))}
    if len(parts) > 1:
        try:
            out.add(Decimal("".join(parts[:-1]) + "." + parts[-1]))
        except InvalidOperation:
            pass
    return out


def _source_values(text: str) -> list[Decimal]:
    values = []
    for m in _NUMBER.finditer(_strip(text)):
        token = m.group(0)
        if _GROUPED.fullmatch(token):
            values.append(Decimal(token.replace(",", "")))
        elif _DECIMAL.fullmatch(token):
            values.append(Decimal(token))
        else:
            values.extend(Decimal(p) for p in _NON_DIGITS.split(token) if p)
    return values


@per_source
def _source_numbers(msgid: str) -> tuple[list[Decimal], set[str], bool]:
    """(values of the numbers, digit runs, has money) of the source text, for `numbers` and `facts`."""
    stripped = _strip(msgid)
    return (_source_values(msgid), set(_DIGIT_RUN.findall(stripped)),
            _MONEY_IN_MSGID.search(stripped) is not None)


def compare_numbers(msgid: str, msgstr: str) -> tuple[list[Decimal], list[str]]:
    """(source values missing from the translation, translation numbers not in the source)."""
    return _compare(_source_values(msgid), ascii_digits(msgstr))


def _compare(wanted: list[Decimal], digits: str) -> tuple[list[Decimal], list[str]]:
    """compare_numbers with the source values known and the msgstr's digits already made ASCII."""
    unused = _NUMBER.findall(_strip(digits))
    if not wanted:
        return [], unused
    candidates = [_values(t) for t in unused]  # once per token, not once per source value
    missing = []
    for value in wanted:
        hit = next((i for i, values in enumerate(candidates) if value in values), None)
        if hit is not None:
            del unused[hit], candidates[hit]
        else:
            missing.append(value)
    if missing:  # a translator may write "3-7" as "3 bis 7": try the parts of leftover tokens
        parts = [p for t in unused for p in _NON_DIGITS.split(t) if p]
        still = []
        for value in missing:
            hit = next((p for p in parts if Decimal(p) == value), None)
            if hit is not None:
                parts.remove(hit)
            else:
                still.append(value)
        missing, unused = still, parts
    return missing, unused


@check("numbers", "error", "numbers in the text compared by value with the source", needs=NUMBER | SOURCE_DIGIT)
def numbers(view: EntryView):
    wanted = _source_numbers(view)[0]
    if not wanted and not view.has_digits:
        return
    missing, _ = _compare(wanted, view.digits)
    for value in missing:
        yield f"number {value} of the source is missing or changed in the translation"
    # numbers the source lacks are the `visible` check's errors: it reads them as the reader does


@check("facts", "error", "an emergency number or a price written as text instead of its placeholder", needs=NUMBER | MONEY)
def facts(view: EntryView):
    _, msgid_digits, msgid_money = _source_numbers(view)
    memo = view.run.memo
    fact_numbers = memo.get("fact_numbers")
    if fact_numbers is None:
        fact_numbers = memo["fact_numbers"] = view.registry.fact_numbers()
    # a digit run of the stripped msgstr is a substring of its ASCII-digit form: look only if one occurs
    if view.has_digits and any(number in view.digits for number in fact_numbers):
        for run in _DIGIT_RUN.findall(ascii_digits(_strip(view.entry.msgstr))):
            if run in fact_numbers and run not in msgid_digits:
                yield f"emergency number {run} written in the text; only the registry's placeholders may carry it"
    if not msgid_money and _has_money(view.entry.msgstr):
        yield "amount of money written in the text; prices only appear through their placeholders"
