"""Coordinator operations never take a published page away: after each one, on an already published dist/,
every URL a reader could reach before still answers (a file, as a static server serves it). The only ones
that may go are a release's own files a later release no longer holds: its tarball (named after its id)
and, under current/, the pages of a guide that left the source; their stable address, the link page
dist/<lang>/<guide>.html, stays (a chooser). tests/test_links.py holds that every link then resolves."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_project
from workflow.cli import main
from workflow.publishing.store import CRASH_ENV

KNEE = "knee-osteoarthritis-stem-cells"


def reachable(dist: Path) -> set[str]:
    """Every file under dist/ a reader can ask for, following current/ (not the releases/ folders, which
    retention prunes, nor dot files and the build's own report)."""
    found = set()
    for folder, dirs, files in os.walk(dist, followlinks=True):
        rel = Path(folder).relative_to(dist)
        dirs[:] = [d for d in dirs if d != "releases" and not d.startswith(".")]
        found |= {str(rel / f) for f in files if not f.startswith(".") and f not in ("report.json", "history.json")}
    return {os.path.normpath(f) for f in found}


def _cli(project: Path, *args: str) -> int:
    return main(["--project", str(project), "--quiet", *args])


def _remove_guide(project: Path, guide: str = KNEE) -> None:
    (project / "source" / f"{guide}.md").unlink()
    assert _cli(project, "extract") == 0 and _cli(project, "update") == 0


def _rename_guide(project: Path) -> None:
    (project / "source" / f"{KNEE}.md").rename(project / "source" / "renamed-guide.md")
    for folder in (project / "locales").glob("*/LC_MESSAGES"):
        (folder / f"{KNEE}.po").rename(folder / "renamed-guide.po")
    (project / "locales" / "templates" / f"{KNEE}.pot").unlink()
    assert _cli(project, "extract") == 0 and _cli(project, "update") == 0


def _crash_midway(project: Path) -> None:
    """The publish process dies after writing a release, before switching it."""
    (project / "source" / f"{KNEE}.md").write_text((project / "source" / f"{KNEE}.md").read_text() + "\nMore.\n")
    env = {**os.environ, CRASH_ENV: "ja", "SOURCE_DATE_EPOCH": "1"}
    done = subprocess.run([sys.executable, "-m", "workflow", "--project", str(project), "--quiet", "publish"],
                          env=env, capture_output=True)
    assert done.returncode == 17


def _new_guide(project: Path) -> None:
    shutil.copy(project / "source" / f"{KNEE}.md", project / "source" / "new-guide.md")
    assert _cli(project, "extract") == 0 and _cli(project, "update") == 0


def _replace_by_folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


NEW_PAGES = {f"{lang}/current/new-guide.html" for lang in ("en", "ja", "zh_CN")}
# what must answer after an operation that adds a guide: a stray entry refuses its own path, not the site
GAINED = {
    "a folder where a link page goes": NEW_PAGES | {"en/new-guide.html", "zh_CN/new-guide.html"},
    "a folder where history.json goes": NEW_PAGES | {f"{lang}/new-guide.html" for lang in ("en", "ja", "zh_CN")},
    "a folder where the site state goes": NEW_PAGES | {f"{lang}/new-guide.html" for lang in ("en", "ja", "zh_CN")},
    "a corrupt history.json": NEW_PAGES,
    "a failed build, then publish again": NEW_PAGES,
}

OPERATIONS = {   # name -> (what the coordinator does, guides that left the source)
    "publish --lang": (lambda p: _cli(p, "publish", "--lang", "ja"), ()),
    "publish --guide": (lambda p: _cli(p, "publish", "--guide", KNEE), ()),
    "rollback": (lambda p: (_cli(p, "publish"), _cli(p, "rollback", "ja"), _cli(p, "rollback", "ja")), ()),
    "pin": (lambda p: (_cli(p, "pin", "ja"), _cli(p, "publish")), ()),
    "remove a guide": (lambda p: (_remove_guide(p), _cli(p, "publish")), (KNEE,)),
    "rename a guide": (lambda p: (_rename_guide(p), _cli(p, "publish")), (KNEE,)),
    "remove a language folder": (lambda p: (shutil.rmtree(p / "locales" / "ja"), _cli(p, "publish")), ()),
    "remove a language from config": (lambda p: (p.joinpath("workflow.yaml").write_text(
        p.joinpath("workflow.yaml").read_text() + "languages: [zh_CN]\n"), _cli(p, "publish")), ()),
    "a folder where a link page goes": (lambda p: (
        _new_guide(p), (p / "dist" / "ja" / "new-guide.html").mkdir(), _cli(p, "publish")), ()),
    "a folder where history.json goes": (lambda p: (
        _new_guide(p), _replace_by_folder(p / "dist" / "ja" / "history.json"), _cli(p, "publish")), ()),
    "a folder where the site state goes": (lambda p: (
        _new_guide(p), _replace_by_folder(p / "dist" / ".site.json"), _cli(p, "publish")), ()),
    "a corrupt history.json": (lambda p: (
        _new_guide(p), (p / "dist" / "ja" / "history.json").write_text("[" * 100_000), _cli(p, "publish")), ()),
    "a failed build, then publish again": (lambda p: (_new_guide(p), _crash_midway(p), _cli(p, "publish")), ()),
    "a broken template": (lambda p: (p.joinpath("templates/guide.html").write_text("{% for %}"),
                                     _cli(p, "publish")), ()),
    "a failed build midway": (_crash_midway, ()),
}


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1")
    project = copy_project(tmp_path_factory.mktemp("published") / "project", languages=["ja", "zh_CN"])
    assert _cli(project, "publish") == 0
    return project


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_every_url_a_reader_reached_still_answers(published, tmp_path, name):
    project = tmp_path / "project"
    shutil.copytree(published, project, symlinks=True)
    before = reachable(project / "dist")
    operation, removed = OPERATIONS[name]
    operation(project)
    lost = before - reachable(project / "dist")
    may_go = {f for f in before if f.endswith(".tar.gz") and "/current/" in f"/{f}"} | {
        f for f in before for guide in removed if f.split("/")[1:2] == ["current"] and Path(f).stem == guide}
    assert lost <= may_go, sorted(lost - may_go)[:5]
    assert GAINED.get(name, set()) <= reachable(project / "dist"), sorted(GAINED[name] - reachable(project / "dist"))
    for guide in removed:   # its stable address answers: a chooser now
        assert all((project / "dist" / lang / f"{guide}.html").is_file() for lang in ("en", "ja", "zh_CN"))
