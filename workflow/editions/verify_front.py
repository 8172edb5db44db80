"""The guide's title and excerpt as each output shows them, outside the body: the page's <title> and <h1>,
the JSON's fields, the .md front matter; and what the source says each must show (FrontText).

A translated title or excerpt reaches readers in all of these (and in the language's index page: a guide's
summary), so the verification reads each as the output gives it and judges it as it judges the body
(verify.verify_front_texts): numbers against the source's, currency marks, bidi controls, service names.
A title is shown as text, not Markdown (the page escapes it, the JSON and the front matter hold it as a
string), so the source is read as text too. Pure."""
from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache

from .accounting import month_numbers
from .currencies import units
from .currency_marks import SOURCE, extra_marks, loose_marks
from .facts import fill
from .pagetext import text as page_text
from .segment import TRANSLATABLE_META
from .visible import normalize, numbers


class FrontText:
    """What the source's title or excerpt shows every reader: its numbers, its placeholders' values, its
    currency marks; attribute names as verify._Source's, which verify.Expected reads."""

    def __init__(self, text=None):
        template, placeholders = (text.template, text.placeholders) if text else ("", {})
        self.line = text.segment.line if text is not None and text.segment else 1
        self.template, self.placeholders = template, placeholders
        shown = normalize(fill(template, {n: " " for n in placeholders}, bool(placeholders)))
        self.numbers = numbers(shown, units(SOURCE))
        self.lines = [self.line] * len(self.numbers)
        self.months = month_numbers(shown)
        self.values = [(value, self.line) for value in placeholders.values()]
        self.marks = loose_marks(shown, SOURCE, self.numbers)
        self.structure, self.links = Counter(), set()


def front_source(doc) -> dict[str, FrontText]:
    """The source's title and excerpt readings (none: an empty text), read once per guide (model.DERIVED)."""
    if __name__ not in doc.derived:
        doc.derived[__name__] = {key: FrontText(doc.meta_texts.get(key)) for key in TRANSLATABLE_META}
    return doc.derived[__name__]


def html_front(html: str, body_start: int) -> list[tuple[str, str, str]]:
    """(where, key, text) of the title the page's <title> shows (a browser reads the first) and of each <h1>
    after it, in the page's head."""
    found, after = [], 0
    for text, end in _elements(html, "title", 0, body_start):
        found.append(("HTML <title>", "title", text))
        after = end
        break
    found += [("HTML <h1>", "title", text) for text, _ in _elements(html, "h1", after, body_start)]
    return found


def _elements(html: str, name: str, at: int, stop: int):
    """(text, end) of each <name> element in html[at:stop]. Every text on the page went through the escaper,
    so a "<" starts a tag and the first closing tag closes the element (str.find: a regular expression's scan
    of the head costs ~10x)."""
    at = html.find(f"<{name}", at, stop)
    while at >= 0:
        start = html.find(">", at, stop) + 1
        end = html.find(f"</{name}>", start, stop) if start else -1
        if end < 0:
            return
        if html[at + len(name) + 1] in "> \t\n":   # <h1> or <h1 lang="en">, not <h10> or <title-x>
            yield page_text(html[start:end]), end
        at = html.find(f"<{name}", end, stop)


def markdown_front(markdown: str) -> tuple[list[tuple[str, str, str]], list[str]]:
    """((where, key, text) of the title and excerpt of the .md's front matter, its `key: json` lines as the
    edition writes them; problems: such a line a reader cannot take as text)."""
    if not markdown.startswith("---\n"):
        return [], []
    end = markdown.find("\n---\n", 3)
    found, problems = [], []
    for line in markdown[4:end if end >= 0 else 4].split("\n"):
        key, sep, value = line.partition(": ")
        if sep and key in TRANSLATABLE_META:
            text = _json_text(value)
            if text is None:
                problems.append(f"Markdown front matter: {key} is not one JSON string")
            else:
                found.append(("Markdown front matter", key, text))
    return found, problems


def _json_text(value: str) -> str | None:
    if not value.startswith('"'):   # no string: not parsed ("[[[..." nests as deep as it is long)
        return None
    try:
        text = json.loads(value)
    except ValueError:
        return None
    return text if isinstance(text, str) else None


def json_front(data) -> tuple[list[tuple[str, str, str]], list[str]]:
    """((where, key, text) of the JSON edition's title and excerpt; problems: a field that is no text)."""
    found, problems = [], []
    if isinstance(data, dict):
        for key in TRANSLATABLE_META:
            if key in data:
                if isinstance(data[key], str):
                    found.append(("JSON", key, data[key]))
                else:
                    problems.append(f"JSON: {key} is not text")
    return found, problems


def by_text(places: list[tuple[str, str, str]]) -> dict[tuple[str, str], list[str]]:
    """(key, text) -> where it is shown: a title the outputs show alike is read once."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for where, key, text in places:
        grouped.setdefault((key, text), []).append(where)
    return grouped


def verify_around(texts: list[str], titles: list[tuple[str, str, str]], lang: str, fmt: str, fail) -> None:
    """No currency mark in the text a page or .md shows around the body (menus, emergency box, disclaimer: UI
    strings, whose source language's show none; a catalog check reads them, this the output, whatever checks
    are on) beyond those of the titles shown there (html_front), read against the source on their own
    (verify_front_text). Every mark counts, an amount's own too."""
    found = [mark for text in texts for mark in _marks_of(text, lang)]
    if not found:   # most pages
        return
    shown = [mark for *_, title in titles for mark in _marks_of(title, lang)]
    for mark in extra_marks(found, shown)[:1]:
        fail(1, f"{fmt}: currency {mark!r} in the page's UI text (menus, box, disclaimer), which the source "
             "shows none of", "verify.price")


@lru_cache(maxsize=1024)
def _marks_of(text: str, lang: str) -> tuple:
    """Every mark of a text (an amount's own too); cached: the text after a page's body and the .md's appendix
    are the same in every guide of a language."""
    return tuple(loose_marks(normalize(text), lang, [], []))
