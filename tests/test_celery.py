"""Distributed builds on real redis-server and real `celery -A worker worker` processes (no mocks).

Recovery settings under test (workflow/distributed/app.py explains the production values):
task_acks_late + task_reject_on_worker_lost + task_retry_on_worker_lost, prefetch 1, and, for
speed here, visibility_timeout 4 s with an unacked-restore sweep every 1 s (FAST_RECOVERY).
"""
from __future__ import annotations

import json
import os
import pickle
import shutil
import signal
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import yaml

try:
    from celery_support import (EPOCH, FAST_RECOVERY, REPO, RedisServer, Worker, build_ids, copy_project,
                                current_files, editions_done, history, processes, published_languages, record,
                                report, run_workflow, start_redis, start_worker, start_workflow, verify_published, wait_for)
except ImportError:  # tests/ imported as a package
    from .celery_support import (EPOCH, FAST_RECOVERY, REPO, RedisServer, Worker, build_ids, copy_project,
                                 current_files, editions_done, history, processes, published_languages, record,
                                 report, run_workflow, start_redis, start_worker, start_workflow, verify_published, wait_for)

pytestmark = [
    pytest.mark.celery,
    pytest.mark.skipif(shutil.which("redis-server") is None,
                       reason="redis-server is not on PATH: the Celery tests need a real Redis"),
]


def languages(project: Path) -> list[str]:
    from workflow.publishing.builder import Builder
    from workflow.project import Project
    return Builder(Project(project)).published_languages()


def finish(proc, timeout: float, log: Path):
    try:
        return proc.wait(timeout)
    except Exception:
        proc.kill()
        raise AssertionError(f"workflow did not finish in {timeout}s:\n{log.read_text()[-3000:]}")


def assert_published_once(project: Path, langs: list[str] | None = None) -> None:
    reports = report(project)
    for lang in langs or languages(project):
        assert reports[lang]["status"] == "published", (lang, reports[lang])
        assert len(history(project, lang)) == 1, (lang, history(project, lang))
    verify_published(project)


def test_distributed_bundles_are_byte_identical_to_in_process(tmp_path, processes):
    local = copy_project(tmp_path / "local")
    remote = copy_project(tmp_path / "remote")
    done = run_workflow(local, "publish")
    assert done.returncode in (0, 1), done.stderr

    redis = start_redis(tmp_path, processes)
    start_worker(tmp_path, processes, redis, remote)
    done = run_workflow(remote, "publish", broker=redis.url)
    assert done.returncode in (0, 1), done.stdout + done.stderr

    langs = published_languages(local)
    assert langs and langs == published_languages(remote)
    for lang in langs:
        expected, got = current_files(local, lang), current_files(remote, lang)
        assert sorted(expected) == sorted(got), lang
        for name in expected:
            assert expected[name] == got[name], f"{lang}/{name} differs"
    statuses = {l: (r["status"], r["release"]) for l, r in report(local).items()}
    assert statuses == {l: (r["status"], r["release"]) for l, r in report(remote).items()}

    # the build record answers `workflow status` (from Redis, then from the local copy without Redis)
    (build_id,) = build_ids(redis.client())
    shown = run_workflow(remote, "status", build_id, "--format", "json", WORKFLOW_BROKER=redis.url)
    assert shown.returncode == 0, shown.stderr
    status = json.loads(shown.stdout)
    assert status["state"] == "done"
    assert {l: v["progress"] for l, v in status["languages"].items()} == {l: "3/3" for l in langs} or \
        all(v["editions_done"] == v["editions_total"] for v in status["languages"].values())
    redis.stop()
    table = run_workflow(remote, "status", build_id, WORKFLOW_BROKER=redis.url)
    assert table.returncode == 0 and f"build {build_id}: done" in table.stdout, table.stderr
    assert all(f"{v['editions_done']} / {v['editions_total']}" in table.stdout for v in status["languages"].values())
    offline = run_workflow(remote, "status", build_id, "--format", "json", WORKFLOW_BROKER=redis.url)
    assert offline.returncode == 0 and json.loads(offline.stdout)["state"] == "done", offline.stderr


