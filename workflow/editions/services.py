"""Which emergency service a reader sees named next to an emergency number: one reading for check and verify.

Pure. The maintainers keep each service's vetted names per language in source/facts.yaml (`names:`; the
first one is the label's translation, the others words that name that service alone). A text is read as
a reader sees it (editions.visible: markup, entities, NFKC, format characters already gone), then as a
name *skeleton*: case, accents and other combining marks, letters shaped like Latin ones (Cyrillic о,
Greek ο), Arabic tatweel and letter variants folded, and everything but letters dropped, so that spaces,
punctuation, markup or zero-width characters inside a name ("警 察", "Poli**cía**", "Pоlicía") hide nothing.

A text becomes a sequence of *events*: each emergency number shown (by its digits) and each service
name shown. The rules, the same at `check` (one segment) and in the verification (one edition's body):
- a service named must be one the source names or shows the number of;
- a number's neighbours in the sequence that name another service must be so in the source too, on the
  same side (the number before or after the name): a swap of two labels, or of two numbers, changes them;
- a number the source shows beside its own service's name keeps one of its names beside it (in a language
  with vetted names; a number changed or gone is the number checks' to report).
A label (the emergency box's, ui.po's) must read exactly as its service's vetted name, or as the English
label (the fallback), and a language without vetted names has its labels unverified (a warning at `check`;
other services' English names are still refused).
"""
from __future__ import annotations

import heapq
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from ..model import Fact
from .facts import fill
from .segment import walk_texts
from .visible import markdown_text

SOURCE_LANGUAGE = "en"
# letters a reader takes for Latin ones (Unicode's confusables.txt): "Pоlicía" with Cyrillic о. Capitals are
# folded before case folding (Greek Ν is N, its small ν a v): Cyrillic, Greek, Lisu (ꓑꓳꓡꓲꓚꓰ) and Armenian;
# then small letters, Latin small capitals (ᴘᴏʟɪᴄᴇ: no NFKD form) and Cherokee capitals (ᏢᎾᏞ: case folding keeps them)
_LOOKALIKES = str.maketrans(
    "АВЕКМНОРСТУХІЈЅҺӀΑΒΕΖΗΙΚΜΝΟΡΤΥΧꓐꓑꓓꓔꓖꓗꓙꓚꓜꓝꓟꓠꓡꓢꓣꓦꓧꓪꓫꓬꓮꓰꓲꓳꓴՕՍ"
    "аеорсухіјѕԁһӏɑıǀοαικνρτυχϲвнмткօսհոզց" "ɢɪɴʀʏʙʜʟᴀᴄᴅᴇᴊᴋᴍᴏᴘᴛᴜᴠᴡᴢꜰꜱꞯ" "ᎪᏴᏟᎠᎬᏀᎻᎫᏦᏞᎷᎾᏢᏒᏚᎢᏙᎳᏃ",
    "abekmhopctyxijshlabezhikmnoptyxbpdtgkjczfmnlsrvhwxyaeiouou"
    "aeopcyxijsdhlailoaikvptuxcbhmtkouhnqg" "ginrybhlacdejkmoptuvwzfsq" "abcdeghjklmoprstvwz")
# Arabic: tatweel stretches a word without changing it; teh marbuta/heh, alef maksura/yeh, Persian yeh and
# keheh read alike to a reader in a hurry
_ARABIC = {"\u0640": "", "\u0629": "\u0647", "\u0649": "\u064a", "\u06cc": "\u064a", "\u06a9": "\u0643"}
_NUMBER_EDGE = r"(?<![\d.,])({})(?![\d]|[.,]\d)"


_FOLDS = {**{ord(k): v for k, v in _ARABIC.items()}, **_LOOKALIKES}
_FOLDED = re.compile("[" + "".join(map(chr, _FOLDS)) + "]")
_READ_AS_MARKDOWN = re.compile(r"[&\\\[<`]")   # entities, escapes, links and images, HTML and autolinks, code
_NOT_LETTER = re.compile(r"[\W\d_]+")
_ASCII_NOT_LETTER = bytes(c for c in range(128) if not chr(c).islower())   # after lower(): all but a-z   # marks (NFKD's accents), spaces, punctuation, symbols, digits


def skeleton(text: str) -> str:
    """The letters of `text` (already as a reader sees it) as compared for names: NFKD, case folded,
    marks and all but letters dropped, lookalikes and Arabic variants folded (whole-text C calls: a
    str.translate of every character cost ~0.2 us each, a page 7 ms)."""
    if text.isascii():   # the same, ~25x cheaper: NFKD and the folds change no ASCII character
        return text.encode().lower().translate(None, _ASCII_NOT_LETTER).decode()
    text = unicodedata.normalize("NFKD", text)
    if _FOLDED.search(text):   # before case folding (a capital's look) and after (the small letters it gave)
        text = text.translate(_FOLDS)
    text = text.casefold()
    if _FOLDED.search(text):
        text = text.translate(_FOLDS)
    return _NOT_LETTER.sub("", text)


