"""The maintainers' YAML files (workflow.yaml, source/facts.yaml, source/glossary.yaml): read with the line of
every key and item, and checked against their shape, so that a missing key, a wrong type or a duplicate is
an error at `FILE:LINE`, all of a file's problems at once, never a traceback later in a check or a build.

Bottom layer: takes text, returns data or raises WorkflowError; the project reads the files.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import yaml

from . import safefs, safeyaml
from .model import ERROR, Problem, WorkflowError, one_line
from .names import check_lang

Where = tuple  # a key's path in the file: ("terms", 3, "en")
FACTS_KEYS = ("emergency", "disclaimers", "currency")
EMERGENCY_KEYS = {"id": True, "number": True, "label": True, "note": False, "names": False}
DISCLAIMER_KEYS = {"id": True, "heading": True, "text": True}
CURRENCY_KEYS = {"default", "symbols", "codes"}
_FACT_ID = re.compile(r"[a-z][a-z0-9_]*")
_CODE = re.compile(r"[A-Z]{3}")


def compose(text: str, shown: str, check: str) -> tuple[dict, dict[Where, int]]:
    """The YAML mapping and the line of every key and list item (PyYAML's nodes keep their marks), read
    by the one loader under its limits (safeyaml: no aliases, depth, size)."""
    node, data = safeyaml.compose(text, shown, check)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise WorkflowError.at(shown, 1, "expected a mapping of keys to values", check)
    lines: dict[Where, int] = {}
    if node is not None:
        _mark(node, (), lines, set(), shown, check)
    return data, lines


def load(root: Path, path: Path, shown: str, check: str, schema, read: dict) -> dict:
    """A maintainer's YAML mapping ({} when absent), checked by `schema`; errors point at file and line.
    `read[path]`: the sha256 of the bytes read ("-": absent), as a file key hashes them."""
    if not safefs.exists(root, path):
        read[path] = "-"
        return {}
    data = safefs.read_bytes(root, path)
    read[path] = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise WorkflowError.at(shown, 1, "not UTF-8", check) from None
    data, lines = compose(text, shown, check)
    return schema(data, lines, shown)


def _mark(node, where: Where, lines: dict, seen_nodes: set, shown: str, check: str) -> None:
    """Record the line of every key and item. Each node is walked once (safeyaml refuses aliases, so a
    node has one parent; the set keeps this walk linear should that ever change)."""
    if id(node) in seen_nodes:
        return
    seen_nodes.add(id(node))
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:   # PyYAML keeps the last silently: the first would be ignored
                raise WorkflowError.at(shown, key_node.start_mark.line + 1,
                                       f"duplicate key {'.'.join(map(str, where + (key,)))!r}", check)
            seen.add(key)
            lines[where + (key,)] = key_node.start_mark.line + 1
            _mark(value_node, where + (key,), lines, seen_nodes, shown, check)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[where + (i,)] = item.start_mark.line + 1
            _mark(item, where + (i,), lines, seen_nodes, shown, check)


class Report:
    """The problems found in one file, each at the line of the key or item it is about."""

    def __init__(self, shown: str, lines: dict, check: str):
        self.shown, self.lines, self.check, self.problems = shown, lines, check, []

    def add(self, where: Where, message: str) -> None:
        line = next((self.lines[where[:n]] for n in range(len(where), 0, -1) if where[:n] in self.lines), 1)
        self.problems.append(Problem(self.shown, line, ERROR, message, self.check))

    def raise_any(self) -> None:
        if self.problems:
            raise WorkflowError(f"{self.shown}: invalid", self.problems)


def _name(where: Where) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in where).lstrip(".")


def _shown(value) -> str:
    return repr(one_line(str(value), 40))   # a file from a pull request is never echoed in full


def _text(report: Report, where: Where, value, required: bool = True) -> bool:
    """True for a non-empty text; otherwise reports it (a number where text belongs is refused, not read)."""
    if isinstance(value, str) and value.strip():
        return True
    if value is None and not required:
        return False
    report.add(where, f"{_name(where)} must be non-empty text, not {_shown(value) if value is not None else 'empty'}")
    return False


def _mapping(report: Report, where: Where, value, keys: dict[str, bool]) -> bool:
    """A mapping with its required keys and no unknown one; reports what is wrong."""
    if not isinstance(value, dict):
        report.add(where, f"{_name(where)} must be a mapping with {', '.join(k for k, r in keys.items() if r)}")
        return False
    for key in value:
        if key not in keys:
            report.add(where + (key,), f"unknown key {_name(where + (key,))!r}; known: {', '.join(keys)}")
    missing = [k for k, required in keys.items() if required and k not in value]
    for key in missing:
        report.add(where, f"{_name(where)} has no {key!r}")
    return not missing


def _list(report: Report, where: Where, value) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        report.add(where, f"{_name(where)} must be a list")
        return []
    return value


def _unique(report: Report, where: Where, value: str, seen: dict, what: str) -> None:
    """Two entries for one thing: which one counts would be an accident of order."""
    key = value.casefold()
    if key in seen:
        report.add(where, f"duplicate {what} {_shown(value)} (first at line {report.lines.get(seen[key], 1)})")
    else:
        seen[key] = where


def check_glossary(data: dict, lines: dict, shown: str) -> dict:
    """glossary.yaml: `terms`, a list of mappings, each with the English term under `en` and under a
    language code one rendering or a list of them; a term twice is an error."""
    report = Report(shown, lines, "glossary")
    for key in data:
        if key != "terms":
            report.add((key,), f"unknown key {str(key)!r}; known: terms")
    seen: dict = {}
    for i, term in enumerate(_list(report, ("terms",), data.get("terms"))):
        where = ("terms", i)
        if not isinstance(term, dict):
            report.add(where, f"{_name(where)} must be a mapping like {{en: stem cell, ja: [幹細胞]}}")
            continue
        if "en" not in term:
            report.add(where, f"{_name(where)} has no 'en' (the English term)")
        elif _text(report, where + ("en",), term["en"]):
            _unique(report, where + ("en",), term["en"], seen, "glossary term")
        for lang, renderings in term.items():
            if lang != "en":
                _renderings(report, where + (lang,), lang, renderings)
    report.raise_any()
    return {**data, "terms": data.get("terms") or []}   # `terms:` left empty reads as no terms


def _renderings(report: Report, where: Where, lang, renderings) -> None:
    try:
        check_lang(lang)
    except WorkflowError as exc:
        report.add(where, f"{_name(where)}: {exc}")
        return
    items = renderings if isinstance(renderings, list) else [renderings]
    if not items:
        report.add(where, f"{_name(where)} must list at least one rendering")
    for n, item in enumerate(items):
        _text(report, where + ((n,) if isinstance(renderings, list) else ()), item)


def check_facts(data: dict, lines: dict, shown: str) -> dict:
    """facts.yaml: emergency numbers (id, number, label), disclaimers (id, heading, text) and the currency;
    an id or a number twice is an error."""
    report = Report(shown, lines, "facts.registry")
    if data.get("currency") is not None and not isinstance(data["currency"], dict):
        report.add(("currency",), "currency must be a mapping")
    for key in data:
        if key not in FACTS_KEYS:
            report.add((key,), f"unknown key {str(key)!r}; known: {', '.join(FACTS_KEYS)}")
    ids: dict = {}
    _emergency(report, data.get("emergency"), ids)
    for i, item in enumerate(_list(report, ("disclaimers",), data.get("disclaimers"))):
        where = ("disclaimers", i)
        if _mapping(report, where, item, DISCLAIMER_KEYS):
            if all([_text(report, where + (k,), item[k]) for k in DISCLAIMER_KEYS]):
                _unique(report, where + ("id",), item["id"], ids, "id")
    if isinstance(data.get("currency"), dict):
        _currency(report, data["currency"])
    report.raise_any()
    return data


def _emergency(report: Report, items, ids: dict) -> None:
    numbers: dict = {}
    for i, item in enumerate(_list(report, ("emergency",), items)):
        where = ("emergency", i)
        if not _mapping(report, where, item, EMERGENCY_KEYS):
            continue
        fact_id, number = item["id"], item["number"]
        if not (isinstance(fact_id, str) and _FACT_ID.fullmatch(fact_id)):
            report.add(where + ("id",), f"{_name(where + ('id',))} must be a name like ambulance "
                                        f"(lower-case letters, digits, _), not {_shown(fact_id)}")
        else:
            _unique(report, where + ("id",), fact_id, ids, "id")
        # ASCII digits: str.isdigit() also takes ¹¹⁹, ①①⑨ and ١١٩, which every edition would print as they are
        if not (isinstance(number, (str, int)) and not isinstance(number, bool) and str(number).isascii()
                and str(number).isdigit()):
            report.add(where + ("number",), f"{_name(where + ('number',))} must be digits, like \"119\", "
                                            f"not {_shown(number)}")
        else:
            _unique(report, where + ("number",), str(number), numbers, "emergency number")
        _text(report, where + ("label",), item["label"])
        _text(report, where + ("note",), item.get("note"), required=False)
    _names(report, _list(report, ("emergency",), items))


def _names(report: Report, items: list) -> None:
    """Each service's vetted names (editions/services.py): per language code one name or a list, the
    label's translation first; every service has names in a language once one has (a service without
    them would be silently unverified); one name for two services of a language names neither."""
    langs: dict = {}   # language -> {casefolded name: where}
    for i, item in enumerate(items):
        found = item.get("names") if isinstance(item, dict) else None
        if found is None:
            continue
        where = ("emergency", i, "names")
        if not isinstance(found, dict) or not found:
            report.add(where, f"{_name(where)} must map language codes to names, like {{ja: [警察]}}")
            continue
        for lang, names in found.items():
            try:
                check_lang(lang)
            except WorkflowError as exc:
                report.add(where + (lang,), f"{_name(where + (lang,))}: {exc}")
                continue
            seen = langs.setdefault(lang, {})
            listed = names if isinstance(names, list) else [names]
            if not listed:
                report.add(where + (lang,), f"{_name(where + (lang,))} must list at least one name")
            for n, name in enumerate(listed):
                at = where + (lang,) + ((n,) if isinstance(names, list) else ())
                if _text(report, at, name):
                    if not any(ch.isalpha() for ch in name):
                        report.add(at, f"{_name(at)} has no letter: a reader could not tell it from another name")
                    _unique(report, at, name, seen, f"name in {lang}")
    for lang in (lang for lang in langs if lang != "en"):   # under en: words beside the label, where needed
        for i, item in enumerate(items):
            names = item.get("names") if isinstance(item, dict) else None
            if isinstance(item, dict) and (names is None or isinstance(names, dict)) and lang not in (names or {}):
                report.add(("emergency", i, "id"), f"emergency {_shown(item.get('id'))} has no names.{lang}: "
                                                   f"every service needs its vetted names in {lang}, or none does")


def _currency(report: Report, currency: dict) -> None:
    for key in currency:
        if key not in CURRENCY_KEYS:
            report.add(("currency", key), f"unknown key 'currency.{key}'; known: {', '.join(sorted(CURRENCY_KEYS))}")
    codes = currency.get("codes")
    if codes is not None and not (isinstance(codes, list) and all(isinstance(c, str) and _CODE.fullmatch(c)
                                                                   for c in codes)):
        report.add(("currency", "codes"), "currency.codes must be a list of ISO 4217 codes like USD")
    symbols = currency.get("symbols")
    if symbols is not None and not (isinstance(symbols, dict) and all(
            isinstance(s, str) and s and isinstance(c, str) and _CODE.fullmatch(c) for s, c in symbols.items())):
        report.add(("currency", "symbols"), "currency.symbols must map a sign to an ISO 4217 code, like \"$\": USD")
    default = currency.get("default")
    if default is not None and not (isinstance(default, str) and _CODE.fullmatch(default)):
        report.add(("currency", "default"), "currency.default must be an ISO 4217 code like USD")