def test_sigkill_worker_mid_build_then_restart_publishes_each_language_once(tmp_path, processes):
    project = copy_project(tmp_path / "project")
    redis = start_redis(tmp_path, processes)
    env = {**FAST_RECOVERY, "WORKFLOW_TASK_DELAY": "0.5"}
    first = start_worker(tmp_path, processes, redis, project, env=env)
    log = tmp_path / "publish.log"
    client = start_workflow(project, "publish", broker=redis.url, log=log, WORKFLOW_BUILD_TIMEOUT="50")
    try:
        wait_for(lambda: editions_done(redis.client()) >= 3, 30, 0.05, "some editions to finish")
        first.kill()
        killed = time.monotonic()
        second = start_worker(tmp_path, processes, redis, project, env=FAST_RECOVERY)
        ready = time.monotonic() - killed
        code = finish(client, 50, log)
        recovered = time.monotonic() - killed
    finally:
        if client.poll() is None:
            client.kill()
    (build_id,) = build_ids(redis.client())
    status = record(redis.client(), build_id)
    stuck = [l for l, v in status["languages"].items() if v["redispatched"]]
    print(f"\nSIGKILL of the whole worker mid-build: new worker ready after {ready:.1f}s; build finished "
          f"{recovered:.1f}s after the kill (visibility_timeout=4s, restore sweep every 1s, "
          f"acks_late + reject_on_worker_lost, prefetch 1; lost callbacks re-sent: {stuck or 'none'})")
    assert code == 0, log.read_text()[-3000:]
    assert_published_once(project)
    assert status["state"] == "done"
    assert all(v["editions_done"] == v["editions_total"] for v in status["languages"].values())
    # bounded: visibility timeout + sweep + the rest of the build (~5 s here) with a wide margin
    assert recovered < 30


def _busy_child(app, worker: Worker) -> int | None:
    """The pool process running the most recently started task (it is inside its delay)."""
    active = app.control.inspect(destination=[worker.name], timeout=1.0).active() or {}
    tasks = [t for t in active.get(worker.name, []) if t.get("worker_pid") in worker.children()]
    return max(tasks, key=lambda t: t.get("time_start") or 0)["worker_pid"] if tasks else None


def test_killed_pool_child_task_is_retried_and_build_completes(tmp_path, processes):
    from workflow.distributed.app import make_app
    project = copy_project(tmp_path / "project")
    redis = start_redis(tmp_path, processes)
    worker = start_worker(tmp_path, processes, redis, project, env={"WORKFLOW_TASK_DELAY": "1.5"})
    app = make_app(redis.url)
    log = tmp_path / "publish.log"
    langs = ["en", "ja", "zh_CN"]
    client = start_workflow(project, "publish", *[a for l in langs for a in ("--lang", l)], broker=redis.url,
                            log=log, WORKFLOW_BUILD_TIMEOUT="50")
    try:
        wait_for(lambda: editions_done(redis.client()) >= 1, 30, 0.05, "a first edition")
        pid = wait_for(lambda: _busy_child(app, worker), 20, 0.1, "a pool child running a task")
        os.kill(pid, signal.SIGKILL)
        code = finish(client, 50, log)
    finally:
        if client.poll() is None:
            client.kill()
        app.close()
    assert code == 0, log.read_text()[-3000:]
    assert worker.proc.poll() is None, "the worker itself must survive a lost pool child"
    text = worker.text()
    assert f"pid:{pid} exited with 'signal 9" in text, text[-3000:]
    (build_id,) = build_ids(redis.client())
    status = record(redis.client(), build_id)
    assert sum(v["retries"] for v in status["languages"].values()) >= 1, status
    assert_published_once(project, langs)


