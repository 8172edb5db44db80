"""Every input of an edition key edited while the edition builds (or between this Project reading it and the
key being made) leaves nothing under the key of the old bytes: the guide and catalogs (test_rebuild_redteam)
and the shared ones, workflow.yaml, facts.yaml, glossary.yaml and the templates, added ones included."""
from __future__ import annotations

import pytest

from workflow.project import Project
from workflow.publishing import builder as builder_module
from workflow.publishing.builder import Builder

from conftest import copy_project

GUIDE = "knee-osteoarthritis-stem-cells"
EDITS = {   # file -> an edit that changes its bytes (and, for a template, the page)
    "workflow.yaml": lambda text: text + "\n# edited\n",
    "source/facts.yaml": lambda text: text + "\n# edited\n",
    "source/glossary.yaml": lambda text: text + "\n# edited\n",
    "templates/guide.html": lambda text: text + "<!-- edited -->\n",
    "templates/extra.html": None,   # a template added while the build runs
}


def _edit(root, name):
    path = root / name
    edit = EDITS[name]
    path.write_text(edit(path.read_text(encoding="utf-8")) if edit else "<p>new</p>\n", encoding="utf-8")


@pytest.mark.parametrize("name", sorted(EDITS))
@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_shared_input_edited_while_editions_build_is_never_stored_under_the_old_key(tmp_path, monkeypatch,
                                                                                      name, lang):
    root = copy_project(tmp_path / "project")
    build = builder_module.build_edition
    calls = []

    def edited_meanwhile(*args, **kwargs):
        if not calls:
            _edit(root, name)
        calls.append(1)
        return build(*args, **kwargs)

    monkeypatch.setattr(builder_module, "build_edition", edited_meanwhile)
    builder = Builder(Project(root))
    guides = builder.project.guides
    results = builder.build_language(lang, guides).editions
    assert len(calls) == len(guides)
    for er in results:
        assert not er.ok and "build.changed" in {p.check for p in er.problems}, er.guide
        assert builder._stored(er.key) is None
    monkeypatch.setattr(builder_module, "build_edition", build)
    again = Builder(Project(root))
    assert all(er.ok for er in again.build_language(lang, guides).editions)   # built again from the new bytes


@pytest.mark.parametrize("name", ["templates/guide.html", "source/facts.yaml"])
def test_an_edit_during_a_later_batch_refuses_that_batch_and_the_rest(tmp_path, monkeypatch, name):
    """Built editions are stored in batches (SETTLE_EVERY, to bound memory): an edit while the second
    edition builds leaves the first one stored (its inputs were asked before the edit) and nothing after."""
    root = copy_project(tmp_path / "project")
    build = builder_module.build_edition
    calls = []

    def edited_meanwhile(*args, **kwargs):
        if len(calls) == 1:
            _edit(root, name)
        calls.append(1)
        return build(*args, **kwargs)

    monkeypatch.setattr(builder_module, "SETTLE_EVERY", 1)
    monkeypatch.setattr(builder_module, "build_edition", edited_meanwhile)
    builder = Builder(Project(root))
    guides = builder.project.guides
    assert len(guides) >= 3
    results = builder.build_language("es", guides).editions
    assert results[0].ok and builder._stored(results[0].key) is not None
    for er in results[1:]:
        assert not er.ok and "build.changed" in {p.check for p in er.problems}, er.guide
        assert builder._stored(er.key) is None


@pytest.mark.parametrize("name", ["workflow.yaml", "source/facts.yaml"])
def test_a_shared_input_read_before_the_key_and_edited_then_is_never_stored_under_the_new_key(tmp_path, name):
    """A Project reads workflow.yaml at once and facts.yaml on first use, then keeps them: bytes edited after
    that and before the key is made are keyed, not the bytes the build used."""
    root = copy_project(tmp_path / "project")
    project = Project(root)
    assert project.registry   # read now
    _edit(root, name)
    builder = Builder(project)
    er = builder.build_language("es", [GUIDE]).editions[0]
    assert not er.ok and any(p.check == "build.changed" and p.path == name for p in er.problems)
    assert builder._stored(er.key) is None


def test_an_unchanged_project_stores_every_edition(tmp_path):
    root = copy_project(tmp_path / "project")
    builder = Builder(Project(root))
    results = builder.build_language("es", builder.project.guides).editions
    assert all(er.ok and builder._stored(er.key) is not None for er in results)
