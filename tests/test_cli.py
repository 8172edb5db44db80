"""The command line as a newcomer meets it: quiet pipes, one line for an unexpected error, where results are."""
from __future__ import annotations

import subprocess
import sys

import pytest

from workflow import cli


@pytest.mark.parametrize("command", [["stats", "--format", "json"], ["check", "--format", "json"]])
def test_a_closed_pipe_ends_quietly(project_dir, command):
    """`workflow ... | head`: the reader is gone before anything is written; no traceback, SIGPIPE's status."""
    proc = subprocess.Popen([sys.executable, "-m", "workflow", "--project", str(project_dir), *command],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()          # the child is still importing: its first write meets a closed pipe
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert "Traceback" not in err and "BrokenPipe" not in err


def test_an_unexpected_error_is_one_line_with_a_way_to_the_traceback(project_dir, run_cli, monkeypatch):
    def boom(args, project):
        raise RuntimeError("disk said no " + "x" * 5000)
    monkeypatch.setattr(cli.commands, "cmd_stats", boom)
    code, out, err = run_cli(project_dir, "stats")
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert lines[0].startswith("workflow stats: unexpected RuntimeError: disk said no")
    assert "--debug" in err and "Traceback" not in err and len(err) < 400   # never the whole message
    with pytest.raises(RuntimeError):
        cli.main(["--project", str(project_dir), "stats", "--debug"])


def test_publish_says_where_the_pages_are_and_how_to_look(project_dir, run_cli, monkeypatch):
    monkeypatch.chdir(project_dir)
    code, out, _ = run_cli(project_dir, "publish", "--lang", "ja")
    assert code == 0
    assert "dist/ja/current/index.html" in out and "python3 -m http.server -d dist" in out
    assert (project_dir / "dist/ja/current/index.html").is_file()


@pytest.mark.parametrize("written,meant", [("JA", "ja"), ("zh-CN", "zh_CN"), ("zh-cn", "zh_CN"), ("ZH_cn", "zh_CN"),
                                           ("Es", "es")])
@pytest.mark.parametrize("command", ["check", "stats", "todo", "update", "build"])
def test_a_mis_spelled_language_suggests_the_project_code(project_dir, run_cli, command, written, meant):
    code, out, err = run_cli(project_dir, command, "--lang", written)
    assert code == 2 and f"unknown language {written!r}; did you mean {meant!r}?" in err


def test_init_with_a_bcp47_code_suggests_the_gettext_one(project_dir, run_cli):
    code, _, err = run_cli(project_dir, "init", "pt-BR")
    assert code == 2 and "did you mean 'pt_BR'?" in err
    assert not (project_dir / "locales" / "pt-BR").exists()


def test_languages_separated_by_commas_are_two_languages(project_dir, run_cli):
    import json
    code, out, _ = run_cli(project_dir, "stats", "--lang", "ja,es", "--format", "json")
    assert code == 0 and {r["lang"] for r in json.loads(out)} == {"ja", "es"}
    code, out, _ = run_cli(project_dir, "stats", "--lang", "ja", "--lang", "es,ar", "--format", "json")
    assert [r["lang"] for r in json.loads(out)][::4] == ["ja", "es", "ar"]
    code, _, err = run_cli(project_dir, "stats", "--lang", "ja,xx")
    assert code == 2 and "unknown language 'xx'" in err


@pytest.mark.parametrize("command,words", [
    ("update", ["translation memory", "fuzzy"]), ("check", ["path:line"]), ("todo", ["fuzzy", "untranslated"]),
    ("build", ["verify"]), ("publish", ["gates"]), ("stats", ["Coverage"])])
def test_subcommand_help_describes_the_command_and_its_options(command, words, capsys):
    with pytest.raises(SystemExit):
        cli.main([command, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert all(w in text for w in words)
    assert "-q" in text and "print only problems and errors" in text
    assert "-v" in text and "fuzzy/obsolete counts" in text and "warnings" in text
    assert "--lang L language code as in locales/" in text and "--lang ja,es" in text
    if command in ("build", "publish"):
        assert "--guide G guide name" in text


def test_top_level_help_says_what_verbose_shows(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "check adds fuzzy/obsolete counts (info)" in text and "todo" in text and "tm" in text


def test_an_empty_language_list_is_an_error_not_every_language(project_dir, run_cli):
    with pytest.raises(SystemExit) as exit_:
        run_cli(project_dir, "update", "--lang", ",")
    assert exit_.value.code == 2