@dataclass(frozen=True)
class Event:
    fact: str       # the service's id
    number: bool    # its number shown, or its name


class Services:
    """The services' names as one language reads them: its labels' vetted names (the language's, else its
    base language's, as the glossary reads renderings; the English ones for en_XA, en_GB), and every name
    of every language, which any text may show."""

    def __init__(self, registry, lang: str):
        base = lang.split("_")[0]
        self.lang, self.facts = lang, {f.id: f for f in registry.emergency}
        self.english_variant = base == SOURCE_LANGUAGE   # en_XA, en_GB: the English names themselves
        terms: dict[str, str] = {}
        self.labels: dict[str, str | None] = {}
        self.vetted_names: dict[str, tuple[str, ...]] = {}
        for fact in registry.emergency:
            names = registry.names.get(fact.id, {})
            english = (fact.label, *names.get(SOURCE_LANGUAGE, ()))
            own = english if self.english_variant else names.get(lang) or names.get(base) or ()
            self.vetted_names[fact.id] = own
            self.labels[fact.id] = skeleton(own[0]) if own else None
            # every language's names: a name written in another language or script is still shown
            for name in (*english, *(n for found in names.values() for n in found)):
                key = skeleton(name)
                if key and terms.setdefault(key, fact.id) != fact.id:
                    terms[key] = ""   # two services share it: it names neither (maintainer.py refuses this)
        self.english_labels = {f.id: skeleton(f.label) for f in registry.emergency}
        self.vetted = all(self.labels.values())
        self.terms = {k: v for k, v in terms.items() if v}
        self._terms = sorted(self.terms, key=len, reverse=True)
        self._ascii_terms = [term for term in self._terms if term.isascii()]
        by_length = sorted(registry.emergency, key=lambda f: -len(f.number))
        self._by_number = {f.number: f.id for f in by_length}
        # a number standing alone (not part of a longer one, a decimal or a grouping), as facts.protect reads them
        self.numbers = re.compile(_NUMBER_EDGE.format("|".join(re.escape(n) for n in self._by_number))) \
            if by_length else None
        # what events() depends on: the same in every language of a registry
        # (a str: its hash is kept, and every entry's bits look it up; a tuple's is computed on each lookup)
        self.key = repr((sorted(self.terms.items()), list(self._by_number.items())))
        # segment_events' readings, shared by every language's Services of the registry with this key
        reads = registry.derived.setdefault(f"{__name__}.segment_events", {})
        self.segment_reads: dict = reads.setdefault(self.key, {})
        # source_body_events' surely_unnamed answers by exact text, shared the same way (it depends only on
        # what the key holds): guides repeat their sentences (the bench's 30: 6,860 texts, 875 distinct)
        unnamed = registry.derived.setdefault(f"{__name__}.surely_unnamed", {})
        self.unnamed_reads: dict[str, bool] = unnamed.setdefault(self.key, {})
        # verify_front's readings of the texts around a page's body (names and label words by text), this language's
        self.around_reads: dict = {}

    def named(self, text: str) -> list[str]:
        """The services named in `text` (as a reader sees it), in order, a run of one service's names once:
        leftmost, then longest names, as a regex alternation of them longest first reads them (str.find per
        name is ~10x cheaper on a page than that alternation)."""
        out: list[str] = []
        for fact in self._names_read(text):
            if not out or out[-1] != fact:
                out.append(fact)
        return out

    def counted(self, text: str) -> tuple:
        """How many times `text` (as a reader sees it) names each service, as (service, count) pairs: every name
        read as named() reads them, one after another of the same service each counted (named() gives such a
        run once)."""
        return tuple(Counter(self._names_read(text)).items())

    def _names_read(self, text: str):
        """The service of each name in `text`, in order: leftmost, then longest names."""
        key = skeleton(text)
        end = 0
        # each name's places in order, merged lazily: a hostile text with a name 100,000 times holds no list of them
        # most texts hold none: one C scan per name (an ASCII text's per ASCII name)
        present = [term for term in (self._ascii_terms if key.isascii() else self._terms) if term in key]
        for at, length, fact in heapq.merge(*(self._places(key, term) for term in present)):
            if at >= end:
                end = at - length
                yield fact

    def _places(self, key: str, term: str):
        fact, length = self.terms[term], -len(term)
        at = key.find(term)
        while at >= 0:
            yield at, length, fact
            at = key.find(term, at + 1)

    def surely_unnamed(self, text: str) -> bool:
        """True only when shown_text(text, {}) shows no emergency number and no name (events() finds none),
        found without reading its Markdown (a markdown-it parse per source segment was ~5 % of a `check`):
        an ASCII text without entities, escapes, links, HTML or code spans, whose reading then only drops
        emphasis markers (no letters), whose letters hold no name and whose digits, those markers taken out,
        no number. tests/test_service_names.py holds it against the reading."""
        if not text.isascii() or _READ_AS_MARKDOWN.search(text):
            return False
        key = skeleton(text)
        if any(term in key for term in self._ascii_terms):   # an ASCII text holds no other name
            return False
        bare = text.replace("*", "").replace("_", "")
        return not any(number in bare for number in self._by_number)

    def number_spans(self, text: str) -> list[tuple[int, int]]:
        """Where an emergency number stands alone in `text`: the matches of self.numbers (the reference,
        tests/test_service_names.py), found by str.find (that pattern tried its look-behind at every
        character of a page)."""
        found = []
        for number in self._by_number:   # longest first
            at = text.find(number)
            while at >= 0:
                end = at + len(number)
                if not (at and (text[at - 1].isdecimal() or text[at - 1] in ".,")) and not (
                        text[end:end + 1].isdecimal() or (text[end:end + 1] in (".", ",") and text[end + 1:end + 2].isdecimal())):
                    found.append((at, -len(number)))
                at = text.find(number, at + 1)
        spans, last = [], 0
        for at, length in sorted(found):   # leftmost, then longest, as the alternation reads them
            if at >= last:
                spans.append((at, at - length))
                last = at - length
        return spans

    def events(self, text: str, near: int | None = None) -> list[Event]:
        """The numbers and names a reader sees in `text` (visible.normalize'd), in order. `near`: only the
        names within that many characters of a number (a page: the text between distant numbers is not read,
        a GAP stands for it), so that a page without emergency numbers costs a few str.find calls."""
        spans = self.number_spans(text)
        if not spans and near is not None:
            return []
        out: list[Event] = []
        starts = [0] + [end for _, end in spans]
        ends = [start for start, _ in spans] + [len(text)]
        for i, (start, end) in enumerate(zip(starts, ends)):
            if i:
                out.append(Event(self._by_number[text[spans[i - 1][0]:spans[i - 1][1]]], True))
            if near is not None and end - start > (2 - (i == 0) - (i == len(spans))) * near:
                # after the number before it, and before the number after it: each side is read by itself
                out += self._names_in(text[start:start + near] if i else "", out)
                out.append(GAP)
                out += self._names_in(text[end - near:end] if i < len(spans) else "", out)
                continue
            out += self._names_in(text[start:end], out)
        return out

    def _names_in(self, piece: str, before: list[Event]) -> list[Event]:
        return [Event(fact, False) for n, fact in enumerate(self.named(piece))
                if n or not before or before[-1] != Event(fact, False)]

    def label_problem(self, fact_id: str, shown: str) -> str | None:
        """What is wrong with `shown` (as a reader sees it) as the label of `fact_id`, or None: it reads as
        the vetted name or the English label (what an untranslated label shows), nothing else."""
        key = skeleton(shown)
        if key == self.english_labels[fact_id] or key == self.labels[fact_id]:
            return None
        others = [f for f in dict.fromkeys(self.named(shown)) if f != fact_id]
        if others:
            return f"{self.describe(fact_id)} is labelled {shown!r}, a name of {self.describe(others[0])}: a " \
                   f"reader would call the wrong service"
        if self.labels[fact_id] is None:
            return None   # unverified: the language has no vetted names (a warning at check)
        return f"{self.describe(fact_id)} is labelled {shown!r}, not its vetted name " \
               f"{self.vetted_names[fact_id][0]!r} (source/facts.yaml)"

    def describe(self, fact_id: str) -> str:
        fact = self.facts[fact_id]
        return f"{fact.number} ({fact.label})"


