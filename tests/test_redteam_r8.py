"""Red team, round 8: inputs where today's cheaper routes (kept source prices, the Builder's memo of the
checks kept across chunks, the worker-kept Builder) and the publish changes may differ from the plain route."""
from __future__ import annotations

import json

import pytest

from workflow.catalogs.sources import sources
from workflow.checks import runner
from workflow.project import Project

KNEE = "knee-osteoarthritis-stem-cells"
KOREAN = "korean-stem-cell-therapy-2026"


def _append(project_dir, guide: str, text: str) -> None:
    path = project_dir / "source" / f"{guide}.md"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + text + "\n", encoding="utf-8")


def _plain(project_dir, guides, langs):
    """showable.unshowable per guide, nothing shared between guides: the reference."""
    from workflow.editions import showable
    project = Project(project_dir)
    return [p for g in guides for p in sorted(showable.unshowable(project.document(g), langs), key=lambda p: p.line)]


def test_a_guides_kept_prices_do_not_depend_on_another_guide(project_dir):
    """The same amount written two ways ($1.50 in one guide, $1.5 in another) is one verdict per amount; a
    guide's message must still name its own price, not the one another guide wrote first (which .cache/prices
    would then keep under this guide's key alone, and -j would change)."""
    _append(project_dir, KNEE, "A visit costs about $1.50 here.")
    _append(project_dir, KOREAN, "A visit costs about $1.5 here.")
    project = Project(project_dir)
    guides, langs = project.guides, project.languages
    expected = _plain(project_dir, guides, langs)
    korean = [p for p in expected if KOREAN in p.path and "1.5" in p.message]
    assert korean and all("1.50" not in p.message for p in korean)
    assert sources(project).prices(guides, langs) == expected
    # and alone: the Korean guide's kept entry is what its own plain route says
    assert sources(Project(project_dir)).prices([KOREAN], langs) == _plain(project_dir, [KOREAN], langs)


def test_the_builders_memo_serves_the_next_chunk_without_a_glossary(project_dir):
    """A project without glossary.yaml: the checks' memo a Builder keeps across chunks is keyed by the run's
    settings (the glossary by identity), so a chunk must meet the same key as the chunk before it, not a new
    one per chunk (a memo that is never read again, only cleared when full)."""
    from workflow.publishing.builder import Builder
    (project_dir / "source" / "glossary.yaml").unlink()
    project = Project(project_dir)
    builder = Builder(project)
    langs = [lang for lang in project.languages if lang != project.config.source_language][:2]
    for guide in project.guides:
        builder.build_languages(langs, [guide])
        builder.forget_guides([guide])
    settings = runner.memo_settings(builder._check_memo)
    assert len(settings) == len(langs), settings


CATALOG_STATES = {
    "missing": lambda po, t: po.unlink(),
    "empty": lambda po, t: po.write_bytes(b""),
    "not a catalog": lambda po, t: po.write_bytes(b'msgid "a\nmsgstr \xff\xfe\n'),
    "a link out": lambda po, t: (po.unlink(), (t / "secret.po").write_text('msgid ""\nmsgstr ""\n'),
                                 po.symlink_to(t / "secret.po")),
    "a folder": lambda po, t: (po.unlink(), po.mkdir()),
    "all fuzzy": lambda po, t: po.write_text(po.read_text(encoding="utf-8").replace('\nmsgid "', '\n#, fuzzy\nmsgid "'),
                                             encoding="utf-8"),
}


@pytest.mark.parametrize("state", sorted(CATALOG_STATES))
def test_check_todo_is_the_plain_todo_for_every_catalog_state(project_dir, tmp_path, state):
    """`check --todo` (the check's chunks, kept check results on the second run) against todo_lists."""
    from workflow.catalogs.review import check_all, todo_lists
    project = Project(project_dir)
    CATALOG_STATES[state](project.po_path("ja", KNEE), tmp_path)
    langs = project.languages
    expected = [p for t in todo_lists(Project(project_dir), langs) for p in t.items]
    for jobs in (1, 2, 1):   # the last one from .cache/checks
        problems, items = check_all(Project(project_dir), langs, jobs, with_todo=True)
        assert items == expected, jobs


