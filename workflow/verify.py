"""Verify a rendered edition against its source, by value, after rendering.

Reads the HTML the reader will get (not the intermediate values), so a template, formatting or
escaping bug cannot slip an altered number, price or disclaimer through.
"""
from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

from babel import Locale
from babel.numbers import NumberFormatError, parse_decimal

from .localeformat import format_price
from .model import ERROR, Document, Fact, Heading, ListBlock, Price, Problem, Quote, Table
from .segment import walk_texts


class _Reader(HTMLParser):
    """Collects page text, the text inside the guide body, tag counts inside it and emergency boxes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: Counter = Counter()
        self.facts: dict[str, str] = {}
        self._body_depth = 0
        self._fact: str | None = None
        self._stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div" and "body" in (attrs.get("class") or "").split():
            self._body_depth = 1
        elif self._body_depth and tag == "div":
            self._body_depth += 1
        if self._body_depth and tag in ("h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "li"):
            self.tags["heading" if tag[0] == "h" and tag[1:].isdigit() else tag] += 1
        if "data-fact" in attrs:
            self._fact = attrs["data-fact"]
            self.facts[self._fact] = ""

    def handle_endtag(self, tag):
        if tag == "div" and self._body_depth:
            self._body_depth -= 1
        if tag == "a":
            self._fact = None

    def handle_data(self, data):
        self.text.append(data)
        if self._fact:
            self.facts[self._fact] += data


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


def _parse_back(formatted: str, locale: Locale) -> list:
    values = []
    for token in re.findall(r"\d[\d.,\u00a0\u202f\u066b\u066c']*\d|\d", formatted):
        try:
            values.append(parse_decimal(token, locale=locale, strict=True))
        except NumberFormatError:
            values.append(None)
    return values


def verify_edition(html: str, doc: Document, lang: str, locale: Locale, registry,
                   disclaimer_texts: list[str], path: str) -> list[Problem]:
    reader = _Reader()
    reader.feed(html)
    text = _norm("".join(reader.text))
    problems: list[Problem] = []

    def fail(line: int, message: str, check: str, segment: str | None = None):
        problems.append(Problem(path, line, ERROR, f"[{lang}] {message}", check, segment))

    for fact in registry.emergency:
        if reader.facts.get(fact.id, "").strip() != fact.number:
            fail(1, f"emergency box shows {reader.facts.get(fact.id)!r} for {fact.label}, expected {fact.number}",
                 "verify.emergency")
    wanted: Counter = Counter()
    lines: dict[str, int] = {}
    for item in list(doc.meta_texts.values()) + list(walk_texts(doc.blocks)):
        for value in item.placeholders.values():
            key = value.number if isinstance(value, Fact) else format_price(value, locale)
            wanted[key] += 1
            lines.setdefault(key, item.segment.line if item.segment else 1)
            if isinstance(value, Price):
                back = [v for v in _parse_back(key, locale)]
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
    expected = structure(doc.blocks)
    for kind in ("heading", "table", "tr", "li"):
        if reader.tags[kind] != expected[kind]:
            fail(1, f"edition has {reader.tags[kind]} {kind} elements, the source has {expected[kind]}",
                 "verify.structure")
    return problems
