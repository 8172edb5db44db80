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
    monkeypatch.setattr(cli, "cmd_stats", boom)
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
