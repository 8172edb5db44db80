"""Something not the product's where dist/ is written, or dist/'s own files corrupt, planted or linked
out: only what is affected is refused, named once relative to the project; the rest still publishes and
no page readers had goes away. The code before this file failed each case but the link out where a
link page goes (every language refused, an absolute path per language, a crash, a link followed,
releases pruned)."""
from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import REPO, copy_project
from test_hostile_limits import LIMIT, run_limited
from workflow.cli import main
from workflow.model import WorkflowError
from workflow.publishing.releases import unpin
from workflow.publishing.site import Site
from workflow.publishing.store import current_release, pinned_release, publish_language, read_history

KNEE = "knee-osteoarthritis-stem-cells"
LANGS = ("en", "ja", "zh_CN")


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1")
    project = copy_project(tmp_path_factory.mktemp("strays") / "project", languages=["ja", "zh_CN"])
    assert main(["--project", str(project), "--quiet", "publish"]) == 0
    return project


@pytest.fixture
def project(published, tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(published, copy, symlinks=True)
    return copy


def publish(project: Path, capsys, *args: str) -> tuple[int, dict, str]:
    capsys.readouterr()
    code = main(["--project", str(project), "publish", "--format", "json", *args])
    out = capsys.readouterr()
    return code, {r["lang"]: r for r in json.loads(out.out)}, out.out + out.err


def add_guide(project: Path, name: str = "new-guide") -> None:
    shutil.copy(project / "source" / f"{KNEE}.md", project / "source" / f"{name}.md")
    assert main(["--project", str(project), "--quiet", "extract"]) == 0
    assert main(["--project", str(project), "--quiet", "update"]) == 0


def edit_guide(project: Path) -> None:
    path = project / "source" / f"{KNEE}.md"
    path.write_text(path.read_text() + "\nMore.\n")


def problems(report: dict, check: str) -> list[dict]:
    return [p for p in report["problems"] if p["check"] == check]


def outside_file(tmp_path: Path, data: bytes = b"secret\n") -> Path:
    target = tmp_path / "outside" / "target"
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(data)
    return target


# (what is planted once the new guide is added, the language whose report names it, the path named)
STRAYS = {
    "a folder where a link page goes": (lambda d, t: (d / "ja" / "new-guide.html").mkdir(), "ja", "dist/ja/new-guide.html"),
    "a folder where the language chooser goes": (
        lambda d, t: ((d / "index.html").unlink(), (d / "index.html").mkdir()), "en", "dist/index.html"),
    "a link out where a link page goes": (
        lambda d, t: (d / "ja" / "new-guide.html").symlink_to(outside_file(t)), None, None),
    "a folder where the site state goes": (
        lambda d, t: ((d / ".site.json").unlink(), (d / ".site.json").mkdir()), None, None),
    "a folder where a lock file went": (lambda d, t: [(f.unlink(missing_ok=True), f.mkdir())
                                                      for f in (d / ".site.lock", d / "ja" / ".lock")], None, None),
    "a folder where history.json goes": (
        lambda d, t: ((d / "ja" / "history.json").unlink(), (d / "ja" / "history.json").mkdir()), None, None),
}


@pytest.mark.parametrize("name", sorted(STRAYS))
def test_a_stray_entry_refuses_only_its_own_path(project, tmp_path, capsys, name):
    plant, owner, named = STRAYS[name]
    add_guide(project)
    dist = project / "dist"
    plant(dist, tmp_path)
    code, reports, printed = publish(project, capsys)
    assert {lang: r["status"] for lang, r in reports.items()} == {lang: "published" for lang in LANGS}
    for lang in LANGS:   # the new guide is live in every language
        assert (dist / lang / "current" / "new-guide.html").is_file()
        assert all(not p["message"].startswith("publish failed") for p in reports[lang]["problems"])
    occupied = [(lang, p["path"]) for lang, r in reports.items() for p in problems(r, "publish.occupied")]
    assert occupied == ([(owner, named)] if owner else [])
    assert code == (1 if owner else 0)
    assert str(project) not in printed   # named relative to the project, never by an absolute path
    assert not (tmp_path / "outside" / "target").exists() or (tmp_path / "outside" / "target").read_bytes() == b"secret\n"


def test_the_page_is_written_once_the_stray_folder_is_moved_away(project, capsys):
    add_guide(project)
    (project / "dist" / "ja" / "new-guide.html").mkdir()
    assert publish(project, capsys)[0] == 1
    assert publish(project, capsys)[0] == 1   # reported again by a publish that changes nothing
    (project / "dist" / "ja" / "new-guide.html").rmdir()
    code, reports, _ = publish(project, capsys)
    assert code == 0 and {r["status"] for r in reports.values()} == {"unchanged"}
    assert 'url=current/new-guide.html' in (project / "dist" / "ja" / "new-guide.html").read_text()


@pytest.mark.parametrize("where", ["current", "folder", "link out"])
def test_a_stray_language_entry_refuses_that_language_alone(project, tmp_path, capsys, where):
    dist = project / "dist"
    edit_guide(project)
    before = os.readlink(dist / "ja" / "current")
    if where == "current":   # a folder where the link to the current release goes
        (dist / "ja" / "current").unlink()
        shutil.copytree(dist / "ja" / before, dist / "ja" / "current")
    elif where == "folder":   # releases/ made a file
        shutil.move(dist / "ja" / "releases", tmp_path / "kept")
        (dist / "ja" / "releases").write_text("x")
    else:   # the language folder itself linked out of the project
        shutil.move(dist / "ja", tmp_path / "ja-outside")
        (dist / "ja").symlink_to(tmp_path / "ja-outside")
        listing = sorted(p.name for p in (tmp_path / "ja-outside").rglob("*"))
    code, reports, printed = publish(project, capsys)
    assert code == 1 and reports["ja"]["status"] == "refused"
    assert {reports[lang]["status"] for lang in ("en", "zh_CN")} == {"published"}
    assert str(project) not in printed and str(tmp_path) not in printed
    shown = [p["path"] for r in reports.values() for p in problems(r, "publish.occupied")]
    assert shown and set(shown) <= {"dist/ja/current", "dist/ja/releases", "dist/ja"}, reports["ja"]["problems"]
    assert len(shown) == len(set(shown)) and shown == [p["path"] for p in problems(reports["ja"], "publish.occupied")]
    if where == "link out":   # nothing written through the link
        assert sorted(p.name for p in (tmp_path / "ja-outside").rglob("*")) == listing


def test_a_corrupt_history_is_rebuilt_and_prunes_nothing_it_should_keep(project, capsys):
    dist = project / "dist"
    first = os.readlink(dist / "ja" / "current").split("/")[-1]
    edit_guide(project)
    assert publish(project, capsys)[0] == 0
    second = os.readlink(dist / "ja" / "current").split("/")[-1]
    (dist / "ja" / "history.json").write_text("{not json")
    edit_guide(project)
    code, reports, _ = publish(project, capsys)
    third = os.readlink(dist / "ja" / "current").split("/")[-1]
    assert code == 0 and reports["ja"]["status"] == "published"
    assert [p["path"] for p in problems(reports["ja"], "publish.state")] == ["dist/ja/history.json"]
    assert read_history(dist / "ja") == [first, second, third]   # old code: [third], the others pruned
    assert main(["--project", str(project), "--quiet", "rollback", "ja"]) == 0
    assert os.readlink(dist / "ja" / "current").endswith(second)


@pytest.mark.parametrize("hostile", ["deep", "huge", "link out"])
def test_a_hostile_manifest_refuses_its_language_by_name(project, tmp_path, hostile):
    """Run in a child under RLIMIT_AS and a timeout (test_hostile_limits.run_limited): a file read whole
    or parsed without a bound fails there, not the machine."""
    dist = project / "dist"
    rid = os.readlink(dist / "ja" / "current").split("/")[-1]
    manifest = dist / "ja" / "releases" / rid / "manifest.json"
    if hostile == "deep":      # json's parser recursed until RecursionError: the whole run crashed
        manifest.write_text("[" * 200_000)
    elif hostile == "huge":    # sparse, over the child's address space: read whole before
        with open(manifest, "r+b") as handle:
            handle.truncate(2 * LIMIT)
    else:                      # the same bytes, through a link leading out of the project
        target = outside_file(tmp_path, manifest.read_bytes())
        manifest.unlink()
        manifest.symlink_to(target)
    done = run_limited(["-m", "workflow", "--project", str(project), "publish", "--format", "json"], cwd=REPO)
    reports = {r["lang"]: r for r in json.loads(done.stdout)}
    assert done.returncode == 1 and reports["ja"]["status"] == "refused", done.stderr[-2000:]
    assert {reports[lang]["status"] for lang in ("en", "zh_CN")} == {"unchanged"}
    assert f"dist/ja/releases/{rid}/manifest.json" in {p["path"] for p in reports["ja"]["problems"]}
    assert os.readlink(dist / "ja" / "current").endswith(rid)   # readers keep the release they had
    assert str(project) not in done.stdout + done.stderr


def test_state_files_linked_out_are_not_followed(tmp_path):
    output = tmp_path / "project" / "dist"
    rid, _ = publish_language(output, "ja", {"index.html": b"one"}, {}, 0)
    for name in ("pin", "history.json"):
        (output / "ja" / name).unlink(missing_ok=True)
        (output / "ja" / name).symlink_to(outside_file(tmp_path, json.dumps([rid]).encode() if name == "history.json"
                                                       else rid.encode()))
        if name == "pin":
            with pytest.raises(WorkflowError, match="dist/ja/pin"):   # old code: pinned by a file outside the project
                pinned_release(output / "ja")   # not read through the link: named, the language kept as it is
            (output / "ja" / name).unlink()
    found = []
    assert read_history(output / "ja", found) == [rid]   # rebuilt from the folders, not read through the link
    assert [p.path for p in found] == ["dist/ja/history.json"]
    with pytest.raises(WorkflowError, match="dist/ja/history.json"):
        read_history(output / "ja")   # rollback and pin: a clear error naming it


def test_rollback_goes_through_and_names_the_page_it_could_not_write(project, capsys):
    dist = project / "dist"
    before = os.readlink(dist / "ja" / "current")
    add_guide(project)
    assert publish(project, capsys)[0] == 0
    (dist / "ja" / "new-guide.html").unlink()
    (dist / "ja" / "new-guide.html").mkdir()   # ja loses the guide: its page would become a chooser
    capsys.readouterr()
    assert main(["--project", str(project), "rollback", "ja"]) == 1
    err = capsys.readouterr().err
    assert os.readlink(dist / "ja" / "current") == before
    assert err.count("dist/ja/new-guide.html:1: error:") == 1 and str(project) not in err


def test_a_history_not_written_after_the_switch_is_a_warning_not_a_refusal(tmp_path, monkeypatch):
    """Disk full after the switch: the report must not say "previous release kept" (old code did)."""
    output = tmp_path / "project" / "dist"
    first, _ = publish_language(output, "ja", {"index.html": b"one"}, {}, 0)

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr("workflow.publishing.store.write_history", full_disk)
    site = Site(output)
    rid, status = publish_language(output, "ja", {"index.html": b"two"}, {}, 0, site=site)
    assert status == "published" and current_release(output / "ja") == rid
    assert [(p.path, p.severity) for p in site.problems] == [("dist/ja/history.json", "warning")]
    assert "No space left" in site.problems[0].message
    assert (output / "ja" / "releases" / first).is_dir()   # nothing pruned without a history naming it


@pytest.mark.parametrize("plant", ["garbage", "fifo", "dangling", "folder"])
def test_a_pin_that_names_no_release_keeps_the_language_as_it_is(tmp_path, plant):
    """It read as "no pin": publish moved the pinned language and prune could delete the pinned release."""
    output = tmp_path / "project" / "dist"
    rid, _ = publish_language(output, "ja", {"index.html": b"one"}, {}, 0)
    pin = output / "ja" / "pin"
    if plant == "garbage":
        pin.write_bytes(b"x" * 100)
    elif plant == "fifo":
        os.mkfifo(pin)
    elif plant == "dangling":
        pin.symlink_to(tmp_path / "nothing")
    else:
        pin.mkdir()
    with pytest.raises(WorkflowError, match="dist/ja/pin:1: .*workflow unpin ja"):
        publish_language(output, "ja", {"index.html": b"two"}, {}, 0)
    assert current_release(output / "ja") == rid
    if plant == "folder":   # named by unpin as by pin: a folder is not the product's to remove
        with pytest.raises(WorkflowError, match="dist/ja/pin"):
            unpin(output, "ja")
        pin.rmdir()
    else:
        assert unpin(output, "ja") is None and not os.path.lexists(pin)
    assert publish_language(output, "ja", {"index.html": b"two"}, {}, 0)[0] != rid
