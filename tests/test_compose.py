"""The real compose deployment: docker-compose.yml brought up with docker-compose and driven.

Redis, two workers and Flower run from the repository's compose file on a copy of the project;
the one-shot `app` publishes through them; then faults go through Docker itself. The images are
local stand-ins for the public ones (see compose_support.py), passed in through the compose
file's image variables; the product image is built from the repository's Dockerfile by
`docker-compose build`. Everything this module creates (containers, network, volume, the product
image, a dockerd it started) is removed at the end; the stand-in images stay, cached by the hash
of their inputs.

The fault tests add one override file with the test hooks only: a delay in each task (to have
something to kill mid-build) and a short visibility timeout (recovery in seconds, not minutes).
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import threading
import time
import urllib.error
import urllib.request
from base64 import b64encode
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import cache_store
import compose_support as cs
from celery_support import (EPOCH, current_files, free_port, history, published_languages, report, run_workflow,
                            verify_published, wait_for)

pytestmark = pytest.mark.compose

FAULT_HOOKS = """\
services:
  worker:
    environment:
      WORKFLOW_TASK_DELAY: "1.0"
      WORKFLOW_VISIBILITY_TIMEOUT: "8"
      WORKFLOW_RESTORE_INTERVAL: "1"
"""


@dataclass
class Deployment:
    docker: cs.Docker
    compose: cs.Compose
    project: Path                  # mounted at /project in the workers and the app
    local: Path                    # the same copy, for the in-process publish
    work: Path
    password: str
    flower_auth: tuple[str, str]
    flower_port: int
    timings: dict = field(default_factory=dict)

    def reset(self) -> None:
        """A project that has never been built: no dist/, no edition cache."""
        for name in ("dist", ".cache"):
            shutil.rmtree(self.project / name, ignore_errors=True)

    def publish(self, log_path: Path, override: bool = False, **env):
        env = {"SOURCE_DATE_EPOCH": EPOCH, **env}
        args = [a for k, v in env.items() for a in ("-e", f"{k}={v}")]
        return self.compose.popen("run", "--rm", "-T", *args, "app", log_path=log_path, override=override)

    def workers_ready(self, timeout: float = 90) -> list[str]:
        """Both worker containers running and their Celery workers ready since their last start."""
        def ready_since_start(name: str) -> bool:
            state = self.compose.inspect(name)["State"]
            if not state["Running"]:
                return False
            logs = self.docker("logs", "--since", state["StartedAt"], name, timeout=30, check=False)
            return " ready." in logs.stdout + logs.stderr

        def ready():
            names = self.compose.containers("worker")
            return len(names) == 2 and all(ready_since_start(n) for n in names) and names
        return wait_for(ready, timeout, 0.5, "two workers ready")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory, pytestconfig):
    started = time.monotonic()
    cs.use_terminal(pytestconfig)
    work = tmp_path_factory.mktemp("compose")
    cs.install_tools()
    docker = cs.Docker(work).start()
    compose, image, timings, left = None, None, {}, []
    try:
        timings["docker ready"] = time.monotonic() - started
        base = cs.base_image(docker, work)
        cs.check_containers_run(docker, base)
        redis_image = cs.standin_image(docker, "redis", base)
        flower_image = cs.standin_image(docker, "flower", base)
        timings["stand-in images"] = time.monotonic() - started - timings["docker ready"]

        project = cs.compose_project_copy(work / "project")
        local = Path(shutil.copytree(project, work / "local", symlinks=True))
        password = secrets.token_hex(16)
        flower_auth = ("tester", secrets.token_hex(8))
        flower_port = free_port()
        compose = cs.Compose(docker, project, {})
        image = f"guide-workflow-test:{compose.name}"
        compose.env.update(BASE_IMAGE=base, WORKFLOW_IMAGE=image, REDIS_IMAGE=redis_image,
                           FLOWER_IMAGE=flower_image, REDIS_PASSWORD=password,
                           FLOWER_BASIC_AUTH=":".join(flower_auth), FLOWER_PORT=str(flower_port))
        compose.override = work / "fault-hooks.yml"
        compose.override.write_text(FAULT_HOOKS)

        mark = time.monotonic()
        compose("build", "worker", timeout=900)
        cs.keep_dependency_layer(docker, image)
        timings["product image"] = time.monotonic() - mark
        mark = time.monotonic()
        compose("up", "-d", "redis", "worker", "flower", timeout=300)
        deployment = Deployment(docker, compose, project, local, work, password, flower_auth, flower_port, timings)
        deployment.workers_ready()
        timings["up"] = time.monotonic() - mark
        cs.log("set-up: " + ", ".join(f"{k} {v:.0f}s" for k, v in timings.items()))
        yield deployment
    finally:
        if compose:
            compose.down()
            left = compose.leftovers()
        if image:
            docker("rmi", image, timeout=120, check=False)
        docker.stop()
        cs.log(f"compose module: {time.monotonic() - started:.0f}s in all")
    assert not left, f"left behind: {left}"


class ReaderWatch:
    """A reader's view of dist/ during a fault: every `current` is a complete release whose files
    match its manifest (old or new, never a mix), checked every 20 ms."""

    def __init__(self, project: Path):
        self.project, self.bad, self.checks = project, [], 0
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        while not self.stop_event.is_set():
            try:
                verify_published(self.project)
                self.checks += 1
            except FileNotFoundError:
                pass                      # an old release pruned while it was being read
            except Exception as exc:  # noqa: BLE001 - any other failure is a half-published language
                self.bad.append(repr(exc))
            time.sleep(0.02)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop_event.set()
        self.thread.join(10)


def editions_cached(project: Path) -> int:
    return len(cache_store(project, "editions").keys())


def finish(proc, timeout: float, log_path: Path) -> int:
    try:
        return proc.wait(timeout)
    except Exception:
        proc.kill()
        raise AssertionError(f"the app did not finish in {timeout:.0f}s:\n{log_path.read_text()[-3000:]}")


def assert_each_language_published_once(d: Deployment, statuses=("published",)) -> list[str]:
    reports = report(d.project)
    langs = published_languages(d.local)         # what the in-process publish published
    assert langs and sorted(reports) == sorted(langs), (sorted(reports), langs)
    for lang in langs:
        assert reports[lang]["status"] in statuses, (lang, reports[lang])
        assert len(history(d.project, lang)) == 1, (lang, history(d.project, lang))
    verify_published(d.project)
    return langs


def test_publish_through_compose_is_byte_identical_to_in_process(deployment):
    d = deployment
    log_path = d.work / "publish.log"
    started = time.monotonic()
    code = finish(d.publish(log_path), 300, log_path)
    took = time.monotonic() - started
    out = log_path.read_text()
    assert code == 0, out[-3000:]
    assert d.password not in out, "the Redis password was printed"
    build_id = re.search(r"build ([0-9a-f-]{36})", out).group(1)

    local = run_workflow(d.local, "publish", timeout=300)        # in-process, no broker, same copy
    assert local.returncode == 0, local.stdout + local.stderr
    langs = published_languages(d.local)
    assert langs and langs == published_languages(d.project)
    for lang in langs:
        expected, got = current_files(d.local, lang), current_files(d.project, lang)
        assert sorted(expected) == sorted(got), lang
        for name in expected:
            assert expected[name] == got[name], f"{lang}/{name} differs between compose and in-process"
    assert {l: (r["status"], r["release"]) for l, r in report(d.local).items()} == \
        {l: (r["status"], r["release"]) for l, r in report(d.project).items()}

    shown = d.compose("run", "--rm", "-T", "app", "workflow", "--project", "/project", "status", build_id,
                      "--format", "json", timeout=120)
    status = json.loads(shown.stdout)
    assert status["state"] == "done", status
    assert all(v["editions_done"] == v["editions_total"] for v in status["languages"].values()), status
    print(f"\ncompose publish of {len(langs)} languages: {took:.1f}s (docker-compose run --rm app); "
          f"set-up: " + ", ".join(f"{k} {v:.0f}s" for k, v in d.timings.items()))


def test_redis_refuses_clients_without_the_password(deployment):
    d = deployment
    redis_container = d.compose.containers("redis")[0]
    ports = d.compose.inspect(redis_container)["NetworkSettings"]["Ports"] or {}
    assert not any(bindings for bindings in ports.values()), f"Redis publishes a host port: {ports}"

    probe = (
        "import json, os, urllib.parse, redis\n"
        "right = urllib.parse.urlsplit(os.environ['WORKFLOW_BROKER']).password\n"
        "out = {}\n"
        "for name, password in (('none', None), ('wrong', 'not-' + right), ('right', right)):\n"
        "    try:\n"
        "        out[name] = str(redis.Redis(host='redis', password=password, socket_timeout=5).ping())\n"
        "    except redis.RedisError as exc:\n"
        "        out[name] = f'{type(exc).__name__}: {exc}'\n"
        "print(json.dumps(out))\n")
    worker = d.compose.containers("worker")[0]           # a client on the compose network
    answers = json.loads(d.docker("exec", worker, "python", "-c", probe, timeout=60).stdout)
    assert answers["none"].startswith("AuthenticationError"), answers      # "Authentication required" / HELLO...
    assert answers["wrong"].startswith("AuthenticationError"), answers
    assert answers["right"] == "True", answers


def _get(port: int, path: str, auth: tuple[str, str] | None):
    """(status, body, headers) of GET http://127.0.0.1:port/path, with basic auth when given."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    if auth:
        request.add_header("Authorization", "Basic " + b64encode(":".join(auth).encode()).decode())
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers


def test_flower_answers_only_with_credentials_and_only_on_loopback(deployment):
    d = deployment
    flower = d.compose.containers("flower")[0]
    bindings = d.compose.inspect(flower)["NetworkSettings"]["Ports"]["5555/tcp"]
    assert bindings and all(b["HostIp"] == "127.0.0.1" for b in bindings), bindings
    assert set(cs.listeners(d.flower_port)) == {"127.0.0.1"}, cs.listeners(d.flower_port)

    def answers():
        try:
            return _get(d.flower_port, "/", None)
        except (urllib.error.URLError, ConnectionError, OSError):
            return None
    code, _, headers = wait_for(answers, 60, 0.5, "Flower to answer")
    assert code == 401 and "basic" in headers.get("WWW-Authenticate", "").lower(), (code, dict(headers))
    assert _get(d.flower_port, "/api/workers", None)[0] == 401
    assert _get(d.flower_port, "/", (d.flower_auth[0], "wrong"))[0] == 401
    assert _get(d.flower_port, "/", d.flower_auth)[0] == 200

    # with its credentials Flower shows both workers: it reached Redis with the password too
    hostnames = {d.compose.inspect(n)["Config"]["Hostname"] for n in d.compose.containers("worker")}

    def workers_seen():
        code, body, _ = _get(d.flower_port, "/api/workers?refresh=1", d.flower_auth)
        seen = {name.split("@", 1)[-1] for name in json.loads(body)} if code == 200 else set()
        return hostnames <= seen
    wait_for(workers_seen, 60, 1.0, f"Flower to list the workers {sorted(hostnames)}")


