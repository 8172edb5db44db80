"""Red team of round 14 (see the module's end for what held)."""
from __future__ import annotations

import inspect
import os
import shutil
import tarfile
from pathlib import Path

import pytest

from conftest import copy_project
from workflow import safefs

GUIDE = "knee-osteoarthritis-stem-cells"
MARKER = "Outside-the-project sentence 7391."


@pytest.fixture
def es_project(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    return copy_project(tmp_path / "project", languages=("es",))


def _published_text(project: Path) -> str:
    out = []
    for path in (project / "dist").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if path.name.endswith((".tar.gz", ".tgz", ".tar")):
                with tarfile.open(path) as tar:
                    for member in tar.getmembers():
                        if member.isfile():
                            out.append(tar.extractfile(member).read().decode("utf-8", "replace"))
            else:
                out.append(data.decode("utf-8", "replace"))
    return "\n".join(out)


def test_source_folder_repointed_outside_only_while_the_guide_is_read_is_not_published(es_project, tmp_path,
                                                                                         monkeypatch, run_cli):
    """An attacker who repoints source/ to a folder outside the project while the build reads a guide (after
    the build resolved source/ once: project.folders) and back before the edition is settled."""
    outside = tmp_path / "outside"
    shutil.copytree(es_project / "source", outside)
    guide = outside / f"{GUIDE}.md"
    guide.write_text(guide.read_text(encoding="utf-8") + f"\n{MARKER}\n", encoding="utf-8")
    source = es_project / "source"
    original = safefs.read_bytes
    swapped = []

    def racing_read(root, path, *args, folders=None, **kwargs):
        if Path(path).name == f"{GUIDE}.md" and not swapped and "_parse" in (inspect.stack()[1].function, inspect.stack()[2].function):
            if folders is not None:
                folders.real_inside(Path(path))   # the build resolved source/ before (as at its start)
            os.rename(source, source.with_name("source.real"))
            os.symlink(outside, source, target_is_directory=True)
            swapped.append(path)
            try:
                return original(root, path, *args, folders=folders, **kwargs)
            finally:
                os.unlink(source)
                os.rename(source.with_name("source.real"), source)
        return original(root, path, *args, folders=folders, **kwargs)

    monkeypatch.setattr(safefs, "read_bytes", racing_read)
    code, out, err = run_cli(es_project, "publish", "--jobs", "1")
    assert swapped
    published = _published_text(es_project) if (es_project / "dist").is_dir() else ""
    assert MARKER not in published, "a guide read through a link out of the project was published"