def test_task_that_always_fails_stops_after_n_tries_and_refuses_only_its_editions(tmp_path, processes):
    """A transient fault that outlives every try refuses the editions it hit, each as a guide of its own:
    ja publishes with stand-ins for them, every other language publishes every guide (until issue 17
    the chord failed and the whole language was refused)."""
    from workflow.distributed.app import MAX_RETRIES
    project = copy_project(tmp_path / "project")
    redis = start_redis(tmp_path, processes)
    worker = start_worker(tmp_path, processes, redis, project, env={"WORKFLOW_FAIL_LANG": "ja"})
    started = time.monotonic()
    done = run_workflow(project, "publish", broker=redis.url, timeout=50)
    print(f"\nbuild with a failing language took {time.monotonic() - started:.1f}s")
    assert done.returncode == 1, done.stdout + done.stderr
    reports = report(project)
    guides = sorted(p.stem for p in (project / "source").glob("*.md"))
    assert reports["ja"]["status"] == "published" and sorted(reports["ja"]["refused_guides"]) == guides
    messages = " ".join(p["message"] for p in reports["ja"]["problems"])
    assert "injected transient fault" in messages and f"{MAX_RETRIES + 1} tries" in messages, messages
    for lang in languages(project):
        if lang != "ja":
            assert reports[lang]["status"] == "published" and not reports[lang]["refused_guides"], reports[lang]
    (build_id,) = build_ids(redis.client())
    status = record(redis.client(), build_id)
    # each ja edition (one task per guide here): MAX_RETRIES retries, then it gives up (no endless redelivery)
    assert status["languages"]["ja"]["retries"] == MAX_RETRIES * len(guides), status["languages"]["ja"]
    assert sum(v["retries"] for v in status["languages"].values()) == MAX_RETRIES * len(guides)
    table = run_workflow(project, "status", build_id, WORKFLOW_BROKER=redis.url)
    assert "injected transient fault" in table.stdout, table.stdout
    assert worker.text().count("injected transient fault") >= (MAX_RETRIES + 1) * len(guides)
    verify_published(project)


def test_guide_whose_task_exhausts_its_retries_is_refused_alone(tmp_path, processes):
    from workflow.distributed.app import MAX_RETRIES
    project = copy_project(tmp_path / "project", languages=["ja", "es"])
    knee = "knee-osteoarthritis-stem-cells"
    redis = start_redis(tmp_path, processes)
    start_worker(tmp_path, processes, redis, project,
                 env={"WORKFLOW_FAIL_LANG": "ja", "WORKFLOW_FAIL_GUIDE": knee, "WORKFLOW_TASK_EDITIONS": "100"})
    done = run_workflow(project, "publish", "--format", "json", broker=redis.url, timeout=50)
    assert done.returncode == 1, done.stdout + done.stderr
    reports = {r["lang"]: r for r in json.loads(done.stdout)}
    # the failing guide's task gave up alone (chunk.build_chunks spreads three guides over three tasks whatever
    # WORKFLOW_TASK_EDITIONS says; the client reads it, not the worker): the other guides' tasks built theirs
    assert reports["ja"]["status"] == "published" and reports["ja"]["refused_guides"] == [knee], reports["ja"]
    assert all(v == "built" for g, v in reports["ja"]["guides"].items() if g != knee), reports["ja"]["guides"]
    assert any(knee in p["path"] and f"{MAX_RETRIES + 1} tries" in p["message"] for p in reports["ja"]["problems"])
    for lang in ("en", "es"):
        assert reports[lang]["status"] == "published" and not reports[lang]["refused_guides"], reports[lang]
    (build_id,) = build_ids(redis.client())
    assert record(redis.client(), build_id)["languages"]["ja"]["retries"] == MAX_RETRIES
    verify_published(project)


