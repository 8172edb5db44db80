"""Publishing: atomic switch, crash safety, lock, reproducibility, rollback, verified manifests."""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import threading
from pathlib import Path

import pytest

from workflow.model import WorkflowError
from workflow.publishing.store import deterministic_tar, publish_language, safe_extract, verify_release

LANGS = ["en", "ar", "en_XA", "es", "ja", "zh_CN"]


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def current(project_dir: Path, lang: str) -> str:
    return os.readlink(project_dir / "dist" / lang / "current")


def test_publish_all_languages_with_verified_manifests(project_dir, run_cli):
    code, out, err = run_cli(project_dir, "publish", "--format", "json")
    reports = {r["lang"]: r for r in json.loads(out)}
    assert code == 0, err
    assert set(reports) == set(LANGS)
    assert all(r["status"] == "published" for r in reports.values())
    for lang in LANGS:
        folder = project_dir / "dist" / lang / "current"
        verify_release(folder)
        manifest = json.loads((folder / "manifest.json").read_text())
        assert set(manifest["guides"]) == {"knee-osteoarthritis-stem-cells", "korean-stem-cell-therapy-2026",
                                           "soft-tissue-injury-stem-cells"}
        assert manifest["build_time"] == 1767225600 and manifest["checks_passed"] is True
    ar = (project_dir / "dist/ar/current/korean-stem-cell-therapy-2026.html").read_text()
    assert '<html lang="ar" dir="rtl">' in ar
    assert 'data-fact="ambulance">119<' in ar and 'data-fact="medical_helpline">1339<' in ar
    es = (project_dir / "dist/es/current/knee-osteoarthritis-stem-cells.html").read_text()
    assert 'class="fallback-notice"' in es and '<p lang="en">' in es   # untranslated passages marked
    assert "15 de enero de 2026" in es
    en_xa = (project_dir / "dist/ja/current/index.html").read_text()
    assert "en_XA" not in en_xa   # pseudo-locales are never offered to readers
    report = json.loads((project_dir / "dist" / "report.json").read_text())
    assert {r["lang"] for r in report["languages"]} == set(LANGS)


def test_rerun_is_byte_identical_and_a_no_op(project_dir, run_cli):
    run_cli(project_dir, "publish", "--quiet")
    before = {lang: tree(project_dir / "dist" / lang / "current") for lang in LANGS}
    links = {lang: current(project_dir, lang) for lang in LANGS}
    # a cold rebuild (cache removed) must give the very same bytes
    import shutil
    shutil.rmtree(project_dir / ".cache")
    code, out, _ = run_cli(project_dir, "publish", "--format", "json")
    assert code == 0
    assert {r["status"] for r in json.loads(out)} == {"unchanged"}
    assert {lang: tree(project_dir / "dist" / lang / "current") for lang in LANGS} == before
    assert {lang: current(project_dir, lang) for lang in LANGS} == links
    history = json.loads((project_dir / "dist/ja/history.json").read_text())
    assert len(history) == 1


def test_unchanged_editions_come_from_the_cache(project_dir):
    from workflow.publishing.builder import Builder
    from workflow.project import Project
    project = Project(project_dir)
    first = Builder(project).build_language("ja", ["knee-osteoarthritis-stem-cells"])
    assert not first.editions[0].cached
    again = Builder(project).build_language("ja", ["knee-osteoarthritis-stem-cells"])
    assert again.editions[0].cached and again.editions[0].key == first.editions[0].key
    po = project_dir / "locales/ja/LC_MESSAGES/knee-osteoarthritis-stem-cells.po"
    po.write_text(po.read_text().replace("msgstr \"目次\"", "msgstr \"もくじ\""))
    changed = Builder(project).build_language("ja", ["knee-osteoarthritis-stem-cells"])
    assert not changed.editions[0].cached and changed.editions[0].key != first.editions[0].key


