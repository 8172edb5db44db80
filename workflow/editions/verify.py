"""Verify a rendered edition against its source, by value, after rendering.

Reads the HTML the reader will get (not the intermediate values), so a template, formatting or
escaping bug cannot slip an altered number, price or disclaimer through.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from html import unescape

from babel import Locale
from babel.numbers import NumberFormatError, parse_decimal

from .localeformat import format_price
from ..model import ERROR, Document, Fact, Heading, ListBlock, Price, Problem, Quote, Table
from .segment import walk_texts


BODY_START = '<div class="body">'
_DIV = re.compile(r"<(/?)div[\s>]")
_TAG = re.compile(r"<[^>]*>")
_BODY_TAG = re.compile(r"<(h[1-6]|table|tr|li)[\s>]")
_FACT = re.compile(r'data-fact="([^"]*)"[^>]*>([^<]*)<')


def _body(html: str) -> str:
    """The guide body: from its <div class="body"> to the matching </div>."""
    start = html.find(BODY_START)
    if start < 0:
        return ""
    depth = 0
    for m in _DIV.finditer(html, start):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return html[start:m.start()]
    return html[start:]


def read_page(html: str) -> tuple[str, Counter, dict[str, str]]:
    """(visible text, tag counts inside the guide body, emergency box numbers) of a rendered page.

    Regular expressions are exact here: every text and attribute value on the page went through an
    escaper, so a literal "<" can only start a tag.
    """
    body = _body(html)
    tags: Counter = Counter()
    for m in _BODY_TAG.finditer(body):
        tags["heading" if m.group(1)[0] == "h" else m.group(1)] += 1
    facts = {m.group(1): unescape(m.group(2)) for m in _FACT.finditer(html)}
    return unescape(_TAG.sub("", html)), tags, facts


def _norm(text: str) -> str:
    return " ".join(text.split())


def structure(blocks) -> Counter:
    counts: Counter = Counter()
    for block in blocks:
        if isinstance(block, Heading):
            counts["heading"] += 1
        elif isinstance(block, ListBlock):
            for item in block.items:
                counts["li"] += 1
                counts += structure(item.blocks)
        elif isinstance(block, Quote):
            counts += structure(block.blocks)
        elif isinstance(block, Table):
            counts["table"] += 1
            counts["tr"] += 1 + len(block.rows)
    return counts


@lru_cache(maxsize=4096)
def _parse_back(formatted: str, locale: Locale) -> list:
    values = []
    for token in re.findall(r"\d[\d.,\u00a0\u202f\u066b\u066c']*\d|\d", formatted):
        try:
            values.append(parse_decimal(token, locale=locale, strict=True))
        except NumberFormatError:
            values.append(None)
    return values


def expected(doc: Document) -> tuple[list, Counter]:
    """What every edition of a guide must show, computed once per parsed guide and kept on it
    (model.DERIVED): the placeholders (value, line) in document order and the count of headings,
    tables, rows and list items."""
    if __name__ not in doc.derived:
        values = [(value, item.segment.line if item.segment else 1)
                  for item in list(doc.meta_texts.values()) + list(walk_texts(doc.blocks))
                  for value in item.placeholders.values()]
        doc.derived[__name__] = (values, structure(doc.blocks))
    return doc.derived[__name__]


def verify_edition(html: str, doc: Document, lang: str, locale: Locale, registry,
                   disclaimer_texts: list[str], path: str) -> list[Problem]:
    page_text, tags, facts = read_page(html)
    text = _norm(page_text)
    problems: list[Problem] = []

    def fail(line: int, message: str, check: str, segment: str | None = None):
        problems.append(Problem(path, line, ERROR, f"[{lang}] {message}", check, segment))

    for fact in registry.emergency:
        if facts.get(fact.id, "").strip() != fact.number:
            fail(1, f"emergency box shows {facts.get(fact.id)!r} for {fact.label}, expected {fact.number}",
                 "verify.emergency")
    wanted: Counter = Counter()
    lines: dict[str, int] = {}
    values, expected_tags = expected(doc)
    for value, line in values:
        key = value.number if isinstance(value, Fact) else format_price(value, locale)
        wanted[key] += 1
        lines.setdefault(key, line)
        if isinstance(value, Price):
            back = _parse_back(key, locale)
            if back != value.values():
                fail(lines[key], f"price {value.describe()} rendered as {key!r} parses back as {back}",
                     "verify.price")
    for key, count in wanted.items():
        found = text.count(_norm(key))
        if found < count:
            fail(lines[key], f"{key!r} appears {found} times in the edition, the source has it {count} times",
                 "verify.value")
    for disclaimer in disclaimer_texts:
        if _norm(disclaimer) not in text:
            fail(1, "the disclaimer is not present in full", "verify.disclaimer")
    for kind in ("heading", "table", "tr", "li"):
        if tags[kind] != expected_tags[kind]:
            fail(1, f"edition has {tags[kind]} {kind} elements, the source has {expected_tags[kind]}",
                 "verify.structure")
    return problems
