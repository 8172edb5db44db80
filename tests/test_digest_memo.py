"""File digests remembered by stat (workflow/digests.py) give what reading the file gives, whatever was
done to it since: an edit that keeps size and mtime (os.utime) is seen by its ctime, a file too young
to be told apart from an edit in the same timestamp tick is hashed again, and a memo this installation
did not seal for this project root is ignored."""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from workflow import digests, safefs, sealed
from workflow.digests import DigestMemo, file_digest
from workflow.project import Project
from workflow.publishing.builder import Builder

GUIDE = "knee-osteoarthritis-stem-cells"


@pytest.fixture
def fine_clock(monkeypatch):
    """Timestamps 1 ns apart are told apart (ext4, tmpfs): a file is old enough to remember after 50 ms
    instead of 2 s; the racy rule itself is unchanged."""
    monkeypatch.setattr(digests, "GRANULARITY_NS", 10_000_000)


def _aged() -> None:
    time.sleep(0.05)   # files written before are now older than fine_clock's granularity


def _memo(root: Path) -> DigestMemo:
    return DigestMemo(root, root / ".cache" / "digests")


def _same_size_edit(path: Path) -> None:
    """Change one byte, then put the old mtime back (what `touch -r`, a checkout or an attacker can do)."""
    info = path.stat()
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size and path.stat().st_mtime_ns == info.st_mtime_ns


def test_an_edit_keeping_size_and_mtime_is_seen(tmp_path, fine_clock):
    path = tmp_path / "a.po"
    path.write_bytes(b"msgid \"a\"\nmsgstr \"b\"\n" * 50)
    _aged()
    memo = _memo(tmp_path)
    before = memo.digest(path)
    memo.save()
    assert json.loads(sealed.unseal((tmp_path / ".cache" / "digests").read_bytes()))["files"]["a.po"][5] == before
    _same_size_edit(path)
    for fresh in (memo, _memo(tmp_path)):   # the same memo (a long-lived worker) and the next run's
        assert fresh.digest(path) == file_digest(path, tmp_path) != before


def test_a_young_file_is_hashed_again_each_time(tmp_path, monkeypatch):
    """Default granularity (2 s): a file written just now is not remembered, so an edit later in the same
    tick cannot hide behind an unchanged stat."""
    path = tmp_path / "a.po"
    path.write_bytes(b"one")
    memo = _memo(tmp_path)
    assert memo.digest(path) == file_digest(path, tmp_path)
    memo.save()
    assert not (tmp_path / ".cache" / "digests").exists()
    old = time.time_ns() - 10 * digests.GRANULARITY_NS
    os.utime(path, ns=(old, old))   # mtime only: ctime is now, still young
    expected = file_digest(path, tmp_path)
    reads, read = [], digests._read_digest
    monkeypatch.setattr(digests, "_read_digest", lambda p, r: reads.append(p) or read(p, r))
    assert memo.digest(path) == expected and reads == [path]
    assert memo.digest(path) == expected and reads == [path, path]


def _planted(tmp_path):
    """a.po, its stat, the memo's path (folder made) and a genuine-looking memo entry for a.po whose
    digest is wrong ("0" * 64): trusted, it would show."""
    path = tmp_path / "a.po"
    path.write_bytes(b"content")
    info = path.stat()
    store = tmp_path / ".cache" / "digests"
    store.parent.mkdir()
    entry = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev, "0" * 64]
    return path, info, store, entry


def test_racy_entries_of_a_memo_are_not_trusted(tmp_path, fine_clock):
    """git's rule: an entry whose file changed within the granularity of the memo's own write is hashed
    again, even though its stat matches (planted here as a genuine-looking entry with a wrong digest)."""
    path, info, store, entry = _planted(tmp_path)
    store.write_bytes(sealed.seal(json.dumps({"root": os.path.realpath(tmp_path), "files": {"a.po": entry}}).encode()))
    os.utime(store, ns=(info.st_ctime_ns, info.st_ctime_ns + digests.GRANULARITY_NS // 2))
    assert _memo(tmp_path).digest(path) == file_digest(path, tmp_path)
    os.utime(store, ns=(info.st_ctime_ns, info.st_ctime_ns + 2 * digests.GRANULARITY_NS))
    assert _memo(tmp_path).digest(path) == "0" * 64   # the same entry, old enough: trusted (this is a memo)


@pytest.mark.parametrize("forge", ["unsealed", "other key", "other root", "not json", "link"])
def test_a_memo_not_sealed_for_this_project_is_ignored(tmp_path, fine_clock, monkeypatch, forge):
    path, info, store, entry = _planted(tmp_path)
    memo = {"root": os.path.realpath(tmp_path), "files": {"a.po": entry}}
    payload = json.dumps(memo).encode()
    if forge == "unsealed":
        data = payload
    elif forge == "other key":
        monkeypatch.setenv(sealed.KEY_ENV, "someone else's key")
        data = sealed.seal(payload)
        monkeypatch.delenv(sealed.KEY_ENV)
    elif forge == "other root":
        data = sealed.seal(json.dumps({**memo, "root": os.path.realpath(tmp_path / "elsewhere")}).encode())
    elif forge == "not json":
        data = sealed.seal(b"\x00" + payload)
    if forge == "link":   # a genuine memo outside the project, linked in
        outside = tmp_path.parent / f"{tmp_path.name}-outside"
        outside.write_bytes(sealed.seal(payload))
        store.symlink_to(outside)
    else:
        store.write_bytes(data)
    time.sleep(0.05)
    os.utime(store, ns=(time.time_ns(), time.time_ns()))
    assert _memo(tmp_path).digest(path) == file_digest(path, tmp_path) != "0" * 64


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["append", "same-size", "delete", "link-out", "link-in", "folder", "rename-over"]),
                max_size=4))