def test_all_workers_dead_refuses_the_languages_well_before_the_timeout(tmp_path, processes):
    project = copy_project(tmp_path / "project", languages=["ja", "es"])
    before = {lang: (project / "dist" / lang / "current").exists() for lang in ("en", "ja", "es")}
    redis = start_redis(tmp_path, processes)
    worker = start_worker(tmp_path, processes, redis, project, concurrency=1,
                          env={**FAST_RECOVERY, "WORKFLOW_TASK_DELAY": "1"})
    log = tmp_path / "publish.log"
    client = start_workflow(project, "publish", broker=redis.url, log=log, WORKFLOW_STALL_TIMEOUT="3")
    try:
        wait_for(lambda: editions_done(redis.client()) >= 1, 30, 0.05, "a first chunk")
        worker.kill()
        killed = time.monotonic()
        code = finish(client, 30, log)
        took = time.monotonic() - killed
    finally:
        if client.poll() is None:
            client.kill()
    print(f"\nevery worker SIGKILLed: the client reported {took:.1f}s later (stall timeout 3 s, build timeout 1800 s)")
    assert code == 1, log.read_text()[-3000:]
    assert took < 15, took
    reports = report(project)
    refused = [l for l, r in reports.items() if r["status"] == "refused"]
    assert refused, reports
    for lang in refused:
        assert "no worker answered" in str(reports[lang]["problems"]), reports[lang]
        assert (project / "dist" / lang / "current").exists() == before[lang]
    (build_id,) = build_ids(redis.client())
    status = record(redis.client(), build_id)
    assert status["state"] == "failed" and status["cancelled"], status
    # a worker started afterwards builds and publishes nothing behind the client's report
    start_worker(tmp_path, processes, redis, project, concurrency=1, env=FAST_RECOVERY)
    wait_for(lambda: redis.client().llen("workflow") == 0 and redis.client().hlen("unacked") == 0, 60, 0.2,
             "the queue to drain (the dead worker's message comes back after the visibility timeout)")
    for lang in refused:
        assert (project / "dist" / lang / "current").exists() == before[lang]


def test_redis_killed_and_restarted_mid_build_never_half_publishes(tmp_path, processes):
    project = copy_project(tmp_path / "project")
    redis = start_redis(tmp_path, processes, appendonly=True)
    worker_env = {**FAST_RECOVERY, "WORKFLOW_TASK_DELAY": "0.3"}
    workers = [start_worker(tmp_path, processes, redis, project, env=worker_env)]
    seen_bad, restarts, stop = [], [], threading.Event()

    def watch():                          # readers' view, all along: old or new release, never a mix
        while not stop.is_set():
            # the supervisor's part (compose: restart: unless-stopped). kombu 5.x can die on a lost
            # Redis: "Unrecoverable error: AttributeError('NoneType' object has no attribute
            # 'hostname')" while restoring unacked messages on the closed connection.
            if workers[-1].proc.poll() is not None:
                restarts.append(workers[-1].proc.returncode)
                worker = Worker(tmp_path, redis.url, project, env=worker_env)
                processes.append(worker)
                workers.append(worker.start(wait=False))
            try:
                verify_published(project)
            except FileNotFoundError:
                pass                      # a pruned old release read mid-switch is not a reader's view
            except Exception as exc:  # noqa: BLE001
                seen_bad.append(repr(exc))
            time.sleep(0.02)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    log = tmp_path / "publish.log"
    client = start_workflow(project, "publish", broker=redis.url, log=log, WORKFLOW_BUILD_TIMEOUT="40")
    try:
        wait_for(lambda: editions_done(redis.client()) >= 4, 30, 0.05, "some editions to finish")
        redis.kill()
        killed = time.monotonic()
        time.sleep(1.0)
        redis.start()                      # same port, same appendonly file
        first = finish(client, 50, log)
        took = time.monotonic() - killed
    finally:
        if client.poll() is None:
            client.kill()
    print(f"\nRedis SIGKILLed and restarted (appendonly, fsync always): first run exit {first}, "
          f"{took:.1f}s after the kill; worker restarts by the supervisor: {len(restarts)}")
    assert first in (0, 1), log.read_text()[-3000:]
    verify_published(project)
    again = run_workflow(project, "publish", broker=redis.url, timeout=50, WORKFLOW_BUILD_TIMEOUT="40")
    stop.set()
    watcher.join(5)
    assert again.returncode == 0, again.stdout + again.stderr
    reports = report(project)
    for lang in languages(project):
        assert reports[lang]["status"] in ("published", "unchanged"), (lang, reports[lang])
        assert len(history(project, lang)) == 1, (lang, history(project, lang))
    verify_published(project)
    assert not seen_bad, seen_bad[:3]


