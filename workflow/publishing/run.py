"""Coordinator: build each language, publish the ones that pass, report the rest."""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from ..files import write_atomic
from ..model import ERROR, Problem, WorkflowError
from ..parallel import chunked, imap_unordered, resolve_jobs
from ..project import Project, source_date_epoch
from .builder import Builder, LanguageResult
from .store import publish_language


@dataclass
class LanguageReport:
    lang: str
    status: str                     # published, unchanged, refused, built
    release: str | None = None
    coverage: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"lang": self.lang, "status": self.status, "release": self.release, "coverage": self.coverage,
                "errors": sum(p.severity == ERROR for p in self.problems),
                "problems": [p.as_dict() for p in self.problems]}


def bundle_files(project: Project, builder: Builder, result: LanguageResult) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for edition in result.editions:
        for name, path in builder.edition_files(edition.key).items():
            files[name] = path.read_bytes()
    files["index.html"] = builder.index_page(result)
    style = project.templates_dir / "style.css"
    if style.exists():
        files["style.css"] = style.read_bytes()
    return files


def manifest_extra(result: LanguageResult) -> dict:
    return {"guides": {e.guide: {"coverage": e.summary["coverage"], "edition": e.key,
                                 "fallback_passages": e.summary["fallback_passages"]} for e in result.editions},
            "checks_passed": True}


def report_for(result: LanguageResult, status: str, release: str | None = None) -> LanguageReport:
    return LanguageReport(result.lang, status, release,
                          {e.guide: e.summary.get("coverage", 0) for e in result.editions}, result.all_problems())


def publish_result(project: Project, builder: Builder, result: LanguageResult, epoch: int) -> LanguageReport:
    if not result.ok:
        return report_for(result, "refused")
    try:
        rid, changed = publish_language(project.output_dir, result.lang, bundle_files(project, builder, result),
                                        manifest_extra(result), epoch, project.config.keep_releases)
    except (WorkflowError, OSError) as exc:
        report = report_for(result, "refused")
        where = project.config.output + "/" + result.lang
        # a WorkflowError's problems are reported as they are, after one line that says what they caused
        causes = exc.problems if isinstance(exc, WorkflowError) else []
        report.problems.append(Problem(where, 1, ERROR, "publish failed, previous release kept"
                                       + ("" if causes else f": {exc}"), "publish"))
        report.problems.extend(causes)
        return report
    return report_for(result, "published" if changed else "unchanged", rid)


def _build_chunk(root: str, langs: list[str], guides: list[str]) -> dict[str, LanguageResult]:
    """Some guides in every language, by a Builder of their own (in a worker process or not): each guide is
    parsed once for all its languages, and its parsed form is dropped when the chunk is done."""
    builder = Builder(Project(root))
    return {lang: builder.build_language(lang, guides) for lang in langs}


def built_languages(project: Project, langs: list[str], guides: list[str], jobs: int | None,
                    on_progress=None) -> list[LanguageResult]:
    """Every language's LanguageResult. Work is split by guides, not languages: a guide is parsed once
    however many languages use it, memory holds a chunk of guides, and `jobs` processes (None: auto) share
    the chunks. `on_progress(guides done, guides)` is called as chunks finish."""
    jobs = resolve_jobs(jobs, len(guides), len(langs) * len(guides))
    done = 0
    merged = {lang: LanguageResult(lang) for lang in langs}
    known: dict[str, set] = {lang: set() for lang in langs}  # ui.po is checked with every chunk: report it once
    for part in imap_unordered(_build_chunk, [(str(project.root), langs, c) for c in chunked(guides, jobs)], jobs):
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


def run(project: Project, langs=None, guides=None, publish: bool = True, on_language=None,
        jobs: int | None = None, on_progress=None) -> list[LanguageReport]:
    builder = Builder(project)
    guide_list = project.select_guides(guides)
    all_langs = builder.published_languages()
    chosen = all_langs if not langs else [l if l == project.config.source_language else project.select_languages([l])[0]
                                          for l in langs]
    epoch = source_date_epoch() or int(time.time())
    reports = {}
    for result in built_languages(project, chosen, guide_list, jobs, on_progress):
        if publish:  # publishing stays in this process, one language at a time
            report = publish_result(project, builder, result, epoch)
        else:
            report = report_for(result, "built" if result.ok else "refused")
        reports[result.lang] = report
        if on_language:
            on_language(report)
    ordered = [reports[lang] for lang in chosen]
    write_report(project, ordered)
    return ordered


def write_report(project: Project, reports: list[LanguageReport]) -> None:
    folder = project.output_dir
    folder.mkdir(parents=True, exist_ok=True)
    data = {"languages": [r.as_dict() for r in reports]}
    write_atomic(folder / "report.json", json.dumps(data, ensure_ascii=False, indent=1))
