"""The file system read as data: links out of the project, secrets, stray folders, planted caches, a full disk.

Secrets come from tests/data/secrets/*.secret (fake credentials); a catalog or a locale folder is
linked to them, or they are copied over a catalog, and no word of them may reach any output or
dist/report.json.
"""
from __future__ import annotations

import errno
import io
import json
import os
import pickle
import re
import shutil
from pathlib import Path

import pytest

from conftest import cache_entries, cache_store, copy_project, plant_entry

DATA = Path(__file__).parent / "data" / "secrets"
SECRETS = sorted(DATA.glob("*.secret"))
UI = "locales/ja/LC_MESSAGES/ui.po"


def secret_words(path: Path) -> set[str]:
    """Words of 6+ letters or digits, except a short lowercase first word per line (which an error
    may quote, as `msgstd` is quoted: safefs.safe_quote)."""
    words = set()
    for line in path.read_text().splitlines():
        first, _, rest = line.strip().partition(" ")
        shown_first = len(first) <= 12 and re.fullmatch(r"[a-z#~|,.:_\[\]]+", first)
        words |= set(re.findall(r"[A-Za-z0-9]{6,}", rest if shown_first else line))
    return words


def assert_no_secret(secret: Path, *texts: str) -> None:
    leaked = {w for w in secret_words(secret) for t in texts if w in t}
    assert not leaked, f"secret text reached the output: {sorted(leaked)}"


def report(project: Path) -> dict:
    return {r["lang"]: r for r in json.loads((project / "dist" / "report.json").read_text())["languages"]}


