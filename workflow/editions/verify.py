"""Verify a rendered edition against its source, by value, after rendering: HTML, Markdown and JSON.

Reads what the reader will get (not the intermediate values), so a template, formatting, escaping
or Markdown bug cannot slip an altered number, price, link or disclaimer through. Every number and
amount in the visible text of the guide body is accounted for, exactly, by value (editions.visible):
a placeholder's rendered value or a number of the source text. One pass over the text: linear. The
title and excerpt are read the same way where each output shows them (verify_front).
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from babel import Locale

from .facts import fill
from .services import NEAR, misplaced, segment_events, services_for, source_body_events
from .localeformat import format_value, price_misread
from ..model import BIDI_CONTROLS, ERROR, Code, Document, ListBlock, Price, Problem, Quote
from .render import inline_html
from .segment import walk_texts
from .verify_markdown import source_links, verify_json, verify_markdown
from .verify_front import (AroundSource, FrontText, by_text, front_names_beyond, front_source, html_front,
                           json_around, json_front, markdown_front, spoken, verify_around)
from .structure import structure
from .accounting import account, month_numbers
from .currencies import glued_to_amount, units
from .currency_marks import document_marks, extra_marks, loose_marks, own_spans
from .visible import Number, characters, markdown_text, normalize, normalize_flat, numbers
from .pagetext import BODY_TAG_KINDS, body_end, body_tags, box_labels, box_numbers, flat as _flat, text as _text

BODY_START = '<div class="body">'
SOURCE_LANGUAGE = "en"


def _body_span(html: str) -> tuple[int, int]:
    """Where the guide body is: from its <div class="body"> to the matching </div>."""
    start = html.find(BODY_START)
    if start < 0:
        return len(html), len(html)
    return start, body_end(html, start)


def _body(html: str) -> str:
    start, end = _body_span(html)
    return html[start:end]


def read_page(html: str) -> tuple[tuple[str, ...], str, Counter, dict[str, str]]:
    """(the page's visible text as (head, body, tail), or (whole page,) when it cannot be cut, the body's
    text, its tag counts, the emergency box numbers). Each part of the page is read once.

    Regular expressions are exact here: every text and attribute value on the page went through an
    escaper, so a literal "<" can only start a tag."""
    start, end = _body_span(html)
    body = html[start:end]
    tags = Counter({kind: count for kind, count in zip(BODY_TAG_KINDS, body_tags(body)) if count})
    facts = box_numbers(html)
    body_text = _text(body)
    return _page_pieces(html, start, end, body_text), body_text, tags, facts


def _page_pieces(html: str, start: int, end: int, body_text: str) -> tuple[str, ...]:
    """Pieces of _text(html) with the body's text in the middle: it starts with a block tag and the tail
    with </div>, which read as spaces, so no entity spans the cuts; no tag does either unless a '<'
    before a cut is left open (then the page is read whole, one piece)."""
    for left, right in ((0, start), (start, end)):
        if html.rfind("<", left, right) > html.rfind(">", left, right):
            return (_text(html),)
    return _text(html[:start]), body_text, _text(html[end:])


class _Source:
    """What a guide's source says every edition must show, whatever the language (once per guide)."""

    def __init__(self, doc: Document):
        source_unit = units(SOURCE_LANGUAGE)
        self.numbers: list[Number] = []          # numbers of the source text, outside placeholders
        self.lines: list[int] = []              # the source line of each
        self.months: list[Number] = []          # the one allowance (accounting.month_numbers)
        self.values = []                        # (value, line): placeholders in document order
        texts = list(walk_texts(doc.blocks))
        # each text as `check` reads its segment, placeholders blank: for its numbers and its currency marks
        blanked = [fill(text.template, dict.fromkeys(text.placeholders, " "), True) if text.placeholders
                   else text.template for text in texts]
        for text, shown in zip(texts, blanked):
            line = text.segment.line if text.segment else 1
            found, months = source_reading(shown)
            self._add(found, line)
            self.months += months
            self.values += [(value, line) for value in text.placeholders.values()]
        codes = _codes(doc.blocks, [])
        for code in codes:
            self._add(numbers(normalize(code.code), source_unit), code.line)
        self.body_values = len(self.values)
        for text in doc.meta_texts.values():
            self.values += [(v, text.segment.line if text.segment else 1) for v in text.placeholders.values()]
        self.structure = structure(doc.blocks)
        self.links = source_links(texts)
        self.marks = document_marks(blanked, codes)

    def _add(self, found, line):
        self.numbers += found
        self.lines += [line] * len(found)


