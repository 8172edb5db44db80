"""Coordinator: build a Plan's editions, publish each language's release guide by guide, report."""
from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..files import write_atomic
from ..model import ERROR, Problem, WorkflowError
from ..parallel import AUTO_MIN_UNITS, chunked, imap_unordered, resolve_jobs
from ..project import Project
from .builder import Builder, LanguageResult
from .live import OCCUPIED, STATE_CHECK, occupied, shown
from .plan import Plan, published_languages

if TYPE_CHECKING:
    from .assemble import GuideRelease
    from .site import Site


REPORT_CHECK = "report.write"


@dataclass
class LanguageReport:
    lang: str
    status: str                     # published, unchanged, pinned, built; refused, cancelled: nothing switched
    release: str | None = None
    coverage: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    guides: dict = field(default_factory=dict)     # guide -> what readers get: built | kept | source | missing
    refused_guides: list[str] = field(default_factory=list)   # guides whose edition was refused

    @property
    def failed(self) -> bool:
        """Anything refused (a guide, a page whose path something else holds): the exit code is non-zero,
        whatever else was published."""
        return self.status in ("refused", "cancelled") or bool(self.refused_guides) or bool(self.occupied)

    @property
    def occupied(self) -> list[str]:
        """Paths of dist/ this language's publish could not write: something else is there."""
        return [p.path for p in self.problems if p.check == OCCUPIED]

    def as_dict(self) -> dict:
        return {"lang": self.lang, "status": self.status, "release": self.release, "coverage": self.coverage,
                "guides": self.guides, "refused_guides": self.refused_guides,
                "errors": sum(p.severity == ERROR for p in self.problems),
                "problems": [p.as_dict() for p in self.problems]}


def report_for(result: LanguageResult, status: str, release: str | None = None) -> LanguageReport:
    """A build's report (nothing published): each guide built or refused."""
    return LanguageReport(result.lang, status, release,
                          {e.guide: e.summary.get("coverage", 0) for e in result.editions}, result.all_problems(),
                          {e.guide: "built" if e.ok else "refused" for e in result.editions},
                          [e.guide for e in result.editions if not e.ok])


def release_files(project: Project, builder: Builder, lang: str, parts: list[GuideRelease],
                  problems: list[Problem]) -> tuple[dict[str, bytes], dict]:
    files: dict[str, bytes] = {}
    for part in parts:
        files.update(part.files)
    files["index.html"] = builder.index_page(lang, [p.summary for p in parts if p.summary], problems)
    style = project.templates_dir / "style.css"
    if project.has_file(style):
        files["style.css"] = project.read_bytes(style)
    # checks_passed: every guide is the edition asked for; false when a stand-in serves a refused guide
    extra = {"guides": {p.guide: p.entry for p in parts if p.status != "missing"},
             "checks_passed": not any(p.refused for p in parts)}
    return files, extra


def publish_result(project: Project, builder: Builder, result: LanguageResult, plan: Plan,
                   stop=None) -> LanguageReport:
    """Publish one language: its built editions and, for every other guide of the release, a stand-in.
    `stop`: see store.publish_language (a distributed build cancelled while this language was built).
    What the site could not write (store and site name it in Site.problems) joins the report."""
    # the release store, imported when a language is published: a build, and every build worker (which
    # imports this module for _build_chunk), writes no release (tarfile, gzip, the site: ~8 ms a process)
    from .site import Site
    site = Site.of(project)
    report = _attempts(project, builder, result, plan, site, stop)
    report.problems.extend(p for p in site.problems if p not in report.problems)
    return report