def test_the_memo_gives_what_reading_gives(tmp_path_factory, edits):
    """Differential: after any sequence of edits, each followed by a run that saves its memo, the memo's
    digest of every file is file_digest's (missing, refused, changed or not)."""
    root = tmp_path_factory.mktemp("memo")
    digests.GRANULARITY_NS, saved = 0, digests.GRANULARITY_NS   # everything old enough at once
    try:
        names = [root / f"f{i}.po" for i in range(3)]
        for n, path in enumerate(names):
            path.write_bytes(b"x" * (10 + n))
        for n, edit in enumerate(edits):
            memo = _memo(root)
            assert [memo.digest(p) for p in names] == [file_digest(p, root) for p in names]
            memo.save()
            time.sleep(0.002)
            target = names[n % len(names)]
            if target.is_symlink() or target.is_dir():
                continue
            if edit == "append" and target.exists():
                target.write_bytes(target.read_bytes() + b"y")
            elif edit == "same-size" and target.exists():
                _same_size_edit(target)
            elif edit == "delete":
                target.unlink(missing_ok=True)
            elif edit == "link-out":
                target.unlink(missing_ok=True)
                target.symlink_to("/etc/hostname")
            elif edit == "link-in":   # read through the link: the memo stats what it leads to
                (root / "kept").write_bytes(b"k" * (n + 1))
                target.unlink(missing_ok=True)
                target.symlink_to("kept")
            elif edit == "folder":
                target.unlink(missing_ok=True)
                target.mkdir()
            elif edit == "rename-over":
                other = root / "new"
                other.write_bytes(b"z" * 10)
                os.replace(other, target)
        memo = _memo(root)
        assert [memo.digest(p) for p in names] == [file_digest(p, root) for p in names]
    finally:
        digests.GRANULARITY_NS = saved


def test_a_rebuild_sees_a_catalog_edited_with_its_mtime_restored(project_dir, fine_clock):
    """End to end: after a build saved the memo, a catalog edited in place with size and mtime kept gets
    a new edition key, in a new process's Builder and in a long-lived one."""
    project = Project(project_dir)
    _aged()
    worker = Builder(project)
    before = worker.build_language("es", [GUIDE]).editions[0].key
    assert (project_dir / ".cache" / "digests").is_file()
    _same_size_edit(project.po_path("es", GUIDE))
    after = Builder(Project(project_dir)).edition_key(GUIDE, "es")
    assert after != before
    assert worker.build_language("es", [GUIDE]).editions[0].key == after


PARTS = ["a", "b", "in", "out", "f", "g", "lin", "lout", "dang", "missing", ".", ".."]


def _tree(root: Path, outside: Path) -> None:
    outside.mkdir(exist_ok=True)
    (outside / "f").write_text("secret")
    (root / "a").mkdir()
    (root / "b").mkdir()
    (root / "a" / "f").write_text("f")
    (root / "b" / "g").write_text("g")
    (root / "a" / "lin").symlink_to("../b/g")
    (root / "a" / "lout").symlink_to(outside / "f")
    (root / "a" / "dang").symlink_to("nowhere")
    (root / "in").symlink_to("a")
    (root / "out").symlink_to(outside)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PARTS), min_size=1, max_size=4), min_size=1, max_size=6))
def test_folders_resolved_once_give_what_realpath_gives(tmp_path_factory, paths):
    """safefs.Folders (a build's folders resolved once, then one lstat per file) says where every path
    really is exactly as real_inside does: inside, through a link in or out, dangling, missing."""
    base = tmp_path_factory.mktemp("folders")
    root = base / "project"
    root.mkdir()
    _tree(root, base / "outside")
    folders = safefs.Folders(root)
    for _ in range(2):   # the second time from what the first resolved
        for parts in paths:
            path = root.joinpath(*parts)
            assert folders.real_inside(path) == safefs.real_inside(root, path), parts
            real, info = folders.real_lstat_inside(path)   # the lstat the digest memo compares is real's
            assert real == safefs.real_inside(root, path), parts
            if info is not None:
                here = os.lstat(real)
                assert (info.st_ino, info.st_dev, info.st_mode) == (here.st_ino, here.st_dev, here.st_mode), parts


def test_a_worker_task_resolves_folders_afresh(project_dir, tmp_path, monkeypatch):
    """A Celery worker keeps its Builder across tasks: a catalog folder turned into a link out of the
    project between two tasks is refused by the next one, never read where it was resolved before."""
    from workflow.distributed import tasks
    monkeypatch.delenv("WORKFLOW_PROJECT", raising=False)
    monkeypatch.setattr(tasks, "_builders", {})
    monkeypatch.setattr(tasks, "PROJECT_ROOT", str(project_dir))
    builder = tasks._builder()
    po = builder.project.po_path("es", GUIDE)
    assert builder.project.folders.real_inside(po) == str(po)
    outside = tmp_path / "outside"
    shutil.move(po.parent, outside)
    po.parent.symlink_to(outside)
    assert tasks._builder() is builder
    assert builder.project.folders.real_inside(po) is None
    assert builder.project.file_digest(po) == "refused"