@lru_cache(maxsize=65536)
def source_reading(filled: str) -> tuple[tuple[Number, ...], tuple[Number, ...]]:
    """(the numbers, the month allowances: accounting.month_numbers) of a source text as a reader sees it,
    its placeholders filled blank: a sentence recurs in many guides, and the checks read their segments
    alike (checks.protected), read once per process."""
    shown = markdown_text(filled)
    return tuple(numbers(shown, units(SOURCE_LANGUAGE))), tuple(month_numbers(shown))


@lru_cache(maxsize=65536)
def value_reading(rendered: str, lang: str) -> tuple[str, tuple[Number, ...]]:
    """(what a reader sees of a rendered placeholder value, the numbers it reads as): the same values recur
    (the registry's emergency numbers in every guide, a price in several, and in the catalog's check before
    its edition's verification), read once per language and text."""
    shown = markdown_text(rendered)
    return shown, tuple(numbers(shown, units(lang)))


def _rendered_numbers(source: "_Source", lang: str, locale: Locale) -> list[tuple[str, tuple[Number, ...]]]:
    """What a reader sees of each body placeholder's rendered value in one language, and the numbers it reads as."""
    return [value_reading(format_value(value, locale), lang) for value, _ in source.values[:source.body_values]]


class Expected:
    """What every edition of a guide in one language must show: the source's numbers and each
    placeholder's rendered value, with the source line of each (for messages)."""

    def __init__(self, source: _Source, rendered: list[tuple[str, tuple[Number, ...]]]):
        self.required, self.lines = list(source.numbers), list(source.lines)
        for (_, line), (_, found) in zip(source.values, rendered):
            self.required += found
            self.lines += [line] * len(found)
        self.prices = {shown for (value, _), (shown, _) in zip(source.values, rendered) if isinstance(value, Price)}
        self.optional = source.months
        self.values, self.structure, self.links = source.values, source.structure, source.links
        self.marks = source.marks


def _codes(blocks, out: list) -> list:
    """The code blocks of a block tree in document order, appended to out (a list: a generator per block
    cost more than the walk)."""
    for block in blocks:
        if type(block) is Code:
            out.append(block)
        elif type(block) is Quote:
            _codes(block.blocks, out)
        elif type(block) is ListBlock:
            for item in block.items:
                _codes(item.blocks, out)
    return out


def expected(doc: Document, lang: str, locale: Locale) -> Expected:
    """Computed once per guide and language and kept on the parsed guide (model.DERIVED)."""
    derived = doc.derived
    if __name__ not in derived:
        derived[__name__] = _Source(doc)
    key = f"{__name__}:{lang}"
    if key not in derived:
        derived[key] = _rendered_numbers(derived[__name__], lang, locale)
    return Expected(derived[__name__], derived[key])


def account_numbers(shown: str, want: Expected, lang: str, fmt: str, fail) -> None:
    """Every number read in the text (normalized) is one the source accounts for, and each expected one is there."""
    unit = units(lang)
    found = numbers(shown, unit)
    extra, missing = account(found, want.required, want.optional)
    _doubly_marked(shown, found, unit, fmt, fail, lang, want.marks, want.prices)
    for number in extra[:10]:
        kind = "amount of money" if number.money else "number"
        fail(1, f"{fmt}: {kind} {number.text!r} is no placeholder value or number of the source", "verify.value")
    for index in missing[:10]:
        fail(want.lines[index], f"{fmt}: {want.required[index].text!r} of the source is not in the edition "
             f"(or something touching it changed what it reads as)", "verify.value")