def test_crash_between_write_and_switch_keeps_old_release(project_dir, run_cli):
    run_cli(project_dir, "publish", "--quiet", "--lang", "ja")
    old = current(project_dir, "ja")
    old_files = tree(project_dir / "dist/ja/current")
    po = project_dir / "locales/ja/LC_MESSAGES/ui.po"
    po.write_text(po.read_text().replace('msgstr "すべてのガイド"', 'msgstr "ガイド一覧"'))
    env = {**os.environ, "WORKFLOW_CRASH_BEFORE_SWITCH": "ja"}
    proc = subprocess.run([sys.executable, "-m", "workflow", "--project", str(project_dir), "publish", "--lang", "ja",
                           "--quiet"], env=env, capture_output=True, text=True)
    assert proc.returncode == 17   # died after staging, before the switch
    assert current(project_dir, "ja") == old
    assert tree(project_dir / "dist/ja/current") == old_files
    # the next run cleans up the staging left behind and publishes the new content
    code, _, _ = run_cli(project_dir, "publish", "--quiet", "--lang", "ja")
    assert code == 0 and current(project_dir, "ja") != old
    assert not list((project_dir / "dist/ja/releases").glob(".staging-*"))
    assert "ガイド一覧" in (project_dir / "dist/ja/current/korean-stem-cell-therapy-2026.html").read_text()


def test_rollback_returns_to_previous_release(project_dir, run_cli):
    run_cli(project_dir, "publish", "--quiet", "--lang", "ja")
    first = current(project_dir, "ja")
    po = project_dir / "locales/ja/LC_MESSAGES/ui.po"
    po.write_text(po.read_text().replace('msgstr "すべてのガイド"', 'msgstr "ガイド一覧"'))
    run_cli(project_dir, "publish", "--quiet", "--lang", "ja")
    assert current(project_dir, "ja") != first
    code, out, _ = run_cli(project_dir, "rollback", "ja")
    assert code == 0 and current(project_dir, "ja") == first
    code, _, err = run_cli(project_dir, "rollback", "ja")
    assert code == 2 and "no earlier release" in err