def _compose(env: dict | None = None):
    """docker-compose.yml as docker-compose reads it: `${VAR:-default}` filled from `env` (none set:
    the documented defaults)."""
    from compose_support import interpolate
    return yaml.safe_load(interpolate((REPO / "docker-compose.yml").read_text(), env or {}))


def _env(service: dict) -> dict:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: str(v) for k, v in env.items()}


def _argv(command) -> list[str]:
    import shlex
    return list(command) if isinstance(command, list) else shlex.split(command)


def test_compose_file_services_run_as_local_processes(tmp_path, processes):
    from urllib.parse import urlsplit

    import redis as redis_py
    compose = _compose()
    services = compose["services"]
    assert {"redis", "worker", "flower", "app"} <= set(services)
    redis_service = services["redis"]
    assert not redis_service.get("ports"), "Redis must publish no port to the host"
    redis_argv = _argv(redis_service["command"])
    assert redis_argv[0] == "redis-server" and "--appendonly" in redis_argv
    assert redis_argv[redis_argv.index("--appendonly") + 1] == "yes"
    password = redis_argv[redis_argv.index("--requirepass") + 1]
    assert password == "workflow-local"                   # the documented default for a laptop
    # every client of Redis has the password, from the same variable
    assert _compose({"REDIS_PASSWORD": "s3cret"})["services"]["redis"]["command"][2] == "s3cret"
    for name in ("worker", "app"):
        assert urlsplit(_env(services[name])["WORKFLOW_BROKER"]).password == password, name
        assert "--broker" not in _argv(services[name]["command"]), "the broker URL holds the password: env only"
    flower_env = _env(services["flower"])
    assert urlsplit(flower_env["CELERY_BROKER_URL"]).password == password
    assert flower_env["FLOWER_BASIC_AUTH"].count(":") == 1        # Flower asks for credentials
    for port in services["flower"].get("ports") or []:
        assert str(port).startswith("127.0.0.1:"), port
    assert "flower" in " ".join(_argv(services["flower"]["command"]))
    assert _argv(services["app"]["command"])[-1] == "publish"
    assert "python:3.11-slim" in (REPO / "Dockerfile").read_text()
    assert services["worker"]["build"]["args"]["BASE_IMAGE"] == "python:3.11-slim"

    # redis: the compose flags, on a free loopback port and a temporary data dir
    redis = RedisServer(tmp_path / "redis", argv=redis_argv, password=password)
    processes.append(redis)
    redis.start()
    assert redis.client().config_get("appendonly")["appendonly"] == "yes"
    with pytest.raises(redis_py.AuthenticationError):
        redis_py.Redis(port=redis.port, socket_timeout=5).ping()

    # worker: the compose command and environment, with the broker and project adapted
    worker_service = services["worker"]
    argv = _argv(worker_service["command"])
    assert argv[:4] == ["celery", "-A", "worker", "worker"]
    env = _env(worker_service)
    assert env["WORKFLOW_BROKER"].startswith(f"redis://:{password}@redis:6379")
    project = copy_project(tmp_path / "project")
    env.update(WORKFLOW_BROKER=redis.url, WORKFLOW_PROJECT=str(project))
    worker = Worker(tmp_path, redis.url, project, env=env, argv=[sys.executable, "-m"] + argv)
    processes.append(worker)
    worker.start()

    from workflow.distributed.app import make_app
    app = make_app(redis.url)
    replies = wait_for(lambda: app.control.ping(timeout=1.0), 20, 0.2, "a ping reply")
    assert any(worker.name in reply for reply in replies), replies
    app.close()


