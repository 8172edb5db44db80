"""Red team against the rebuild's shortcuts (digest memo by stat, edition entries read by their sealed
head, folders resolved once, the shared key prefix): whatever a careless user or an attacker does to the
files, the cache or the clock, what is published is what a build of the current sources gives, from
bytes the build produced."""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from workflow import digests, safefs, sealed
from workflow.digests import DigestMemo, file_digest
from workflow.packs import HEAD_BYTES
from workflow.project import Project
from workflow.publishing import builder as builder_module, entries
from workflow.publishing.builder import Builder, EditionResult

from conftest import copy_project, plant_entry

GUIDE = "knee-osteoarthritis-stem-cells"
TITLE = "msgstr \"Conclusiones y consideraciones\"".encode()
SWAPPED = "msgstr \"Consideraciones y conclusiones\"".encode()   # same size, other text


@pytest.fixture
def fine_clock(monkeypatch):
    """A file is old enough to remember after 50 ms instead of 2 s (the racy rule itself unchanged)."""
    monkeypatch.setattr(digests, "GRANULARITY_NS", 10_000_000)


def _aged() -> None:
    time.sleep(0.05)


def _memo(root: Path) -> DigestMemo:
    return DigestMemo(root, root / ".cache" / "digests")


def _clean_files(root: Path, tmp: Path, lang: str, guide: str) -> tuple[bool, dict[str, bytes]]:
    """(ok, files) of the edition a build of `root`'s current sources gives, from a copy without .cache."""
    clean = tmp / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns(".cache", "dist"))
    builder = Builder(Project(clean))
    edition = builder.build_language(lang, [guide]).editions[0]
    return edition.ok, builder.edition_bytes(edition.key) if edition.ok else {}


def _published(root: Path, lang: str, guide: str) -> tuple[bool, dict[str, bytes]]:
    """(ok, files) a new run's build of `root` gives for one edition (what a publish would take)."""
    builder = Builder(Project(root))
    edition = builder.build_language(lang, [guide]).editions[0]
    return edition.ok, builder.files_to_publish(edition) if edition.ok else {}


# -- the digest memo ---------------------------------------------------------------------------------


class _CoarseStat:
    """A stat as a file system with 1 s timestamps gives it (ext3, HFS+, NFSv3, some FUSE mounts)."""

    def __init__(self, info):
        self._info = info

    def __getattr__(self, name):
        value = getattr(self._info, name)
        if name in ("st_mtime_ns", "st_ctime_ns", "st_atime_ns"):
            return value - value % 1_000_000_000
        return value


class _CoarseOs:
    def __getattr__(self, name):
        return getattr(os, name)

    def lstat(self, path, *args, **kwargs):
        return _CoarseStat(os.lstat(path, *args, **kwargs))

    def fstat(self, fd):
        return _CoarseStat(os.fstat(fd))


class _FastClock:
    """The build host's clock 5 s ahead of the file server's (NTP off, a VM resumed): what the file system
    stamps looks 5 s old to time.time_ns()."""

    def __getattr__(self, name):
        return getattr(time, name)

    @staticmethod
    def time_ns():
        return time.time_ns() + 5_000_000_000


def test_coarse_timestamps_and_a_fast_clock_never_keep_a_stale_digest_in_a_long_lived_process(tmp_path, monkeypatch):
    """The racy rule is checked against the file system's clock when the memo is read, but the entries a
    process adds were checked against its own clock only: a long-lived worker (Celery) then kept a digest
    of a file edited in the same timestamp tick, size kept, for all its later builds."""
    monkeypatch.setattr(digests, "os", _CoarseOs())
    monkeypatch.setattr(safefs, "os", _CoarseOs())
    monkeypatch.setattr(digests, "time", _FastClock())
    path = tmp_path / "a.po"
    for _ in range(5):   # all within one second of the file system (tried again if a second boundary fell in)
        shutil.rmtree(tmp_path / ".cache", ignore_errors=True)
        path.write_bytes(b"msgstr \"one\"\n")
        first = os.stat(path).st_ctime_ns // 10**9
        memo = _memo(tmp_path)
        before = memo.digest(path)
        memo.save()   # the end of a task's build
        path.write_bytes(b"msgstr \"two\"\n")   # the next edit, same size, same second
        if os.stat(path).st_ctime_ns // 10**9 == first:
            break
    else:
        pytest.skip("could not stay within one second")
    assert file_digest(path, tmp_path) != before
    assert memo.digest(path) == file_digest(path, tmp_path)         # the long-lived process (next task)
    assert _memo(tmp_path).digest(path) == file_digest(path, tmp_path)   # a new process