def _attempts(project: Project, builder: Builder, result: LanguageResult, plan: Plan, site: Site,
              stop) -> LanguageReport:
    from .assemble import assemble   # (see publish_result)
    from .store import CurrentMoved, publish_language
    for attempt in range(3):
        parts, notes, base = assemble(project, builder, result, plan.release_guides, plan.guides)
        known = set(result.all_problems())
        report = LanguageReport(result.lang, "refused", None,
                                {p.guide: p.summary.get("coverage", 0) for p in parts if p.summary},
                                result.all_problems() + [n for n in notes if n not in known],
                                {p.guide: p.status for p in parts}, [p.guide for p in parts if p.refused])
        try:
            files, extra = release_files(project, builder, result.lang, parts, report.problems)
            report.release, report.status = publish_language(project.output_dir, result.lang, files, extra,
                                                             plan.epoch, project.config.keep_releases, base,
                                                             site, stop)
            break
        except CurrentMoved:
            if attempt == 2:
                return _failed(project, result.lang, report, WorkflowError("the release kept moving; try again"))
        except (WorkflowError, OSError) as exc:
            return _failed(project, result.lang, report, exc)
    if report.status == "pinned":
        report.problems.append(Problem(f"{project.config.output}/{result.lang}/pin", 1, "info",
                                       f"[{result.lang}] pinned to {report.release}; not moved "
                                       f"(`workflow unpin {result.lang}`)", "publish.pinned"))
    return report


def folder_reports(project: Project, plan: Plan) -> list[LanguageReport]:
    """A refused report per locale folder that is not a language (when every language is built):
    named in the report and the exit code, while the other languages publish."""
    if list(plan.languages) != published_languages(project):
        return []
    return [LanguageReport(name if name.isprintable() else repr(name), "refused", problems=[problem])
            for name, problem in sorted(project.bad_languages.items())]


def _failed(project: Project, lang: str, report: LanguageReport, exc: Exception) -> LanguageReport:
    report.status = "refused"
    where = project.config.output + "/" + lang
    # a WorkflowError's problems are reported as they are, after one line that says what they caused
    causes = exc.problems if isinstance(exc, WorkflowError) else []
    if isinstance(exc, OSError):   # named relative to the project, never by its absolute path
        exc = f"{occupied(exc)}" + (f" at {project.rel(Path(exc.filename))}" if exc.filename else "")
    report.problems.append(Problem(where, 1, ERROR, "publish failed, previous release kept"
                                   + ("" if causes else f": {exc}"), "publish"))
    report.problems.extend(causes)
    return report


def place_site_problems(project: Project, reports: list[LanguageReport]) -> None:
    """Each problem about a path of dist/ once, in the report of the language whose folder holds it (when
    that language is in this run, whether or not its own publish met it), else in the first report that
    met it: a stray folder in ja/ makes ja's report and the exit code say so, and no other language's."""
    out = shown(project.output_dir, project.output_dir) + "/"   # as live.shown names them
    by_lang = {r.lang: r for r in reports}
    target: dict[tuple, tuple[Problem, LanguageReport]] = {}   # (path, check): the first said of it
    for report in reports:
        for p in report.problems:
            if p.check in (OCCUPIED, STATE_CHECK) and p.path.startswith(out):
                target.setdefault((p.path, p.check), (p, by_lang.get(p.path[len(out):].split("/")[0], report)))
    for report in reports:
        report.problems = [p for p in report.problems if (p.path, p.check) not in target]
    for p, report in target.values():
        report.problems.append(p)


# In a worker process: the Builder of the build it serves, (root, build id) -> Builder (one at a time)
_BUILDERS: dict[tuple[str, str], Builder] = {}


def _build_chunk(root: str, langs: list[str], guides: list[str], build: str) -> dict[str, LanguageResult]:
    """Some guides in every language, in a worker process. One Builder per process and build serves every
    chunk the process gets: the project's settings, ui.po's check and the checks' findings per text are
    worked out once, not once per chunk (~30 ms of set-up a chunk). `build`: an id drawn per build, so a
    process that outlives one never keys another build's editions with the file hashes it remembers."""
    if (root, build) not in _BUILDERS:
        _BUILDERS.clear()
        _BUILDERS[root, build] = Builder(Project(root))
    return _chunk_in(_BUILDERS[root, build], langs, guides)


