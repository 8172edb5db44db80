"""Release management: history and pruning agree, rollback, pin and unpin (fault 38)."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from workflow.model import WorkflowError
from workflow.publishing.releases import list_releases, pin, rollback, unpin
from workflow.publishing.store import current_release, publish_language, verify_release

KEEP = 5


def publish_n(output: Path, n: int, start: int = 0) -> list[str]:
    ids = []
    for i in range(start, start + n):
        rid, status = publish_language(output, "ja", {"index.html": f"release {i}".encode()}, {}, 0, KEEP)
        assert status == "published"
        ids.append(rid)
    return ids


def folders(output: Path) -> set[str]:
    return {p.name for p in (output / "ja" / "releases").iterdir() if not p.name.startswith(".")}


def history(output: Path) -> list[str]:
    return json.loads((output / "ja" / "history.json").read_text())


def test_ten_publishes_then_ten_rollbacks(tmp_path):
    ids = publish_n(tmp_path, 10)
    assert history(tmp_path) == ids[-KEEP:] and folders(tmp_path) == set(ids[-KEEP:])
    for expected in reversed(ids[-KEEP:-1]):
        assert rollback(tmp_path, "ja") == expected
        assert current_release(tmp_path / "ja") == expected
        verify_release(tmp_path / "ja" / "current")
    for _ in range(10 - (KEEP - 1)):
        with pytest.raises(WorkflowError, match=r"no earlier release to roll back to .*keep_releases"):
            rollback(tmp_path, "ja")
    assert current_release(tmp_path / "ja") == ids[-KEEP]


def test_history_written_before_pruning_agreed_never_leads_to_a_pruned_release(tmp_path):
    ids = publish_n(tmp_path, 7)
    # a history.json as the old code left it: every id, while releases/ kept the last five
    (tmp_path / "ja" / "history.json").write_text(json.dumps(["0123456789abcdef"] + ids))
    for expected in reversed(ids[-KEEP:-1]):
        assert rollback(tmp_path, "ja") == expected
    with pytest.raises(WorkflowError, match="no earlier release"):
        rollback(tmp_path, "ja")


def test_rollback_to_a_named_release_and_to_an_unknown_one(tmp_path):
    ids = publish_n(tmp_path, 4)
    assert rollback(tmp_path, "ja", to=ids[1]) == ids[1]
    assert history(tmp_path) == ids[:2]
    with pytest.raises(WorkflowError, match=r"no release '.*'; releases kept: "):
        rollback(tmp_path, "ja", to=ids[3])     # left the history with the rollback
    with pytest.raises(WorkflowError, match="no release"):
        rollback(tmp_path, "ja", to="../../etc")


def test_pin_holds_a_language_and_its_release_is_never_pruned(tmp_path):
    ids = publish_n(tmp_path, 3)
    assert pin(tmp_path, "ja", ids[0]) == ids[0]
    assert current_release(tmp_path / "ja") == ids[0]
    for i in range(8):
        rid, status = publish_language(tmp_path, "ja", {"index.html": f"later {i}".encode()}, {}, 0, KEEP)
        assert (rid, status) == (ids[0], "pinned")
    assert current_release(tmp_path / "ja") == ids[0] and ids[0] in folders(tmp_path)
    with pytest.raises(WorkflowError, match="pinned"):
        rollback(tmp_path, "ja")
    rows = list_releases(tmp_path, "ja")
    assert [r["release"] for r in rows if r["pinned"]] == [ids[0]] == [r["release"] for r in rows if r["current"]]
    assert unpin(tmp_path, "ja") == ids[0] and unpin(tmp_path, "ja") is None
    later = publish_n(tmp_path, 6, start=100)
    assert current_release(tmp_path / "ja") == later[-1]
    assert history(tmp_path) == later[-KEEP:] and folders(tmp_path) == set(later[-KEEP:])


def test_pin_survives_a_publish_through_the_cli(project_dir, run_cli):
    assert run_cli(project_dir, "--quiet", "publish", "--lang", "ja")[0] == 0
    held = os.readlink(project_dir / "dist/ja/current")
    code, out, _ = run_cli(project_dir, "pin", "ja")
    assert code == 0 and "pinned to" in out
    po = project_dir / "locales/ja/LC_MESSAGES/ui.po"
    po.write_text(po.read_text().replace('msgstr "すべてのガイド"', 'msgstr "ガイド一覧"'))
    code, out, err = run_cli(project_dir, "publish", "--lang", "ja", "--format", "json")
    (report,) = json.loads(out)
    assert code == 0 and report["status"] == "pinned"
    assert any(p["check"] == "publish.pinned" and (project_dir / p["path"]).exists() for p in report["problems"])
    assert os.readlink(project_dir / "dist/ja/current") == held
    code, out, _ = run_cli(project_dir, "releases", "ja")
    assert code == 0 and "pinned" in out and "current" in out
    assert run_cli(project_dir, "unpin", "ja")[0] == 0
    assert run_cli(project_dir, "--quiet", "publish", "--lang", "ja")[0] == 0
    assert os.readlink(project_dir / "dist/ja/current") != held


def test_release_commands_on_a_language_never_published(project_dir, run_cli):
    for command in (["releases", "ja"], ["pin", "ja"], ["rollback", "ja"], ["unpin", "ja"]):
        code, _, err = run_cli(project_dir, *command)
        assert code == 2 and "nothing published yet" in err, command
