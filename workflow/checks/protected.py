"""What a reader sees of a translation: its numbers and amounts, by value, with placeholders rendered.

The translation is filled with the placeholders' rendered values (as the edition will show them),
normalized (editions.visible: entities, escapes, markup, full-width forms, hidden characters, any
script's digits) and read as numbers. Every number read must be a rendered placeholder value or a
number of the source text (or a month the source names): so nothing may touch a placeholder and
change what it reads as ({ambulance}9, {price}万, {price}.5), no extra number appears, and money is
written only through placeholders.
"""
from __future__ import annotations

from ..editions.facts import _SLOT, fill
from ..editions.localeformat import format_value, locale_for
from ..editions.accounting import account
from ..editions.currencies import glued_letter, units
from ..editions.currency_marks import extra_marks, loose_marks, source_marks
from ..editions.verify import source_reading, value_reading
from ..editions.visible import markdown_text, numbers
from ..model import Price
from .registry import ALWAYS, NUMBER, PLACEHOLDERS, EntryView, check, per_source

_UNKNOWN = "0"  # UI placeholders carry no value: a digit glued to one still changes what it reads as


@per_source
def _source_numbers(msgid: str) -> tuple[list, list]:
    """(numbers of the source text outside placeholders, month allowances)."""
    found, months = source_reading(fill(msgid, _Blank(), brace_format="{" in msgid))
    return list(found), list(months)


class _Blank(dict):
    def __contains__(self, key):
        return True

    def __missing__(self, key):
        return " "


def _rendered(view: EntryView) -> dict[str, str]:
    memo = view.run.memo.setdefault("rendered", {})
    locale = memo.get(None) or memo.setdefault(None, locale_for(view.lang))
    out = {}
    for name, value in view.source.placeholders.items():
        if value is None:
            out[name] = _UNKNOWN
            continue
        key = (name, value)   # one look-up: a Price hashes by its generated __hash__, in Python
        text = memo.get(key)
        if text is None:
            text = memo[key] = format_value(value, locale)
        out[name] = text
    return out


def _value_numbers(view: EntryView, text: str) -> tuple:
    """The numbers a rendered placeholder value reads as (verify.value_reading: once per language and text,
    for the checks and the editions' verification); what it shows is kept for _digit_shaped_touching."""
    shown, found = value_reading(text, view.lang)
    view.run.memo.setdefault("shown values", {})[text] = shown
    return found


@check("visible", "error", "what a reader sees: placeholders stand alone, no number or amount the source lacks", needs=NUMBER | PLACEHOLDERS)
def visible(view: EntryView):
    msgstr = view.entry.msgstr
    placeholders = view.source.placeholders
    if not placeholders and not view.may_have_number:
        return  # no number for a reader to see: nothing to account for
    unit = units(view.lang)
    rendered = _rendered(view)
    expected = [n for text in rendered.values() for n in _value_numbers(view, text)]
    source, months = _source_numbers(view)
    shown = markdown_text(fill(msgstr, rendered, brace_format=bool(placeholders)))
    seen = numbers(shown, unit)
    extra, missing = account(seen, expected + source, months)
    yield from _currency_touching(view, shown, seen, rendered, unit)
    yield from _digit_shaped_touching(view, shown, rendered)
    if not extra:
        return
    for number in extra:
        if number.money:
            yield f"amount of money {number.text!r} ({number.money}) written in the text; prices appear " \
                  f"only through their placeholders"
        else:
            yield f"number {number.text!r} is not in the source"
    lost = {expected[i].text for i in missing if i < len(expected)}
    for name, text in rendered.items():
        if "{" + name + "}" in msgstr and any(t in text for t in lost):
            yield f"placeholder {{{name}}} no longer reads as {text!r}: a digit, numeral, sign or word " \
                  f"touches it (the reader sees {', '.join(repr(n.text) for n in extra)})"


_MARKUP_EDGE = " *_~`"
# Letters a reader takes for digits (Unicode's confusables.txt maps them to 0-9 or to the l and O that 1 and
# 0 map to): glued to an emergency number or a price they read as one more digit, "{ambulance}l" as 1191,
# "{price}ΟΟ" as 1,500,000, yet no number reader counts a letter. Arabic alef and Hebrew vav are left out:
# those languages write them next to numbers.
DIGIT_SHAPED = "lIOǀΙΟІОӀӏՕƧƼƽЗȜƷӠбᏎȢȣցꝮꝯ"


