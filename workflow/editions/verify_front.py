"""The guide's title and excerpt as each output shows them, outside the body: the page's <title> and <h1>,
the JSON's fields, the .md front matter; and what the source says each must show (FrontText).

A translated title or excerpt reaches readers in all of these (and in the language's index page: a guide's
summary), so the verification reads each as the output gives it and judges it as it judges the body
(verify.verify_front_texts): numbers against the source's, currency marks, bidi controls, service names.
A title is shown as text, not Markdown (the page escapes it, the JSON and the front matter hold it as a
string), so the source is read as text too. The rest of the text around the body (UI strings: skip link, menus,
the emergency box, the disclaimer section, attributes a screen reader says; the JSON's date and labels) is read
too (verify_around): each number there accounted for by where it comes from (AroundSource), no currency mark.
Pure."""
from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from html import unescape

from .accounting import account, month_numbers
from .currencies import units
from .currency_marks import SOURCE, extra_marks, loose_marks
from .facts import fill
from .localeformat import format_meta_date, locale_for
from .pagetext import text as page_text
from .segment import TRANSLATABLE_META
from .visible import normalize, numbers

_SPOKEN = ('aria-label="', 'title="', 'alt="')   # attributes a screen reader says (spoken)


class FrontText:
    """What the source's title or excerpt shows every reader: its numbers, its placeholders' values, its
    currency marks; attribute names as verify._Source's, which verify.Expected reads."""

    def __init__(self, text=None):
        template, placeholders = (text.template, text.placeholders) if text else ("", {})
        self.line = text.segment.line if text is not None and text.segment else 1
        self.template, self.placeholders = template, placeholders
        shown = self.shown = normalize(fill(template, {n: " " for n in placeholders}, bool(placeholders)))
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


class AroundSource:
    """The numbers the text around a guide's body may show, each read from where it comes (no value typed in):
    the emergency box's numbers and its labels' source text, the guide's date as its locale writes it, its
    category and author (front matter, shown as written), the disclaimer section's source text where the page
    adds one (the body holds no legal text). page: the HTML's head and tail and its spoken attributes (the
    titles there are read on their own: verify_around's titles); appendix: the .md's text after its body;
    json: the JSON's UI fields (its date, the box's labels). The source language's UI strings show no number."""

    def __init__(self, doc, registry, lang: str, locale):
        date = _numbers_of(format_meta_date(doc.meta["date"], locale)[1], lang)
        meta = [n for key in ("category", "author") for n in _numbers_of(str(doc.meta.get(key, "")), SOURCE)]
        self.appendix = () if _has_legal_text(doc) else tuple(
            n for d in registry.disclaimers[:1] for text in (d.heading, d.text) for n in _numbers_of(text, SOURCE))
        labels = _labels(registry)
        self.page = (*_box(registry, lang), *labels, *date, *meta, *self.appendix)
        self.json = (*labels, *date)
        # the texts besides the box's labels and the titles that may name a service there, as the source shows them
        legal = () if _has_legal_text(doc) else tuple(
            text for d in registry.disclaimers[:1] for text in (d.heading, d.text))
        self.page_names = (*(str(doc.meta.get(key, "")) for key in ("category", "author")), *legal)
        self.appendix_names = legal


def index_numbers(registry, lang: str, dates: list) -> tuple:
    """The numbers a language's index page may show besides its guides' titles and excerpts: the emergency
    box's (as AroundSource) and each guide's date as its locale writes it, from its source's front matter
    (dates: None for a guide without a readable source, which its summary's verification refuses)."""
    locale = locale_for(lang)
    return (*_box(registry, lang), *_labels(registry),
            *(n for date in dates if date is not None for n in _numbers_of(format_meta_date(date, locale)[1], lang)))


def _box(registry, lang: str) -> list:
    """The emergency box's numbers as the registry has them."""
    return [n for fact in registry.emergency for n in _numbers_of(fact.number, lang)]


def _labels(registry) -> list:
    """The numbers of the box's labels as the source language writes them (each label is a UI string)."""
    return [n for fact in registry.emergency for n in _numbers_of(fact.label, SOURCE)]


