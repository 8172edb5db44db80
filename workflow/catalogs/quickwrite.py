"""Writing a catalog's entries as Babel's write_po does, byte for byte, at a third of its cost (issue 17).

write_po re-escapes every word of a long msgid to measure it (babel.messages.pofile.normalize: ~40 % of
`extract`'s writing). Here a line without characters to escape is measured by its length, and the lines of
a wrapped msgid are found by bisecting the running sum of its chunks' lengths: the same greedy rule, the
same chunks (Babel's WORD_SEP), the same TextWrapper for long comments. A line with `"`, `\\` or a tab is
measured by Babel's escape(); plural or obsolete entries, conflicts and other charsets go to write_po.
tests/test_quick_write.py compares both routes on generated catalogs and on every catalog of the project.
"""
from __future__ import annotations

import os
import re
from bisect import bisect_left
from functools import lru_cache
from itertools import accumulate

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import WORD_SEP, _enclose_filename_if_necessary, escape, generate_po, normalize
from babel.util import TextWrapper   # Babel's own: its word separators, file names kept whole

# the characters escape() doubles (each gains one backslash), and whitespace textwrap and str.strip()
# would read differently (only the space is whitespace to both)
_ESCAPED = re.compile(r'[\\\t\r\n"]')
_OTHER_SPACE = re.compile(r"[^\S ]")
_SPACES = re.compile(r"(\s+)")
# escape()'s characters and the line breaks of str.splitlines (normalize splits lines there)
_BREAK_OR_ESCAPED = re.compile(r'[\\\t\r\n"\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]')


def eligible(catalog: Catalog) -> bool:
    """Whether every entry has the shape this writer covers (the caller uses write_po otherwise)."""
    if catalog.charset.lower() != "utf-8" or catalog.obsolete:
        return False
    messages = iter(catalog)
    next(messages)   # the header: written by Babel itself (entries())
    return all(_simple(message, catalog) for message in messages)


def _simple(message: Message, catalog: Catalog) -> bool:
    return (type(message.id) is str and type(message.string or "") is str
            and (message.context is None or type(message.context) is str)
            and all(type(name) is str and (lineno is None or type(lineno) is int)
                    for name, lineno in message.locations)
            and not catalog.get_conflicts(message.id, message.context))


def write(catalog: Catalog, width: int) -> bytes:
    """What write_po(catalog, width=width, include_previous=False, sort_output=False) writes, for an
    eligible() catalog."""
    out = _header(catalog, width)
    comment = _Comments(width)
    messages = iter(catalog)
    next(messages)
    for message in messages:
        for text in message.user_comments:
            out += comment.lines(text, "")
        for text in message.auto_comments:
            out += comment.lines(text, ".")
        out += comment.lines(_locations(message), ":")
        if message.flags:
            out.append(f"#{', '.join(['', *sorted(message.flags)])}\n")
        if message.context:
            out.append(f"msgctxt {quick_normalize(message.context, width)}\n")
        out.append(f"msgid {quick_normalize(message.id, width)}\n")
        out.append(f"msgstr {quick_normalize(message.string or '', width)}\n")
        out.append("\n")
    return "".join(out).encode("utf-8", "backslashreplace")


def _header(catalog: Catalog, width: int) -> list[str]:
    """The header entry's lines, as write_po's own generator yields them (it yields the header first)."""
    lines, gen = [], generate_po(catalog, width=width)
    for line in gen:
        lines.append(line)
        if line.startswith("msgstr"):
            lines.append(next(gen))   # the blank line that ends the entry
            break
    gen.close()
    return lines


def _locations(message: Message) -> str:
    locations = message.locations
    if len(locations) > 1:   # a guide's entry mostly has one (sorting one calls the key and builds a list)
        try:
            locations = sorted(locations, key=lambda x: (x[0], isinstance(x[1], int) and x[1] or -1))
        except TypeError:
            pass
    locs = {}
    for filename, lineno in locations:
        location = _enclose_filename_if_necessary(filename.replace(os.sep, "/"))
        locs[f"{location}:{lineno:d}" if lineno else location] = None
    return " ".join(locs)


class _Comments:
    """write_po's comment lines: textwrap as Babel configures it, except for a short comment whose only
    whitespace is the space (one line: the comment stripped); results kept per text for the catalog."""

    def __init__(self, width: int):
        self.width = width if width and width > 0 else 76
        self.wrapper = TextWrapper(width=self.width, break_long_words=False)
        self.memo: dict[str, list[str]] = {}

    def lines(self, text: str, prefix: str) -> list[str]:
        wrapped = self.memo.get(text)
        if wrapped is None:
            if len(text) <= self.width and not _OTHER_SPACE.search(text):
                wrapped = [text] if text.strip() else []
            else:
                wrapped = self.wrapper.wrap(text)
            self.memo[text] = wrapped
        return [f"#{prefix} {line.strip()}\n" for line in wrapped]


