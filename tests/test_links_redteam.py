"""Attacks on the link pages (publishing/site.py): a kill right after a switch, a stale or tampered
dist/.site.json, hostile files where a link page goes, two publishes at once. After each, no live page
links to a missing file and what the report says happened did happen."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import REPO, copy_project, untranslate
from test_links import KNEE, assert_no_broken_link, broken_links, redirect_target
from workflow.cli import main
from workflow.publishing import store

EPOCH = "1767225600"


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, no handler sees it."""


def _published(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    project = copy_project(tmp_path / "project", languages=["ja", "zh_CN"])
    assert main(["--project", str(project), "--quiet", "publish"]) == 0
    assert_no_broken_link(project / "dist", "the first publish")
    return project


def _add_guide(project, run_cli, name="new-guide"):
    text = (project / "source" / f"{KNEE}.md").read_text()
    (project / "source" / f"{name}.md").write_text(text.replace('title: "', 'title: "New: ', 1))
    assert run_cli(project, "extract")[0] == 0 and run_cli(project, "update")[0] == 0
    for lang in ("ja", "zh_CN"):
        untranslate(project / f"locales/{lang}/LC_MESSAGES/{name}.po")


def _currents(dist):
    return {lang: store.current_release(dist / lang) for lang in ("en", "ja", "zh_CN")}


@pytest.mark.parametrize("when", ["before", "after"])
def test_a_kill_around_the_switch_of_the_first_language_to_gain_a_guide_leaves_no_broken_link(
        tmp_path, monkeypatch, run_cli, when):
    """The first language to publish a new guide links to the others' link pages for it: they must exist
    before its `current` moves, not only after (a kill between the two left them missing)."""
    project = _published(tmp_path, monkeypatch)
    _add_guide(project, run_cli)
    real = store.replace_symlink

    def die_around_the_switch(link, target):
        if when == "after":
            real(link, target)
        raise Killed()
    monkeypatch.setattr(store, "replace_symlink", die_around_the_switch)
    with pytest.raises(Killed):
        main(["--project", str(project), "--quiet", "publish", "--lang", "en"])
    dist = project / "dist"
    assert (dist / "en/current/new-guide.html").is_file() == (when == "after")
    assert not broken_links(dist), broken_links(dist)[:5]
    monkeypatch.setattr(store, "replace_symlink", real)
    assert run_cli(project, "--quiet", "publish")[0] == 1        # the next publish completes the switch
    assert redirect_target(dist / "en/new-guide.html") == "current/new-guide.html"
    assert_no_broken_link(dist, f"a publish after a kill {when} the switch")


@pytest.mark.parametrize("tamper", ["delete", "redirect-to-missing", "forged-state"])
def test_a_stale_or_tampered_site_state_does_not_skip_the_rewrite(tmp_path, monkeypatch, run_cli, tamper):
    """.site.json only says what the pages were written from, not what is on disk now: a link page
    deleted or edited since (a cleanup, a restore from backup, a hand edit) is rewritten by the next
    publish, even one that changes nothing."""
    project = _published(tmp_path, monkeypatch)
    dist = project / "dist"
    page = dist / f"ja/{KNEE}.html"
    if tamper == "delete":
        page.unlink()
    elif tamper == "redirect-to-missing":
        page.write_text(page.read_text().replace(f"current/{KNEE}.html", "current/gone.html"))
    else:   # a .site.json naming the state the next publish computes, over link pages that are all gone
        for lang in ("en", "ja", "zh_CN"):
            for link_page in (dist / lang).glob("*.html"):
                link_page.unlink()
    assert broken_links(dist)
    assert run_cli(project, "--quiet", "publish")[0] == 0          # every language unchanged
    assert_no_broken_link(dist, f"a publish after a {tamper} link page")
    assert redirect_target(page) == f"current/{KNEE}.html"


def test_a_directory_where_a_link_page_goes_refuses_the_switch_and_the_report_tells_the_truth(
        tmp_path, monkeypatch, run_cli):
    """A folder dist/en/new-guide.html (left by a hand-made mirror, a bad rsync) cannot be replaced by a
    link page. The publish must fail before `current` moves, as its report says ("previous release
    kept"), never after (current switched but history.json not written, reported as refused)."""
    project = _published(tmp_path, monkeypatch)
    dist = project / "dist"
    _add_guide(project, run_cli)
    (dist / "ja/new-guide.html").mkdir()
    before = _currents(dist)
    code, out, _ = run_cli(project, "publish", "--format", "json")
    assert code != 0
    report = json.loads(out)
    statuses = {row["lang"]: row["status"] for row in report}
    for lang, status in statuses.items():
        lang_dir = dist / lang
        history = json.loads((lang_dir / "history.json").read_text())
        assert store.current_release(lang_dir) in history, lang   # nothing published is lost to rollback
        if status == "refused":
            assert store.current_release(lang_dir) == before[lang], f"{lang}: reported refused but switched"
    (dist / "ja/new-guide.html").rmdir()
    assert run_cli(project, "--quiet", "publish")[0] == 1        # stand-ins for the new guide: exit 1
    assert_no_broken_link(dist, "the folder removed and a publish")


def test_hostile_file_names_in_a_language_folder_never_reach_the_choosers(tmp_path, monkeypatch, run_cli):
    """Any *.html file in dist/<lang>/ was taken for a link page: its name went unescaped into an href of
    every language's pages (HTML injection) and was copied into every language's folder."""
    project = _published(tmp_path, monkeypatch)
    dist = project / "dist"
    hostile = 'x"><img src=x onerror=alert(1)><a href="'
    (dist / f"ja/{hostile}.html").write_text("planted")
    (dist / "ja/Notes On Release.html").write_text("planted")
    _add_guide(project, run_cli)                      # a switch: every link page is rewritten
    assert run_cli(project, "--quiet", "publish")[0] == 1
    for lang in ("en", "ja", "zh_CN"):
        for page in [dist / "index.html", *(dist / lang).glob("*.html")]:
            if page.read_text() != "planted":
                assert "onerror" not in page.read_text(), page
    assert not (dist / f"en/{hostile}.html").exists() and not (dist / "en/Notes On Release.html").exists()
    assert_no_broken_link(dist, "planted files")


def test_a_symlink_where_a_link_page_goes_is_replaced_not_followed(tmp_path, monkeypatch, run_cli):
    project = _published(tmp_path, monkeypatch)
    dist = project / "dist"
    outside = tmp_path / "outside.html"
    outside.write_text("not yours")
    (dist / f"ja/{KNEE}.html").unlink()
    (dist / f"ja/{KNEE}.html").symlink_to(outside)
    _add_guide(project, run_cli)
    assert run_cli(project, "--quiet", "publish")[0] == 1
    assert outside.read_text() == "not yours"
    assert not (dist / f"ja/{KNEE}.html").is_symlink()
    assert redirect_target(dist / f"ja/{KNEE}.html") == f"current/{KNEE}.html"
    assert_no_broken_link(dist, "a symlink where a link page goes")


def test_two_publishes_at_once_leave_no_broken_link(tmp_path, monkeypatch, run_cli):
    """`publish --lang ja` and `publish --lang zh_CN` at once, each gaining a new guide: each switch
    reads the other's current under the site lock."""
    project = _published(tmp_path, monkeypatch)
    dist = project / "dist"
    _add_guide(project, run_cli)
    env = {"SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
    runs = [subprocess.Popen([sys.executable, "-m", "workflow", "--project", str(project), "--quiet", "publish",
                              "--lang", lang], env=env, cwd=tmp_path) for lang in ("ja", "zh_CN")]
    assert [run.wait(timeout=300) for run in runs] == [1, 1]       # stand-ins for the new guide: exit 1
    assert (dist / "ja/current/new-guide.html").is_file() and (dist / "zh_CN/current/new-guide.html").is_file()
    assert redirect_target(dist / "ja/new-guide.html") == "current/new-guide.html"
    assert redirect_target(dist / "zh_CN/new-guide.html") == "current/new-guide.html"
    assert redirect_target(dist / "en/new-guide.html") is None     # en has not published it
    assert_no_broken_link(dist, "two publishes at once")


def test_a_publish_that_changes_nothing_leaves_the_link_pages_and_site_state_alone(tmp_path, monkeypatch, run_cli):
    """The guard above must not cost the shortcut: when no page on disk moved, nothing is rewritten
    (the same files, the same .site.json)."""
    project = _published(tmp_path, monkeypatch)
    dist = project / "dist"

    def files():
        return {p: p.stat().st_ino for p in [dist / ".site.json", *dist.glob("*/*.html"), dist / "index.html"]}
    before = files()
    assert run_cli(project, "--quiet", "publish")[0] == 0
    assert files() == before


def test_a_guide_named_index_is_refused_not_hidden_behind_the_language_index(tmp_path, monkeypatch, run_cli):
    """source/index.md made a guide whose index.html the language's index page overwrote: reported
    published at 100 %, never seen by a reader, and its link page was the language's."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    project = copy_project(tmp_path / "project", languages=["ja"])
    (project / "source/index.md").write_text((project / "source" / f"{KNEE}.md").read_text())
    code, out, err = run_cli(project, "--quiet", "publish")
    assert code != 0 and "index" in out + err
    assert not (project / "dist").exists() or not any((project / "dist").glob("*/current/index.md"))
