"""Edition keys and the build's fixed costs (issue 17): the shortcuts that make a rebuild cheap give the
keys, results and paths the plain route gives, and a key never outlives the files it hashed."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from workflow import parallel
from workflow.catalogs import review
from workflow.checks import runner
from workflow.distributed import chunk
from workflow.model import WorkflowError
from workflow.project import Project
from workflow.publishing import run
from workflow.publishing.builder import Builder

from conftest import REPO

GUIDE = "knee-osteoarthritis-stem-cells"


def _edit(path: Path) -> None:
    path.write_bytes(path.read_bytes() + b"\n# edited by a translator\n")


def test_a_builder_sees_a_catalog_edited_after_its_build(project_dir):
    """A Celery worker's Builder lives across builds and compares each client's key with its own before
    building: a catalog edited since its last build must not make it refuse the guide."""
    project = Project(project_dir)
    builder = Builder(project)
    before = builder.build_language("es", [GUIDE]).editions[0].key
    _edit(project.po_path("es", GUIDE))
    client_key = Builder(Project(project_dir)).edition_key(GUIDE, "es")
    assert client_key != before
    assert builder.edition_key(GUIDE, "es") == client_key
    outcome = chunk.build_language(builder, "es", [GUIDE], {GUIDE: client_key})
    assert outcome[GUIDE] in ("ok", "refused"), outcome


def test_one_build_of_every_language_equals_a_build_per_language(project_dir):
    """build_languages hashes each file once for all the languages: same keys and results as building
    each language by itself, and as a fresh Builder's keys."""
    langs, guides = ["es", "ja", "en"], Project(project_dir).guides
    together = Builder(Project(project_dir)).build_languages(langs, guides)
    for lang in langs:
        alone = Builder(Project(project_dir)).build_language(lang, guides)
        assert [e.as_dict() | {"cached": None} for e in together[lang].editions] == \
            [e.as_dict() | {"cached": None} for e in alone.editions]
        assert [e.key for e in alone.editions] == [Builder(Project(project_dir)).edition_key(g, lang) for g in guides]


def test_auto_starts_workers_only_for_editions_not_in_the_cache(project_dir, monkeypatch):
    """`--jobs auto` counts the editions the cache lacks: a cold build is spread over processes, a rebuild
    that finds them all stays in this process, and both report the same editions."""
    monkeypatch.setattr(parallel, "AUTO_MIN_UNITS", 4)
    monkeypatch.setattr(run, "AUTO_MIN_UNITS", 4)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    pools = []

    def recorded(func, args_list, jobs):   # the pool's work, done here: the test checks who asked for it
        pools.append(jobs)
        return parallel.imap_unordered(func, args_list, 1)
    monkeypatch.setattr(run, "imap_unordered", recorded)
    project = Project(project_dir)
    langs = ["es", "ja", "ar", "zh_CN"]
    cold = run.built_languages(project, langs, project.guides, None)
    assert pools == [2]
    warm = run.built_languages(Project(project_dir), langs, project.guides, None)
    assert pools == [2], "a rebuild with every edition cached started workers"
    assert all(e.cached for r in warm for e in r.editions)
    assert [[e.as_dict() | {"cached": None} for e in r.editions] for r in warm] == \
        [[e.as_dict() | {"cached": None} for e in r.editions] for r in cold]
    _edit(project.po_path("ja", GUIDE))
    again = run.built_languages(Project(project_dir), langs, project.guides, None)
    assert pools == [2]
    assert [(e.lang, e.guide) for r in again for e in r.editions if not e.cached] == [("ja", GUIDE)]


def test_a_build_worker_keeps_one_builder_per_build(project_dir, tmp_path, monkeypatch):
    """A worker process builds every chunk of a build by one Builder (its project's settings and the checks'
    findings worked out once), drops each chunk's parsed guides, takes a new Builder for another build, and
    gives the results a Builder per chunk gives."""
    monkeypatch.setattr(run, "_BUILDERS", {})
    plain = tmp_path / "plain"   # the same project, built by a Builder per chunk (nothing in its cache)
    shutil.copytree(project_dir, plain, symlinks=True)
    guides, langs = Project(project_dir).guides, ["es", "ja"]
    assert len(guides) >= 2
    first = run._build_chunk(str(project_dir), langs, guides[:1], "build-1")
    builder = run._BUILDERS[str(project_dir), "build-1"]
    second = run._build_chunk(str(project_dir), langs, guides[1:], "build-1")
    assert list(run._BUILDERS.values()) == [builder]
    assert not builder.project._documents and not set(builder.sources) & set(guides)
    assert builder._check_memo and builder._ui_checked
    run._build_chunk(str(project_dir), langs, guides[:1], "build-2")
    assert list(run._BUILDERS) == [(str(project_dir), "build-2")]
    for part, chunk in ((first, guides[:1]), (second, guides[1:])):
        alone = Builder(Project(plain)).build_languages(langs, chunk)
        assert not any(e.cached for r in alone.values() for e in r.editions)
        assert {lang: [e.as_dict() | {"cached": None} for e in r.editions] for lang, r in part.items()} == \
            {lang: [e.as_dict() | {"cached": None} for e in r.editions] for lang, r in alone.items()}