# how far from an emergency number a page's text is read for names: a sentence, a list item, a table row
NEAR = 200
GAP = Event("", False)   # text not read between two events: they are not neighbours


def shown_text(template: str, placeholders: dict) -> str:
    """A segment's text as a reader sees it (visible.markdown_text), an emergency number's placeholder as its
    digits, a price's as a space."""
    values = {name: value.number if isinstance(value, Fact) else " " for name, value in placeholders.items()}
    return markdown_text(fill(template, values, brace_format=bool(placeholders)))


def segment_events(msgid: str, placeholders: dict, names: Services) -> list:
    """The numbers and names a source text with these placeholders shows a reader, read once per registry
    names (Services.segment_reads) whatever the guide or language: the checks ask it of each entry's
    segment, the verification of each text that is its segment's (source_body_events), so a sentence met
    in several guides is read once for all of them and for both."""
    try:
        key = (msgid, tuple(placeholders.items()))
        found = names.segment_reads.get(key)
    except TypeError:   # a value that does not hash: read, not kept
        key = found = None
    if found is None:
        found = [] if not placeholders and names.surely_unnamed(msgid) else \
            names.events(shown_text(msgid, placeholders))
        if key is not None:
            names.segment_reads[key] = found
    return found


def source_body_events(doc, names: Services) -> list:
    """The numbers and names the source body shows, text by text (most read without their Markdown:
    Services.surely_unnamed), once per guide and registry names; each text through segment_events, which the
    checks share in a build."""
    kept = doc.derived.setdefault(__name__, {})
    if names.key not in kept:
        texts, plain = [], []   # plain: a text as shown_text reads it, Markdown aside (prices as a space)
        for text in walk_texts(doc.blocks):
            held = text.placeholders   # most texts hold none: no generator, no fill
            facts = held and any(isinstance(v, Fact) for v in held.values())
            texts.append((text, None if facts else fill(text.template, dict.fromkeys(held, " "), True) if held
                          else text.template))
            plain.append(texts[-1][1] or "")
        # none of them holds a name or number when all of them together hold none (a guide without emergency
        # numbers: one reading); else each is asked
        everything = names.surely_unnamed("\n".join(plain))
        kept[names.key] = [event for text, bare in texts
                           if bare is None or not (everything or _surely_unnamed(bare, names))
                           for event in segment_events(text.template, text.placeholders, names)]
    return kept[names.key]


