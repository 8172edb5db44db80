"""The broker is not open: the compose file's Redis, started as compose starts it, refuses a client
without the password; workers and clients given the password in their URL never print it."""
from __future__ import annotations

import re
import shlex
import shutil
import subprocess

import pytest
import yaml

try:
    from celery_support import REPO, free_port, wait_for
except ImportError:  # tests/ imported as a package
    from .celery_support import REPO, free_port, wait_for

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs a real redis-server")

PASSWORD = "test-only-pw-7f3a9c"


def interpolate(value: str, env: dict) -> str:
    """Compose's variable substitution: ${VAR}, ${VAR:-default}, ${VAR-default}, $VAR, $$."""
    def one(m):
        name, sep, default = m.group(1) or m.group(4), m.group(2), m.group(3)
        if name in env and (env[name] or sep != ":-"):
            return env[name]
        return default if sep else ""
    value = re.sub(r"\$\{(\w+)(?:(:?-)([^}]*))?\}|\$(\w+)", one, value.replace("$$", "\0"))
    return value.replace("\0", "$")


def compose_redis_argv(env: dict) -> list[str]:
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    command = compose["services"]["redis"]["command"]
    argv = list(command) if isinstance(command, list) else shlex.split(command)
    return [interpolate(str(a), env) for a in argv]


@pytest.fixture
def compose_redis(tmp_path):
    argv = compose_redis_argv({"REDIS_PASSWORD": PASSWORD})
    assert argv[0] == "redis-server"
    assert "--requirepass" in argv or "--aclfile" in argv, f"the compose file's Redis has no password: {argv}"
    port = free_port()
    log = open(tmp_path / "redis.log", "wb")
    proc = subprocess.Popen(argv + ["--port", str(port), "--bind", "127.0.0.1", "--dir", str(tmp_path)],
                            stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path)
    import redis
    authed = redis.Redis(port=port, password=PASSWORD, socket_timeout=2)

    def up():
        try:
            return authed.ping()
        except redis.exceptions.ConnectionError:
            return False
    try:
        wait_for(up, 10, 0.05, "the compose Redis")
        yield port
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


def test_compose_redis_refuses_an_unauthenticated_client(compose_redis):
    import redis
    anonymous = redis.Redis(port=compose_redis, socket_timeout=2)
    with pytest.raises(redis.exceptions.AuthenticationError):
        anonymous.ping()
    with pytest.raises(redis.exceptions.AuthenticationError):
        anonymous.lpush("workflow", "{}")          # a forged task message never reaches the queue
    wrong = redis.Redis(port=compose_redis, password="not-the-password", socket_timeout=2)
    with pytest.raises(redis.exceptions.AuthenticationError):
        wrong.ping()
    assert redis.Redis(port=compose_redis, password=PASSWORD).llen("workflow") == 0


def test_worker_and_client_with_the_password_never_print_it(compose_redis, tmp_path):
    """A worker and a client on the password-protected Redis: they work, and neither the worker's
    log nor the client's output or status shows the password."""
    from conftest import copy_project
    from celery_support import Worker, run_workflow
    project = copy_project(tmp_path / "project", languages=["ja"])
    url = f"redis://:{PASSWORD}@127.0.0.1:{compose_redis}/0"
    worker = Worker(tmp_path, url, project, concurrency=1)
    worker.start()
    try:
        done = run_workflow(project, "publish", broker=url, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        build_id = re.search(r"build ([0-9a-f-]{36})", done.stderr).group(1)
        status = run_workflow(project, "status", build_id, WORKFLOW_BROKER=url)
        assert status.returncode == 0, status.stderr
        assert "***" in done.stderr
        for text in (done.stdout, done.stderr, status.stdout, status.stderr, worker.text(),
                     (project / "dist" / "report.json").read_text()):
            assert PASSWORD not in text
    finally:
        worker.stop()