def test_docker_kill_mid_build_publishes_each_language_once(deployment):
    """`docker kill` of worker 1 and a crash (SIGKILL of its main process) of worker 2, together,
    mid-build. Docker counts `docker kill` as a manual stop: the restart policy does not restart
    that container; it restarts the crashed one, and the build finishes on it alone."""
    d = deployment
    d.reset()
    d.compose("up", "-d", "redis", "worker", "flower", override=True, timeout=300)
    first, second = d.workers_ready()
    log_path = d.work / "kill.log"
    with ReaderWatch(d.project) as watch:
        client = d.publish(log_path, override=True, WORKFLOW_BUILD_TIMEOUT="150")
        try:
            wait_for(lambda: editions_cached(d.project) >= 3, 90, 0.05, "three editions built")
            done_at_kill = editions_cached(d.project)
            d.docker("kill", first, timeout=60)
            os.kill(d.compose.inspect(second)["State"]["Pid"], signal.SIGKILL)
            killed = time.monotonic()
            code = finish(client, 180, log_path)
            recovered = time.monotonic() - killed
        finally:
            if client.poll() is None:
                client.kill()
    first_state, second_state = d.compose.inspect(first)["State"], d.compose.inspect(second)
    print(f"\nmid-build ({done_at_kill} of 18 editions built): `docker kill {first}` and SIGKILL of "
          f"{second}'s main process; build finished {recovered:.1f}s later; {second} restarted by its "
          f"policy {second_state['RestartCount']}x; {first} after docker kill: {first_state['Status']}")
    assert code == 0, log_path.read_text()[-3000:]
    assert second_state["RestartCount"] >= 1 and second_state["State"]["Running"], second_state["State"]
    assert_each_language_published_once(d)
    assert not watch.bad, watch.bad[:3]
    assert watch.checks > 10
    d.compose("up", "-d", "worker", override=True, timeout=300)       # the operator starts the killed one
    d.workers_ready()


def test_docker_restart_redis_mid_build_never_half_publishes(deployment):
    d = deployment
    d.reset()
    d.compose("up", "-d", "redis", "worker", "flower", override=True, timeout=300)
    workers = d.workers_ready()
    restarts_before = {n: d.compose.inspect(n)["RestartCount"] for n in workers}
    redis_container = d.compose.containers("redis")[0]
    log_path = d.work / "redis-restart.log"
    with ReaderWatch(d.project) as watch:
        client = d.publish(log_path, override=True, WORKFLOW_BUILD_TIMEOUT="120")
        try:
            wait_for(lambda: editions_cached(d.project) >= 4, 90, 0.05, "four editions built")
            restarted = time.monotonic()
            d.docker("restart", "-t", "10", redis_container, timeout=120)
            back = time.monotonic() - restarted
            first = finish(client, 240, log_path)
            took = time.monotonic() - restarted
        finally:
            if client.poll() is None:
                client.kill()
        assert first in (0, 1), log_path.read_text()[-3000:]
        again_log = d.work / "redis-restart-again.log"
        again = finish(d.publish(again_log, override=True, WORKFLOW_BUILD_TIMEOUT="120"), 240, again_log)
    restarts = {n: d.compose.inspect(n)["RestartCount"] - restarts_before[n] for n in workers}
    print(f"\n`docker restart {redis_container}` mid-build (AOF on): Redis back after {back:.1f}s, first run "
          f"exit {first} {took:.1f}s after the restart began, re-run exit {again}; worker restarts by the "
          f"policy: {restarts}; reader checks during the fault: {watch.checks}")
    assert again == 0, again_log.read_text()[-3000:]
    assert_each_language_published_once(d, statuses=("published", "unchanged"))
    assert not watch.bad, watch.bad[:3]
    assert watch.checks > 10