def _surely_unnamed(text: str, names: Services) -> bool:
    """names.surely_unnamed(text), read once per text and registry names (Services.unnamed_reads)."""
    found = names.unnamed_reads.get(text)
    if found is None:
        found = names.unnamed_reads[text] = names.surely_unnamed(text)
    return found


def services_for(registry, lang: str) -> Services:
    """The registry's Services for `lang`, built once per registry and language."""
    kept = registry.derived.setdefault(__name__, {})
    if lang not in kept:
        kept[lang] = Services(registry, lang)
    return kept[lang]


def pairs(events: list[Event]) -> set[tuple[str, str, bool]]:
    """(number's service, a neighbouring name's service, the name comes first) for each number of
    `events` next to another service's name."""
    found = set()
    for i, event in enumerate(events):
        if not event.number:
            continue
        for j, before in ((i - 1, True), (i + 1, False)):
            if 0 <= j < len(events) and not events[j].number and events[j].fact not in (event.fact, ""):
                found.add((event.fact, events[j].fact, before))
    return found


def misplaced(events: list[Event], source: list[Event], services: Services) -> list[str]:
    """What a reader sees wrongly named in `events` against the source's: a service the source neither
    names nor shows the number of, a number next to another service's name where the source has none."""
    allowed = {e.fact for e in source}
    problems = [f"shows a name of {services.describe(fact)}, which the source does not name here"
                for fact in dict.fromkeys(e.fact for e in events if not e.number) if fact not in allowed and fact]
    # a text read whole as (name, number) or (number, name) pairs of one service each, in one order, leaves a
    # reader no other reading: another service's name beside a number there belongs to its own number
    # ("救急車は119、警察は112" for "Call 119 for an ambulance or 112 for the police")
    forgiven = {pair for run in _runs(events) if _paired(run) for pair in pairs(run)}
    for number, name, before in sorted(pairs(events) - pairs(source) - forgiven):
        problems.append(f"shows {services.facts[number].number} {'after' if before else 'before'} a name of "
                        f"{services.describe(name)}: a reader would call the wrong service")
    if services.vetted:   # a language without vetted names: what names its services is not known
        shown = {e.fact for e in events if e.number}   # a number changed or gone: the number checks say so
        for fact in sorted((named_numbers(source) - named_numbers(events)) & shown):
            problems.append(f"shows {services.facts[fact].number} without a name of {services.describe(fact)} "
                            f"next to it, as the source has: write one of its vetted names "
                            f"{', '.join(map(repr, services.vetted_names[fact]))} (source/facts.yaml)")
    return problems


def named_numbers(events: list[Event]) -> set[str]:
    """The services whose number is shown next to a name of their own."""
    return {e.fact for i, e in enumerate(events) if e.number and any(
        0 <= j < len(events) and events[j] == Event(e.fact, False) for j in (i - 1, i + 1))}


def _runs(events: list[Event]):
    """The events between GAPs (text not read): a page's passages read by themselves."""
    run: list[Event] = []
    for event in events:
        if event == GAP:
            yield run
            run = []
        else:
            run.append(event)
    yield run


def _paired(run: list[Event]) -> bool:
    """Whether `run` is a sequence of (its name, its number) pairs, or of (its number, its name) pairs, each
    of one service: every name and every number has its place."""
    if len(run) % 2:
        return False
    return any(all(not run[k + first].number and run[k + 1 - first].number and run[k].fact == run[k + 1].fact
                   for k in range(0, len(run), 2)) for first in (0, 1))
