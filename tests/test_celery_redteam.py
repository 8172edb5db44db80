"""Red-team tests of the distributed build (real redis-server, real workers): forged or replayed
`build_guides` messages, callbacks sent twice, the client's rescue while the originals run, a slow but
alive worker, cancel racing with a language's callback. Each test is an attack; it passes when the
attack changes nothing it should not.
"""
from __future__ import annotations

import json
import os
import shutil
import time
import uuid

import pytest

try:
    from celery_support import (copy_project, history, processes, record, report, run_workflow, start_redis,
                                start_worker, start_workflow, verify_published, wait_for)
except ImportError:  # tests/ imported as a package
    from .celery_support import (copy_project, history, processes, record, report, run_workflow, start_redis,
                                 start_worker, start_workflow, verify_published, wait_for)

pytestmark = [
    pytest.mark.celery,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="the red-team tests need a real redis-server"),
]

KNEE, KOREAN = "knee-osteoarthritis-stem-cells", "korean-stem-cell-therapy-2026"
TASK = "workflow.tasks.build_guides"


def _app(redis):
    from workflow.distributed.app import make_app
    return make_app(redis.url)


def _fake_build(r, build_id: str, guides: list[str], langs: list[str], callback_ids: dict) -> None:
    """A running build's record as the client writes it (dispatch.py), without any task queued."""
    meta = {"id": build_id, "project": "x", "created": time.time(), "languages": langs, "guides": guides,
            "release_guides": guides, "epoch": 1700000000, "publish": True}
    dispatch = {"callback": "workflow.tasks.publish_language", "ids": callback_ids,
                "kwargs": {"epoch": 1700000000, "guides": guides, "release_guides": guides},
                "keys": {l: {} for l in langs}}
    r.hset(f"workflow:build:{build_id}", mapping={"meta": json.dumps(meta), "state": "running",
                                                   "dispatch": json.dumps(dispatch), "guides_total": len(guides),
                                                   **{f"lang:{l}:status": "queued" for l in langs}})


def test_build_task_for_a_build_that_does_not_exist_records_nothing(tmp_path, processes):
    """A well-formed message (real guide, real language, no keys) naming a build id no client started:
    nothing may be written under that id (a record without `meta` breaks `workflow status`)."""
    project = copy_project(tmp_path / "project", languages=["ja"])
    redis = start_redis(tmp_path, processes)
    start_worker(tmp_path, processes, redis, project, concurrency=1)
    app, build_id = _app(redis), str(uuid.uuid4())
    reply = app.send_task(TASK, args=[[KNEE], ["ja"], build_id, None]).get(timeout=60)
    app.close()
    r = redis.client()
    assert not r.exists(f"workflow:build:{build_id}"), r.hgetall(f"workflow:build:{build_id}")
    assert not r.exists(f"workflow:build-done:{build_id}")
    assert "refused" in str(reply), reply


def test_build_task_naming_guides_outside_the_build_does_not_complete_it(tmp_path, processes):
    """A build of one guide (KNEE) is running; a forged or stale task names its id with another guide of
    the project. It must not count towards the build's guides, so no callback publishes before KNEE."""
    project = copy_project(tmp_path / "project", languages=["ja"])
    redis = start_redis(tmp_path, processes)
    start_worker(tmp_path, processes, redis, project, concurrency=1)
    r, app, build_id = redis.client(), _app(redis), str(uuid.uuid4())
    callback_ids = {"ja": str(uuid.uuid4())}
    _fake_build(r, build_id, [KNEE], ["ja"], callback_ids)
    for langs in (["ja"], ["en", "ja"]):        # en: a language the build does not have either
        app.send_task(TASK, args=[[KOREAN], langs, build_id, None]).get(timeout=60)
    app.send_task(TASK, args=[[KNEE], ["en"], build_id, None]).get(timeout=60)
    time.sleep(1)
    app.close()
    assert r.scard(f"workflow:build-done:{build_id}") == 0, r.smembers(f"workflow:build-done:{build_id}")
    assert not [k for k in r.hkeys(f"workflow:build:{build_id}") if ":edition:" in k]
    assert not r.exists(f"celery-task-meta-{callback_ids['ja']}"), "a callback ran for an unfinished build"
    assert not (project / "dist").exists()