def _digit_shaped_touching(view: EntryView, shown: str, rendered: dict[str, str]):
    """A digit-shaped letter right before or after a placeholder's value as the reader sees it (markup,
    entities and undrawn characters already gone from `shown`)."""
    for name, value in view.source.placeholders.items():
        if value is None:
            continue
        text = _shown_value(view, rendered[name])
        start = shown.find(text)
        while text and start >= 0:
            end = start + len(text)
            glued = [ch for ch in (shown[start - 1:start] if text[0].isdigit() else "",
                                   shown[end:end + 1] if text[-1].isdigit() else "") if ch and ch in DIGIT_SHAPED]
            if glued:
                yield f"letter {glued[0]!r} touches {{{name}}} ({text!r}): a reader takes it for a digit"
                break
            start = shown.find(text, end)


_MARK_MESSAGE = "currency {!r} written in the text, which the source does not show: a price and its currency " \
                "are written only by its placeholder"


@per_source
def _source_marks(msgid: str) -> list[tuple[str, frozenset]]:
    """The currency marks a reader sees in the source text (currency_marks), its placeholders filled blank."""
    return list(source_marks(fill(msgid, _Blank(), brace_format="{" in msgid)))


def _currency_touching(view: EntryView, shown: str, seen: list, rendered: dict[str, str], unit):
    """A currency sign, code or name right before or after a price placeholder changes what the price
    reads as ("$33,000円", "USD $33,000") though its digits stay: only the placeholder's own sign may be there.
    Each price's first place only: the source has each placeholder once, so a second one is already an
    error (`placeholders`), and reading the whole text around each of thousands of copies was quadratic.
    Anywhere else in the segment ("{price} (EUR)", "{price}/EUR", "{price} en euros"), a currency mark the source
    does not show (currency_marks; a rendered price's own mark is its amount's)."""
    msgstr, source, seen_names, touched = view.entry.msgstr, view.source, set(), False
    # the slots are read only when the source has a price: most segments' placeholders are other facts
    slots = _SLOT.finditer(msgstr) if any(isinstance(v, Price) for v in source.placeholders.values()) else ()
    for m in slots:
        name = m.group(1)
        if not name or name in seen_names or not isinstance(source.placeholders.get(name), Price):
            continue
        seen_names.add(name)
        before = markdown_text(fill(msgstr[:m.start()], rendered, True)).rstrip(_MARKUP_EDGE)
        after = markdown_text(fill(msgstr[m.end():], rendered, True)).lstrip(_MARKUP_EDGE)
        marker = unit.touching(before[-1 - unit.longest:], after[:1 + unit.longest]) or _glued(view, shown, rendered[name])
        if marker:
            yield f"currency {marker!r} next to {{{name}}}: a price is written only by its placeholder"
            touched = True
    extra = [] if touched else extra_marks(loose_marks(shown, view.lang, seen), _source_marks(view))
    if extra:
        yield _MARK_MESSAGE.format(extra[0])


def _shown_value(view: EntryView, value: str) -> str:
    """A rendered value as the reader sees it, once per run (kept by _value_numbers when it read the value)."""
    memo = view.run.memo.setdefault("shown values", {})
    text = memo.get(value)
    if text is None:
        text = memo[value] = markdown_text(value)
    return text


def _glued(view: EntryView, shown: str, value: str) -> str:
    """A cased letter glued to the price's sign where the reader sees it (currencies.glued_letter): read in the
    whole segment as shown, since a piece read alone loses the spaces at its edges."""
    text = _shown_value(view, value)
    at = shown.find(text) if text else -1
    while at >= 0:
        glued = glued_letter(shown[at - 1:at] if at else "", text, shown[at + len(text):at + len(text) + 1])
        if glued:
            return glued
        at = shown.find(text, at + 1)
    return ""


@check("visible", "error", "what a reader sees: no currency the source does not show", needs=ALWAYS)
def visible_currency(view: EntryView):
    """`visible`'s currency marks where it reads no number: a segment with neither a placeholder nor a number
    ("Rango de costos (EUR)" for "Cost Range (USD)") names no currency its source does not show either."""
    if view.source.placeholders or view.may_have_number:
        return  # visible() reads them with the segment's numbers (_currency_touching)
    extra = extra_marks(loose_marks(markdown_text(view.entry.msgstr), view.lang, []), _source_marks(view))
    if extra:
        yield _MARK_MESSAGE.format(extra[0])
