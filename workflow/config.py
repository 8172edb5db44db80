"""workflow.yaml: every key declared once with its type and default (like Sphinx's config values),
read with its line marks so that an unknown key, a wrong type or a bad value is an error at
`workflow.yaml:LINE` with a suggestion, never silently ignored.

Bottom layer: takes text, returns a Config; the project reads the file. Check ids are validated
by the checks stage (checks.registry.validate_disabled), which knows them, at the line kept here.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any, Callable

from .maintainer import compose
from .model import ERROR, Problem, WorkflowError
from .names import check_lang

CONFIG_NAME = "workflow.yaml"
STAND_IN_POLICIES = ("last-good", "source")   # what readers get for a refused guide (publishing/assemble.py)
CHECK = "config"
Where = tuple  # a key's path in the file: ("checks", "disable", 0)


@dataclass(frozen=True)
class Setting:
    key: str                                  # dotted path: "gates.min_coverage"
    default: Any
    types: tuple[type, ...]
    help: str
    validate: Callable[[Any], str | None] = lambda value: None   # a message when the value is wrong


def _fraction(value) -> str | None:
    return None if 0 <= value <= 1 else "must be between 0 and 1"


def _positive(value) -> str | None:
    return None if value >= 1 else "must be 1 or more"


# markdown-it keeps ~800 bytes of tokens per source byte on hostile Markdown (one paragraph, list item or
# table row per line): 256 KiB is ~200 MiB and 4 s at worst, 7 times the longest guide (34 kB)
GUIDE_KIB = 256


def _guide_kib(value) -> str | None:
    return None if 1 <= value <= 16384 else "must be 1 to 16384 (16 MiB)"


def _one_of(*choices: str) -> Callable[[Any], str | None]:
    return lambda value: None if value in choices else f"must be one of {', '.join(choices)}"


def _language(value) -> str | None:
    try:
        check_lang(value)
    except WorkflowError as exc:
        return str(exc)
    return None


def _similarity(value) -> str | None:
    return None if 0 < value <= 100 else "must be above 0 and at most 100"


def _output_folder(value: str) -> str | None:
    """dist/ is written and pruned: it stays inside the project and is none of its inputs."""
    parts = value.replace("\\", "/").split("/")
    if value.startswith(("/", "~")) or ".." in parts or not value.strip("/. "):
        return "must be a folder inside the project, like dist"
    parts = posixpath.normpath(value.replace("\\", "/")).split("/")   # ./source is source
    if parts[0] in ("source", "locales", "templates", ".cache", ".git", "workflow", "tests"):
        return f"must not be the project's {parts[0]}/ folder"
    return None


GATES = (
    Setting("min_coverage", 0.8, (int, float), "share of a guide's entries translated and approved", _fraction),
    Setting("protected", "fallback", (str,), "fuzzy/empty legal text: fallback (English + notice) or refuse",
            _one_of("fallback", "refuse")),
    Setting("stand_in", "last-good", (str,), "a refused guide: last-good (its last published edition if built from "
            "today's source and facts, else the source-language text, marked) or source (always the latter)",
            _one_of(*STAND_IN_POLICIES)),
)
SETTINGS = (
    Setting("source_language", "en", (str,), "language of source/*.md", _language),
    Setting("languages", None, (list, type(None)), "languages to build; default every folder of locales/"),
    Setting("output", "dist", (str,), "folder of the published bundles", _output_folder),
    Setting("keep_releases", 5, (int,), "releases kept per language for rollback", _positive),
    *(Setting(f"gates.{s.key}", s.default, s.types, s.help, s.validate) for s in GATES),
    Setting("language_gates", {}, (dict,), "per language, any of gates.* (checked like gates)"),
    Setting("checks.disable", [], (list,), "check ids not run"),
    Setting("pseudo_languages", ["en_XA"], (list,), "pseudo-localized codes, never offered to readers"),
    Setting("memory.min_similarity", 80, (int, float), "translation memory: a source at least this similar "
            "(rapidfuzz ratio, 0-100) is offered as a fuzzy match", _similarity),
    Setting("limits.guide_kib", GUIDE_KIB, (int,), "largest guide parsed, in KiB of characters (hostile Markdown costs "
            "~800 bytes of memory a character)", _guide_kib),
)
ITEMS = {"languages": _language, "pseudo_languages": _language, "checks.disable": lambda v: None}


def _tree(settings) -> dict:
    """The declared keys as nested sections: {"gates": {"min_coverage": Setting, ...}, ...}."""
    tree: dict = {}
    for s in settings:
        *sections, last = s.key.split(".")
        node = tree
        for name in sections:
            node = node.setdefault(name, {})
        node[last] = s
    return tree


KEYS = _tree(SETTINGS)


@dataclass
class Config:
    source_language: str = "en"
    languages: list[str] | None = None
    output: str = "dist"
    keep_releases: int = 5
    gates: dict = field(default_factory=lambda: {s.key: s.default for s in GATES})
    language_gates: dict = field(default_factory=dict)
    disabled_checks: tuple[str, ...] = ()    # as written, so that each id has its line
    pseudo_languages: tuple[str, ...] = ("en_XA",)
    memory_min_similarity: float = 80
    guide_chars: int = GUIDE_KIB * 1024       # limits.guide_kib
    lines: dict[Where, int] = field(default_factory=dict, compare=False, repr=False)

    def gate(self, lang: str, name: str):
        return self.language_gates.get(lang, {}).get(name, self.gates[name])


def load_config(text: str | None) -> Config:
    """A Config from workflow.yaml's text (None: the file is absent). Raises WorkflowError listing every
    problem at its line."""
    data, lines = compose(text, CONFIG_NAME, CHECK) if text is not None else ({}, {})
    problems: list[Problem] = []
    values = {s.key: _value(s, data, lines, problems) for s in SETTINGS}
    _unknown_keys(data, (), KEYS, lines, problems)
    language_gates = _language_gates(values["language_gates"], lines, problems)
    if problems:
        raise WorkflowError(f"{CONFIG_NAME}: invalid configuration", problems)
    return Config(source_language=values["source_language"], languages=values["languages"], output=values["output"],
                  keep_releases=values["keep_releases"], gates={s.key: values[f"gates.{s.key}"] for s in GATES},
                  language_gates=language_gates, disabled_checks=tuple(values["checks.disable"]),
                  pseudo_languages=tuple(values["pseudo_languages"]),
                  memory_min_similarity=values["memory.min_similarity"],
                  guide_chars=values["limits.guide_kib"] * 1024, lines=lines)


def problem(lines: dict, where: Where, message: str) -> Problem:
    return Problem(CONFIG_NAME, lines.get(tuple(where), 1), ERROR, message, CHECK)


def suggestion(name: str, known) -> str:
    from rapidfuzz import fuzz, process   # only for a misspelt key: not on every command's start (~10 ms)
    close = process.extractOne(str(name), sorted(known), scorer=fuzz.ratio, score_cutoff=60)
    return f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(sorted(known))}"


def _value(setting: Setting, data: dict, lines: dict, problems: list) -> Any:
    where = tuple(setting.key.split("."))
    value = data
    for part in where:
        if not isinstance(value, dict) or part not in value:
            return setting.default
        value = value[part]
    message = _type_error(value, setting.types) or setting.validate(value)
    if message is None and setting.key in ITEMS and value is not None:
        for i, item in enumerate(value):
            message = _type_error(item, (str,)) or ITEMS[setting.key](item)
            if message:
                problems.append(problem(lines, where + (i,), f"{setting.key} item {item!r}: {message}"))
        return value if not problems else setting.default
    if message:
        problems.append(problem(lines, where, f"{setting.key} {message}"))
        return setting.default
    return value


_TYPE_NAMES = {str: "text", int: "a whole number", float: "a number", list: "a list", dict: "a mapping",
               type(None): "null", bool: "true or false"}


def _type_error(value, types: tuple[type, ...]) -> str | None:
    if isinstance(value, types) and not (isinstance(value, bool) and bool not in types):  # yes/no is no number
        return None
    wanted = " or ".join(dict.fromkeys(_TYPE_NAMES[t] for t in types if t is not int or float not in types))
    return f"must be {wanted}, not {_TYPE_NAMES.get(type(value), type(value).__name__)}"


def _unknown_keys(data, where: Where, known: dict, lines: dict, problems: list) -> None:
    if not isinstance(data, dict):
        problems.append(problem(lines, where, f"{'.'.join(map(str, where))} must be a mapping of keys to values"))
        return
    for key in data:
        if not isinstance(key, str) or key not in known:
            problems.append(problem(lines, where + (key,), f"unknown key {'.'.join(map(str, where + (key,)))!r}"
                                    + suggestion(key, known)))
        elif not isinstance(known[key], Setting):
            _unknown_keys(data[key], where + (key,), known[key], lines, problems)


def _language_gates(value: dict, lines: dict, problems: list) -> dict:
    gates = {s.key: s for s in GATES}
    out = {}
    for lang, overrides in value.items():
        message = _language(str(lang)) or _type_error(overrides, (dict,))
        if message:
            problems.append(problem(lines, ("language_gates", lang), f"language_gates.{lang}: {message}"))
            continue
        for name, setting in gates.items():
            if name in overrides:
                error = _type_error(overrides[name], setting.types) or setting.validate(overrides[name])
                if error:
                    problems.append(problem(lines, ("language_gates", lang, name),
                                            f"language_gates.{lang}.{name} {error}"))
        _unknown_keys(overrides, ("language_gates", lang), gates, lines, problems)
        out[str(lang)] = {k: v for k, v in overrides.items() if k in gates}
    return out