@pytest.fixture
def ja_project(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    return copy_project(tmp_path / "project", languages=["ja", "zh_CN"])


# --- catalogs linked out of the project, or holding a secret ---------------------------------------

@pytest.mark.parametrize("secret", SECRETS, ids=lambda p: p.stem)
def test_catalog_linked_outside_is_refused_and_never_read(ja_project, tmp_path, run_cli, secret):
    outside = tmp_path / "home" / secret.name
    outside.parent.mkdir()
    shutil.copy(secret, outside)
    (ja_project / UI).unlink()
    (ja_project / UI).symlink_to(outside)
    code, out, err = run_cli(ja_project, "check")
    assert code == 1
    assert f"{UI}:1: error: is a symbolic link (or under one) leading outside the project; not followed [fs.outside]" in out
    assert_no_secret(secret, out, err)
    code, out, err = run_cli(ja_project, "publish", "--format", "json")
    reports = report(ja_project)   # ja's guides are refused (stood in for, issue 15); the problem names the link
    assert code == 1 and (reports["ja"]["status"] == "refused" or reports["ja"]["refused_guides"])
    assert any(p["path"] == UI and p["check"] == "fs.outside" for p in reports["ja"]["problems"])
    assert reports["en"]["status"] == reports["zh_CN"]["status"] == "published"
    assert_no_secret(secret, out, err, (ja_project / "dist" / "report.json").read_text())
    assert (ja_project / UI).is_symlink() and outside.read_bytes() == secret.read_bytes()


@pytest.mark.parametrize("secret", SECRETS, ids=lambda p: p.stem)
def test_catalog_holding_credentials_is_refused_quoting_nothing_of_them(ja_project, run_cli, secret):
    shutil.copy(secret, ja_project / UI)
    code, out, err = run_cli(ja_project, "check")
    assert code == 1 and f"{UI}:" in out
    code, out2, err2 = run_cli(ja_project, "publish")
    assert code == 1
    assert_no_secret(secret, out, err, out2, err2, (ja_project / "dist" / "report.json").read_text())


def test_update_never_reads_or_writes_through_a_link_out(ja_project, tmp_path, run_cli):
    secret = SECRETS[0]
    outside = tmp_path / "outside.po"
    shutil.copy(secret, outside)
    (ja_project / UI).unlink()
    (ja_project / UI).symlink_to(outside)
    code, out, err = run_cli(ja_project, "update", "--lang", "ja")
    assert code == 2 and f"{UI}:1: error: is a symbolic link" in err
    assert_no_secret(secret, out, err)
    assert outside.read_bytes() == secret.read_bytes() and (ja_project / UI).is_symlink()
    (ja_project / UI).unlink()
    elsewhere = tmp_path / "elsewhere"
    shutil.move(ja_project / "locales" / "ja", elsewhere)
    (ja_project / "locales" / "ja").symlink_to(elsewhere, target_is_directory=True)
    before = {p: p.read_bytes() for p in elsewhere.rglob("*") if p.is_file()}
    code, out, err = run_cli(ja_project, "update", "--lang", "ja")
    assert code == 2 and "locales/ja:1: error: is a symbolic link leading outside" in err
    assert {p: p.read_bytes() for p in elsewhere.rglob("*") if p.is_file()} == before


def test_locale_folder_linked_outside_is_refused_alone(ja_project, tmp_path, run_cli):
    outside = tmp_path / "elsewhere"
    shutil.move(ja_project / "locales" / "ja", outside)
    (ja_project / "locales" / "ja").symlink_to(outside, target_is_directory=True)
    code, out, err = run_cli(ja_project, "check")
    assert code == 1 and "locales/ja:1: error: is a symbolic link leading outside the project" in out
    code, out, err = run_cli(ja_project, "publish")
    reports = report(ja_project)
    assert code == 1 and reports["ja"]["status"] == "refused"
    assert reports["zh_CN"]["status"] == "published"
    assert not (ja_project / "dist" / "ja").exists()


def test_links_that_stay_inside_the_project_are_read(ja_project, run_cli):
    shared = ja_project / "shared-ui.po"
    shutil.move(ja_project / UI, shared)
    (ja_project / UI).symlink_to(os.path.relpath(shared, (ja_project / UI).parent))
    code, out, err = run_cli(ja_project, "publish", "--lang", "ja")
    assert code == 0, out + err


@pytest.mark.parametrize("command", ["extract", "check", "publish"])
def test_guide_linked_outside_is_refused_and_never_read(ja_project, run_cli, command):
    secret = SECRETS[1]
    (ja_project / "source" / "zz-linked.md").symlink_to(secret)
    code, out, err = run_cli(ja_project, command)
    assert code == 1, err   # every command refuses that guide only (issue 15; tests/test_broken_guide.py)
    assert "source/zz-linked.md:1: error: is a symbolic link (or under one) leading outside the project" in out + err
    assert_no_secret(secret, out, err)
    assert not list((ja_project / "locales").rglob("zz-linked.po*"))


def test_fifo_catalog_does_not_hang_and_is_refused(ja_project, run_cli):
    (ja_project / UI).unlink()
    os.mkfifo(ja_project / UI)
    code, out, err = run_cli(ja_project, "check", "--lang", "ja")
    assert code == 1 and f"{UI}:1: error: is not a regular file" in out


def test_template_linked_outside_is_refused(ja_project, tmp_path, run_cli):
    secret = SECRETS[0]
    page = ja_project / "templates" / "emergency.html"
    page.unlink()
    page.symlink_to(secret)
    code, out, err = run_cli(ja_project, "extract")
    assert code == 2 and "templates/emergency.html:1: error: is a symbolic link" in err
    assert_no_secret(secret, out, err)


def test_template_reaching_python_internals_is_refused_by_the_sandbox(ja_project, tmp_path, run_cli):
    marker = tmp_path / "pwned"
    base = ja_project / "templates" / "base.html"
    base.write_text("{{ cycler.__init__.__globals__.os.mkdir('%s') }}" % marker + base.read_text())
    code, out, err = run_cli(ja_project, "publish")
    assert code == 2 and "[template.sandbox]" in err
    assert not marker.exists()


# --- stray locale folders, init and pseudo of the wrong code ---------------------------------------

def test_stray_locale_folders_are_each_refused_and_the_rest_publishes(ja_project, tmp_path, run_cli):
    locales = ja_project / "locales"
    shutil.copytree(locales / "ja", locales / "qq")
    shutil.copytree(locales / "ja", locales / "ja_backup")
    (tmp_path / "etc").mkdir()
    (locales / "de").symlink_to(tmp_path / "etc", target_is_directory=True)
    code, out, err = run_cli(ja_project, "check")
    assert code == 1
    for line in ("locales/qq:1: error: unknown language code 'qq'", "locales/ja_backup:1: error: locale folder "
                 "'ja_backup' is not a language code", "locales/de:1: error: is a symbolic link leading outside"):
        assert line in out, out
    code, out, err = run_cli(ja_project, "publish")
    reports = report(ja_project)
    assert code == 1
    assert {lang: r["status"] for lang, r in reports.items()} == {
        "en": "published", "ja": "published", "zh_CN": "published",
        "de": "refused", "ja_backup": "refused", "qq": "refused"}
    assert [p["check"] for p in reports["qq"]["problems"]] == ["locale.unknown"]
    code, out, err = run_cli(ja_project, "update", "--lang", "qq")
    assert code == 2 and "unknown language code 'qq'" in err


def test_locale_folder_differing_only_in_case_is_refused(ja_project, run_cli):
    shutil.copytree(ja_project / "locales" / "zh_CN", ja_project / "locales" / "zh_cn")
    code, out, err = run_cli(ja_project, "check")
    assert code == 1 and "locales/zh_cn:1: error: locale folder 'zh_cn': write it 'zh_CN'" in out
    code, out, err = run_cli(ja_project, "publish")
    assert code == 1 and report(ja_project)["zh_cn"]["status"] == "refused"
    assert report(ja_project)["zh_CN"]["status"] == "published"
    assert not (ja_project / "dist" / "zh_cn").exists()


def test_output_folder_linked_outside_is_never_written(ja_project, tmp_path, run_cli):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (ja_project / "dist").symlink_to(elsewhere, target_is_directory=True)
    code, out, err = run_cli(ja_project, "publish")
    assert code == 2 and "dist:1: error: is a symbolic link (or under one) leading outside the project" in err
    assert list(elsewhere.iterdir()) == []


def test_cache_folder_linked_outside_is_never_written(ja_project, tmp_path, run_cli):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (ja_project / ".cache").symlink_to(elsewhere, target_is_directory=True)
    code, out, err = run_cli(ja_project, "publish", "--lang", "ja")
    assert code == 1 and "[build.store]" in out
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("code_", ["xx", "qq", "en_QQ"])
def test_init_of_an_unknown_code_is_a_clear_error(ja_project, run_cli, code_):
    code, out, err = run_cli(ja_project, "init", code_)
    assert code == 2 and f"unknown language code '{code_}'" in err
    assert not (ja_project / "locales" / code_).exists()


def test_pseudo_refuses_a_real_language(ja_project, run_cli):
    shutil.copytree(ja_project / "locales" / "ja", ja_project / "locales" / "en_GB")
    before = {p: p.read_bytes() for p in (ja_project / "locales" / "en_GB").rglob("*.po")}
    code, out, err = run_cli(ja_project, "pseudo", "en_GB")
    assert code == 2 and "en_GB is not a pseudo-locale" in err
    assert {p: p.read_bytes() for p in before} == before


def test_output_outside_the_project_is_refused(ja_project, tmp_path, run_cli):
    for output in (str(tmp_path / "www"), "../www", "source"):
        (ja_project / "workflow.yaml").write_text(f"output: {output}\n")
        code, out, err = run_cli(ja_project, "publish")
        assert code == 2 and "workflow.yaml:1: error: output" in err
    assert not (tmp_path / "www").exists()


# --- caches: nothing unpickled, a planted entry is a miss -------------------------------------------

class Exploit:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.mkdir, (self.marker,)


def _editions(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((project / "dist" / "ja" / "current").iterdir())}


def test_planted_document_cache_entries_are_never_trusted(ja_project, tmp_path, run_cli):
    marker = str(tmp_path / "pwned")
    assert run_cli(ja_project, "publish", "--lang", "ja")[0] == 0
    clean = _editions(ja_project)
    shutil.rmtree(ja_project / "dist")
    entries = sorted((ja_project / ".cache" / "documents").glob("*.json"))
    assert entries
    plants = [pickle.dumps(Exploit(marker)),
              entries[0].read_bytes().replace(b"119", b"110"),                 # a sealed entry, altered
              entries[0].read_bytes().split(b"\n", 1)[1].replace(b"119", b"110")]  # unsealed, well formed
    for n, entry in enumerate(entries):
        entry.write_bytes(plants[n % len(plants)])
    entries[-1].unlink()
    entries[-1].symlink_to(SECRETS[0])
    shutil.rmtree(ja_project / ".cache" / "editions")
    code, out, err = run_cli(ja_project, "publish", "--lang", "ja")
    assert code == 0, out + err
    assert _editions(ja_project) == clean
    assert not os.path.exists(marker)


def test_planted_edition_and_check_cache_entries_are_never_trusted(ja_project, tmp_path, run_cli):
    assert run_cli(ja_project, "publish", "--lang", "ja")[0] == 0
    clean = _editions(ja_project)
    shutil.rmtree(ja_project / "dist")
    entries = cache_entries(ja_project, "editions")
    assert len(entries) >= 3
    genuine = next(iter(entries.values()))
    store = cache_store(ja_project, "editions")
    for n, (key, data) in enumerate(entries.items()):
        plants = [data.split(b"\n", 1)[1].replace(b"119", b"110"),   # unsealed, well formed
                  data.replace(b"119", b"110"),                          # sealed, then altered
                  genuine]                                               # another key's genuine entry
        plant_entry(store, key, plants[n % len(plants)])
    code, out, err = run_cli(ja_project, "publish", "--lang", "ja")
    assert code == 0, out + err
    assert _editions(ja_project) == clean
    # the index planted as a link to a file outside, then as a folder; a pack as a link to its genuine bytes:
    # misses, rebuilt; nothing is written through them
    store = cache_store(ja_project, "editions")
    pack = store.where(next(iter(store.keys())))[0]
    outside = tmp_path / "outside"
    outside.write_bytes(b"not the cache's")
    (store.folder / "index").unlink()
    (store.folder / "index").symlink_to(outside)
    shutil.copy(pack, tmp_path / "genuine.pack")
    pack.unlink()
    pack.symlink_to(tmp_path / "genuine.pack")
    for plant in ("link", "folder"):
        shutil.rmtree(ja_project / "dist")
        code, out, err = run_cli(ja_project, "publish", "--lang", "ja")
        assert code == 0, out + err
        assert _editions(ja_project) == clean
        assert outside.read_bytes() == b"not the cache's" and (store.folder / "index").is_file()
        (store.folder / "index").unlink()
        (store.folder / "index").mkdir()


def test_planted_check_result_does_not_pass_a_broken_catalog(ja_project, run_cli):
    catalog = ja_project / UI
    catalog.write_text(catalog.read_text().replace('msgstr "', 'msgstd "', 1))
    assert run_cli(ja_project, "check", "--lang", "ja")[0] == 1
    store = cache_store(ja_project, "checks")
    for key in store.keys():
        plant_entry(store, key, b"[]")
    assert run_cli(ja_project, "check", "--lang", "ja")[0] == 1


# --- disk full during the build -----------------------------------------------------------------------

class _FullDisk(io.FileIO):
    def write(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")


def _fail_writes_under(monkeypatch, marker: str):
    """Writes to files under `marker` fail as on a full disk: those by path and the atomic writes'
    (files.write_atomic fills its exclusively created temporary file by os.write on its descriptor;
    a file object over a descriptor, os.fdopen, fails alike)."""
    real = Path.write_bytes, Path.write_text, os.fdopen, os.write

    def write_bytes(self, data):
        if marker in str(self):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real[0](self, data)

    def write_text(self, data, *args, **kwargs):
        if marker in str(self):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real[1](self, data, *args, **kwargs)

    def fdopen(fd, mode="r", *args, **kwargs):
        if "w" in mode and marker in os.readlink(f"/proc/self/fd/{fd}"):
            return _FullDisk(fd, "wb")
        return real[2](fd, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    monkeypatch.setattr(Path, "write_text", write_text)
    def write(fd, data):
        if marker in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real[3](fd, data)

    monkeypatch.setattr(os, "fdopen", fdopen)
    monkeypatch.setattr(os, "write", write)


def test_disk_full_during_the_build_leaves_a_truthful_report(ja_project, run_cli, monkeypatch):
    assert run_cli(ja_project, "publish")[0] == 0
    old = os.readlink(ja_project / "dist" / "ja" / "current")
    (ja_project / UI).write_text((ja_project / UI).read_text() + "\n")      # ja must be built again
    _fail_writes_under(monkeypatch, "/.cache/editions/")
    code, out, err = run_cli(ja_project, "publish", "--format", "json")
    reports = report(ja_project)
    assert code == 1
    assert reports["ja"]["status"] in ("refused", "unchanged")   # its guides refused, the kept release stays
    assert any(p["check"] == "build.store" and "No space left on device" in p["message"]
               for p in reports["ja"]["problems"])
    assert reports["zh_CN"]["status"] == "unchanged"
    assert os.readlink(ja_project / "dist" / "ja" / "current") == old
    assert not [p for p in (ja_project / ".cache").rglob("*") if ".tmp" in p.name or re.search(r"\.\d+$", p.name)]


def test_disk_full_for_the_report_removes_the_old_one_and_says_so(ja_project, run_cli, monkeypatch):
    assert run_cli(ja_project, "publish")[0] == 0
    (ja_project / UI).write_text((ja_project / UI).read_text() + "\n")
    _fail_writes_under(monkeypatch, "/.cache/editions/")
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):   # the atomic write's last step, once its temporary is full
        if str(dst).endswith("report.json"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    code, out, err = run_cli(ja_project, "publish")
    assert code == 1 and "dist/report.json:1: error: not written (No space left on device)" in out
    assert not (ja_project / "dist" / "report.json").exists()
    assert not list((ja_project / "dist").glob(".report.json*"))


def test_status_never_prints_a_planted_link_as_a_build_record(ja_project, tmp_path, run_cli, monkeypatch):
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("WORKFLOW_BROKER", f"redis://127.0.0.1:{port}/0")
    build_id = "00000000-0000-0000-0000-000000000001"
    secret = tmp_path / "config.json"
    secret.write_text('{"auths": {"registry": {"auth": "c2VjcmV0LXRva2VuLXZhbHVl"}}}')
    (ja_project / ".cache" / "builds").mkdir(parents=True)
    (ja_project / ".cache" / "builds" / f"{build_id}.json").symlink_to(secret)
    code, out, err = run_cli(ja_project, "status", build_id)
    assert code == 2 and "[fs.outside]" in err and "c2VjcmV0" not in out + err


# --- broker passwords ---------------------------------------------------------------------------------

def test_broker_password_never_printed(ja_project, run_cli, monkeypatch):
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]           # closed once the block ends: nothing listens there
    url = f"redis://:pw-s3cret-value@127.0.0.1:{port}/0"
    code, out, err = run_cli(ja_project, "publish", "--broker", url)
    assert code == 2 and "pw-s3cret-value" not in out + err and "***" in err
    monkeypatch.setenv("WORKFLOW_BROKER", url)
    code, out, err = run_cli(ja_project, "status", "00000000-0000-0000-0000-000000000000")
    assert code == 2 and "pw-s3cret-value" not in out + err
