"""The project on disk: where sources, catalogs, templates and outputs live, and its config.

I/O edge: this module reads files and hands values to the pure core.
"""
from __future__ import annotations

import hashlib
import os
from functools import cached_property, lru_cache
from pathlib import Path

from . import __version__, codec, maintainer, safefs, sealed
from .packs import PackStore
from .config import CONFIG_NAME, Config, load_config
from .digests import DigestMemo
from .editions.facts import Registry
from .editions.localeformat import is_known_locale
from .files import write_atomic
from .maintainer import check_facts, check_glossary
from .model import ERROR, Document, Problem, WorkflowError
from .names import UI_DOMAIN, canonical_code, check_guide_name, check_lang, gettext_form
from .editions.segment import segment


def read_config(root: Path, read: dict) -> Config:
    path = root / CONFIG_NAME
    if not safefs.exists(root, path):
        read[path] = "-"
        return load_config(None)
    data = safefs.read_bytes(root, path)
    read[path] = hashlib.sha256(data).hexdigest()
    try:
        return load_config(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise WorkflowError.at(CONFIG_NAME, 1, "not UTF-8", "config") from None


class Project:
    def __init__(self, root: str | os.PathLike = "."):
        self.root = Path(root).resolve()
        if not (self.root / "source").is_dir():
            raise WorkflowError(f"{self.root}: no source/ folder here; pass --project DIR")
        # sha256 of the bytes this Project read of each shared input (workflow.yaml, facts, glossary: read once
        # and kept), held against the digests a build keyed its editions with (Builder._changed_shared)
        self.read_digests: dict[Path, str] = {}
        self.config = read_config(self.root, self.read_digests)
        self._documents: dict[str, Document] = {}
        self.document_keys: dict[str, str] = {}   # guide -> the content key its parsed form was found or stored under
        self._packs: dict[str, PackStore] = {}   # .cache/editions, .cache/checks (packs)
        self.folders = safefs.Folders(self.root)   # resolved once per build: a Builder clears it before one
        # (language, domain) -> catalog, (language, None) -> its folder, (None, guide) -> guide: made once (a
        # rebuild's keys name ~3,300 and a Path join costs more than hashing them; the root never changes)
        self._paths: dict[tuple[str | None, str | None], Path] = {}

    # -- paths -------------------------------------------------------------
    @cached_property
    def source_dir(self) -> Path:
        return self.root / "source"

    @cached_property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    @cached_property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def output_dir(self) -> Path:
        # a `dist` planted as a link (to ~/.ssh, another site) would be written into and pruned
        return self.check_inside(self.root / self.config.output)

    @property
    def cache_dir(self) -> Path:
        return self.root / ".cache"

    def rel(self, path: Path) -> str:
        # by string: a build names ~40,000 paths in its keys, and Path.relative_to cost 10x this
        text, root = str(path), str(self.root)
        if text.startswith(root) and text[len(root):len(root) + 1] == "/":
            return text[len(root) + 1:]
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def pot_path(self, domain: str) -> Path:
        return self.locales_dir / "templates" / f"{domain}.pot"

    def po_path(self, lang: str, domain: str) -> Path:
        if (path := self._paths.get((check_lang(lang), domain))) is None:
            if (folder := self._paths.get((lang, None))) is None:
                folder = self._paths[lang, None] = self.locales_dir / lang / "LC_MESSAGES"
            path = self._paths[lang, domain] = folder / f"{domain}.po"
        return path

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
    def _locale_folders(self) -> tuple[list[str], dict[str, Problem]]:
        """(languages to build, a problem per folder or configured code that is not one): a stray
        folder is its own problem, never every language's."""
        if self.config.languages is not None:
            found = [(code, CONFIG_NAME) for code in self.config.languages]
        elif self.locales_dir.is_dir():
            found = sorted((p.name, None) for p in self.locales_dir.iterdir() if p.is_dir() and p.name != "templates")
        else:
            found = []
        good, bad = [], {}
        for name, where in found:
            why = self._not_a_language(name)
            if why:
                bad[name] = Problem(where or shown_folder(name), 1, ERROR, why[0], why[1])
            else:
                good.append(name)
        return sorted(good), bad

    def _not_a_language(self, name: str) -> tuple[str, str] | None:
        try:
            check_lang(name)
        except WorkflowError:
            return (f"locale folder {name[:40]!r} is not a language code like 'ja', 'zh_CN' "
                    "or 'pt_BR'; rename or remove it (the other languages are unaffected)", "locale.folder")
        if name != canonical_code(name):
            return (f"locale folder {name!r}: write it {canonical_code(name)!r} (a code differing only in case "
                    "would be a second language)", "locale.folder")
        if not is_known_locale(name) and name not in self.config.pseudo_languages:
            return (f"unknown language code {name!r}: Babel's CLDR data has no such locale (pseudo-locales "
                    "are listed under pseudo_languages in workflow.yaml)", "locale.unknown")
        if not is_known_locale(name) and not is_known_locale(name.split("_")[0]):   # formats like its base
            return (f"pseudo-locale {name!r} needs a base language Babel knows, like en_XA (en): every "
                    "number and price is formatted in it", "locale.unknown")
        folder = self.locales_dir / name
        if os.path.lexists(folder) and not safefs.is_inside(self.root, folder):
            return ("is a symbolic link leading outside the project; not read", "fs.outside")
        return None

    @property
    def languages(self) -> list[str]:
        return self._locale_folders[0]

    @property
    def bad_languages(self) -> dict[str, Problem]:
        """An error per locale folder (or configured code) that cannot be built, by its name: unknown
        code, not a code at all, a link out of the project. `check` and `publish` report them (that
        language refused); the other languages go on."""
        return self._locale_folders[1]

    def check_new_language(self, lang: str) -> str:
        """A code `init` may start: well formed and known to Babel (or a configured pseudo-locale)."""
        check_lang(lang)
        why = self._not_a_language(lang)
        if why:
            raise WorkflowError.at(shown_folder(lang), 1, why[0], why[1])
        return lang

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
            if code in self.languages:
                continue
            wanted = gettext_form(code) if isinstance(code, str) and len(code) <= 20 else None
            if wanted in self.languages:   # JA, zh-CN: say what the project calls it
                raise WorkflowError(f"unknown language {code!r}; did you mean {wanted!r}? "
                                    f"languages: {', '.join(self.languages)}")
            check_lang(code)
            if code in self.bad_languages:
                raise WorkflowError(str(self.bad_languages[code]))
            raise WorkflowError(f"unknown language {code!r}; languages: {', '.join(self.languages) or 'none'}"
                                " (start one with `workflow init LANG`)")
        return list(dict.fromkeys(codes))

    # -- input sets: the one definition of what each cached result depends on ----------
    def template_files(self) -> list[Path]:
        """Every file under templates/, subfolders included (Jinja's loader reads `partials/x.html`)."""
        return safefs.files_under(self.templates_dir, self.root)

    def shared_inputs(self) -> list[Path]:
        """What every check result and edition depends on besides its own files."""
        return [self.source_dir / "facts.yaml", self.source_dir / "glossary.yaml", self.root / CONFIG_NAME]

    def document_inputs(self, guide: str) -> list[Path]:
        """A parsed guide: its Markdown and the facts registry (placeholders for registered numbers)."""
        return [self.source_path(guide), self.source_dir / "facts.yaml"]

    def check_inputs(self, domain: str) -> list[Path]:
        """A catalog's check results, besides the catalog itself: its guide, or the templates for ui.po."""
        own = self.template_files() if domain == UI_DOMAIN else [self.source_path(domain)]
        return self.shared_inputs() + own

    def edition_inputs(self, guide: str, lang: str, templates: list[Path] | None = None) -> list[Path]:
        """One built edition: the guide, its catalog and ui.po (none in the source language), templates
        (`templates`: template_files() as the caller listed them already, once for a whole build)."""
        return self.edition_common_inputs(templates) + self.edition_own_inputs(guide, lang)

    def edition_common_inputs(self, templates: list[Path] | None = None) -> list[Path]:
        """The first inputs of every edition, the same for all (a build hashes them once: key_prefix)."""
        return self.shared_inputs() + (self.template_files() if templates is None else templates)

    def edition_own_inputs(self, guide: str, lang: str) -> list[Path]:
        own = [self.source_path(guide)]
        if lang != self.config.source_language:
            own += [self.po_path(lang, guide), self.po_path(lang, UI_DOMAIN)]
        return own

    def worker_inputs(self) -> list[Path]:
        """What a long-lived Builder keeps parsed (config, registry, guides, templates); the language list
        is in the stamp too (see inputs_stamp)."""
        guides = sorted(p for p in self.source_dir.glob("*.md") if p.is_file())
        return self.shared_inputs() + self.template_files() + guides

    @cached_property
    def digests(self) -> DigestMemo:
        """Input files' sha256 remembered by stat across runs (.cache/digests, sealed; see digests.py)."""
        return DigestMemo(self.root, self.cache_dir / "digests", self.rel, self.folders)

    def file_digest(self, path: Path) -> str:
        """file_digest of a project file, read again only when its stat changed since it was hashed."""
        return self.digests.digest(path)

    def content_key(self, paths: list[Path], *extra: str, digest=None, prefix=None) -> str:
        """The one content-hash key: the code, each input's project path and bytes, and `extra` values.
        `digest(path)` may memoize file hashes (a Builder reads ui.po once for every guide). `prefix`:
        key_prefix(first), for the key of inputs `first` + `paths` (3,000 editions share their first 10)."""
        h = self.key_prefix(paths, digest, prefix)
        for value in extra:
            h.update(value.encode() + b"\0")
        return h.hexdigest()[:32]

    def key_prefix(self, paths: list[Path], digest=None, prefix=None):
        """content_key's hash state after the code and `paths` (after `prefix`'s inputs and `paths`)."""
        h = hashlib.sha256(code_version().encode()) if prefix is None else prefix.copy()
        digest = digest or self.file_digest
        for path in paths:
            h.update(b"\0".join([self.rel(path).encode(), digest(path).encode(), b""]))
        return h

    def inputs_stamp(self, paths: list[Path]) -> tuple:
        """A cheap stand-in for content_key by stat (size, times, inode), with the language folders."""
        stamp = []
        for path in paths:
            try:
                st = path.stat()
                stamp.append((self.rel(path), st.st_mtime_ns, st.st_size, st.st_ino))
            except FileNotFoundError:
                stamp.append((self.rel(path), None))
        folders = sorted(os.listdir(self.locales_dir)) if self.locales_dir.is_dir() else []
        return tuple(stamp), tuple(folders)

    # -- reading -------------------------------------------------------------
    @cached_property
    def registry(self) -> Registry:
        return Registry.from_dict(maintainer.load(self.root, self.source_dir / "facts.yaml", "source/facts.yaml",
                                            "facts.registry", check_facts, self.read_digests))

    @cached_property
    def glossary(self) -> dict:
        return maintainer.load(self.root, self.source_dir / "glossary.yaml", "source/glossary.yaml", "glossary",
                         check_glossary, self.read_digests)

    def read_bytes(self, path: Path) -> bytes:
        """A project file's bytes: a regular file inside the project, or a WorkflowError naming it."""
        return safefs.read_bytes(self.root, path)

    def check_inside(self, path: Path) -> Path:
        """`path`, if neither it nor a folder above it is a link leading out of the project."""
        return safefs.check_inside(self.root, path)

    def has_file(self, path: Path) -> bool:
        """Something is at `path` (a link too, even one leading out: reading it then says why not)."""
        return safefs.exists(self.root, path)

    def source_path(self, guide: str) -> Path:
        if (path := self._paths.get((None, check_guide_name(guide)))) is None:
            path = self._paths[None, guide] = self.source_dir / f"{guide}.md"
        return path

    def document(self, guide: str) -> Document:
        """The parsed guide; parsed once per Project, whatever number of languages use it."""
        if guide not in self._documents:
            self._documents[guide] = self._parse(guide)
        return self._documents[guide]

    def forget_documents(self, guides) -> None:
        """Drop these parsed guides (a build done with a chunk of guides frees their memory)."""
        for guide in guides:
            self._documents.pop(guide, None)
            self.document_keys.pop(guide, None)
            self.read_digests.pop(self.source_path(guide), None)

    def _parse(self, guide: str) -> Document:
        """Segment a guide, or load its segmentation from .cache/documents when nothing it depends on
        (guide bytes, facts registry, code) changed: extract, check, build and every worker process
        then share one parse."""
        path = self.source_path(guide)
        data = safefs.read_bytes(self.root, path, folders=self.folders)   # (keyed by these bytes below)
        own = hashlib.sha256(data).hexdigest()   # the bytes parsed below, not a second read
        self.read_digests[path] = own   # read through folders resolved once: the builder's settle compares
        key = self.content_key(self.document_inputs(guide),
                               digest=lambda p: own if p == path else self.file_digest(p))
        self.document_keys[guide] = key   # (what is derived from the parse is keyed by it: SourceIndex.prices)
        cached = self.cache_dir / "documents" / f"{key}.json"
        doc = self.read_cached(cached, codec.decode)
        if doc is not None:
            return doc
        doc = self._segment(path, data, guide)
        self.write_cached(cached, codec.encode(doc))
        return doc

    def read_cached(self, path: Path, decode):
        """decode(payload) of a cache entry this installation sealed, or None: a missing, corrupt,
        planted or linked entry is a miss (the work is done again), never trusted. The seal covers the entry's
        name too: a sealed entry copied or linked to another key (another catalog's verdict) is a miss."""
        try:
            data = safefs.read_bytes(self.root, path, folders=self.folders)   # (sealed: where it is, as resolved)
            payload, name = sealed.unseal(data), self.rel(path).encode() + b"\n"
            return decode(payload[len(name):]) if payload is not None and payload.startswith(name) else None
        except (OSError, ValueError, WorkflowError):
            return None

    def packs(self, kind: str) -> PackStore:
        """.cache/<kind>'s entries stored many to a file (packs.py): one store per Project, its index read once."""
        if kind not in self._packs:
            self._packs[kind] = PackStore(self.root, self.cache_dir / kind, self.folders)
        return self._packs[kind]

    def write_cached(self, path: Path, payload: bytes, strict: bool = False) -> None:
        """Seal and store a cache entry; failures are ignored (a read-only project still builds, only
        slower) unless `strict`, and never leave a temporary file behind."""
        try:
            safefs.check_inside(self.root, path.parent)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, sealed.seal(self.rel(path).encode() + b"\n" + payload), durable=False)
        except (OSError, WorkflowError):
            if strict:
                raise

    def _segment(self, path: Path, data: bytes, guide: str) -> Document:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise WorkflowError.at(self.rel(path), line, f"guide is not UTF-8 ({exc.reason})",
                                   "source.encoding") from None
        return segment(text, self.rel(path), guide, self.registry, self.config.guide_chars)


def shown_folder(name: str) -> str:
    """locales/<name> for a message: the name as is when printable, else escaped (no forged lines)."""
    return f"locales/{name}" if name.isprintable() and len(name) <= 80 else f"locales/{name[:80]!r}"


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the package's code: part of every cache key, so an upgrade never reuses stale output. The
    compiled routes' C sources count (a fix to one alone must not keep entries its old code checked); they
    ship as package data, so every install of the same code, built or not, keys alike."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.c")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def source_date_epoch() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH")
    return int(value) if value and value.isdigit() else None
