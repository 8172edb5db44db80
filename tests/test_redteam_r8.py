"""Red team, round 8: inputs where today's cheaper routes (kept source prices, the Builder's memo of the
checks kept across chunks, the worker-kept Builder) and the publish changes may differ from the plain route."""
from __future__ import annotations

import json

import pytest

from workflow.catalogs.sources import sources
from workflow.project import Project

KNEE = "knee-osteoarthritis-stem-cells"
KOREAN = "korean-stem-cell-therapy-2026"


def _append(project_dir, guide: str, text: str) -> None:
    path = project_dir / "source" / f"{guide}.md"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + text + "\n", encoding="utf-8")


def _plain(project_dir, guides, langs):
    """showable.unshowable per guide, nothing shared between guides: the reference."""
    from workflow.editions import showable
    project = Project(project_dir)
    return [p for g in guides for p in sorted(showable.unshowable(project.document(g), langs), key=lambda p: p.line)]


def test_a_guides_kept_prices_do_not_depend_on_another_guide(project_dir):
    """The same amount written two ways ($1.50 in one guide, $1.5 in another) is one verdict per amount; a
    guide's message must still name its own price, not the one another guide wrote first (which .cache/prices
    would then keep under this guide's key alone, and -j would change)."""
    _append(project_dir, KNEE, "A visit costs about $1.50 here.")
    _append(project_dir, KOREAN, "A visit costs about $1.5 here.")
    project = Project(project_dir)
    guides, langs = project.guides, project.languages
    expected = _plain(project_dir, guides, langs)
    korean = [p for p in expected if KOREAN in p.path and "1.5" in p.message]
    assert korean and all("1.50" not in p.message for p in korean)
    assert sources(project).prices(guides, langs) == expected
    # and alone: the Korean guide's kept entry is what its own plain route says
    assert sources(Project(project_dir)).prices([KOREAN], langs) == _plain(project_dir, [KOREAN], langs)


def test_the_builders_memo_serves_the_next_chunk_without_a_glossary(project_dir):
    """A project without glossary.yaml: the checks' memo a Builder keeps across chunks is keyed by the run's
    settings (the glossary by identity), so a chunk must meet the same key as the chunk before it, not a new
    one per chunk (a memo that is never read again, only cleared when full)."""
    from workflow.publishing.builder import Builder
    (project_dir / "source" / "glossary.yaml").unlink()
    project = Project(project_dir)
    builder = Builder(project)
    langs = [lang for lang in project.languages if lang != project.config.source_language][:2]
    for guide in project.guides:
        builder.build_languages(langs, [guide])
        builder.forget_guides([guide])
    settings = [key for key in builder._check_memo if key != "held"]
    assert len(settings) == len(langs), settings