def _has_legal_text(doc) -> bool:
    """The body holds the disclaimer (edition._disclaimer: then the page adds no section); once per guide."""
    key = f"{__name__}.legal"
    if key not in doc.derived:
        doc.derived[key] = any(segment.legal for segment in doc.segments)
    return doc.derived[key]


def spoken(html: str):
    """The values of the attributes a screen reader says (aria-label="..." of a table region, title=, alt=);
    str.find: a regex scan of a page costs ~10x."""
    for attribute in _SPOKEN:
        at = html.find(attribute)
        while at >= 0:
            start = at + len(attribute)
            end = html.find('"', start)
            if html[at - 1:at].isspace() and end >= 0:
                yield unescape(html[start:end])
            at = html.find(attribute, start)


def json_around(data) -> list[str]:
    """The JSON edition's UI texts a reader may be shown: its date and the emergency box's labels."""
    if not isinstance(data, dict):
        return []
    box = data.get("emergency")
    texts = [data.get("date"), *(entry.get("label") for entry in box if isinstance(entry, dict))] \
        if isinstance(box, list) else [data.get("date")]
    return [text for text in texts if isinstance(text, str)]


def verify_around(texts: list[str], titles: list[tuple[str, str, str]], lang: str, fmt: str, fail,
                  allowed: tuple = (), names=None, naming: tuple | list = (), labels: dict | None = None) -> None:
    """The text a page, .md or JSON shows around the body (menus, emergency box, disclaimer, attributes a
    screen reader says: UI strings; a catalog check reads them, this the output, whatever checks are on):
    every number accounted for, exactly, by allowed (AroundSource) and the titles shown there (html_front),
    read against the source on their own (verify_front_text); no currency mark beyond the titles' (the source
    language's UI shows none). Every mark counts, an amount's own too. names (the language's Services): no
    service named more often than the titles, the box's labels as shown (labels: service -> label, each verified
    as its service's name) and the texts naming (the source's texts there) name it, a label's own words counted
    as its service's name (a language without vetted names: "Polizei"): a UI string naming a service beside a
    number a reader reads, however it is written ("policía: ciento diecinueve"), is refused."""
    if names is not None:
        _names_accounted(texts, [title for *_, title in titles], list(naming), fmt, fail, names, labels or {})
    found = [number for text in texts for number in _numbers_of(text, lang)]
    if found:
        pool = [*allowed, *(number for *_, title in titles for number in _numbers_of(title, lang))]
        for number in account(found, [], pool)[0][:10]:
            fail(1, f"{fmt}: number {number.text!r} in the UI text around the body (menus, emergency box, "
                 "disclaimer, attributes) is no emergency number, date or title of the source", "verify.value")
    marks = [mark for text in texts for mark in _marks_of(text, lang)]
    if not marks:   # most pages
        return
    shown = [mark for *_, title in titles for mark in _marks_of(title, lang)]
    for mark in extra_marks(marks, shown)[:1]:
        fail(1, f"{fmt}: currency {mark!r} in the page's UI text (menus, box, disclaimer), which the source "
             "shows none of", "verify.price")


def front_names_beyond(shown: str, front: FrontText, names) -> list[str]:
    """The services a title or excerpt (normalized) names more often than its source's does, near a number or
    not: "… (policía: ciento diecinueve)" names the police wherever the number is written in words."""
    given = _names_in([front.shown], names, ())
    return [fact for (fact, _), count in sorted(_names_in([shown], names, ()).items()) if count > given.get((fact, "name"), 0)]


