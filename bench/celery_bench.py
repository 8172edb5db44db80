#!/usr/bin/env python3
"""Throughput of distributed builds on Celery + Redis, and the per-task overhead. Not a test.

    .venv/bin/python bench/celery_bench.py                       # 30 guides x 3 languages (bench/corpus.py)
    .venv/bin/python bench/celery_bench.py --guides 300 --langs ja,zh_CN,ar,es,fr,de,ko,pt_BR,ru,it
    .venv/bin/python bench/celery_bench.py --project /path/to/project

Starts its own redis-server on a free loopback port, then for each setup clears the edition cache and
times `workflow build --broker ...` (every edition built, verified and reported; nothing published):
  in-process      no broker, one process (--jobs 1; the baseline)
  1 process       one worker, --concurrency 1
  2 processes     one worker, --concurrency 2
and the per-task overhead: sequential round trips of an empty task (send, run, result back) and the
throughput of a group of empty tasks.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.1)


def stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def start_worker(project: Path, broker: str, concurrency: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "WORKFLOW_BROKER": broker, "WORKFLOW_PROJECT": str(project), "PYTHONPATH": str(REPO)}
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "celery", "-A", "worker", "worker", "-l", "info",
                                 "--concurrency", str(concurrency), "--without-gossip", "--without-mingle",
                                 "-n", f"bench{concurrency}@localhost"],
                                cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    wait_for(lambda: " ready." in log.read_text(errors="replace") or proc.poll() is not None, 60, "the worker")
    if proc.poll() is not None:
        raise SystemExit(f"worker exited:\n{log.read_text()[-2000:]}")
    return proc


def timed_build(project: Path, langs: list[str], broker: str | None) -> float:
    shutil.rmtree(project / ".cache" / "editions", ignore_errors=True)
    cmd = [sys.executable, "-m", "workflow", "--project", str(project), "--quiet", "build", "--format", "json"]
    # in-process: one process (--jobs 1), the same CPU as one worker process
    cmd += [a for l in langs for a in ("--lang", l)] + (["--broker", broker] if broker else ["--jobs", "1"])
    env = {k: v for k, v in os.environ.items() if k != "WORKFLOW_BROKER"}
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env={**env, "PYTHONPATH": str(REPO)})
    took = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"build failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return took


def overhead(broker: str, rounds: int) -> tuple[float, float]:
    from celery import group

    from workflow.distributed.app import make_app
    app = make_app(broker)
    noop = app.signature("workflow.tasks.noop")
    noop.clone(args=(0,)).apply_async().get(timeout=30)          # warm up connections
    times = []
    for i in range(rounds):
        started = time.perf_counter()
        noop.clone(args=(i,)).apply_async().get(timeout=30)
        times.append(time.perf_counter() - started)
    started = time.perf_counter()
    group(noop.clone(args=(i,)) for i in range(rounds)).apply_async().get(timeout=120)
    batch = rounds / (time.perf_counter() - started)
    app.close()
    return statistics.median(times) * 1000, batch


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--project", type=Path, help="an existing project (default: generate one with bench/corpus.py)")
    ap.add_argument("--guides", type=int, default=30, help="guides in the generated corpus")
    ap.add_argument("--langs", default="ja,zh_CN,es", help="languages to build (comma-separated)")
    ap.add_argument("--rounds", type=int, default=200, help="empty tasks for the overhead measure")
    ap.add_argument("--keep", action="store_true", help="keep the generated corpus and logs")
    args = ap.parse_args(argv)
    if shutil.which("redis-server") is None:
        raise SystemExit("redis-server is not on PATH")
    langs = [l for l in args.langs.split(",") if l]
    work = Path(tempfile.mkdtemp(prefix="celery-bench-"))
    procs = []
    try:
        project = args.project.resolve() if args.project else work / "corpus"
        if not args.project:
            print(f"generating {args.guides} guides x {len(langs)} languages in {project} ...", flush=True)
            subprocess.run([sys.executable, str(HERE / "corpus.py"), str(project), "--guides", str(args.guides),
                            "--langs", ",".join(langs)], check=True, stdout=subprocess.DEVNULL)
        from workflow.project import Project
        guides = len(Project(project).guides)
        editions = guides * len(langs)
        port = free_port()
        redis = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                  "--appendonly", "no", "--dir", str(work)], stdout=subprocess.DEVNULL,
                                 start_new_session=True)
        procs.append(redis)
        broker = f"redis://127.0.0.1:{port}/0"
        time.sleep(0.5)

        rows = [("in-process", timed_build(project, langs, None))]
        for concurrency in (1, 2):
            worker = start_worker(project, broker, concurrency, work / f"worker-{concurrency}.log")
            procs.append(worker)
            rows.append((f"{concurrency} worker process{'es' if concurrency > 1 else ''}",
                         timed_build(project, langs, broker)))
            if concurrency == 1:
                rtt, batch = overhead(broker, args.rounds)
            stop(worker)
            procs.remove(worker)

        print(f"\n{editions} editions ({guides} guides x {len(langs)} languages: {', '.join(langs)}), "
              f"cold cache, `workflow build`, {os.cpu_count()} CPUs")
        print(f"{'setup':<22}{'seconds':>10}{'editions/s':>12}")
        for name, took in rows:
            print(f"{name:<22}{took:>10.1f}{editions / took:>12.2f}")
        print(f"\nper-task overhead (1 process): empty task round trip {rtt:.1f} ms (median of {args.rounds}), "
              f"{batch:.0f} empty tasks/s in a group")
    finally:
        for proc in procs:
            stop(proc)
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