def test_duplicate_names_in_a_build_task_are_refused(tmp_path, processes):
    """A huge message of repeated names (each one valid) would make the worker build the same editions
    over and over: a message names each guide and language once."""
    project = copy_project(tmp_path / "project", languages=["ja"])
    redis = start_redis(tmp_path, processes)
    start_worker(tmp_path, processes, redis, project, concurrency=1)
    app = _app(redis)
    started = time.monotonic()
    for args in ([[KNEE] * 20000, ["ja"], None, None], [[KNEE], ["ja"] * 2000, None, None]):
        reply = app.send_task(TASK, args=args).get(timeout=60)
        assert "message refused" in str(reply) and "more than once" in str(reply), reply
    app.close()
    assert time.monotonic() - started < 30
    assert not (project / ".cache").exists() or not list((project / ".cache").rglob("*.html"))


def test_callbacks_sent_twice_publish_each_language_once(tmp_path, processes):
    """A lost acknowledgement or the client's rescue delivers a language's callback again after it
    published: the language keeps one release and stays `published` in the record."""
    project = copy_project(tmp_path / "project", languages=["ja"])
    redis = start_redis(tmp_path, processes)
    worker = start_worker(tmp_path, processes, redis, project)
    done = run_workflow(project, "publish", broker=redis.url, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    r = redis.client()
    (build_id,) = [k.split(":", 2)[2] for k in r.keys("workflow:build:*")]
    from workflow.distributed import callbacks
    app = _app(redis)
    sent = callbacks.send(app, build_id)
    app.close()
    assert sorted(sent) == ["en", "ja"]
    wait_for(lambda: worker.text().count("publish_language[") >= 8, 60, 0.2, "the callbacks to run again")
    wait_for(lambda: r.llen("workflow") == 0 and r.hlen("unacked") == 0, 60, 0.2, "an idle broker")
    status = record(r, build_id)
    assert {l: v["status"] for l, v in status["languages"].items()} == {"en": "published", "ja": "published"}
    assert all(len(history(project, lang)) == 1 for lang in ("en", "ja"))
    verify_published(project)


def test_slow_alive_worker_beyond_the_stall_timeout_is_not_refused(tmp_path, processes):
    """One chunk takes several times WORKFLOW_STALL_TIMEOUT on a live worker: the client must wait for
    it (its main process answers pings), and the rescue must not queue the running chunk again."""
    project = copy_project(tmp_path / "project", languages=["ja"])
    redis = start_redis(tmp_path, processes)
    worker = start_worker(tmp_path, processes, redis, project, concurrency=1, env={"WORKFLOW_TASK_DELAY": "1"})
    log = tmp_path / "client.log"
    proc = start_workflow(project, "publish", broker=redis.url, log=log, WORKFLOW_STALL_TIMEOUT="1",
                          WORKFLOW_RESCUE_GRACE="0.5", WORKFLOW_BUILD_TIMEOUT="90")
    try:
        code = proc.wait(120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert code == 0, log.read_text()[-3000:]
    assert {r["status"] for r in report(project).values()} == {"published"}
    r = redis.client()
    (build_id,) = [k.split(":", 2)[2] for k in r.keys("workflow:build:*")]
    tasks = json.loads(r.hget(f"workflow:build:{build_id}", "tasks"))
    received = sum(f"Task {TASK}[" in line and line.endswith("] received")
                   for line in worker.text().splitlines())
    assert received == len(tasks) - 2, (received, tasks)   # the build tasks, each once (2 callbacks)
    assert r.scard(f"workflow:build-done:{build_id}") == 3
    assert all(len(history(project, lang)) == 1 for lang in ("en", "ja"))


def test_cancel_while_a_callback_builds_switches_nothing(tmp_path, processes):
    """`workflow cancel` lands after a language's callback checked the flag but before it switched the
    release: the client reports the language cancelled, so the release must not move."""
    project = copy_project(tmp_path / "project", languages=["ja"])
    assert run_workflow(project, "publish", "--quiet").returncode == 0
    before = os.readlink(project / "dist" / "ja" / "current")
    po = project / "locales" / "ja" / "LC_MESSAGES" / "ui.po"
    po.write_text(po.read_text().replace('msgstr "すべてのガイド"', 'msgstr "ガイド一覧"'))
    redis = start_redis(tmp_path, processes)
    r, build_id = redis.client(), str(uuid.uuid4())
    _fake_build(r, build_id, [KNEE, KOREAN], ["ja"], {"ja": str(uuid.uuid4())})

    from workflow.project import Project
    from workflow.publishing.builder import Builder
    from workflow.publishing.plan import Plan
    from workflow.distributed import tasks
    builder = Builder(Project(project))
    build_language = builder.build_language

    def cancelled_meanwhile(lang, guides):
        result = build_language(lang, guides)
        r.hset(f"workflow:build:{build_id}", "cancelled", time.time())   # `workflow cancel`, now
        return result

    builder.build_language = cancelled_meanwhile
    guides = tuple(builder.project.guides)
    plan = Plan(("ja",), guides, guides, 1700000000, True)
    reply = tasks._language(builder, "ja", [], build_id, plan, redis.url)
    assert os.readlink(project / "dist" / "ja" / "current") == before, reply
    assert reply["status"] == "cancelled", reply
    assert record(r, build_id)["languages"]["ja"]["status"] == "cancelled"


def test_replayed_build_task_of_a_finished_build_sends_no_callback(tmp_path, processes):
    """A build task of a finished build delivered again (a replay, or a copy the broker kept): the build
    is over, so it must not send the languages' callbacks (publish) once more."""
    project = copy_project(tmp_path / "project", languages=["ja"])
    redis = start_redis(tmp_path, processes)
    worker = start_worker(tmp_path, processes, redis, project, concurrency=1)
    done = run_workflow(project, "publish", broker=redis.url, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    r = redis.client()
    (build_id,) = [k.split(":", 2)[2] for k in r.keys("workflow:build:*")]
    keys = json.loads(r.hget(f"workflow:build:{build_id}", "dispatch"))["keys"]
    callbacks_before = worker.text().count("publish_language[")
    app = _app(redis)
    reply = app.send_task(TASK, args=[[KNEE], ["en", "ja"], build_id,
                                      {l: {KNEE: keys[l][KNEE]} for l in keys}]).get(timeout=60)
    app.close()
    time.sleep(2)
    wait_for(lambda: r.llen("workflow") == 0 and r.hlen("unacked") == 0, 30, 0.2, "an idle broker")
    assert worker.text().count("publish_language[") == callbacks_before, (reply, worker.text()[-2000:])
    assert record(r, build_id)["state"] == "done"


def test_cancel_after_a_language_published_reports_it_published(tmp_path, processes):
    """`workflow cancel` lands after the callbacks published but before the client collected them (the
    client is slow: stopped here). The report must say what readers get: published, not cancelled."""
    import signal
    project = copy_project(tmp_path / "project", languages=["ja"])
    redis = start_redis(tmp_path, processes)
    start_worker(tmp_path, processes, redis, project)
    r, log = redis.client(), tmp_path / "client.log"
    proc = start_workflow(project, "publish", broker=redis.url, log=log, WORKFLOW_BUILD_TIMEOUT="60")
    try:
        (build_id,) = wait_for(lambda: [k.split(":", 2)[2] for k in r.keys("workflow:build:*")
                                        if r.hget(k, "guides_total")], 30, 0.01, "the dispatch")
        os.kill(proc.pid, signal.SIGSTOP)
        wait_for(lambda: all(r.hget(f"workflow:build:{build_id}", f"lang:{l}:status") == "published"
                             for l in ("en", "ja")), 60, 0.1, "both languages published")
        from workflow.distributed.dispatch import cancel_build
        from workflow.project import Project
        cancel_build(Project(project), build_id, redis.url)
        os.kill(proc.pid, signal.SIGCONT)
        proc.wait(60)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGCONT)
            proc.kill()
    assert all(len(history(project, lang)) == 1 for lang in ("en", "ja"))
    assert {l: v["status"] for l, v in report(project).items()} == {"en": "published", "ja": "published"}, \
        log.read_text()[-2000:]


def test_worker_without_a_guide_of_the_client_refuses_the_build_promptly(tmp_path, processes):
    """A worker on a stale checkout lacks a guide the client builds: it refuses that chunk's message. The
    client must not re-send it every grace period until the build timeout: the languages are refused
    soon, with the worker's reason, and nothing is published."""
    project = copy_project(tmp_path / "project", languages=["ja"])
    stale = copy_project(tmp_path / "stale", languages=["ja"])
    for path in [stale / "source" / f"{KOREAN}.md", *stale.glob(f"locales/*/LC_MESSAGES/{KOREAN}.po"),
                 *stale.glob(f"locales/templates/{KOREAN}.pot")]:
        path.unlink()
    redis = start_redis(tmp_path, processes)
    start_worker(tmp_path, processes, redis, stale, concurrency=1)
    started = time.monotonic()
    done = run_workflow(project, "publish", broker=redis.url, timeout=120, WORKFLOW_RESCUE_GRACE="1",
                        WORKFLOW_STALL_TIMEOUT="2", WORKFLOW_BUILD_TIMEOUT="90")
    took = time.monotonic() - started
    assert done.returncode == 1, done.stdout + done.stderr
    assert took < 30, (took, done.stdout[-2000:])
    assert {r["status"] for r in report(project).values()} == {"refused"}
    assert "is not one of this worker's project" in done.stdout + done.stderr
    assert not (project / "dist" / "ja" / "current").exists()


def test_worker_killed_mid_chunk_with_an_eager_rescue_publishes_each_language_once(tmp_path, processes):
    """A worker is SIGKILLed mid-chunk while the client's rescue grace is short: its message waits in
    `unacked` (acks late) until the visibility timeout, so the broker is not idle and the rescue sends
    nothing twice; the chunk is redelivered to the next worker, the done set never exceeds the build."""
    from celery_support import FAST_RECOVERY
    project = copy_project(tmp_path / "project", languages=["ja"])
    redis = start_redis(tmp_path, processes)
    env = {**FAST_RECOVERY, "WORKFLOW_TASK_DELAY": "0.7"}
    worker = start_worker(tmp_path, processes, redis, project, concurrency=1, env=env)
    r, log = redis.client(), tmp_path / "client.log"
    proc = start_workflow(project, "publish", broker=redis.url, log=log, WORKFLOW_RESCUE_GRACE="0.5",
                          WORKFLOW_STALL_TIMEOUT="30", WORKFLOW_BUILD_TIMEOUT="90")
    try:
        wait_for(lambda: r.hlen("unacked") >= 1 and r.keys("workflow:build-done:*"), 30, 0.05, "a chunk done")
        worker.kill()
        start_worker(tmp_path, processes, redis, project, concurrency=1, env=env)
        code = proc.wait(90)
    finally:
        if proc.poll() is None:
            proc.kill()
    stuck = {"unacked": r.hlen("unacked"), "mutex ttl": r.ttl("unacked_mutex"), "queued": r.llen("workflow")}
    assert code == 0, (stuck, log.read_text()[-3000:])
    (build_id,) = [k.split(":", 2)[2] for k in r.keys("workflow:build:*")]
    assert r.smembers(f"workflow:build-done:{build_id}") == {KNEE, KOREAN, "soft-tissue-injury-stem-cells"}
    assert "lost by the broker" not in log.read_text()
    assert {v["status"] for v in report(project).values()} == {"published"}
    assert all(len(history(project, lang)) == 1 for lang in ("en", "ja"))
    verify_published(project)


def test_worker_killed_during_its_restore_sweep_delays_recovery_boundedly(tmp_path, processes, monkeypatch):
    """A worker SIGKILLed while it holds kombu's `unacked_mutex` (taken by every restore sweep) leaves the
    mutex behind until it expires: no worker restores the dead worker's messages meanwhile. Simulated by
    leaving the mutex as that worker would have; the build must still finish well within its timeout."""
    from celery_support import FAST_RECOVERY
    from workflow.distributed.app import settings
    for name, value in FAST_RECOVERY.items():
        monkeypatch.setenv(name, value)
    expire = settings()["broker_transport_options"].get("unacked_mutex_expire", 300)   # kombu's default
    project = copy_project(tmp_path / "project", languages=["ja"])
    redis = start_redis(tmp_path, processes)
    env = {**FAST_RECOVERY, "WORKFLOW_TASK_DELAY": "0.7"}
    worker = start_worker(tmp_path, processes, redis, project, concurrency=1, env=env)
    r, log = redis.client(), tmp_path / "client.log"
    proc = start_workflow(project, "publish", broker=redis.url, log=log, WORKFLOW_BUILD_TIMEOUT="45")
    try:
        wait_for(lambda: r.hlen("unacked") >= 1 and r.keys("workflow:build-done:*"), 30, 0.05, "a chunk done")
        worker.kill()
        r.set("unacked_mutex", "the-dead-worker", ex=int(expire))
        start_worker(tmp_path, processes, redis, project, concurrency=1, env=env)
        code = proc.wait(60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert code == 0, log.read_text()[-3000:]
    assert all(len(history(project, lang)) == 1 for lang in ("en", "ja"))
