"""Catalog commands: extract POTs, init and update POs. Reads and writes files through Project."""
from __future__ import annotations

from pathlib import Path

from ..files import ensure_inside, write_atomic
from ..model import Problem, WorkflowError
from ..names import UI_DOMAIN
from ..parallel import chunked, imap_unordered, resolve_jobs
from ..project import Project, source_date_epoch
from . import writer
from .sources import default_policy, sources, ui_messages


def templates(project: Project, epoch: int | None = None, policy: str | None = None,
              guides: list[str] | None = None) -> dict[str, object]:
    """Every POT of the project (or of `guides` and ui) as Babel catalogs, keyed by domain (guide name, or
    'ui'). `policy` (default: the project's) is the `protected` policy the disclaimer's comment describes; a
    language's catalogs describe its own (language_gates)."""
    return dict(each_template(project, epoch, policy, guides))


def each_template(project: Project, epoch: int | None = None, policy: str | None = None,
                  guides: list[str] | None = None):
    """templates() one (domain, catalog) at a time, for a command that writes each catalog and moves on:
    memory then holds one guide's catalog, not the project's."""
    policy = policy or default_policy(project)
    for guide in project.guides if guides is None else guides:
        yield guide, writer.template_for(project.document(guide), epoch, policy)
    yield UI_DOMAIN, writer.ui_template(ui_messages(project, policy), epoch)


def existing_catalog(project: Project, path: Path) -> bytes | None:
    """A catalog's bytes, None when there is none; a link out of the project (of the file or of its
    locale folder), a FIFO or a device is a WorkflowError naming it, never read or written through."""
    project.check_inside(path)
    if not project.has_file(path):
        return None
    try:
        return project.read_bytes(path)
    except FileNotFoundError:   # a link inside the project to nothing: replaced like a missing file
        return None


def write_catalog(path: Path, data: bytes, project: Project) -> bool:
    """Write unless only generator metadata changed; returns True when bytes changed on disk.
    Header fields the writer does not own (Last-Translator, a tool's X-Generator...) are kept.
    A catalog (or its folder) that is a link out of the project is refused before anything is read or made."""
    ensure_inside(path, project.root)
    old = existing_catalog(project, path)
    if old is not None:
        data = writer.keep_foreign_headers(data, old)
        if old == data or writer.same_but_metadata(old, data):
            return False
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data, inside=project.root)
    return True


def _chunk_templates(root: str, guides: list[str], epoch: int | None) -> tuple[list[str], list]:
    """Write some guides' POTs and return those changed and the problems (guides that do not parse, then the
    source prices some language cannot show), by one Project for the chunk (a worker process parses the guides
    and fills .cache/documents); a Project per guide read workflow.yaml and facts.yaml again each time (~7 ms).
    Each worker writes its own POTs: written one after the other by the parent, each waiting on its fsync, they
    were ~1 s of a 300-guide extract during which one core had nothing to do."""
    project = Project(root)
    policy = default_policy(project)
    index = sources(project)
    readable = index.readable(guides)   # a broken guide: its .pot stays as it was, the others are written
    changed = [guide for guide in readable
               if write_catalog(project.pot_path(guide),
                                writer.dump(writer.template_for(project.document(guide), epoch, policy)), project)]
    return changed, index.problems + index.prices(readable, project.languages)


def extract(project: Project, jobs: int | None = None) -> tuple[list[str], list[Problem]]:
    """Write every POT; guides are segmented in parallel processes when `jobs` (None: auto) allows. Returns
    the POTs changed and the problems: guides that do not parse (their POT is left as it was, the others
    are written: build and publish refuse that guide alone) and the source facts some language of the
    project cannot show exactly ($1.5 in a whole-amount pattern): the author hears it here, at the source
    line, rather than every edition of the guide being refused at build (verify.price)."""
    epoch = source_date_epoch()
    # a template linked out of the project is no input (never read); extract, which makes ui.pot from
    # every template, says so by name instead of leaving its strings out silently
    for link in (p for p in sorted(project.templates_dir.rglob("*")) if p.is_symlink()):
        project.check_inside(link)
    guides = project.guides
    jobs = resolve_jobs(jobs, len(guides), len(guides))
    chunks = [(str(project.root), chunk, epoch) for chunk in chunked(guides, jobs)]
    parts = list(imap_unordered(_chunk_templates, chunks, jobs))
    written = {guide for part, _ in parts for guide in part}
    problems = sorted((p for _, found in parts for p in found), key=lambda p: (p.path, p.line))
    if write_catalog(project.pot_path(UI_DOMAIN), writer.dump(writer.ui_template(ui_messages(project), epoch)),
                     project):
        written.add(UI_DOMAIN)
    return [project.rel(project.pot_path(domain)) for domain in [*guides, UI_DOMAIN] if domain in written], problems


def init(project: Project, lang: str, guides: list[str] | None = None) -> list[str]:
    """The new language's catalogs, of every guide (or of `guides`: those that parse) and ui."""
    project.check_new_language(lang)   # `init xx`: a clear error before anything is written
    epoch = source_date_epoch()
    written = []
    for domain, template in each_template(project, epoch, guides=guides):
        path = project.po_path(lang, domain)
        if project.has_file(path):
            raise WorkflowError(f"{project.rel(path)}: already exists; use `workflow update --lang {lang}`")
        write_catalog(path, writer.init(template, lang, epoch), project)
        written.append(project.rel(path))
    return written