def _doubly_marked(shown: str, found: list[Number], unit, fmt: str, fail, lang: str, source_marks: list,
                   prices: set) -> None:
    """No currency sign, code or name is glued to an amount with its own (check's `currency next to {price}`,
    the same Units.touching windows): "5.000 US$€" reads as euros, though its number is accounted for. Glued
    only: the page's text joins table cells and blocks with a space, and a cell "メキシコ" before one "$2,000"
    is no currency of the amount (check judges the msgstr, where it knows the placeholder's neighbours).
    Anywhere else, no more currency marks than the source shows (currency_marks: "{price} (EUR)")."""
    spans = own_spans(shown, found)  # an amount with its own marker; one with a multiplier between is left to accounting
    for start, end in spans:
        after, before = shown[end:end + 1], shown[start - 1:start] if start else ""
        other = glued_to_amount(shown, start, end, prices) or \
            (unit.touching_after(shown, end) if after.strip() else "") or \
            (unit.touching_before(shown, start) if before.strip() else "")
        if other:
            fail(1, f"{fmt}: currency {other!r} next to the amount {shown[start:end]!r}: a price is written only by "
                 f"its placeholder", "verify.price")
            return
    extra = extra_marks(loose_marks(shown, lang, found, spans), source_marks)
    if extra:
        fail(1, f"{fmt}: currency {extra[0]!r} written in the text beyond the source's {len(source_marks)}: a price "
             f"and its currency are written only by its placeholder", "verify.price")


def _check_prices(want: Expected, locale: Locale, fail) -> None:
    for value, line in want.values:
        if isinstance(value, Price):
            message = price_misread(value, locale)
            if message:
                fail(line, message, "verify.price")


def _flat_joined(pieces, flats) -> str:
    """_flat("".join(pieces)) from each piece's _flat(): pieces joined by one space where whitespace
    separates them, directly where a word runs across the cut."""
    parts, last = [], ""  # last: the last character of the pieces joined so far
    for piece, flat in zip(pieces, flats):
        if not piece:
            continue
        if flat:
            if parts and (last.isspace() or piece[0].isspace()):
                parts.append(" ")
            parts.append(flat)
        last = piece[-1]
    return "".join(parts)   # one copy of the page's text (adding to a string copied it at each piece)


def _disclaimers_present(flat: str, disclaimer_texts: list[str], fmt: str, fail) -> None:
    # the disclaimer as the page shows it (its own rendering, whitespace collapsed) must be there whole
    for disclaimer in disclaimer_texts:
        if _shown_disclaimer(disclaimer) not in flat:
            fail(1, f"{fmt}: the disclaimer is not present in full", "verify.disclaimer")


@lru_cache(maxsize=1024)   # a language's disclaimer, asked for its HTML and Markdown by every edition
def _shown_disclaimer(disclaimer: str) -> str:
    return _flat(_text(inline_html(disclaimer)))


_BIDI_CONTROL = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")


def _no_bidi_controls(text: str, kind: str, fail, chars: set[str] | None = None) -> None:
    """An embedding, override or isolate control reorders what a reader sees ('\u202e119' shows 911), and the
    number reading drops format characters: so none may be in what a reader gets (the PO reader refuses them
    as characters, the injection check as references; this holds whatever the route). chars: characters(text),
    read for the numbers anyway, has every control: nine str.find scans cost ~280 K instructions a page."""
    if (characters(text) if chars is None else chars).isdisjoint(BIDI_CONTROLS):
        return
    found = _BIDI_CONTROL.search(text)
    if found:
        fail(1, f"{kind}: bidi control U+{ord(found.group()):04X} in the text: it can reorder the numbers a reader "
                "sees", "verify.bidi")