def test_pickle_and_unknown_task_messages_are_not_executed(tmp_path, processes):
    from kombu import Exchange

    from workflow.distributed.app import QUEUE, make_app

    project = copy_project(tmp_path / "project")
    redis = start_redis(tmp_path, processes)
    worker = start_worker(tmp_path, processes, redis, project, concurrency=1)
    app = make_app(redis.url)
    marker = tmp_path / "pwned"

    class Exploit:                        # unpickling this would create the marker directory
        def __reduce__(self):
            return os.mkdir, (str(marker),)

    body = pickle.dumps(((Exploit(),), {}, {"callbacks": None, "errbacks": None, "chain": None, "chord": None}))
    with app.connection_for_write() as conn:
        producer = conn.Producer()
        for name, payload, ctype, encoding in (
                ("workflow.tasks.build_guides", body, "application/x-python-serialize", "binary"),
                ("workflow.tasks.no_such_task", json.dumps([[], {}, {}]), "application/json", "utf-8")):
            task_id = str(uuid.uuid4())
            producer.publish(payload, exchange=Exchange(QUEUE, type="direct"), routing_key=QUEUE,
                             content_type=ctype, content_encoding=encoding, serializer=None,
                             headers={"lang": "py", "task": name, "id": task_id, "root_id": task_id,
                                      "parent_id": None, "group": None, "retries": 0, "argsrepr": "()",
                                      "kwargsrepr": "{}", "origin": "test"})
    wait_for(lambda: "Refusing to deserialize" in worker.text() or "untrusted content" in worker.text(),
             20, 0.1, "the worker to refuse the pickle message")
    wait_for(lambda: "unregistered task" in worker.text().lower(), 20, 0.1, "the unknown task to be discarded")
    assert not marker.exists(), "a pickle payload was deserialized"
    # the worker is alive and still serves real tasks; the bad messages are gone, not requeued
    assert app.send_task("workflow.tasks.noop", args=[42]).get(timeout=20) == 42
    assert worker.proc.poll() is None
    assert redis.client().llen(QUEUE) == 0
    assert not marker.exists()
    app.close()


def test_callbacks_lost_with_the_task_that_finished_the_build_are_sent_by_the_client(tmp_path, processes):
    """The build task that records the last guides sends the languages' callbacks; if it dies in between
    (or Redis loses their messages), nothing would publish. Simulated by raising the record's guide count
    right after dispatch, so that no build task sees the build complete: once the broker is idle for the
    grace period, the client sends the callbacks itself."""
    project = copy_project(tmp_path / "project")
    langs = ["en", "ja"]
    redis = start_redis(tmp_path, processes)
    start_worker(tmp_path, processes, redis, project, env={"WORKFLOW_TASK_DELAY": "0.5"})
    log = tmp_path / "publish.log"
    client = start_workflow(project, "publish", "--lang", "en", "--lang", "ja", broker=redis.url, log=log,
                            WORKFLOW_BUILD_TIMEOUT="50", WORKFLOW_RESCUE_GRACE="2")
    r = redis.client()
    try:
        (build_id,) = wait_for(lambda: [b for b in build_ids(r) if r.hget(f"workflow:build:{b}", "guides_total")],
                               20, 0.01, "the dispatch")
        r.hset(f"workflow:build:{build_id}", "guides_total", 1000)
        code = finish(client, 50, log)
    finally:
        if client.poll() is None:
            client.kill()
    assert code == 0, log.read_text()[-3000:]
    status = record(r, build_id)
    assert sorted(status["languages"]) == sorted(langs)
    assert all(v["redispatched"] for v in status["languages"].values()), status
    assert_published_once(project, langs)


def test_publish_with_no_worker_listening_says_so_within_10_s(tmp_path, processes):
    project = copy_project(tmp_path / "project", languages=["ja"])
    redis = start_redis(tmp_path, processes)
    started = time.monotonic()
    done = run_workflow(project, "publish", broker=redis.url, timeout=30)
    elapsed = time.monotonic() - started
    print(f"\nno-worker detection took {elapsed:.1f}s")
    assert elapsed < 10, elapsed
    assert done.returncode == 2 and "no Celery worker answered" in done.stderr, done.stdout + done.stderr
    assert "celery -A worker worker" in done.stderr
    client = redis.client()
    assert client.llen("workflow") == 0 and not build_ids(client), "nothing is queued for nobody"
    assert not (project / "dist" / "ja").exists()