def quick_normalize(string: str, width: int) -> str:
    """normalize(string, prefix="", width=width) of babel.messages.pofile, byte for byte."""
    if not width or width <= 0:
        return normalize(string, width=width)
    # one short line without characters to escape: escape() is its quoting (half of the calls: the empty
    # msgstr of every template entry, short headings and cells)
    if len(string) + 2 <= width and not _BREAK_OR_ESCAPED.search(string):
        return f'"{string}"'
    lines = []
    for line in string.splitlines(True):
        # escape() adds one character per `"`, `\\`, tab, CR, LF: a line without them is measured by len()
        plain = not _ESCAPED.search(line)
        if (len(line) if plain else len(escape(line)) - 2) + 2 > width:
            chunks = _chunks(line)
            lengths = map(len, chunks) if plain else [len(escape(chunk)) - 2 for chunk in chunks]
            lines += _wrapped(chunks, lengths, width)
        else:
            lines.append(line)
    if len(lines) <= 1:
        return escape(string)
    if not lines[-1]:
        del lines[-1]
        lines[-1] += "\n"
    return '""\n' + "\n".join([escape(line) for line in lines])


def _chunks(line: str) -> list[str]:
    """WORD_SEP.split(line), cheaper: WORD_SEP backtracks through every word (~90 us a line) though its
    hyphen and em-dash alternatives only match within a run without whitespace, each at a "-", and look
    no further than that run. So the line is split at its whitespace, and WORD_SEP splits only the runs
    holding a "-"."""
    parts = _SPACES.split(line)
    if "-" not in line:
        return parts
    # the runs (even places: the pattern's group keeps the whitespace at odd ones) holding a "-" give their
    # chunks, the parts between them are copied by slices: each part once (a replacement in place moved the
    # rest of the line each time, quadratic: a translator's line of 320,000 hyphenated words took 38 s)
    chunks, last = [], 0
    for i in [i for i in range(0, len(parts), 2) if "-" in parts[i]]:
        part = parts[i]
        chunks += parts[last:i]
        chunks += _memo_split_run(part) if len(part) <= _MEMO_RUN else _split_run(part)
        last = i + 1
    chunks += parts[last:]
    return chunks


_MEMO_RUN = 64   # a longer run is split anew: the memo holds no guide-sized words


@lru_cache(maxsize=4096)   # keyed by the run (a str): the same hyphenated words recur (2,300 runs, 136 distinct in 30 guides)
def _memo_split_run(run: str) -> tuple[str, ...]:
    return tuple(_split_run(run))


def _split_run(run: str) -> list[str]:
    """WORD_SEP.split(run) for a run without whitespace, in linear time: WORD_SEP tries its hyphen
    alternative at every character of a word and reads the word to its end each time (a 20,000-letter
    word before a "-": 2.4 s, quadratic). The run is read as its runs of word (\\w) and other characters;
    WORD_SEP's scan only ever enters one at its start, and its matches are:
    - a hyphenated word: [other] word "-" word, the first word of 2+ characters ending in an ASCII letter,
      the "-" alone between them, the second word with an ASCII letter after its first character;
    - an em-dash: 2+ "-" ending a run of other characters, right before a word, after a word character
      or one of !"'&.,? (not after the run's start)."""
    tokens = [(m.start(), m.end()) for m in _RUNS.finditer(run)]
    word = [bool(_WORD.match(run, start)) for start, _ in tokens]

    def hyphenated(i: int) -> bool:   # tokens[i] is a word followed by "-" and a word: WORD_SEP's second case
        start, end = tokens[i]
        return (word[i] and end - start >= 2 and run[end - 1] in _ASCII_LETTERS and i + 2 < len(tokens)
                and run[end:tokens[i + 1][1]] == "-" and _LETTER_AFTER_FIRST.match(run, tokens[i + 2][0]) is not None)

    out, last, i = [], 0, 0
    while i < len(tokens):
        start, end = tokens[i]
        match, after = None, i + 1
        if hyphenated(i):
            match, after = (start, end + 1), i + 2
        elif not word[i] and i + 1 < len(tokens) and hyphenated(i + 1):
            match, after = (start, tokens[i + 1][1] + 1), i + 3
        elif not word[i] and i + 1 < len(tokens):
            dashes = len(run[start:end]) - len(run[start:end].rstrip("-"))
            at = end - dashes
            if dashes >= 2 and at > 0 and (run[at - 1] in _BEFORE_DASH or _WORD.match(run, at - 1)):
                match = (at, end)
        if match:
            out += [run[last:match[0]], run[match[0]:match[1]]]
            last = match[1]
        i = after
    out.append(run[last:])
    return out


_RUNS = re.compile(r"\w+|[^\s\w]+")
_WORD = re.compile(r"\w")
_LETTER_AFTER_FIRST = re.compile(r"\w\w*?[a-zA-Z]")
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_BEFORE_DASH = frozenset("!\"'&.,?")


def _wrapped(chunks: list[str], lengths, width: int) -> list[str]:
    """Babel's greedy fill: a line takes chunks while 2 + their escaped length < width, at least one. The
    sums never decrease as chunks are added, so a line's chunks end where the running sum reaches the
    limit: one bisection per line instead of one escape() per chunk."""
    sums = list(accumulate(lengths, initial=0))
    lines, start, count = [], 0, len(chunks)
    while start < count:
        end = max(bisect_left(sums, sums[start] + width - 2) - 1, start + 1)
        lines.append("".join(chunks[start:end]))
        start = end
    return lines
