"""A language's index page (every guide's title and excerpt, the emergency box): verified like every page a reader
gets (verify_page), and each guide's title and excerpt against its source as each edition's are (verify_summary).
A summary comes from an edition verified now, from the sealed cache, or from an older release (assemble: kept),
verified by the code of its day: the page reads them all alike."""
from __future__ import annotations

from ..editions.edition import Translations, build_index
from ..editions.localeformat import locale_for
from ..editions.services import services_for
from ..editions.verify import verify_front_text, verify_page
from ..editions.pagetext import box_labels, text as page_text
from ..editions.verify_front import front_source, index_numbers, spoken, verify_around
from ..model import ERROR, Problem, WorkflowError


class SourceFronts:
    """Each guide's title and excerpt as its source says them (verify_front.front_source), read once per Builder;
    the parsed guide is dropped after: an index page names every guide, a build holds a chunk at a time."""

    def __init__(self, builder):
        self.builder, self.read, self.dates = builder, {}, {}

    def of(self, guide: str) -> dict:
        """Its title and excerpt; its date (the front matter's, as format_meta_date reads it) kept in dates."""
        if guide not in self.read:
            try:
                doc = self.builder.document(guide)
                self.read[guide], self.dates[guide] = front_source(doc), doc.meta["date"]
            finally:
                self.builder.project.forget_documents([guide])
        return self.read[guide]


def index_page(builder, lang: str, summaries: list[dict], problems: list[Problem]) -> bytes:
    """The page; one that fails its verification is no release (WorkflowError)."""
    project = builder.project
    page = build_index(summaries, lang, Translations.from_entries({}, builder.ui_translations(lang, problems)),
                       project.registry, project.templates_dir, builder.switcher_languages(lang),
                       project.config.source_language)
    path, html = project.rel(project.templates_dir / "index.html"), page.decode()
    failed = verify_page(html, project.registry, lang, path)
    shown = [("", key, text) for summary in summaries for key in ("title", "excerpt")
             if isinstance(text := summary.get(key), str)]   # each read against its source (verify_summary)
    for summary in summaries:
        failed += _summary_problems(builder, summary, lang, path)
    dates = [builder.fronts.dates.get(guide) for summary in summaries if isinstance(guide := summary.get("guide"), str)]
    verify_around([page_text(html), *spoken(html)], shown, lang, "HTML", lambda line, message, check: failed.append(
        Problem(path, line, ERROR, f"[{lang}] index page: {message}", check)), index_numbers(project.registry, lang, dates),
        services_for(project.registry, lang), (), box_labels(html))
    if failed:
        raise WorkflowError("the index page failed its verification", failed)
    return page


def _summary_problems(builder, summary: dict, lang: str, path: str) -> list[Problem]:
    guide = summary.get("guide")
    try:
        fronts = builder.fronts.of(guide) if isinstance(guide, str) else None
    except (OSError, WorkflowError) as exc:   # a source that does not parse (now): nothing to read the title against
        fronts, guide = None, f"{guide} ({exc})"
    if fronts is None:
        return [Problem(path, 1, ERROR, f"[{lang}] index page: guide {str(guide)[:80]}: no source to read its title "
                        "and excerpt against", "verify.summary")]
    return verify_summary(summary, fronts, builder.project.registry, lang, path)


def verify_summary(summary: dict, fronts: dict, registry, lang: str, path: str) -> list[Problem]:
    """A guide's title and excerpt as the language's index page shows them (its summary), judged as the
    edition's (verify_front_text) against its source's (fronts: verify_front.front_source)."""
    problems: list[Problem] = []

    def fail(line: int, message: str, check: str, segment: str | None = None):
        problems.append(Problem(path, line, ERROR, f"[{lang}] {message}", check, segment))

    locale, names = locale_for(lang), services_for(registry, lang)
    for key, front in fronts.items():
        text, where = summary.get(key) or "", f"{key} of {summary.get('guide')} in the index page"
        if isinstance(text, str):
            verify_front_text(text, front, where, lang, locale, names, fail)
        else:
            fail(1, f"{where}: not text", "verify.summary")
    return problems