def test_a_memo_kept_across_chunks_is_bounded_and_finds_the_same(project_dir, tmp_path, monkeypatch):
    """A Builder keeps the checks' memo from one chunk of guides to the next: the problems are those a memo
    per chunk finds (a copy of the project, its cache as cold), and past MEMO_MOST the memo starts again."""
    plain = tmp_path / "plain"
    shutil.copytree(project_dir, plain, symlinks=True)
    project, memo = Project(project_dir), {}
    for lang in ("es", "ja"):
        for guide in project.guides:
            kept = review.check_language(project, lang, domain_list=[guide], memo=memo).problems
            assert kept == review.check_language(Project(plain), lang, domain_list=[guide]).problems
    assert {key[0] for key in runner.memo_settings(memo)} == {"es", "ja"}
    states = len(memo["states"])
    monkeypatch.setattr(review, "MEMO_MOST", runner.memo_size(memo) - 1)
    review.check_language(project, "ar", domain_list=project.guides[:1], memo=memo)
    assert {key[0] for key in runner.memo_settings(memo)} == {"ar"}
    assert len(memo["states"]) < states   # the interned segment states started again too


segments = st.lists(st.sampled_from(["a", "b", "..", ".", "", "x y", "é", "project", "projectx"]), max_size=5)


@settings(max_examples=500)
@given(segments, st.booleans())
def test_rel_by_string_equals_relative_to(parts, inside):
    project = Project(REPO)
    base = project.root if inside else project.root.parent
    path = base.joinpath(*parts) if parts else base
    try:
        plain = path.relative_to(project.root).as_posix()
    except ValueError:
        plain = str(path)
    assert project.rel(path) == plain
    assert project.rel(Path(str(project.root) + "x") / "a") == str(project.root) + "x/a"


def test_stand_ins_read_ui_po_once_per_content(project_dir, monkeypatch):
    """A refused language stands in for each guide with ui.po's approved entries: parsed once for all of
    them, again only when its bytes change; the entries are those of a fresh read."""
    from workflow.catalogs import review
    reads = []
    plain = review.reader.read
    monkeypatch.setattr(review.reader, "read", lambda data, path: reads.append(path) or plain(data, path))
    builder = Builder(Project(project_dir))
    first = [builder.ui_translations("ja", []) for _ in range(3)]
    assert len(reads) == 1 and first[0] == first[2] == Builder(Project(project_dir)).ui_translations("ja", [])
    ui = Project(project_dir).po_path("ja", "ui")
    ui.write_bytes(ui.read_bytes().replace(b'msgstr "', b'msgstr "~', 1))
    assert builder.ui_translations("ja", []) == Builder(Project(project_dir)).ui_translations("ja", [])
    assert len(reads) >= 2


def test_edition_keys_hashed_from_the_shared_prefix_are_the_plain_keys(project_dir):
    """A Builder hashes the inputs every edition shares once (Project.key_prefix) and goes on from a copy:
    every key of every guide and language (the source language too) is content_key of edition_inputs."""
    project = Project(project_dir)
    builder = Builder(project)
    langs = json.dumps(builder.published_languages())
    for lang in project.languages + [project.config.source_language]:
        for guide in project.guides:
            assert builder.edition_key(guide, lang) == \
                project.content_key(project.edition_inputs(guide, lang), guide, lang, langs)


def test_remembered_paths_still_refuse_bad_names_and_name_the_same_files(project_dir):
    """Project keeps each catalog's and guide's path once made (a rebuild's keys name ~3,300): a name is
    still checked on every call, before and after good ones were remembered, and a path is the join."""
    project = Project(project_dir)
    for _ in range(2):
        assert project.po_path("es", GUIDE) == project_dir.resolve() / "locales/es/LC_MESSAGES" / f"{GUIDE}.po"
        assert project.source_path(GUIDE) == project_dir.resolve() / "source" / f"{GUIDE}.md"
        assert project.po_path("es", "") == project_dir.resolve() / "locales/es/LC_MESSAGES" / ".po"   # not the folder
        for lang in ("../es", "es/../../x", "", "ES"):
            with pytest.raises(WorkflowError):
                project.po_path(lang, GUIDE)
        for guide in ("../x", "index", "A", ""):
            with pytest.raises(WorkflowError):
                project.source_path(guide)
