"""Cache entries many to a file (workflow/packs.py): a build creates a file per batch, not per edition; two
processes writing at once, a crash mid-write or an index that lies give misses, never another entry's bytes;
rebuilds do not make the cache grow without bound."""
from __future__ import annotations

import multiprocessing
from pathlib import Path

from workflow import packs
from workflow.packs import PackStore, slot_of
from workflow.project import Project
from workflow.publishing.builder import Builder

from conftest import cache_entries, copy_project


def _store(root, kind="checks") -> PackStore:
    (root / ".cache" / kind).mkdir(parents=True, exist_ok=True)
    return PackStore(root, root / ".cache" / kind)


def _key(n: int, writer: int = 0) -> str:
    return f"{writer:04x}{n:028x}"


def test_a_cold_build_creates_a_file_per_batch_not_per_edition(tmp_path):
    root = copy_project(tmp_path / "project")
    project = Project(root)
    builder = Builder(project)
    results = builder.build_languages(["es", "ja"], project.guides)
    editions = [er for result in results.values() for er in result.editions]
    assert len(editions) >= 6 and all(er.ok for er in editions)
    created = {kind: sorted(p.name for p in (root / ".cache" / kind).iterdir()) for kind in ("editions", "checks")}
    assert len(created["editions"]) <= 3 and len(created["checks"]) <= 3, created   # a pack a language, the index
    fresh = Builder(Project(root))
    assert all(fresh._stored(er.key) is not None and fresh.edition_bytes(er.key) for er in editions)


def _write_many(root: str, writer: int, count: int) -> None:
    store = PackStore(Path(root), Path(root) / ".cache" / "checks")
    for n in range(0, count, 3):   # three entries a pack, so that lines of both writers alternate
        store.write([(_key(m, writer), slot_of(str(writer), str(m)), store.seal(_key(m, writer), b"%d/%d" % (writer, m) * 50))
                     for m in range(n, min(n + 3, count))])


def test_two_processes_writing_at_once_lose_and_mix_nothing(tmp_path):
    _store(tmp_path)
    context = multiprocessing.get_context("fork")
    writers = [context.Process(target=_write_many, args=(str(tmp_path), w, 300)) for w in (1, 2)]
    for process in writers:
        process.start()
    for process in writers:
        process.join(60)
        assert process.exitcode == 0
    store = _store(tmp_path)
    for writer in (1, 2):
        for m in range(300):
            assert store.get(_key(m, writer), bytes) == b"%d/%d" % (writer, m) * 50


def test_a_crash_mid_write_and_a_lying_index_are_misses_never_another_entry(tmp_path):
    store = _store(tmp_path)
    store.write([(_key(n), slot_of(str(n)), store.seal(_key(n), b"entry %d" % n)) for n in range(3)])
    index = tmp_path / ".cache" / "checks" / packs.INDEX
    lines = index.read_bytes()
    one, two = (line for line in lines.split(b"\n") if line.startswith(_key(1).encode()) or line.startswith(_key(2).encode()))
    # a write torn by a crash (no newline yet), then a later writer's lines; a line naming entry 2's place for 1
    index.write_bytes(lines + two[:20] + b"\n" + two.replace(_key(2).encode(), _key(1).encode()) + b"\n")
    again = _store(tmp_path)
    assert again.get(_key(1), bytes) is None                  # sealed for key 2: a miss
    assert again.get(_key(2), bytes) == b"entry 2" and again.get(_key(0), bytes) == b"entry 0"
    pack = again.where(_key(0))[0]
    pack.write_bytes(pack.read_bytes()[:-3])                  # the pack cut short (a crash before the rename)
    assert _store(tmp_path).get(_key(2), bytes) is None and _store(tmp_path).get(_key(0), bytes) == b"entry 0"


def test_rebuilds_do_not_make_the_cache_grow_without_bound(tmp_path, monkeypatch):
    """Each rebuild after one .po edit stores that edition again under a new key: the entry it supersedes
    (same guide and language) is collected once the index holds twice the live entries."""
    monkeypatch.setattr(packs, "COLLECT_LINES", 8)
    monkeypatch.setattr(packs, "GRACE", -1)   # (a pack is spared while younger: none is here)
    root = copy_project(tmp_path / "project")
    project = Project(root)
    guide = project.guides[0]
    po = project.po_path("es", guide)
    original = po.read_bytes()
    sizes = []
    for n in range(30):
        po.write_bytes(original + b"\n" * n)   # another catalog's bytes: a new key for that edition
        result = Builder(Project(root)).build_languages(["es"], project.guides)["es"]
        assert all(er.ok for er in result.editions)
        sizes.append(sum(p.stat().st_size for p in (root / ".cache" / "editions").iterdir()))
    assert max(sizes[20:]) <= max(sizes[:20])   # (on main: a file more each time)
    latest = Builder(Project(root))
    assert all(latest._stored(er.key) is not None for er in result.editions)
    assert len(cache_entries(root, "editions")) <= 2 * len(result.editions) + 8
