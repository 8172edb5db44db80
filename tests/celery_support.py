"""Helpers for tests/test_celery.py: a real redis-server and real Celery worker processes.

Every process is started in its own session (process group) so a test can SIGKILL a whole
worker (main process and pool children) the way a lost machine or container dies, and the
fixtures always stop what they started.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, copy_project  # noqa: F401  (re-exported for the Celery tests)
EPOCH = "1700000000"
# test-tuned recovery: unacked messages come back 4 s after their worker vanished, swept every second.
# (A task running longer than that on a loaded machine is delivered twice: harmless, idempotent.)
FAST_RECOVERY = {"WORKFLOW_VISIBILITY_TIMEOUT": "4", "WORKFLOW_RESTORE_INTERVAL": "1"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


def _stop_group(proc: subprocess.Popen, grace: float = 10.0) -> None:
    if proc.poll() is not None:
        _kill_group(proc.pid, signal.SIGKILL)   # orphaned pool children, if any
        return
    _kill_group(proc.pid, signal.SIGTERM)
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        _kill_group(proc.pid, signal.SIGKILL)
        proc.wait(5)
    _kill_group(proc.pid, signal.SIGKILL)


def _kill_group(pgid: int, sig) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


class RedisServer:
    """redis-server on a free 127.0.0.1 port with its data in `folder`; restartable on the same port."""

    def __init__(self, folder: Path, appendonly: bool = False, extra_args: list[str] | None = None,
                 argv: list[str] | None = None, password: str | None = None):
        self.folder = folder
        self.password = password
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        if argv is None:
            argv = ["redis-server", "--save", ""]
            argv += ["--appendonly", "yes", "--appendfsync", "always"] if appendonly else ["--appendonly", "no"]
        self.argv = list(argv) + ["--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(folder)] \
            + (extra_args or [])
        self.proc: subprocess.Popen | None = None
        self.log = folder / "redis.log"

    @property
    def url(self) -> str:
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(self.argv, stdout=log, stderr=subprocess.STDOUT, cwd=self.folder,
                                         start_new_session=True)
        wait_for(self.ping, 10, 0.05, f"redis-server on port {self.port} (see {self.log})")
        return self

    def ping(self) -> bool:
        import redis
        try:
            return bool(redis.Redis(port=self.port, password=self.password, socket_timeout=1,
                                    socket_connect_timeout=1).ping())
        except redis.RedisError:
            return False

    def client(self):
        import redis
        return redis.Redis(port=self.port, password=self.password, decode_responses=True, socket_timeout=5)

    def kill(self) -> None:
        if self.proc:
            _kill_group(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)

    def stop(self) -> None:
        if self.proc:
            _stop_group(self.proc)


class Worker:
    """`celery -A worker worker` as a subprocess of this test, run from the repository root."""

    count = 0

    def __init__(self, folder: Path, broker: str, project: Path, concurrency: int = 2, env: dict | None = None,
                 argv: list[str] | None = None):
        Worker.count += 1
        self.name = f"w{Worker.count}-{os.getpid()}@localhost"
        self.log = folder / f"worker-{Worker.count}.log"
        self.argv = argv or [sys.executable, "-m", "celery", "-A", "worker", "worker", "-l", "info",
                             "--concurrency", str(concurrency), "--without-gossip", "--without-mingle"]
        self.argv = self.argv + ["-n", self.name]
        self.env = {**os.environ, "WORKFLOW_BROKER": broker, "WORKFLOW_PROJECT": str(project),
                    "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": EPOCH, **(env or {})}
        self.proc: subprocess.Popen | None = None

    def start(self, wait: bool = True) -> "Worker":
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(self.argv, stdout=log, stderr=subprocess.STDOUT, cwd=REPO, env=self.env,
                                         start_new_session=True)
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, timeout: float = 30) -> None:
        def ready():
            if self.proc.poll() is not None:
                raise AssertionError(f"worker exited with {self.proc.returncode}:\n{self.text()[-3000:]}")
            return " ready." in self.text()
        wait_for(ready, timeout, 0.1, f"worker {self.name} (see {self.log})")

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        try:
            return [int(p) for p in path.read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            return []

    def kill(self) -> None:
        """SIGKILL the main process and its pool children at once (a lost machine)."""
        _kill_group(self.proc.pid, signal.SIGKILL)
        self.proc.wait(5)

    def stop(self) -> None:
        if self.proc:
            _stop_group(self.proc)



@pytest.fixture
def processes():
    """Everything a test starts is stopped here, whatever happened."""
    started = []
    yield started
    for proc in reversed(started):
        proc.stop()


def start_redis(tmp_path, processes, **kwargs) -> RedisServer:
    server = RedisServer(tmp_path / f"redis-{len(processes)}", **kwargs)
    processes.append(server)
    return server.start()


def start_worker(tmp_path, processes, redis, project, **kwargs) -> Worker:
    worker = Worker(tmp_path, redis.url, project, **kwargs)
    processes.append(worker)
    return worker.start()

def workflow_cmd(project: Path, *args: str, broker: str | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "workflow", "--project", str(project), *args]
    return cmd + (["--broker", broker] if broker else [])


def client_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "WORKFLOW_BROKER"}
    return {**env, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(REPO), **extra}


def run_workflow(project: Path, *args: str, broker: str | None = None, timeout: float = 60, **env):
    return subprocess.run(workflow_cmd(project, *args, broker=broker), capture_output=True, text=True,
                          timeout=timeout, env=client_env(**env), cwd=project)


def start_workflow(project: Path, *args: str, broker: str | None = None, log: Path, **env) -> subprocess.Popen:
    handle = open(log, "wb")
    try:
        return subprocess.Popen(workflow_cmd(project, *args, broker=broker), stdout=handle,
                                stderr=subprocess.STDOUT, env=client_env(**env), cwd=project, start_new_session=True)
    finally:
        handle.close()


def build_ids(redis_client) -> list[str]:
    return [k.split(":", 2)[2] for k in redis_client.keys("workflow:build:*")]


def record(redis_client, build_id: str) -> dict:
    from workflow.distributed.record import parse_record
    return parse_record(redis_client.hgetall(f"workflow:build:{build_id}"))


def editions_done(redis_client) -> int:
    """Editions finished in the (only) build running on this Redis; 0 before it started."""
    try:
        ids = build_ids(redis_client)
        return sum(v["editions_done"] for v in record(redis_client, ids[0])["languages"].values()) if ids else 0
    except Exception:  # noqa: BLE001 - redis restarting
        return 0


def current_files(project: Path, lang: str) -> dict[str, bytes]:
    folder = project / "dist" / lang / "current"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def published_languages(project: Path) -> list[str]:
    dist = project / "dist"
    return sorted(p.name for p in dist.iterdir() if p.is_dir() and (p / "current").is_symlink())


def verify_published(project: Path) -> None:
    """Every dist/<lang>/current points at a complete release whose manifest hashes verify."""
    from workflow.publishing.store import verify_release
    dist = project / "dist"
    if not dist.is_dir():
        return
    for lang_dir in dist.iterdir():
        link = lang_dir / "current"
        if link.is_symlink():
            verify_release(link.resolve())


def history(project: Path, lang: str) -> list[str]:
    path = project / "dist" / lang / "history.json"
    return json.loads(path.read_text()) if path.exists() else []


def report(project: Path) -> dict[str, dict]:
    data = json.loads((project / "dist" / "report.json").read_text())
    return {r["lang"]: r for r in data["languages"]}