def _names_accounted(texts: list[str], titles: list[str], naming: list[str], fmt: str, fail, names,
                     labels: dict) -> None:
    """verify_around's rule on names. The titles (verified on their own) are taken out of the texts where they
    are shown, once each, rather than read twice: the head's largest and most varied text (its skeleton is
    the cost); a title not found so is read with the naming texts."""
    words = tuple((fact, found) for fact, label in labels.items()
                  if fact in names.facts and (found := _label_words(_shown(label))) is not None)
    shown = [_shown(text) for text in texts]
    naming = [*labels.values(), *naming]
    for title in map(_shown, titles):
        at = next((i for i, text in enumerate(shown) if title and title in text), None)
        if at is None:
            naming.append(title)
        else:
            shown[at] = shown[at].replace(title, " ", 1)
    named = _names_in(shown, names, words)
    if named:   # every page: the box's labels
        given = _names_in(map(_shown, naming), names, words)
        for fact, _ in sorted(key for key, count in named.items() if count > given.get(key, 0))[:1]:
            fail(1, f"{fmt}: the page's UI text (menus, box, disclaimer) names {names.describe(fact)} beyond its "
                 "label in the emergency box: a number written beside it in any way could send a reader to the "
                 "wrong service", "verify.services")


def _names_in(texts, names, words: tuple) -> dict:
    """(service, how) -> how often texts (normalized) name it: by a vetted name of any language ("name",
    Services.counted) or by the words of its label as the page shows it (words: (service, its _label_words),
    "label"); each text's reading kept (Services.around_reads: most recur in every guide of a language)."""
    counts: dict = {}
    kept = names.around_reads
    for text in texts:
        found = kept.get((text, words))
        if found is None:
            # 512 a language: the texts that recur (menus, box, disclaimer) are a few dozen, the rest are one
            # guide's (its head, title, excerpt); a Services lives for each language of a build, so the module-level
            # dict's 4,096 in all became 4,096 a language (~5 MB held by a 10-language build of 300 guides)
            if len(kept) >= 512:
                kept.clear()
            low = text.lower() if words else ""
            found = kept[text, words] = (*(((fact, "name"), count) for fact, count in names.counted(text)),
                                   *(((fact, "label"), n) for fact, label in words if (n := _words_in(low, label))))
        for where, count in found:
            counts[where] = counts.get(where, 0) + count
    return counts


def _label_words(label: str) -> str | None:
    """A label (normalized) as _words_in looks for it, or None for one of fewer than three letters."""
    return label.lower() if sum(ch.isalpha() for ch in label) >= 3 else None


def _words_in(low: str, words: str) -> int:
    """How many times a lowered text shows `words` (lowered) as whole words: Polizei, not Polizeiruf (str.find:
    a case-insensitive regex tried its look-behind at every character)."""
    count, at = 0, low.find(words)
    while at >= 0:
        end = at + len(words)
        if not (at and _word_char(low[at - 1])) and not (end < len(low) and _word_char(low[end])):
            count += 1
        at = low.find(words, at + 1)
    return count


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _numbers_of(text: str, lang: str) -> tuple:
    return _reading(text, lang)[0]


def _marks_of(text: str, lang: str) -> tuple:
    return _reading(text, lang)[1]


@lru_cache(maxsize=1024)
def _shown(text: str) -> str:
    """normalize(text), kept: the texts around a page's body recur in every guide of a language."""
    return normalize(text)


@lru_cache(maxsize=1024)
def _reading(text: str, lang: str) -> tuple[tuple, tuple]:
    """(the numbers a reader sees in a text, as the language writes them (its decimal sign), not which currency
    each is of: _Uncurrencied; every currency mark, an amount's own too), normalized once; cached: the text
    after a page's body, the .md's appendix, the box's, a date recur in every guide of a language."""
    shown = _shown(text)
    return tuple(numbers(shown, _uncurrencied(lang))), tuple(loose_marks(shown, lang, [], []))


class _Uncurrencied:
    """visible.numbers' unit that asks no currency of a number: verify_around refuses every currency mark of the
    text around the body beyond the titles' (_marks_of), so its numbers' currencies add nothing there, and their
    look-up (currencies.Units.touching, ~25 us a number in Python) was the cost of reading it."""
    longest = 0

    def __init__(self, lang: str):
        self.decimal, self.after_memo, self.before_memo = units(lang).decimal, {}, {}

    def touch_after(self, two: str) -> int:
        return 0

    touch_before = touch_after

    def money_at(self, text: str, start: int, end: int) -> str:
        return ""


_uncurrencied = lru_cache(maxsize=None)(_Uncurrencied)
