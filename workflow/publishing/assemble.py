"""A language release is made of guide editions: choose, per guide, what readers get.

For each guide of the release (every guide in source/):
  built    the edition built now, when it passed its checks, gates and verification;
  kept     the guide's edition from the current release, byte-identical, if it was built from today's
           source and facts.yaml (sha256 recorded per guide in the manifest) and the release verifies
           against its manifest: for a guide `publish --guide` did not ask for (one that cannot be kept
           is built now instead), and for a refused guide under the policy `last-good`;
  source   for a refused guide that cannot be kept: the guide in the source language inside the
           language's page (every passage `lang="en"` with the notice), built and verified now;
  missing  only when even that fails (a guide source that does not parse): the guide is left out.
The policy `stand_in` (config.py; workflow.yaml `gates`, per language in `language_gates`) is
`last-good` (the default) or `source` (a refused guide never keeps an older translation).
A stale fact cannot pass: a kept edition must match today's source and facts byte for byte, and
every built or source edition is verified after rendering.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from .. import safefs
from ..model import ERROR, WARNING, Problem, WorkflowError
from ..project import Project
from .builder import Builder, LanguageResult
from .live import read_state
from .store import current_release, manifest_of, verify_release


@dataclass
class GuideRelease:
    guide: str
    status: str                      # built | kept | source | missing
    refused: bool                    # the edition asked for was refused: a stand-in serves it
    files: dict[str, bytes] = field(default_factory=dict)
    entry: dict = field(default_factory=dict)      # manifest["guides"][guide]
    summary: dict = field(default_factory=dict)    # for the language's index page


def guide_inputs(project: Project, guide: str) -> dict:
    """What a kept edition must still match: the guide's source and the facts registry (numbers, disclaimer)."""
    def digest(path: Path) -> str:
        try:   # through safefs: a guide or facts.yaml linked out of the project is "-", never read
            return hashlib.sha256(safefs.read_bytes(project.root, path, folders=project.folders)).hexdigest()
        except (OSError, WorkflowError):
            return "-"
    return {"source_sha256": digest(project.source_path(guide)),
            "facts_sha256": digest(project.source_dir / "facts.yaml")}


def _current(project: Project, lang: str) -> tuple[str | None, Path | None, dict]:
    """The current release id, and its folder and manifest's guides when it verifies (else None, {})."""
    lang_dir = project.output_dir / lang
    rid = current_release(lang_dir)
    if not rid:
        return None, None, {}
    folder = lang_dir / "releases" / rid
    try:   # a release that does not verify carries nothing over: its guides are built now
        verify_release(folder, project.output_dir)
        guides = manifest_of(folder, project.output_dir).get("guides") or {}
    except (OSError, WorkflowError):
        return rid, None, {}
    return rid, folder, guides if isinstance(guides, dict) else {}


def _kept(project: Project, folder: Path | None, entry, guide: str) -> GuideRelease | None:
    if folder is None or not isinstance(entry, dict):
        return None
    inputs = guide_inputs(project, guide)
    if any(entry.get(k) != v for k, v in inputs.items()):
        return None
    names = [f"{guide}.html", f"{guide}.md", f"{guide}.json"]
    try:
        reads = safefs.Folders(project.output_dir)   # the release folder resolved once, not per file
        files = {name: read_state(project.output_dir, folder / name, folders=reads) for name in names}
        data = json.loads(files[f"{guide}.json"])
    except (OSError, ValueError, RecursionError, WorkflowError):
        return None
    if not isinstance(data, dict):
        return None
    summary = {k: data.get(k) for k in ("guide", "lang", "title", "title_fallback", "excerpt", "excerpt_fallback",
                                         "date", "date_iso", "coverage", "fallback_passages")}
    english = entry.get("source") == "source"   # a carried stand-in stays labelled as the source-language text
    return GuideRelease(guide, "source" if english else "kept", True, files,
                        {**entry, "source": "source" if english else "kept"}, summary)


def _entry(project: Project, guide: str, summary: dict, source: str, key: str | None) -> dict:
    return {"coverage": summary.get("coverage", 0), "edition": key, "fallback_passages": summary.get(
        "fallback_passages", 0), "source": source, **guide_inputs(project, guide)}


def _source_edition(project: Project, builder: Builder, lang: str, guide: str,
                    problems: list[Problem]) -> tuple[GuideRelease | None, list[Problem]]:
    try:
        edition = builder.source_stand_in(lang, guide, problems)
    except WorkflowError as exc:
        return None, exc.as_problems(project.rel(project.source_path(guide)), "build")
    if not edition.ok:
        return None, edition.problems
    return GuideRelease(guide, "source", True, edition.files, _entry(project, guide, edition.summary, "source", None),
                        edition.summary), []


def _built(project: Project, builder: Builder, edition) -> GuideRelease:
    files = builder.files_to_publish(edition)   # each file checked against its sealed sha256
    return GuideRelease(edition.guide, "built", False, files,
                        _entry(project, edition.guide, edition.summary, "built", edition.key), edition.summary)


def _stand_in(project: Project, builder: Builder, lang: str, guide: str, kept: GuideRelease | None,
              problems: list[Problem]) -> tuple[GuideRelease, list[Problem]]:
    """What readers get for a refused guide: the kept edition if there is one, else the source-language text."""
    cite = project.catalog_cite(lang, guide) if lang != project.config.source_language else \
        project.rel(project.source_path(guide))
    source = project.config.source_language
    if kept is not None:
        what = "its last published edition" if kept.status == "kept" else f"the {source} text, marked, as before"
        return kept, [Problem(cite, 1, WARNING, f"[{lang}] {guide}: refused; readers keep {what} (same source and "
                              "facts)", "publish.stand-in")]
    chosen, failed = _source_edition(project, builder, lang, guide, problems)
    if chosen is not None:
        return chosen, failed + [Problem(cite, 1, WARNING, f"[{lang}] {guide}: refused; readers get the {source} "
                                         "text, marked, until it passes", "publish.stand-in")]
    return GuideRelease(guide, "missing", True), failed + [Problem(
        cite, 1, ERROR, f"[{lang}] {guide}: refused and no stand-in verifies; left out of the release",
        "publish.stand-in")]


def assemble(project: Project, builder: Builder, result: LanguageResult, release_guides, asked=()) -> tuple[
        list[GuideRelease], list[Problem], str | None]:
    """Every guide of `release_guides` for `result.lang`, and the problems saying what stood in for what.
    A guide in `asked` (the plan's guides to build) without an edition in `result` was refused on the way.
    A guide not asked for (`publish --guide`) is carried from the current release when it can be, else built
    now: a language published for the first time, or a guide whose source changed, is not left in English.
    Returns the guides, the problems and the id of the release they were carried from."""
    lang = result.lang
    built = {e.guide: e for e in result.editions}
    base, folder, current_guides = _current(project, lang)
    problems = result.all_problems()
    out, notes = [], []
    for guide in release_guides:
        edition = built.get(guide)
        kept = _kept(project, folder, current_guides.get(guide), guide)
        if edition is None and guide not in asked:
            if kept is not None:
                kept.refused = False          # carried over as it is: nothing was refused
                out.append(kept)
                continue
            edition = builder.build_language(lang, [guide]).editions[0]
            notes.extend(p for p in edition.problems if p not in problems)
        if edition is not None and edition.ok:
            out.append(_built(project, builder, edition))
            continue
        if project.config.gate(lang, "stand_in") != "last-good":
            kept = None
        chosen, found = _stand_in(project, builder, lang, guide, kept, problems)
        out.append(chosen)
        notes.extend(found)
    return out, notes, base