def verify_edition(html: str, doc: Document, lang: str, locale: Locale, registry, disclaimer_texts: list[str],
                   path: str, markdown: str | None = None, json_text: str | None = None,
                   md_extra: Counter | None = None) -> list[Problem]:
    """Problems of one edition; md_extra: blocks the Markdown edition adds after the body (the disclaimer)."""
    pieces, body_text, tags, facts = read_page(html)
    html_flat = _flat(body_text)  # the body's text is split once: for the page, its numbers and the .md
    body_chars = characters(html_flat)  # its characters looked at once: for the page's bidi and numbers
    flats = [_flat(pieces[0]), html_flat, _flat(pieces[2])] if len(pieces) == 3 else [_flat(pieces[0])]
    page_flat = _flat_joined(pieces, flats) if len(pieces) == 3 else flats[0]
    page_chars = body_chars.union(*map(characters, flats[::2])) if len(pieces) == 3 else characters(page_flat)
    problems: list[Problem] = []

    def fail(line: int, message: str, check: str, segment: str | None = None):
        problems.append(Problem(path, line, ERROR, f"[{lang}] {message}", check, segment))

    said = _verify_page(html, page_flat, facts, registry, lang, fail, page_chars)
    want = expected(doc, lang, locale)
    _check_prices(want, locale, fail)
    html_shown, md_shown = normalize_flat(html_flat, body_chars), None
    account_numbers(html_shown, want, lang, "HTML", fail)
    _disclaimers_present(page_flat, disclaimer_texts, "HTML", fail)
    head = html_front(html, at if (at := html.find(BODY_START)) >= 0 else len(html))  # its titles, read once
    around = AroundSource(doc, registry, lang, locale)   # what the text around the body may show
    if len(pieces) == 3:   # the page's UI text around the body (a page read whole: its body's marks are the source's)
        verify_around(flats[::2] + said, head, lang, "HTML", fail, around.page, services_for(registry, lang),
                      around.page_names, box_labels(html))
    for kind in ("heading", "table", "tr", "li", "cell"):
        if tags[kind] != want.structure[kind]:
            fail(1, f"HTML: edition has {tags[kind]} {kind} elements, the source has {want.structure[kind]}",
                 "verify.structure")
    if markdown is not None:
        visible = verify_markdown(markdown, want.structure + (md_extra or Counter()), want.links, fail)
        md_flat = _flat(visible)
        appendix = md_flat.startswith(html_flat)  # the .md's body reads as the page's, then its appendix
        md_chars = body_chars | characters(md_flat[len(html_flat):]) if appendix else characters(md_flat)
        _no_bidi_controls(md_flat, "Markdown", fail, md_chars)
        md_shown = normalize_flat(md_flat, md_chars) if not appendix else None
        if md_shown is None:  # the HTML body's text, already accounted for and read, then the appendix
            verify_around([md_flat[len(html_flat):]], [], lang, "Markdown", fail, around.appendix,
                          services_for(registry, lang), around.appendix_names)
        else:
            account_numbers(md_shown, want, lang, "Markdown", fail)
        _disclaimers_present(md_flat, disclaimer_texts, "Markdown", fail)
    data = verify_json(json_text, markdown, registry, fail, services_for(registry, lang)) if json_text is not None else None
    verify_around(json_around(data), [], lang, "JSON", fail, around.json)
    _verify_services(html, doc, registry, lang, {"HTML": html_shown, "Markdown": md_shown}, fail)
    _verify_front(head, markdown, data, doc, lang, locale, registry, fail)
    return problems


