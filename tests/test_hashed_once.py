"""A build hashes each catalog once (issue 17): the check key takes the digest the edition key's memo made
of the same bytes, only when the memo shows the file unchanged from the hash to the read and after it;
any other read is hashed, so a check key always names the bytes that were checked."""
from __future__ import annotations

import hashlib
import os

import pytest
from workflow import safefs
from workflow.catalogs import review
from workflow.project import Project
from workflow.publishing.builder import Builder

from test_digest_memo import GUIDE, _aged, _same_size_edit, fine_clock   # noqa: F401 (a fixture)


def _hashed(monkeypatch) -> list[int]:
    """Sizes of what is hashed (hashlib's sha256, which review and the digest memo call)."""
    sizes: list[int] = []
    real = hashlib.sha256
    monkeypatch.setattr(review.hashlib, "sha256", lambda data=b"": sizes.append(len(data)) or real(data))
    return sizes


def _key_of_read(project: Project, lang: str, data: bytes) -> str:
    """The check key of `data` as read, computed the old way: its own sha256."""
    cache = review.CheckCache(project)
    return cache.key(lang, GUIDE, data)   # not noted in cache.opened: hashed


def test_a_build_hashes_a_catalog_once(project_dir, fine_clock, monkeypatch):
    _aged()
    sizes = _hashed(monkeypatch)
    project = Project(project_dir)
    catalog = project.po_path("es", GUIDE).stat().st_size
    Builder(project).build_language("es", [GUIDE])
    assert sizes.count(catalog) == 1   # by the edition key's memo; the check key takes its digest


def test_a_catalog_read_before_the_memo_knew_it_is_hashed(project_dir, fine_clock, monkeypatch):
    project = Project(project_dir)
    path = project.po_path("es", GUIDE)
    _aged()
    cache = review.CheckCache(project)
    data = review.catalog_bytes(project, path, cache.opened)
    _same_size_edit(path)          # edited after the read, the old mtime put back
    _aged()
    project.file_digest(path)      # the memo hashes the new bytes
    assert cache.key("es", GUIDE, data) == _key_of_read(project, "es", data)


@pytest.mark.parametrize("edit", ["none", "before read", "after read", "replaced"])
def test_the_check_key_is_the_key_of_the_bytes_read(project_dir, fine_clock, edit):
    """Whatever happens to the file around the read, the key is that of the bytes read."""
    project = Project(project_dir)
    path = project.po_path("es", GUIDE)
    _aged()
    project.file_digest(path)
    cache = review.CheckCache(project)
    if edit == "before read":
        _same_size_edit(path)
    if edit == "replaced":   # another file renamed over it, the same size and mtime
        info = path.stat()
        path.with_name("x.po").write_bytes(path.read_bytes()[::-1])
        os.utime(path.with_name("x.po"), ns=(info.st_atime_ns, info.st_mtime_ns))
        os.replace(path.with_name("x.po"), path)
    data = review.catalog_bytes(project, path, cache.opened)
    if edit == "after read":
        _same_size_edit(path)
    assert cache.key("es", GUIDE, data) == _key_of_read(project, "es", data)


def test_known_digest_needs_the_stat_the_memo_hashed_at(project_dir, fine_clock):
    project = Project(project_dir)
    path = project.po_path("es", GUIDE)
    _aged()
    digest = project.file_digest(path)
    data, opened = safefs.read_bytes_stat(project.root, path)
    assert project.digests.known_digest(path, opened) == digest == hashlib.sha256(data).hexdigest()
    _same_size_edit(path)
    assert project.digests.known_digest(path, opened) is None     # the file no longer has that stat
    assert project.digests.known_digest(path, os.stat(path)) is None   # nor did the memo hash it at this one


def test_a_build_indexes_the_ui_strings_once(project_dir, monkeypatch):
    """check_language uses the Builder's source index even while it is empty (a dict: falsy), so the
    templates' strings are extracted once a process, not once more for the first language."""
    from workflow.catalogs import sources
    calls = []
    real = sources.ui_messages
    monkeypatch.setattr(sources, "ui_messages", lambda *a, **k: calls.append(1) or real(*a, **k))
    Builder(Project(project_dir)).build_languages(["es", "ja"], [GUIDE])
    assert len(calls) == 1