def test_cancel_leaves_every_release_untouched(tmp_path, processes):
    project = copy_project(tmp_path / "project", languages=["ja", "zh_CN"])
    assert run_workflow(project, "publish", "--quiet").returncode == 0
    before = {lang: os.readlink(project / "dist" / lang / "current") for lang in ("en", "ja", "zh_CN")}
    files = {lang: current_files(project, lang) for lang in before}
    po = project / "locales" / "ja" / "LC_MESSAGES" / "ui.po"       # a publish would switch ja
    po.write_text(po.read_text().replace('msgstr "すべてのガイド"', 'msgstr "ガイド一覧"'))
    redis = start_redis(tmp_path, processes)
    start_worker(tmp_path, processes, redis, project, concurrency=1, env={"WORKFLOW_TASK_DELAY": "1.5"})
    log = tmp_path / "client.log"
    proc = start_workflow(project, "publish", broker=redis.url, log=log)
    client = redis.client()
    wait_for(lambda: build_ids(client) and editions_done(client) >= 1, 60, 0.1, "the first edition")
    (build_id,) = build_ids(client)
    cancelled = run_workflow(project, "cancel", build_id, broker=redis.url)
    assert cancelled.returncode == 0 and "cancelled" in cancelled.stdout, cancelled.stdout + cancelled.stderr
    assert finish(proc, 30, log) == 1
    assert "cancelled" in log.read_text()
    # whatever was queued or redelivered later: nothing switches
    wait_for(lambda: client.llen("workflow") == 0 and client.hlen("unacked") == 0, 60, 0.2, "an empty queue")
    time.sleep(2)
    assert {lang: os.readlink(project / "dist" / lang / "current") for lang in before} == before
    assert {lang: current_files(project, lang) for lang in before} == files
    shown = run_workflow(project, "status", build_id, WORKFLOW_BROKER=redis.url)
    assert shown.returncode == 1 and f"build {build_id}: cancelled" in shown.stdout, shown.stdout + shown.stderr
    again = run_workflow(project, "cancel", build_id, broker=redis.url)
    assert again.returncode == 2 and "already cancelled; nothing to cancel" in again.stderr, again.stderr


def test_distributed_publish_of_one_guide_carries_the_others(tmp_path, processes):
    """The language's callback assembles the release like the in-process run: one plan, two executors."""
    project = copy_project(tmp_path / "project", languages=["ja"])
    assert run_workflow(project, "publish", "--quiet").returncode == 0
    before = current_files(project, "ja")
    knee, korean = "knee-osteoarthritis-stem-cells", "korean-stem-cell-therapy-2026"
    for guide in (knee, korean):
        po = project / "locales" / "ja" / "LC_MESSAGES" / f"{guide}.po"
        text = po.read_text()
        po.write_text(text.replace('msgstr "目次"', 'msgstr "もくじ"').replace(
            'msgstr "なぜ韓国は幹細胞治療で世界をリードしているのか"', 'msgstr "なぜ韓国なのか"'))
    redis = start_redis(tmp_path, processes)
    start_worker(tmp_path, processes, redis, project)
    done = run_workflow(project, "publish", "--lang", "ja", "--guide", knee, "--format", "json", broker=redis.url)
    assert done.returncode == 0, done.stdout + done.stderr
    (ja,) = json.loads(done.stdout)
    assert ja["status"] == "published" and ja["guides"][knee] == "built" and ja["guides"][korean] == "kept"
    after = current_files(project, "ja")
    assert after[f"{knee}.html"] != before[f"{knee}.html"] and "もくじ" in after[f"{knee}.html"].decode()
    for name in (f"{korean}.html", f"{korean}.md", f"{korean}.json"):
        assert after[name] == before[name], name
    verify_published(project)
