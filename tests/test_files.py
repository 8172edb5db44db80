"""One safe write (workflow/files.py), used by every writer: no planted symlink is followed, concurrent
writers never share a temporary name, a failed write leaves the old file and no temporary file."""
from __future__ import annotations

import ast
import itertools
import os
import threading
from pathlib import Path

import pytest

from workflow import files
from workflow.files import replace_symlink, write_atomic

from conftest import REPO

GUIDE = "knee-osteoarthritis-stem-cells"


def test_planted_temporary_symlinks_are_never_followed(project_dir, run_cli, tmp_path):
    """An attacker who can write next to a catalog plants the old fixed temporary names as links."""
    outside = tmp_path / "outside.txt"
    outside.write_text("precious")
    po = project_dir / "locales" / "ja" / "LC_MESSAGES" / f"{GUIDE}.po"
    planted = [po.with_suffix(".po.tmp"), po.with_name(f".{po.name}.tmp-{os.getpid()}"),
               project_dir / "dist" / ".report.json.tmp"]
    (project_dir / "dist").mkdir()
    for link in planted:
        link.symlink_to(outside)
    (project_dir / "source" / f"{GUIDE}.md").open("a").write("\nA new paragraph for translators.\n")
    assert run_cli(project_dir, "update", "--lang", "ja")[0] == 0
    assert "A new paragraph for translators." in po.read_text(encoding="utf-8")
    assert run_cli(project_dir, "publish", "--lang", "ja", "-j", "1")[0] == 0
    assert outside.read_text() == "precious"
    assert all(link.is_symlink() for link in planted)   # left alone, not written through
    assert not po.is_symlink() and not (project_dir / "dist" / "report.json").is_symlink()


def test_concurrent_writers_never_collide(tmp_path):
    target = tmp_path / "x.po"
    errors = []

    def write(n: int) -> None:
        try:
            for i in range(50):
                write_atomic(target, f"writer {n} round {i}\n" * 200)
        except Exception as exc:  # noqa: BLE001 - collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    lines = set(target.read_text().splitlines())
    assert len(lines) == 1                      # one writer's whole content, never a mix
    assert os.listdir(tmp_path) == ["x.po"]     # no temporary file left


def test_failure_mid_write_keeps_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "x.po"
    target.write_bytes(b"old")

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["x.po"]


def test_symlink_switch_is_atomic_and_leaves_no_temporary(tmp_path):
    link = tmp_path / "current"
    replace_symlink(link, "releases/a")
    replace_symlink(link, "releases/b")
    assert os.readlink(link) == "releases/b"
    assert os.listdir(tmp_path) == ["current"]


def test_every_writer_uses_the_helper():
    """No module but files.py writes a file, renames over one, or links one itself."""
    writes = {"write_bytes", "write_text", "replace", "rename", "symlink", "mkstemp", "mkdtemp"}
    offenders = []
    for path in sorted((REPO / "workflow").rglob("*.py")):
        if path == Path(files.__file__):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in writes:
                if node.func.attr == "replace" and not _is_os_or_path_call(node):
                    continue
                offenders.append(f"{path.relative_to(REPO)}:{node.lineno}: {node.func.attr}")
    assert offenders == []


def _is_os_or_path_call(node: ast.Call) -> bool:
    """os.replace(a, b) or a_path.replace(b): one positional argument, not str.replace(old, new)."""
    owner = node.func.value
    return (isinstance(owner, ast.Name) and owner.id == "os") or len(node.args) == 1


def test_catalog_folder_linked_out_of_the_project_is_refused(project_dir, run_cli, tmp_path):
    """A pull request can carry `locales/fr -> /somewhere`: update writes nothing there."""
    outside = tmp_path / "outside"
    (outside / "LC_MESSAGES").mkdir(parents=True)
    (project_dir / "locales" / "fr").symlink_to(outside)
    code, out, err = run_cli(project_dir, "update", "--lang", "fr")
    # refused as a locale folder before any catalog path is made (safefs; files.ensure_inside guards writers)
    assert code == 2 and "locales/fr:1: error: is a symbolic link leading outside the project" in err
    assert list(outside.rglob("*")) == [outside / "LC_MESSAGES"]


def test_a_link_planted_under_the_next_temporary_name_is_never_followed(tmp_path, monkeypatch):
    """Temporary names are a process id, a token and a counter: one seen in a listing tells the next ones.
    A link planted there is refused by O_EXCL|O_NOFOLLOW and the name after it is taken."""
    outside = tmp_path / "outside.txt"
    outside.write_text("precious")
    folder = tmp_path / "cache"
    folder.mkdir()
    target = folder / "entry"
    monkeypatch.setattr(files, "_TOKEN", "feedc0de")
    monkeypatch.setattr(files, "_COUNTER", itertools.count(7))
    for n in (7, 8, 9):
        (folder / f".entry.tmp-{os.getpid()}-feedc0de-{n}").symlink_to(outside)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new" and outside.read_text() == "precious"
    assert sorted(p.name for p in folder.iterdir() if not p.is_symlink()) == ["entry"]