def _verify_front(head: list, markdown: str | None, data, doc: Document, lang: str, locale: Locale, registry,
                  fail) -> None:
    """The title and excerpt where each output shows them outside the body (verify_front; head: the page's,
    html_front; data: the JSON edition as read, or None): each distinct text read once, judged as the body is."""
    places = list(head)
    for found, problems, check in ((*markdown_front(markdown or ""), "verify.markdown"),
                                   (*json_front(data), "verify.json")):
        places += found
        for problem in problems:
            fail(1, problem, check)
    fronts, names = front_source(doc), services_for(registry, lang)
    for (key, text), where in by_text(places).items():
        verify_front_text(text, fronts[key], f"{key} in {', '.join(where)}", lang, locale, names, fail)


def verify_front_text(text: str, front: FrontText, where: str, lang: str, locale: Locale, names, fail) -> None:
    """A title or excerpt as a reader sees it (text, not Markdown), against its source's: the body's rules (no
    bidi control; numbers accounted for, no currency mark the source does not show; no service named or
    placed where the source has none, names read near an emergency number as on the page)."""
    _no_bidi_controls(text, where, fail)
    want = Expected(front, [value_reading(format_value(value, locale), lang) for value, _ in front.values])
    shown = normalize(text)
    account_numbers(shown, want, lang, where, fail)
    events = names.events(shown, NEAR)
    for problem in misplaced(events, segment_events(front.template, front.placeholders, names), names)[:10] \
            if events else ():   # no number and no name: nothing misplaced
        fail(front.line, f"{where}: {problem}", "verify.services")
    for fact in front_names_beyond(shown, front, names)[:1]:
        fail(front.line, f"{where}: names {names.describe(fact)} more often than the source does: a number "
             "written beside it in any way could send a reader to the wrong service", "verify.services")


def _verify_services(html: str, doc: Document, registry, lang: str, bodies: dict, fail) -> None:
    """The body names no service the source does not and puts no number under another service's name
    (services.misplaced); the box and attributes: _verify_page."""
    names = services_for(registry, lang)
    source = source_body_events(doc, names)
    for fmt, shown in bodies.items():
        if shown is not None:
            for problem in misplaced(names.events(shown, NEAR), source, names)[:10]:
                fail(1, f"{fmt}: {problem}", "verify.services")


def verify_page(html: str, registry, lang: str, path: str) -> list[Problem]:
    """Problems of a page a reader gets that is no guide's edition (a language's index): what every page
    shows is verified the same way on each (_verify_page)."""
    problems: list[Problem] = []

    def fail(line: int, message: str, check: str, segment: str | None = None):
        problems.append(Problem(path, line, ERROR, f"[{lang}] {message}", check, segment))

    text = _text(html)
    _verify_page(html, _flat(text), box_numbers(html), registry, lang, fail)
    return problems


def _verify_page(html: str, page_flat: str, facts: dict, registry, lang: str, fail, chars: set | None = None) -> list:
    """What every page shows, read after rendering: no bidi control; the emergency box with each registry
    number, labelled as its service (services.label_problem); no attribute a screen reader says naming a
    service. chars: characters(page_flat), where the caller has them. Returns those attributes' values (the
    page is scanned for them once: verify_around reads their numbers)."""
    _no_bidi_controls(page_flat, "HTML", fail, chars)
    for fact in registry.emergency:
        if facts.get(fact.id, "").strip() != fact.number:
            fail(1, f"emergency box shows {facts.get(fact.id)!r} for {fact.label}, expected {fact.number}",
                 "verify.emergency")
    names = services_for(registry, lang)
    for fact, label in box_labels(html).items():
        problem = names.label_problem(fact, normalize(label)) if fact in names.facts else None
        if problem:
            fail(1, f"HTML: emergency box: {problem}", "verify.services")
    said = list(spoken(html))
    for value in said:
        found = names.named(normalize(value))
        if found:
            fail(1, f"HTML: an attribute a screen reader says, {value[:60]!r}, names {names.describe(found[0])}",
                 "verify.services")
    return said