def test_a_memo_replaced_while_read_is_judged_by_the_write_it_was_read_from(tmp_path, fine_clock, monkeypatch):
    """The racy rule compares an entry with the time the memo holding it was written: the memo's bytes and
    that time must come from the same file (another process's save can replace it in between)."""
    path = tmp_path / "a.po"
    path.write_bytes(b"content")
    info = path.stat()
    store = tmp_path / ".cache" / "digests"
    store.parent.mkdir()
    racy = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev, "0" * 64]
    old = sealed.seal(json.dumps({"root": os.path.realpath(tmp_path), "files": {"a.po": racy}}).encode())
    store.write_bytes(old)
    os.utime(store, ns=(info.st_ctime_ns, info.st_ctime_ns))   # written in the file's own tick: racy
    newer = sealed.seal(json.dumps({"root": os.path.realpath(tmp_path), "files": {}}).encode())
    read = safefs.read_bytes_stat

    def read_then_replaced(root, p, *args, **kwargs):
        found = read(root, p, *args, **kwargs)
        if Path(p) == store:   # another process saves its memo (atomically) right after this one read it
            (store.parent / "tmp").write_bytes(newer)
            later = info.st_ctime_ns + 10 * digests.GRANULARITY_NS
            os.utime(store.parent / "tmp", ns=(later, later))
            os.replace(store.parent / "tmp", store)
        return found

    monkeypatch.setattr(safefs, "read_bytes_stat", read_then_replaced)
    assert _memo(tmp_path).digest(path) == file_digest(path, tmp_path) != "0" * 64




def test_a_file_swapped_by_renames_is_hashed_again(tmp_path, fine_clock):
    a, b = tmp_path / "a.po", tmp_path / "b.po"
    a.write_bytes(b"A" * 40)
    b.write_bytes(b"B" * 40)
    _aged()
    memo = _memo(tmp_path)
    memo.digest(a), memo.digest(b)
    memo.save()
    os.replace(a, tmp_path / "t")
    os.replace(b, a)
    os.replace(tmp_path / "t", b)
    for fresh in (memo, _memo(tmp_path)):
        assert [fresh.digest(a), fresh.digest(b)] == [file_digest(a, tmp_path), file_digest(b, tmp_path)]


def test_folders_swapped_by_renames_are_hashed_again(tmp_path, fine_clock):
    for lang, text in (("es", b"uno"), ("ja", b"ichi")):
        (tmp_path / lang).mkdir()
        (tmp_path / lang / "g.po").write_bytes(text.ljust(20))
    _aged()
    es, ja = tmp_path / "es" / "g.po", tmp_path / "ja" / "g.po"
    project_memo = DigestMemo(tmp_path, tmp_path / ".cache" / "digests")
    project_memo.digest(es), project_memo.digest(ja)
    project_memo.save()
    os.replace(tmp_path / "es", tmp_path / "t")
    os.replace(tmp_path / "ja", tmp_path / "es")
    os.replace(tmp_path / "t", tmp_path / "ja")
    for fresh in (DigestMemo(tmp_path, tmp_path / ".cache" / "digests"), _memo(tmp_path)):
        assert [fresh.digest(es), fresh.digest(ja)] == [file_digest(es, tmp_path), file_digest(ja, tmp_path)]


def test_a_hard_link_edited_from_outside_with_its_mtime_restored_is_seen(tmp_path, fine_clock):
    root, outside = tmp_path / "project", tmp_path / "outside.po"
    root.mkdir()
    outside.write_bytes(b"msgstr \"one\"\n")
    path = root / "a.po"
    os.link(outside, path)
    _aged()
    memo = _memo(root)
    before = memo.digest(path)
    memo.save()
    info = outside.stat()
    with open(outside, "r+b") as handle:   # in place: the same inode
        handle.write(b"msgstr \"two\"\n")
    os.utime(outside, ns=(info.st_atime_ns, info.st_mtime_ns))
    for fresh in (memo, _memo(root)):
        assert fresh.digest(path) == file_digest(path, root) != before


def test_a_link_repointed_to_a_file_of_the_same_size_is_hashed_again(tmp_path, fine_clock):
    (tmp_path / "x.po").write_bytes(b"x" * 30)
    (tmp_path / "y.po").write_bytes(b"y" * 30)
    link = tmp_path / "a.po"
    link.symlink_to("x.po")
    _aged()
    memo = _memo(tmp_path)
    before = memo.digest(link)
    memo.save()
    link.unlink()
    link.symlink_to("y.po")
    for fresh in (memo, _memo(tmp_path)):
        assert fresh.digest(link) == file_digest(link, tmp_path) != before