def test_a_nested_output_folder_is_named_from_the_project(tmp_path, capsys):
    """`output: public/site`: a stray folder where a link page goes is named as the project has it
    (public/site/ja/...), as the README says of every dist/ path, not from the output folder's parent."""
    import os
    from conftest import copy_project
    from workflow.cli import main
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1")
    project = copy_project(tmp_path / "project", languages=["ja"])
    config = project / "workflow.yaml"
    config.write_text(config.read_text().replace("output: dist", "output: public/site"))
    assert main(["--project", str(project), "--quiet", "publish"]) == 0
    (project / "public" / "site" / "ja" / "index.html").unlink()
    (project / "public" / "site" / "ja" / "index.html").mkdir()
    capsys.readouterr()
    main(["--project", str(project), "publish", "--format", "json"])
    paths = {p["path"] for r in json.loads(capsys.readouterr().out) for p in r["problems"]}
    assert "public/site/ja/index.html" in paths, paths


@pytest.mark.parametrize("config, named", [
    (None, "site/ja/index.html"),                            # no workflow.yaml: `dist` right inside the project
    ("output: public/site\n", "public/site/ja/index.html"),
    ("output: public\n", "site/ja/index.html"),              # a project whose output is another folder
])
def test_an_output_path_is_named_from_the_project_whose_output_it_is(tmp_path, config, named):
    from workflow.publishing.live import shown
    output = tmp_path / "project" / "public" / "site"
    output.mkdir(parents=True)
    if config is not None:
        (tmp_path / "project" / "workflow.yaml").write_text(config)
    assert shown(output, output / "ja" / "index.html") == named


