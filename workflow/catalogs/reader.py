"""Reading gettext catalogs: what translators wrote, as plain entries (model.TranslatedCatalog).

parser.py reads the file in one strict pass that refuses malformed files (polib, which read them
before, is the reference it is tested against in tests/test_po_reader.py); read() refuses what it
refused and builds the entries and the language polib would have read. Takes bytes, opens no file.
quick.py reads most catalogs (clean, in the layout PO writers use) with one pattern match per entry and
the same result; for any other file it answers None and parser.py reads it (tests/test_quick_read.py).
"""
from __future__ import annotations

from ..model import Entry, TranslatedCatalog, WorkflowError
from . import parser, quick


def ensure_valid(data: bytes, path: str) -> None:
    problems = parser.validate(data, path)
    if problems:
        raise WorkflowError(f"{path}: malformed catalog", problems)


def read(data: bytes, path: str) -> TranslatedCatalog:
    """Parse a PO file strictly; raises WorkflowError listing every syntax problem with its line."""
    found = quick.read_clean(data)   # a file in the common layout and clean: one scan (compiled) or match per entry
    entries, header = found if found is not None else read_strict(data, path)
    return TranslatedCatalog(path=path, lang=_language(header) if header is not None else None, entries=entries)


def read_strict(data: bytes, path: str) -> tuple[list[Entry], str | None]:
    """(entries, the header's msgstr) by the line-by-line parser, which reports every problem."""
    parsed, problems, refusals = parser.parse(data, path)
    if problems or refusals:  # of what polib refused, it reported the first and stopped: so does read()
        raise WorkflowError(f"{path}: malformed catalog", problems or [min(refusals, key=lambda p: p.line)])
    entries, headers = [], []
    for e in parsed:
        if e.obsolete or e.fields["msgid"][1]:
            entries.append(_entry(e))
        else:
            headers.append(e)
    # polib's header: the last msgid "" without a context, else the first msgid ""
    header = next((e for e in reversed(headers) if not e.text("msgctxt")), headers[0]) if headers else None
    return entries, (header.text("msgstr") or "") if header else None


def _entry(e: parser.ParsedEntry) -> Entry:
    return Entry(msgid=e.fields["msgid"][1], msgstr=e.text("msgstr") or e.text("msgstr[0]", ""),
                 msgctxt=e.text("msgctxt"), fuzzy="fuzzy" in e.flags, obsolete=e.obsolete, line=e.line,
                 flags=tuple(e.flags), previous_msgid=e.previous)


def _language(header: str) -> str | None:
    """The Language field as polib read it: exact name; a line without ':' continues the previous field."""
    lang = name = None
    for row in header.splitlines():
        if ":" in row:
            name, _, value = row.partition(":")
            if name == "Language":
                lang = value.strip()
        elif name == "Language":
            lang += "\n" + row.strip()
    return lang or None