def built_languages(project: Project, langs: list[str], guides: list[str], jobs: int | None,
                    on_progress=None) -> list[LanguageResult]:
    """Every language's LanguageResult. Work is split by guides, not languages: a guide is parsed once
    however many languages use it, memory holds a chunk of guides, and `jobs` processes (None: auto) share
    the chunks. `on_progress(guides done, guides)` is called as chunks finish."""
    units, counted = len(langs) * len(guides), None
    if jobs is None:
        # auto sizes the work by the editions not in the cache: a rebuild that finds (nearly) all of them
        # there stays in this process, where starting no worker saves more than it costs
        counted = Builder(project)
        units = counted.unbuilt(langs, guides, AUTO_MIN_UNITS)
    jobs = resolve_jobs(jobs, len(guides), units)
    chunks = chunked(guides, jobs)
    if jobs == 1:
        # in this process, by one Builder (the one that counted, if any: the files hashed while counting
        # serve the build); an input edited meanwhile is caught when each batch is stored (Builder._settle)
        builder = counted or Builder(project)
        parts = (_chunk_in(builder, langs, chunk) for chunk in chunks)
    else:
        build = secrets.token_hex(8)
        parts = imap_unordered(_build_chunk, [(str(project.root), langs, chunk, build) for chunk in chunks], jobs)
    done = 0
    merged = {lang: LanguageResult(lang) for lang in langs}
    known: dict[str, set] = {lang: set() for lang in langs}  # ui.po is checked with every chunk: report it once
    for part in parts:
        for lang, result in part.items():
            merged[lang].editions.extend(result.editions)
            for problem in result.problems:
                if problem not in known[lang]:
                    known[lang].add(problem)
                    merged[lang].problems.append(problem)
        done += len(result.editions)  # the chunk's guides (the same for every language)
        if on_progress:
            on_progress(done, len(guides))
    order = {g: i for i, g in enumerate(guides)}
    for result in merged.values():
        result.editions.sort(key=lambda e: order[e.guide])
    return [merged[lang] for lang in langs]


def _chunk_in(builder: Builder, langs: list[str], guides: list[str]) -> dict[str, LanguageResult]:
    """Some guides in every language by this process's Builder: each guide is parsed once for all its
    languages, and its parsed form is dropped when the chunk is done."""
    try:
        return builder.build_languages(langs, guides)
    finally:
        builder.forget_guides(guides)


def run(project: Project, plan: Plan, on_language=None, jobs: int | None = None,
        on_progress=None) -> list[LanguageReport]:
    """The in-process executor of a Plan."""
    builder = Builder(project)
    reports = {}
    for result in built_languages(project, list(plan.languages), list(plan.guides), jobs, on_progress):
        if plan.publish:  # publishing stays in this process, one language at a time
            report = publish_result(project, builder, result, plan)
        else:
            report = report_for(result, "built" if result.ok else "refused")
        reports[result.lang] = report
        if on_language:
            on_language(report)
    ordered = [reports[lang] for lang in plan.languages] + folder_reports(project, plan)
    place_site_problems(project, ordered)
    write_report(project, ordered)
    return ordered


def write_report(project: Project, reports: list[LanguageReport]) -> None:
    """dist/report.json, or (disk full, read-only) no report at all: the previous one is removed so it
    cannot claim what this run did not do, and every report says so (exit 1)."""
    folder = project.output_dir
    data = json.dumps({"languages": [r.as_dict() for r in reports]}, ensure_ascii=False, indent=1)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / "report.json", data)
    except OSError as exc:
        try:
            (folder / "report.json").unlink(missing_ok=True)
        except OSError:
            pass
        problem = Problem(f"{project.config.output}/report.json", 1, ERROR, f"not written ({exc.strerror or exc}); "
                          "the previous report was removed, this output is the only report", REPORT_CHECK)
        for report in reports:
            report.problems.append(problem)
