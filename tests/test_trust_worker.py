"""A worker serves the one project it was started for: forged messages change nothing (real Redis, real worker).

Anyone who can write to the broker can send a task message. Here a second project sits next to the
worker's, with a template that would run code if rendered, and messages name it (the old message
format carried the root), name paths instead of guides, or carry fields no message has. The worker
refuses each one, logs a short reason (not the message), writes nothing; then it still builds and
publishes its own project, and refuses a client of another project whose content it does not have.
"""
from __future__ import annotations

import shutil
import uuid

import pytest

try:
    from celery_support import RedisServer, Worker, copy_project, report, run_workflow, verify_published, wait_for
except ImportError:  # tests/ imported as a package
    from .celery_support import RedisServer, Worker, copy_project, report, run_workflow, verify_published, wait_for

pytestmark = [
    pytest.mark.celery,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="the worker tests need a real redis-server"),
]

GUIDE = "knee-osteoarthritis-stem-cells"
TOKEN = "FORGED" + "x" * 200          # a long value: the worker's log must never quote it in full


def _tree(root):
    return sorted((str(p.relative_to(root)), p.stat().st_size) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def setup(tmp_path):
    started = []
    mine = copy_project(tmp_path / "mine", languages=["ja"])
    other = copy_project(tmp_path / "other", languages=["ja"])
    marker = tmp_path / "pwned"
    # the other project's template would create the marker if rendered outside a sandbox
    page = other / "templates" / "guide.html"
    page.write_text("{{ cycler.__init__.__globals__.os.mkdir('%s') }}" % marker + page.read_text())
    (other / "workflow.yaml").write_text((other / "workflow.yaml").read_text().replace(
        "output: dist", f"output: {mine / 'dist'}"))
    redis = RedisServer(tmp_path / "redis")
    started.append(redis)
    redis.start()
    worker = Worker(tmp_path, redis.url, mine, concurrency=1)
    started.append(worker)
    worker.start()
    from workflow.distributed.app import make_app
    app = make_app(redis.url)
    yield app, redis, worker, mine, other, marker
    app.close()
    for proc in reversed(started):
        proc.stop()


FORGED = [
    ("workflow.tasks.build_edition", [GUIDE, "ja"], {}),                                # retired (issue 17)
    ("workflow.tasks.build_guides", ["{other}", [GUIDE], ["ja"], None], {}),
    ("workflow.tasks.build_guides", [[GUIDE], ["ja"]], {"project_root": "{other}"}),
    ("workflow.tasks.build_guides", [[GUIDE], ["ja"]], {"output": "{other}/dist"}),
    ("workflow.tasks.build_guides", [[GUIDE], ["ja"]], {"templates": "{other}/templates"}),
    ("workflow.tasks.build_guides", [["../other/source/" + GUIDE], ["ja"]], {}),
    ("workflow.tasks.build_guides", [["{other}/source/" + GUIDE], ["ja"]], {}),
    ("workflow.tasks.build_guides", [[GUIDE + "\x00"], ["ja"]], {}),
    ("workflow.tasks.build_guides", [[GUIDE.upper()], ["ja"]], {}),
    ("workflow.tasks.build_guides", [[GUIDE], ["JA"]], {}),
    ("workflow.tasks.build_guides", [[GUIDE], ["ja", "../../etc"]], {}),
    ("workflow.tasks.build_guides", [[GUIDE], []], {}),
    ("workflow.tasks.build_guides", [[], ["ja"]], {}),
    ("workflow.tasks.build_guides", [GUIDE, "ja"], {}),                                 # the per-edition format
    ("workflow.tasks.build_guides", [[GUIDE], ["ja"], "not-a-build-id"], {}),
    ("workflow.tasks.build_guides", [[GUIDE], ["ja"], None, {"ja": {GUIDE: "{other}"}}], {}),
    ("workflow.tasks.build_guides", [[TOKEN], ["ja"]], {}),
    ("workflow.tasks.publish_language", [[], "{other}", "ja"], {}),                      # the old format
    ("workflow.tasks.publish_language", [[], "ja"], {"project_root": "{other}", "epoch": 1}),
    ("workflow.tasks.publish_language", [[], "ja"], {"guides": ["../" + GUIDE]}),
    ("workflow.tasks.publish_language", [[], "ja"], {TOKEN: 1}),
    ("workflow.tasks.report_language", [[{"error": "x", "problems": [{"path": "/etc/passwd"}]}], "ja"], {}),
]


def _fill(value, other):
    if isinstance(value, str):
        return value.replace("{other}", str(other))
    if isinstance(value, list):
        return [_fill(v, other) for v in value]
    if isinstance(value, dict):
        return {_fill(k, other): _fill(v, other) for k, v in value.items()}
    return value


def test_forged_messages_are_refused_and_change_nothing_then_own_project_publishes(setup):
    app, redis, worker, mine, other, marker = setup
    before_mine, before_other = _tree(mine), _tree(other)
    results = [app.send_task(name, args=_fill(args, other), kwargs=_fill(kwargs, other))
               for name, args, kwargs in FORGED]
    for (name, args, kwargs), result in zip(FORGED, results):
        reply = result.get(timeout=30)
        text = str(reply)
        assert "message refused" in text, (name, args, kwargs, reply)
        assert reply.get("status", "refused") == "refused" and not reply.get("ok")
    assert not marker.exists(), "a template of another project was rendered"
    assert _tree(mine) == before_mine, "a refused message wrote into the worker's project"
    assert _tree(other) == before_other, "a refused message wrote into another project"
    log = worker.text()
    assert log.count("refused a workflow.tasks.") == len(FORGED), log[-3000:]
    assert TOKEN not in log and TOKEN[:60] not in log, "the worker echoed a forged message in full"

    # the worker still builds and publishes its own project
    done = run_workflow(mine, "publish", broker=redis.url, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert {r["status"] for r in report(mine).values()} == {"published"}
    verify_published(mine)
    assert not marker.exists()


def test_client_of_another_project_is_refused_by_this_worker(setup):
    """A client publishing another project through this worker's broker: its edition keys (content
    hashes) are not the worker's, so every language is refused; neither project's dist changes."""
    app, redis, worker, mine, other, marker = setup
    (other / "templates" / "guide.html").write_text((mine / "templates" / "guide.html").read_text())
    (other / "workflow.yaml").write_text((mine / "workflow.yaml").read_text())
    (other / "source" / f"{GUIDE}.md").write_text((other / "source" / f"{GUIDE}.md").read_text() + "\nExtra.\n")
    done = run_workflow(other, "publish", broker=redis.url, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    reports = report(other)
    assert {r["status"] for r in reports.values()} == {"refused"}
    assert "the client's" in str(reports), reports   # refused by the edition task or the callback
    assert not (mine / "dist").exists()
    assert not marker.exists()


def test_build_id_of_a_forged_message_is_never_recorded(setup):
    app, redis, worker, mine, other, marker = setup
    build_id = str(uuid.uuid4())
    for name, args in (("workflow.tasks.build_guides", [[GUIDE], ["ja"], build_id, {"ja": {GUIDE: str(other)}}]),
                       ("workflow.tasks.build_edition", [GUIDE, "ja", build_id, None])):
        reply = app.send_task(name, args=args).get(timeout=30)
        assert "message refused" in reply["error"]
        wait_for(lambda: f"refused a {name}" in worker.text(), 10, 0.1, "the refusal log line")
    assert not redis.client().keys(f"workflow:build:{build_id}")