def test_an_output_folder_linked_inside_the_project_still_publishes(tmp_path, capsys):
    """`dist` a link to another folder of the project (dist -> public): allowed by Project.output_dir (it
    stays inside) and published before today; the site lock on the folder itself (O_NOFOLLOW) refused
    every language with "something else is there ... at dist"."""
    import os
    from conftest import copy_project
    from workflow.cli import main
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1")
    project = copy_project(tmp_path / "project", languages=["ja"])
    assert main(["--project", str(project), "--quiet", "publish"]) == 0
    (project / "dist").rename(project / "public")
    (project / "dist").symlink_to("public")
    edit = project / "source" / f"{KNEE}.md"
    edit.write_text(edit.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    capsys.readouterr()
    code = main(["--project", str(project), "publish", "--format", "json"])
    reports = json.loads(capsys.readouterr().out)
    assert code == 0, [p for r in reports for p in r["problems"] if p["severity"] == "error"]
    assert {r["status"] for r in reports} <= {"published", "unchanged"}
    assert (project / "public" / "ja" / "current").is_symlink()


def test_an_output_folder_linked_out_of_the_project_is_still_refused(tmp_path, capsys):
    import os
    from conftest import copy_project
    from workflow.cli import main
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1")
    project = copy_project(tmp_path / "project", languages=["ja"])
    (tmp_path / "elsewhere").mkdir()
    (project / "dist").symlink_to(tmp_path / "elsewhere")
    assert main(["--project", str(project), "--quiet", "publish"]) != 0
    assert not any((tmp_path / "elsewhere").iterdir())


def test_a_manifest_naming_one_file_many_ways_is_refused_at_once(tmp_path):
    """A planted manifest.json under its size bound lists one big file of the release under many spellings
    (./x, .//x, ././x ...): each is the same file read and hashed again, a few kB of JSON for hours of
    sha256. Run in a limited child with a timeout: the publish must refuse the language by name, quickly."""
    import hashlib
    import os
    import shutil
    import subprocess
    from conftest import REPO, copy_project
    from test_hostile_limits import run_limited
    from workflow.cli import main
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1")
    project = copy_project(tmp_path / "project", languages=["ja"])
    assert main(["--project", str(project), "--quiet", "publish"]) == 0
    dist = project / "dist"
    rid = os.readlink(dist / "ja" / "current").split("/")[-1]
    folder = dist / "ja" / "releases" / rid
    big = os.urandom(1 << 20) * 16   # 16 MiB, under safefs.MAX_BYTES
    (folder / "big.bin").write_bytes(big)
    digest = hashlib.sha256(big).hexdigest()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    spellings = [("./" * a) + ("/" * b) + "big.bin" for a in range(1, 40) for b in range(0, 40)]
    manifest["files"] = {**{s: digest for s in spellings}, **manifest["files"]}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    try:
        done = run_limited(["-m", "workflow", "--project", str(project), "publish", "--format", "json"],
                           cwd=REPO, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("1,560 spellings of one 16 MiB file: still hashing after 30 s")
    reports = {r["lang"]: r for r in json.loads(done.stdout)}
    assert reports["ja"]["status"] == "refused", done.stderr[-2000:]
    assert f"dist/ja/releases/{rid}/manifest.json" in {p["path"] for p in reports["ja"]["problems"]}
    shutil.rmtree(folder, ignore_errors=True)


def test_a_pseudo_locale_without_a_known_base_is_named_not_a_crash(project_dir, run_cli):
    """pseudo_languages: [xx] with locales/xx: every command formatted its numbers in locale 'xx' and
    stopped with "unexpected UnknownLocaleError" (check, extract: every language). Now that folder is one
    error naming it, and the other languages are checked."""
    import shutil
    config = project_dir / "workflow.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "pseudo_languages: [en_XA, xx]\n", encoding="utf-8")
    shutil.copytree(project_dir / "locales" / "ja", project_dir / "locales" / "xx")
    code, out, err = run_cli(project_dir, "check", "--format", "json")
    assert "unexpected" not in err
    problems = json.loads(out)
    assert [p["path"] for p in problems if p["check"] == "locale.unknown"] == ["locales/xx"]
    code, out, err = run_cli(project_dir, "extract")
    assert "unexpected" not in err and code == 0, err


@pytest.mark.parametrize("command", ["rollback", "pin"])
@pytest.mark.parametrize("planted", ["a link inside the project", "a link out", "a file"])
def test_rollback_and_pin_name_a_language_folder_they_cannot_lock(tmp_path, capsys, command, planted):
    """dist/ja not a folder: publish refuses it by name (check_folders); rollback and pin took the folder
    lock first and stopped with "unexpected NotADirectoryError: ... /tmp/.../dist/ja" (an absolute path)."""
    import os
    from conftest import copy_project
    from workflow.cli import main
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1")
    project = copy_project(tmp_path / "project", languages=["ja"])
    assert main(["--project", str(project), "--quiet", "publish"]) == 0
    ja = project / "dist" / "ja"
    if planted == "a file":
        shutil_rm(ja)
        ja.write_text("not a folder")
    else:
        real = (project / "ja-real") if planted == "a link inside the project" else (tmp_path / "ja-out")
        ja.rename(real)
        ja.symlink_to(real)
    capsys.readouterr()
    code = main(["--project", str(project), command, "ja"])
    out = capsys.readouterr()
    assert code != 0
    assert "unexpected" not in out.err and str(tmp_path) not in out.out + out.err
    assert "dist/ja" in out.out + out.err


def shutil_rm(path) -> None:
    import shutil
    shutil.rmtree(path)


def test_a_history_linked_to_nothing_is_rebuilt_not_a_refusal(tmp_path, capsys):
    """dist/ja/history.json a link to nothing inside dist/: before today it read as no history; after, it
    refused ja ("publish failed ... No such file or directory at dist/ja/gone.json") where a corrupt one is
    a warning and rebuilt from the release folders."""
    import os
    from conftest import copy_project
    from workflow.cli import main
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1")
    project = copy_project(tmp_path / "project", languages=["ja"])
    assert main(["--project", str(project), "--quiet", "publish"]) == 0
    history = project / "dist" / "ja" / "history.json"
    history.unlink()
    history.symlink_to("gone.json")
    edit = project / "source" / f"{KNEE}.md"
    edit.write_text(edit.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    capsys.readouterr()
    main(["--project", str(project), "publish", "--format", "json"])
    reports = {r["lang"]: r for r in json.loads(capsys.readouterr().out)}
    assert reports["ja"]["status"] == "published", reports["ja"]["problems"]
    assert [p["path"] for p in reports["ja"]["problems"] if p["check"] == "publish.state"] == ["dist/ja/history.json"]
    assert not history.is_symlink() and len(json.loads(history.read_text())) == 2


@pytest.mark.parametrize("command", ["pin", "unpin"])
def test_pin_and_unpin_name_a_folder_where_the_pin_goes(tmp_path, capsys, command):
    """dist/ja/pin a folder: publish reads it as no pin; pin and unpin stopped with "unexpected
    IsADirectoryError" naming absolute paths (pin after switching). Now it is named, nothing moves."""
    import os
    from conftest import copy_project
    from workflow.cli import main
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1")
    project = copy_project(tmp_path / "project", languages=["ja"])
    assert main(["--project", str(project), "--quiet", "publish"]) == 0
    ja = project / "dist" / "ja"
    before = os.readlink(ja / "current")
    (ja / "pin").mkdir()
    capsys.readouterr()
    code = main(["--project", str(project), command, "ja"])
    out = capsys.readouterr()
    assert code != 0 and "unexpected" not in out.err and str(tmp_path) not in out.out + out.err
    assert "dist/ja/pin" in out.out + out.err
    assert os.readlink(ja / "current") == before and (ja / "pin").is_dir()
