"""Plain values passed between the pure stages. No I/O here."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Union

# DERIVED: what a pure stage computes from a Segment or a Document once (a check's source facts, what every
# edition of a guide must show) is kept on that value, keyed by the computing function's name. It lives and
# dies with the value it is derived from: no module-level cache to clear, no id() reused by another object.

# Bidi embedding, override and isolate controls: they reorder what a reader sees ("\u202e119" shows 911).
# The PO reader refuses them as characters; the checks refuse a character reference to one.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

ERROR = "error"
WARNING = "warning"
INFO = "info"


class WorkflowError(Exception):
    """The one exception type users see: it carries problems that point at a file and line."""

    def __init__(self, message: str, problems: list["Problem"] | None = None):
        super().__init__(message)
        self.problems = problems or []

    @classmethod
    def at(cls, path: str, line: int, message: str, check: str, severity: str = ERROR) -> "WorkflowError":
        """An error about one place in one file: the only way code outside this module spells a problem."""
        problem = Problem(str(path), line, severity, message, check)
        return cls(str(problem), [problem])

    def as_problems(self, path: str, check: str) -> list["Problem"]:
        """The problems as they are; a message without a place becomes one problem at `path`:1, never nested."""
        return self.problems or [Problem(str(path), 1, ERROR, super().__str__(), check)]

    def __reduce__(self):  # keep the problems when raised in a worker process
        return type(self), (self.args[0] if self.args else "", self.problems)

    def __str__(self) -> str:
        if self.problems:
            return "\n".join(str(p) for p in self.problems)
        return super().__str__()


def one_line(text: str, limit: int) -> str:
    """At most `limit` characters on one line: enough to recognise a text, never the whole of it."""
    flat = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    severity: str
    message: str
    check: str
    segment: str | None = None

    def __str__(self) -> str:
        # one line whatever the message quotes: a line break from a file could forge another problem line
        message = self.message.translate(_ONE_LINE) if not self.message.isprintable() else self.message
        return f"{self.path}:{self.line}: {self.severity}: {message} [{self.check}]"

    @classmethod
    def parse(cls, text: str) -> "Problem | None":
        """The problem printed as `text`, or None: holds the one format (a message never nests another)."""
        match = _PROBLEM_LINE.fullmatch(text)
        return cls(match["path"], int(match["line"]), match["severity"], match["message"], match["check"]) \
            if match else None

    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "severity": self.severity,
                "message": self.message, "check": self.check, "segment": self.segment}


_ONE_LINE = {ord(c): repr(c)[1:-1] for c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"}
_PROBLEM_LINE = re.compile(r"(?P<path>[^\s:][^:]*):(?P<line>\d+): (?P<severity>error|warning|info): "
                           r"(?P<message>.*?) \[(?P<check>[\w.-]+)\]")


@dataclass(frozen=True)
class Price:
    """A price or price range as written in the source, parsed to values."""
    currency: str
    low: Decimal
    high: Decimal | None = None
    approx: bool = False
    open_ended: bool = False  # "$40,000+"
    source: str = ""

    def describe(self) -> str:
        text = f"{self.currency} {self.low:,}"
        if self.high is not None:
            text += f"-{self.high:,}"
        if self.open_ended:
            text += "+"
        if self.approx:
            text = "approx. " + text
        return text

    def values(self) -> list[Decimal]:
        return [self.low] if self.high is None else [self.low, self.high]


@dataclass(frozen=True)
class Fact:
    """A registered fact (emergency number) that a translation must carry unchanged."""
    id: str
    number: str
    label: str


Value = Union[Price, Fact]


@dataclass
class Segment:
    """One translatable unit: becomes one catalog entry (occurrences merged by msgid)."""
    msgid: str
    line: int
    kind: str                      # heading, paragraph, item, cell, quote, title, excerpt, alt
    placeholders: dict[str, Value] = field(default_factory=dict)
    context: str = ""              # human hint for translators (table/column)
    legal: str | None = None       # disclaimer id when this is registered legal text
    derived: dict = field(default_factory=dict, compare=False, repr=False)   # see DERIVED

    @property
    def brace_format(self) -> bool:
        return bool(self.placeholders)


@dataclass
class Text:
    """Inline text of a block: a template with placeholders, translatable or not (numbers/prices only)."""
    template: str
    placeholders: dict[str, Value]
    segment: Segment | None


@dataclass
class Heading:
    level: int
    text: Text
    line: int


@dataclass
class Paragraph:
    text: Text
    line: int


@dataclass
class ListItem:
    blocks: list[Block]
    line: int


@dataclass
class ListBlock:
    ordered: bool
    start: int
    items: list[ListItem]
    line: int


@dataclass
class Table:
    aligns: list[str]
    header: list[Text]
    rows: list[list[Text]]
    line: int


@dataclass
class Quote:
    blocks: list[Block]
    line: int


@dataclass
class Rule:
    line: int


@dataclass
class Code:
    info: str
    code: str
    line: int


Block = Union[Heading, Paragraph, ListBlock, Table, Quote, Rule, Code]


@dataclass
class Document:
    """A parsed source guide: front matter, block tree and its segments in document order."""
    guide: str
    path: str
    meta: dict
    meta_texts: dict[str, Text]    # translatable front matter keys (title, excerpt)
    blocks: list[Block]
    segments: list[Segment]
    derived: dict = field(default_factory=dict, compare=False, repr=False)   # see DERIVED


@dataclass
class Entry:
    """A translator's entry as read from a catalog, with the line to point at (plain data: no PO here)."""
    msgid: str
    msgstr: str
    msgctxt: str | None
    fuzzy: bool
    obsolete: bool
    line: int            # the msgstr line, where a translator fixes things
    flags: tuple[str, ...]   # a tuple: most entries have none, and the empty tuple is no new object
    previous_msgid: str | None = None

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and not self.fuzzy and not self.obsolete


@dataclass
class TranslatedCatalog:
    """A language's catalog for one domain (guide or UI), as the catalog reader returns it."""
    path: str
    lang: str | None
    entries: list[Entry]
    header_line: int = 1
    _live: tuple = field(default=(None, -1, None), init=False, repr=False, compare=False)   # see lookup

    def lookup(self) -> dict[str, Entry]:
        """msgid -> the live entry (not obsolete, no context; the last one of a msgid), shared by every caller
        (read it, never change it): made once per catalog, not once per use (a build asked it twice an edition,
        for the coverage gate and the approved entries: ~1 % of the build). Made afresh for another list of
        entries or another length; a catalog's entries are otherwise not edited after it is read."""
        entries, size, live = self._live
        if entries is not self.entries or size != len(self.entries):
            live = {e.msgid: e for e in self.entries if not e.obsolete and e.msgctxt is None}
            self._live = (self.entries, len(self.entries), live)
        return live
