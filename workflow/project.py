"""The project on disk: where sources, catalogs, templates and outputs live, and its config.

I/O edge: this module reads files and hands values to the pure core.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from . import __version__
from .editions.facts import Registry
from .model import Document, WorkflowError
from .names import check_guide_name, check_lang
from .editions.segment import segment

CONFIG_NAME = "workflow.yaml"
STAND_IN_POLICIES = ("last-good", "source")   # what readers get for a refused guide (publishing/assemble.py)
DEFAULTS = {
    "source_language": "en",
    "languages": None,            # None: every folder under locales/ except templates
    "output": "dist",
    "keep_releases": 5,
    "gates": {"min_coverage": 0.8, "protected": "fallback", "stand_in": "last-good"},
    "language_gates": {},
    "checks": {"disable": []},
    "pseudo_languages": ["en_XA"],
}


@dataclass
class Config:
    source_language: str = "en"
    languages: list[str] | None = None
    output: str = "dist"
    keep_releases: int = 5
    gates: dict = field(default_factory=dict)
    language_gates: dict = field(default_factory=dict)
    disabled_checks: frozenset[str] = frozenset()
    pseudo_languages: tuple[str, ...] = ("en_XA",)

    def gate(self, lang: str, name: str):
        return self.language_gates.get(lang, {}).get(name, self.gates.get(name, DEFAULTS["gates"].get(name)))


def load_yaml(path: Path, shown: str, check: str) -> dict:
    """A YAML mapping from a project file ({} when absent), errors pointing at file and line."""
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        line = exc.problem_mark.line + 1 if getattr(exc, "problem_mark", None) else 1
        raise WorkflowError(f"{shown}:{line}: error: malformed YAML: {getattr(exc, 'problem', exc)} [{check}]") from None
    except UnicodeDecodeError:
        raise WorkflowError(f"{shown}:1: error: not UTF-8 [{check}]") from None
    if not isinstance(data, dict):
        raise WorkflowError(f"{shown}:1: error: expected a mapping of keys to values [{check}]")
    return data


def load_config(root: Path) -> Config:
    data = load_yaml(root / CONFIG_NAME, CONFIG_NAME, "config")
    unknown = set(data) - set(DEFAULTS)
    if unknown:
        raise WorkflowError(f"{CONFIG_NAME}:1: error: unknown config keys {sorted(unknown)}; known: {sorted(DEFAULTS)} [config]")
    gates = {**DEFAULTS["gates"], **(data.get("gates") or {})}
    for where, values in [("gates", gates)] + [(f"language_gates.{k}", v) for k, v in
                                               (data.get("language_gates") or {}).items() if isinstance(v, dict)]:
        if values.get("stand_in", "last-good") not in STAND_IN_POLICIES:
            raise WorkflowError(f"{CONFIG_NAME}:1: error: {where}.stand_in is {values['stand_in']!r}; expected one of "
                                f"{', '.join(STAND_IN_POLICIES)} [config]")
    languages = data.get("languages")
    if languages is not None:
        languages = [check_lang(str(l)) for l in languages]
    return Config(source_language=str(data.get("source_language", "en")), languages=languages,
                  output=str(data.get("output", "dist")), keep_releases=int(data.get("keep_releases", 5)),
                  gates=gates, language_gates=dict(data.get("language_gates") or {}),
                  disabled_checks=frozenset((data.get("checks") or {}).get("disable", [])),
                  pseudo_languages=tuple(data.get("pseudo_languages", DEFAULTS["pseudo_languages"])))


class Project:
    def __init__(self, root: str | os.PathLike = "."):
        self.root = Path(root).resolve()
        if not (self.root / "source").is_dir():
            raise WorkflowError(f"{self.root}: no source/ folder here; pass --project DIR")
        self.config = load_config(self.root)
        self._documents: dict[str, Document] = {}

    # -- paths -------------------------------------------------------------
    @property
    def source_dir(self) -> Path:
        return self.root / "source"

    @property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def output_dir(self) -> Path:
        return self.root / self.config.output

    @property
    def cache_dir(self) -> Path:
        return self.root / ".cache"

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def pot_path(self, domain: str) -> Path:
        return self.locales_dir / "templates" / f"{domain}.pot"

    def po_path(self, lang: str, domain: str) -> Path:
        return self.locales_dir / check_lang(lang) / "LC_MESSAGES" / f"{domain}.po"

    def catalog_cite(self, lang: str, domain: str) -> str:
        """The file a problem about `lang`'s catalog for `domain` should name: the catalog if it exists,
        else its template, else the guide (or the templates folder): never a file that is not there."""
        for path in (self.po_path(lang, domain), self.pot_path(domain)):
            if path.is_file():
                return self.rel(path)
        source = self.source_dir / f"{domain}.md"
        return self.rel(source) if source.is_file() else self.rel(self.templates_dir)

    # -- inventory -----------------------------------------------------------
    @cached_property
    def guides(self) -> list[str]:
        return sorted(check_guide_name(p.stem) for p in self.source_dir.glob("*.md"))

    @cached_property
    def languages(self) -> list[str]:
        if self.config.languages is not None:
            return list(self.config.languages)
        if not self.locales_dir.is_dir():
            return []
        found = [p.name for p in self.locales_dir.iterdir() if p.is_dir() and p.name != "templates"]
        return sorted(check_lang(l) for l in found)

    def select_guides(self, names) -> list[str]:
        if not names:
            return self.guides
        for name in names:
            check_guide_name(name)
            if name not in self.guides:
                raise WorkflowError(f"unknown guide {name!r}; guides: {', '.join(self.guides)}")
        return list(names)

    def select_languages(self, codes) -> list[str]:
        if not codes:
            return self.languages
        for code in codes:
            check_lang(code)
            if code not in self.languages:
                raise WorkflowError(f"unknown language {code!r}; languages: {', '.join(self.languages) or 'none'}"
                                    " (start one with `workflow init LANG`)")
        return list(codes)

    # -- reading -------------------------------------------------------------
    @cached_property
    def registry(self) -> Registry:
        return Registry.from_dict(load_yaml(self.source_dir / "facts.yaml", "source/facts.yaml", "facts.registry"))

    @cached_property
    def glossary(self) -> dict:
        return load_yaml(self.source_dir / "glossary.yaml", "source/glossary.yaml", "glossary")

    def source_path(self, guide: str) -> Path:
        return self.source_dir / f"{check_guide_name(guide)}.md"

    def document(self, guide: str) -> Document:
        """The parsed guide; parsed once per Project, whatever number of languages use it."""
        if guide not in self._documents:
            self._documents[guide] = self._parse(guide)
        return self._documents[guide]

    def _parse(self, guide: str) -> Document:
        """Segment a guide, or load its segmentation from .cache/documents when nothing it depends on
        (guide bytes, facts registry, code) changed: extract, check, build and every worker process
        then share one parse."""
        path = self.source_path(guide)
        data = path.read_bytes()
        facts = self.source_dir / "facts.yaml"
        key = hashlib.sha256(b"\0".join([data, facts.read_bytes() if facts.exists() else b"",
                                          code_version().encode(), self.rel(path).encode()])).hexdigest()
        cached = self.cache_dir / "documents" / f"{key[:32]}.pickle"
        try:
            with open(cached, "rb") as handle:
                return pickle.load(handle)  # our own cache folder, written below: same trust as the code
        except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError):
            pass
        doc = self._segment(path, data, guide)
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_name(f".{cached.name}.{os.getpid()}")
            tmp.write_bytes(pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, cached)
        except OSError:
            pass  # a read-only project still builds, only slower
        return doc

    def _segment(self, path: Path, data: bytes, guide: str) -> Document:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise WorkflowError(f"{self.rel(path)}:{line}: error: guide is not UTF-8 ({exc.reason}) [source.encoding]") from None
        return segment(text, self.rel(path), guide, self.registry)


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the package's code: part of every cache key, so an upgrade never reuses stale output."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def source_date_epoch() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH")
    return int(value) if value and value.isdigit() else None