def test_concurrent_publishes_are_serialized(tmp_path):
    files_a = {"index.html": b"a" * 1000, "x.html": b"x"}
    files_b = {"index.html": b"b" * 1000, "x.html": b"y"}
    errors = []

    def publish(files):
        try:
            for _ in range(10):
                publish_language(tmp_path, "ja", files, {}, 0)
        except Exception as exc:  # noqa: BLE001 - any failure fails the test below
            errors.append(exc)

    threads = [threading.Thread(target=publish, args=(f,)) for f in (files_a, files_b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    folder = tmp_path / "ja" / "current"
    verify_release(folder)
    content = (folder / "index.html").read_bytes()
    assert content in (files_a["index.html"], files_b["index.html"])
    assert (folder / "x.html").read_bytes() == (b"x" if content[:1] == b"a" else b"y")   # never a mix


def test_tampered_release_is_refused(tmp_path):
    rid, _ = publish_language(tmp_path, "ja", {"index.html": b"ok"}, {}, 0)
    (tmp_path / "ja/releases" / rid / "index.html").write_bytes(b"tampered")
    with pytest.raises(WorkflowError, match="sha256 does not match"):
        publish_language(tmp_path, "ja", {"index.html": b"ok"}, {}, 0)
    assert os.readlink(tmp_path / "ja/current") == f"releases/{rid}"


def test_archive_is_reproducible_and_safe(tmp_path):
    rid, _ = publish_language(tmp_path / "a", "ja", {"index.html": b"1", "g.md": b"2"}, {}, 0)
    rid2, _ = publish_language(tmp_path / "b", "ja", {"g.md": b"2", "index.html": b"1"}, {}, 0)
    a = (tmp_path / f"a/ja/releases/{rid}/ja-{rid}.tar.gz").read_bytes()
    b = (tmp_path / f"b/ja/releases/{rid2}/ja-{rid2}.tar.gz").read_bytes()
    assert rid == rid2 and a == b
    with tarfile.open(tmp_path / f"a/ja/releases/{rid}/ja-{rid}.tar.gz") as tar:
        names = tar.getnames()
        assert all(m.isfile() and not m.name.startswith("/") and ".." not in m.name for m in tar.getmembers())
    assert sorted(names) == ["g.md", "index.html", "manifest.json"]
    safe_extract(tmp_path / f"a/ja/releases/{rid}/ja-{rid}.tar.gz", tmp_path / "out")
    assert (tmp_path / "out/index.html").read_bytes() == b"1"


def _tar_then_gzip(files: dict[str, bytes], epoch: int) -> bytes:
    """How archives were made before they were compressed as written: the whole tar, then gzip."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name in sorted(files):
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode, info.uid, info.gid = len(files[name]), epoch, 0o644, 0, 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(files[name]))
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=epoch, compresslevel=6) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


def test_streamed_archive_has_the_bytes_of_a_whole_tar_compressed():
    """Published bundles keep their bytes: streaming the tar through gzip changes only the memory used."""
    big = hashlib.sha256(b"seed").digest() * 40000 + "例文 ".encode() * 300000   # past zlib's buffers
    cases = [{}, {"a": b""}, {"index.html": b"1", "g.md": b"2" * 513}, {"big.html": big, "small.json": b"{}"}]
    for files in cases:
        assert deterministic_tar(files, 1700000000) == _tar_then_gzip(files, 1700000000)


def test_disk_full_keeps_old_release_and_reports(project_dir, run_cli, monkeypatch):
    import errno
    run_cli(project_dir, "publish", "--quiet", "--lang", "ja")
    old = current(project_dir, "ja")
    po = project_dir / "locales/ja/LC_MESSAGES/ui.po"
    po.write_text(po.read_text().replace('msgstr "すべてのガイド"', 'msgstr "ガイド一覧"'))
    real_write = Path.write_bytes

    def full_disk(self, data):
        if ".staging-" in str(self):
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    code, out, err = run_cli(project_dir, "publish", "--lang", "ja")
    assert code == 1 and "publish failed, previous release kept" in out + err and "No space left" in out + err
    assert current(project_dir, "ja") == old
    verify_release(project_dir / "dist/ja/current")
    assert not list((project_dir / "dist/ja/releases").glob(".staging-*"))


def test_interrupt_during_publish_leaves_nothing_half_written(project_dir, run_cli, monkeypatch):
    run_cli(project_dir, "publish", "--quiet", "--lang", "ja")
    old = current(project_dir, "ja")
    po = project_dir / "locales/ja/LC_MESSAGES/ui.po"
    po.write_text(po.read_text().replace('msgstr "すべてのガイド"', 'msgstr "ガイド一覧"'))

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("workflow.publishing.store.deterministic_tar", interrupted)
    code, _, err = run_cli(project_dir, "publish", "--lang", "ja")
    assert code == 130 and "interrupted" in err
    assert current(project_dir, "ja") == old
    assert not list((project_dir / "dist/ja/releases").glob(".staging-*"))
    verify_release(project_dir / "dist/ja/current")


def test_parallel_build_gives_the_same_bundles(project_dir, run_cli, tmp_path):
    import shutil
    other = tmp_path / "other"
    shutil.copytree(project_dir, other)
    assert run_cli(project_dir, "publish", "--quiet", "-j", "1")[0] == 0
    assert run_cli(other, "publish", "--quiet", "-j", "2")[0] == 0
    for lang in LANGS:
        assert tree(project_dir / "dist" / lang / "current") == tree(other / "dist" / lang / "current"), lang


def test_fallback_count_matches_the_passages_marked_english(project_dir, run_cli):
    from workflow.editions.verify import _body
    run_cli(project_dir, "publish", "--quiet", "--lang", "es")
    folder = project_dir / "dist/es/current"
    for guide in ("knee-osteoarthritis-stem-cells", "soft-tissue-injury-stem-cells"):
        data = json.loads((folder / f"{guide}.json").read_text())
        body = _body((folder / f"{guide}.html").read_text())
        assert not data["title_fallback"] and not data["excerpt_fallback"]
        assert data["fallback_passages"] == body.count('lang="en"') > 100


def test_build_reports_progress_by_guides(project_dir):
    from workflow.project import Project
    from workflow.publishing.plan import make_plan
    from workflow.publishing.run import run
    seen = []
    project = Project(project_dir)
    run(project, make_plan(project, ["ja", "es"], publish=False), jobs=1,
        on_progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1] == (3, 3) and [d for d, _ in seen] == sorted(d for d, _ in seen)
