"""One definition of each input set (Project.*_inputs) and one key helper (Project.content_key): a template in
a subfolder is an input like any other, changing any input of a set changes its key, changing an unrelated
file does not."""
from __future__ import annotations

from pathlib import Path

import pytest

from workflow.catalogs.review import CheckCache
from workflow.distributed import tasks
from workflow.names import UI_DOMAIN
from workflow.project import Project
from workflow.publishing.builder import Builder

GUIDE = "knee-osteoarthritis-stem-cells"
OTHER = "soft-tissue-injury-stem-cells"
LANG = "ja"


def _touch(path: Path) -> None:
    path.write_bytes(path.read_bytes() + b"\n")


def _partial(root: Path) -> Path:
    """A template in a subfolder, included by guide.html (`mkdir templates/partials` once crashed build)."""
    partial = root / "templates" / "partials" / "note.html"
    partial.parent.mkdir()
    partial.write_text("<p class=\"partial-note\">from a partial</p>\n", encoding="utf-8")
    guide = root / "templates" / "guide.html"
    text = guide.read_text(encoding="utf-8")
    guide.write_text(text.replace("{% block main %}", "{% block main %}{% include \"partials/note.html\" %}", 1),
                     encoding="utf-8")
    return partial


def test_template_subfolder_is_built_and_is_an_input(project_dir, run_cli):
    partial = _partial(project_dir)
    (project_dir / "templates" / "empty-folder").mkdir()
    code, out, err = run_cli(project_dir, "build", "--lang", LANG, "--guide", GUIDE)
    assert code == 0, out + err
    builder = Builder(Project(project_dir))
    key = builder.edition_key(GUIDE, LANG)
    html = builder.edition_bytes(key)[f"{GUIDE}.html"].decode("utf-8")
    assert "from a partial" in html
    partial.write_text("<p>changed partial</p>\n", encoding="utf-8")
    assert Builder(Project(project_dir)).edition_key(GUIDE, LANG) != key


KEYS = {
    "edition": lambda root: Builder(Project(root)).edition_key(GUIDE, LANG),
    "check-guide": lambda root: CheckCache(Project(root)).key(LANG, GUIDE, b"catalog"),
    "check-ui": lambda root: CheckCache(Project(root)).key(LANG, UI_DOMAIN, b"catalog"),
    "document": lambda root: Project(root).content_key(Project(root).document_inputs(GUIDE)),
}
SETS = {
    "edition": lambda project: project.edition_inputs(GUIDE, LANG),
    "check-guide": lambda project: project.check_inputs(GUIDE),
    "check-ui": lambda project: project.check_inputs(UI_DOMAIN),
    "document": lambda project: project.document_inputs(GUIDE),
    "worker": lambda project: project.worker_inputs(),
}
UNRELATED = {
    "edition": [f"source/{OTHER}.md", f"locales/es/LC_MESSAGES/{GUIDE}.po", f"locales/{LANG}/LC_MESSAGES/{OTHER}.po"],
    "check-guide": [f"source/{OTHER}.md", f"locales/{LANG}/LC_MESSAGES/{OTHER}.po", "templates/guide.html"],
    "check-ui": [f"source/{GUIDE}.md", f"locales/{LANG}/LC_MESSAGES/{GUIDE}.po"],
    "document": [f"source/{OTHER}.md", "templates/guide.html", "workflow.yaml", "source/glossary.yaml"],
    "worker": [f"locales/{LANG}/LC_MESSAGES/{GUIDE}.po"],
}


def _worker_key(root: Path):
    assert tasks.PROJECT_ROOT == str(root)   # the worker's own project, fixed at start
    return id(tasks._builder())


@pytest.mark.parametrize("name", sorted(SETS))
def test_every_input_changes_its_key_and_nothing_else_does(name, project_dir, monkeypatch):
    monkeypatch.delenv("WORKFLOW_PROJECT", raising=False)
    monkeypatch.setattr(tasks, "_builders", {})
    monkeypatch.setattr(tasks, "PROJECT_ROOT", str(project_dir))
    _partial(project_dir)
    key = KEYS.get(name, _worker_key)
    inputs = SETS[name](Project(project_dir))
    assert project_dir / "templates" / "partials" / "note.html" in inputs or name in ("check-guide", "document")
    for path in inputs:
        before = key(project_dir)
        if path.exists():
            _touch(path)
        else:
            path.write_text("{}\n", encoding="utf-8")   # absent (glossary.yaml): creating it is a change
        assert key(project_dir) != before, f"{name}: {path.relative_to(project_dir)} changed, key did not"
    for rel in UNRELATED[name]:
        before = key(project_dir)
        _touch(project_dir / rel)
        assert key(project_dir) == before, f"{name}: unrelated {rel} changed the key"


def test_links_out_of_the_project_are_never_inputs(project_dir, tmp_path, run_cli):
    outside = tmp_path / "outside.html"
    outside.write_text("secret", encoding="utf-8")
    (project_dir / "templates" / "leak.html").symlink_to(outside)
    (project_dir / "templates" / "dangling.html").symlink_to(tmp_path / "missing.html")
    (project_dir / "templates" / "inside.html").symlink_to(project_dir / "templates" / "base.html")
    names = [p.name for p in Project(project_dir).template_files()]
    assert "leak.html" not in names and "dangling.html" not in names and "inside.html" in names
    code, out, err = run_cli(project_dir, "build", "--lang", LANG, "--guide", GUIDE)
    assert code == 0, out + err
