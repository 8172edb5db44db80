"""TMX 1.4 (the translation memory exchange format of OmegaT, Trados, Weblate): write and read units.

Pure: bytes in, bytes out. Writing uses xml.etree.ElementTree; reading uses expat directly (the parser
ElementTree is built on) because it gives each <tu>'s line for `path:line:` messages, and because a
file from outside is untrusted: any DTD entity declaration is refused (no entity expansion, internal or
external), the size is capped, and nothing in the file is echoed in full.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from xml.parsers import expat

from ..model import WARNING, Problem, WorkflowError
from ..names import gettext_form
from .memory import Unit

MAX_BYTES = 64 * 1024 * 1024
# TMX nests 4 levels plus inline codes (<bpt>, <sub>...); expat's own element stack grows ~20 bytes of memory
# per byte of `<a><a><a>...` (1.2 GiB for a 64 MiB file), so deeper files are refused at their line
MAX_DEPTH = 64
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_NOT_XML = {chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"} | {"\ufffe", "\uffff"}


def tmx_lang(code: str) -> str:
    """BCP 47, as TMX wants it: zh_CN -> zh-CN."""
    return code.replace("_", "-")


def write_tmx(units: list[Unit], source_lang: str, lang: str, tool_version: str) -> bytes:
    """A TMX 1.4 document, one <tu> per unit (sorted by source: the same memory gives the same bytes),
    with the unit's origin as a <prop type="x-origin">."""
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(root, "header", {
        "creationtool": "workflow", "creationtoolversion": tool_version, "segtype": "sentence",
        "o-tmf": "PO", "adminlang": "en", "srclang": tmx_lang(source_lang), "datatype": "plaintext"})
    body = ET.SubElement(root, "body")
    for unit in sorted(units, key=lambda u: (u.source, u.target)):
        if any(ch in _NOT_XML for ch in unit.source + unit.target):
            continue   # not representable in XML 1.0 (the catalog checks refuse these anyway)
        tu = ET.SubElement(body, "tu")
        ET.SubElement(tu, "prop", type="x-origin").text = unit.origin
        for code, text in ((source_lang, unit.source), (lang, unit.target)):
            tuv = ET.SubElement(tu, "tuv", {_XML_LANG: tmx_lang(code)})
            ET.SubElement(tuv, "seg").text = text
    ET.indent(root, space=" ")
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
            + ET.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n")


@dataclass
class TmxUnit:
    line: int
    segments: dict[str, str]   # language code as written in the file -> segment text


class _Reader:
    """Collects <tu> elements with their lines: the text of each <seg>, inline codes' text included."""

    def __init__(self, path: str):
        self.path = path
        self.parser = expat.ParserCreate()
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.EntityDeclHandler = self._entity
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text
        self.root: str | None = None
        self.version = self.srclang = None
        self.units: list[TmxUnit] = []
        self._unit = self._lang = None
        self._seg: list[str] | None = None
        self._depth = 0

    def _entity(self, *args) -> None:
        raise WorkflowError.at(self.path, self.parser.CurrentLineNumber,
                               "entity declarations are not accepted in a TMX file", "tmx")

    def _start(self, name: str, attrs: dict) -> None:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise WorkflowError.at(self.path, self.parser.CurrentLineNumber,
                                   f"elements nested deeper than {MAX_DEPTH} levels", "tmx")
        if self.root is None:
            self.root, self.version = name, attrs.get("version")
        elif name == "header":
            self.srclang = attrs.get("srclang")
        elif name == "tu":
            self._unit = TmxUnit(self.parser.CurrentLineNumber, {})
        elif name == "tuv" and self._unit is not None:
            self._lang = attrs.get("xml:lang") or attrs.get("lang")
        elif name == "seg" and self._lang:
            self._seg = []

    def _end(self, name: str) -> None:
        self._depth -= 1
        if name == "seg" and self._seg is not None:
            self._unit.segments.setdefault(self._lang, "".join(self._seg))
            self._seg = None
        elif name == "tuv":
            self._lang = None
        elif name == "tu" and self._unit is not None:
            self.units.append(self._unit)
            self._unit = None

    def _text(self, data: str) -> None:
        if self._seg is not None:
            self._seg.append(data)


def read_tmx(data: bytes, path: str) -> tuple[str | None, list[TmxUnit]]:
    """(header source language, units) of a TMX file; a malformed file raises WorkflowError at its line."""
    if len(data) > MAX_BYTES:
        raise WorkflowError.at(path, 1, f"{len(data)} bytes; a TMX file is read up to {MAX_BYTES}", "tmx")
    reader = _Reader(path)
    try:
        reader.parser.Parse(data, True)
    except expat.ExpatError as exc:
        last = max(1, len(data.splitlines()))   # an error at the end of the file is on its last line
        raise WorkflowError.at(path, min(exc.lineno, last), f"not well-formed XML: {expat.ErrorString(exc.code)}",
                               "tmx") from None
    if reader.root != "tmx":
        raise WorkflowError.at(path, 1, "not a TMX file (root element is not <tmx>)", "tmx")
    return reader.srclang, reader.units


def _matches(code: str, lang: str) -> bool:
    """A TMX language (ja, ja-JP, zh-CN, ZH-cn) stands for a project language (ja, zh_CN)."""
    form = gettext_form(code) if len(code) <= 20 else ""
    return form == lang or (form.split("_")[0] == lang and "_" not in lang)


def units_for(parsed: tuple[str | None, list[TmxUnit]], path: str, source_lang: str, lang: str,
              legal_of) -> tuple[list[Unit], list[Problem]]:
    """Memory units for one project language from a read TMX file (read_tmx), with a warning when the
    file has units but none for this language."""
    srclang, tus = parsed
    units, problems = [], []
    for tu in tus:
        source = next((t for c, t in tu.segments.items() if _matches(c, source_lang)), None)
        target = next((t for c, t in tu.segments.items() if _matches(c, lang)), None)
        if source is None or target is None or not target.strip():
            continue   # a unit for other languages: not an error
        units.append(Unit(source, target, f"{path}:{tu.line}", legal_of(source)))
    if tus and not units:
        problems.append(Problem(path, 1, WARNING, f"no unit has both a {source_lang} and a {lang} segment "
                                f"(source language of the file: {str(srclang)[:20]})", "tmx"))
    return units, problems