def test_a_file_with_an_mtime_in_the_future_is_never_remembered(tmp_path, fine_clock, monkeypatch):
    path = tmp_path / "a.po"
    path.write_bytes(b"one")
    future = time.time_ns() + 3600 * 10**9
    os.utime(path, ns=(future, future))
    _aged()
    memo = _memo(tmp_path)
    memo.digest(path)
    memo.save()
    assert not (tmp_path / ".cache" / "digests").exists()


def test_another_project_moved_into_the_folder_does_not_inherit_its_memo(tmp_path, fine_clock):
    """The memo names the project's root; a different project (a copy with one catalog edited, size and
    mtimes kept) moved into the same folder, with the old .cache carried along, is hashed afresh."""
    root = copy_project(tmp_path / "project")
    _aged()
    project = Project(root)
    before = Builder(project).build_language("es", [GUIDE]).editions[0]
    other = tmp_path / "other"
    shutil.copytree(root, other)   # copy2: mtimes kept, the memo and the entries carried along
    po = other / project.rel(project.po_path("es", GUIDE))
    info = po.stat()
    po.write_bytes(po.read_bytes().replace(TITLE, SWAPPED))
    os.utime(po, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert po.stat().st_size == info.st_size
    shutil.move(root, tmp_path / "old")
    shutil.move(other, root)
    ok, files = _published(root, "es", GUIDE)
    assert Builder(Project(root)).edition_key(GUIDE, "es") != before.key
    assert (ok, files) == _clean_files(root, tmp_path, "es", GUIDE)
    assert any(SWAPPED.decode()[8:-1].encode() in data for data in files.values())


# -- edition entries ----------------------------------------------------------------------------------


def test_a_head_longer_than_what_a_rebuild_reads_first_is_read_whole(tmp_path):
    project = Project(copy_project(tmp_path))
    builder = Builder(project)
    problems = [{"path": "x", "line": n, "severity": "warning", "message": "m" * 100, "check": "c"}
                for n in range(300)]
    er = EditionResult(GUIDE, "es", "ab" * 16, True, {"words": 1}, [])
    er_dict = er.as_dict()
    data = entries.pack({**er_dict, "problems": problems}, {"index.html": b"<html>" + b"x" * 50_000})
    assert sealed.head_end(data) > HEAD_BYTES
    plant_entry(builder._entries, er.key, data)
    assert builder._stored(er.key)["problems"] == problems
    assert builder.edition_bytes(er.key) == {"index.html": b"<html>" + b"x" * 50_000}
    plant_entry(builder._entries, er.key, data[:HEAD_BYTES + 10])   # cut inside the long head
    assert builder._stored(er.key) is None


def test_two_entries_swapped_are_misses_and_publish_what_the_sources_say(tmp_path, run_cli):
    root = copy_project(tmp_path / "project")
    assert run_cli(root, "build", "--lang", "es")[0] == 0
    project = Project(root)
    builder = Builder(project)
    one, two = (builder.edition_key(g, "es") for g in project.guides[:2])
    builder._entries.refresh()
    data_a, data_b = builder._entries.read(one), builder._entries.read(two)
    plant_entry(builder._entries, one, data_b)
    plant_entry(builder._entries, two, data_a)
    assert builder._stored(one) is None and builder._stored(two) is None
    for guide in project.guides[:2]:
        assert _published(root, "es", guide) == _clean_files(root, tmp_path, "es", guide)


def test_a_body_grown_or_swapped_between_entries_is_never_published(tmp_path):
    """The body after a sealed head is not authenticated: another entry's body, or the right body with
    bytes added, must fail its sha256s and be built again."""
    root = copy_project(tmp_path / "project")
    project = Project(root)
    builder = Builder(project)
    result = builder.build_language("es", project.guides[:2])
    one, two = (e.key for e in result.editions)
    genuine = {k: builder._entries.read(k) for k in (one, two)}
    end_one, end_two = sealed.head_end(genuine[one]), sealed.head_end(genuine[two])
    for body in (genuine[two][end_two:], genuine[one][end_one:] + b"<script>", b"<script>" + genuine[one][end_one:]):
        plant_entry(builder._entries, one, genuine[one][:end_one] + body)
        assert builder._entry(one) is None
        fresh = Builder(Project(root))
        edition = fresh.build_language("es", [project.guides[0]]).editions[0]
        assert fresh.files_to_publish(edition) == _clean_files(root, tmp_path, "es", project.guides[0])[1]


# -- edits while a build runs ------------------------------------------------------------------------


def test_a_catalog_edited_while_its_edition_builds_never_poisons_the_older_key(tmp_path, monkeypatch):
    """The key hashes a catalog before the build reads it: an edit in between must not leave an entry
    built from the new bytes under the key of the old ones, or reverting the edit (git checkout) would
    publish the reverted text."""
    root = copy_project(tmp_path / "project")
    project = Project(root)
    po = project.po_path("es", GUIDE)
    original = po.read_bytes()
    assert TITLE in original
    check = builder_module.check_language

    def edited_meanwhile(*args, **kwargs):
        po.write_bytes(original.replace(TITLE, SWAPPED))   # the translator saves while the build runs
        return check(*args, **kwargs)

    monkeypatch.setattr(builder_module, "check_language", edited_meanwhile)
    builder = Builder(project)
    during = builder.build_language("es", [GUIDE]).editions[0]
    monkeypatch.setattr(builder_module, "check_language", check)
    assert not during.ok and "build.changed" in {p.check for p in during.problems}
    assert builder._stored(during.key) is None
    po.write_bytes(original)   # and reverts
    assert _published(root, "es", GUIDE) == _clean_files(root, tmp_path, "es", GUIDE)


def test_a_catalog_folder_repointed_during_a_run_is_never_built_under_the_old_key(tmp_path, fine_clock, monkeypatch):
    """Folders are resolved once per run: a language folder that is a link inside the project (a deploy's
    `current` switch) repointed between the key and the read must not key new bytes as the old ones."""
    root = copy_project(tmp_path / "project")
    locales = root / "locales"
    shutil.move(locales / "es", root / "es-v1")
    shutil.copytree(root / "es-v1", root / "es-v2")
    po_v2 = root / "es-v2" / "LC_MESSAGES" / f"{GUIDE}.po"
    po_v2.write_bytes(po_v2.read_bytes().replace(TITLE, SWAPPED))
    (locales / "es").symlink_to("../es-v1")
    _aged()
    Builder(Project(root)).build_language("es", [GUIDE])   # the memo knows es-v1's files
    _aged()
    check = builder_module.check_language

    def repointed_meanwhile(*args, **kwargs):
        (locales / "es").unlink()
        (locales / "es").symlink_to("../es-v2")
        return check(*args, **kwargs)

    shutil.rmtree(root / ".cache" / "editions")
    project = Project(root)
    monkeypatch.setattr(builder_module, "check_language", repointed_meanwhile)
    Builder(project).build_languages(["es"], [GUIDE])
    monkeypatch.setattr(builder_module, "check_language", check)
    (locales / "es").unlink()
    (locales / "es").symlink_to("../es-v1")   # and back
    assert _published(root, "es", GUIDE) == _clean_files(root, tmp_path, "es", GUIDE)


def test_a_path_going_up_through_a_folder_link_is_where_the_kernel_opens_it(tmp_path):
    """Folders resolved once must say where a path really is: "deep/.." after a link deep -> a/sub is a,
    not the project root (os.path.abspath drops the pair by name, before the link is followed)."""
    (tmp_path / "a" / "sub").mkdir(parents=True)
    (tmp_path / "a" / "f").write_text("under a")
    (tmp_path / "f").write_text("at the root")
    (tmp_path / "deep").symlink_to("a/sub")
    path = tmp_path / "deep" / ".." / "f"
    with open(path) as handle:
        assert handle.read() == "under a"
    folders = safefs.Folders(tmp_path)
    assert folders.real_inside(path) == safefs.real_inside(tmp_path, path) == str(tmp_path / "a" / "f")


# -- long-lived workers -------------------------------------------------------------------------------


def test_a_worker_task_never_compares_with_a_key_an_earlier_task_computed(project_dir, monkeypatch):
    """A task whose guides all have another key than the client's refuses them without building: the
    keys it computed must not outlive it, or once the files are as the client says, the worker would
    still compare with the old key and refuse that guide from then on."""
    from workflow.distributed import chunk, tasks
    monkeypatch.delenv("WORKFLOW_PROJECT", raising=False)
    monkeypatch.setattr(tasks, "_builders", {})
    monkeypatch.setattr(tasks, "PROJECT_ROOT", str(project_dir))
    po = Project(project_dir).po_path("es", GUIDE)
    original = po.read_bytes()
    po.write_bytes(original.replace(TITLE, SWAPPED))   # the worker's copy lags behind the client's
    client_key = Builder(Project(project_dir)).edition_key(GUIDE, "es")
    po.write_bytes(original)
    worker = tasks._builder()
    outcome = chunk.build_language(worker, "es", [GUIDE], {GUIDE: client_key})
    assert outcome[GUIDE] != "ok"   # refused: other content than the client's
    po.write_bytes(original.replace(TITLE, SWAPPED))   # the worker's copy catches up
    assert tasks._builder() is worker
    assert chunk.build_language(worker, "es", [GUIDE], {GUIDE: client_key}) == {GUIDE: "ok"}
