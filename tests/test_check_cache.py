"""Check results are cached by content (.cache/checks): a second `check`, or a build after a check, checks
nothing again; an edited catalog, or an input every catalog depends on, is checked again; the report
is the same either way."""
import json

from test_bad_catalogs import KOREAN, _ambulance_112
from workflow.checks import runner


def count_checks(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = runner.run

    def run(catalog, *args, **kwargs):
        calls.append(catalog.path)
        return real(catalog, *args, **kwargs)
    monkeypatch.setattr(runner, "run", run)
    return calls


def test_check_results_are_reused_until_an_input_changes(project_dir, run_cli, monkeypatch):
    calls = count_checks(monkeypatch)
    first = run_cli(project_dir, "check", "-v", "--format", "json")
    every = len(calls)
    assert every == len(set(calls)) >= 20          # 5 languages x (3 guides + ui.po), each once
    assert run_cli(project_dir, "check", "-v", "--format", "json") == first and len(calls) == every
    assert run_cli(project_dir, "build", "--quiet")[0] == 0 and len(calls) == every

    ja = project_dir / "locales/ja/LC_MESSAGES" / f"{KOREAN}.po"
    _ambulance_112(ja)                             # a translator's edit: only that catalog again
    code, out, _ = run_cli(project_dir, "check", "-v", "--format", "json")
    assert calls[every:] == [f"locales/ja/LC_MESSAGES/{KOREAN}.po"]
    assert code == 1 and {"placeholders", "facts"} <= {p["check"] for p in json.loads(out) if p["severity"] == "error"}
    assert run_cli(project_dir, "publish", "--quiet", "--lang", "ja")[0] == 1   # the build sees the same errors

    glossary = project_dir / "source/glossary.yaml"
    glossary.write_text(glossary.read_text() + "\n# reviewed\n")   # every catalog depends on it
    run_cli(project_dir, "check")
    assert len(calls) == 2 * every + 1
