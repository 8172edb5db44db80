#!/usr/bin/env python3
"""Throughput of distributed builds on Celery + Redis, what predicts their scaling, and a projection.
Not a test.

    .venv/bin/python bench/celery_bench.py                       # 30 guides x 3 languages (bench/corpus.py)
    .venv/bin/python bench/celery_bench.py --guides 300 --langs ja,zh_CN,ar,es,fr,de,ko,pt_BR,ru,it
    .venv/bin/python bench/celery_bench.py --project bench/out/corpus-300 --langs de,fr,...

Starts its own redis-server on a free loopback port, then for each setup clears the edition cache and
times `workflow build --broker ...` (every edition built, verified and reported; nothing published):
  in-process      no broker, one process (--jobs 1; the baseline)
  1 process       one worker, --concurrency 1
  2 processes     one worker, --concurrency 2
For each Celery build it also counts, on its own Redis: commands (INFO commandstats) and bytes in and
out (INFO stats) per edition, and the client's CPU time. Then: the fixed cost of a build (one cached
edition, through the broker), sequential round trips of an empty task, redis-benchmark's ops/s, and a
projection of N processes: where Redis or the client would become the limit.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
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


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


LAST_BUILD: dict = {}   # wall clock (time.time) of the last timed build's start and end, for timeline()


def timed_build(project: Path, langs: list[str], broker: str | None, cold: bool = True,
                guides: list[str] = ()) -> tuple[float, float]:
    """(wall seconds, the client's CPU seconds) of one `workflow build`."""
    if cold:
        shutil.rmtree(project / ".cache" / "editions", ignore_errors=True)
    cmd = [sys.executable, "-m", "workflow", "--project", str(project), "--quiet", "build", "--format", "json"]
    # in-process: one process (--jobs 1), the same CPU as one worker process
    cmd += [a for l in langs for a in ("--lang", l)] + [a for g in guides for a in ("--guide", g)]
    cmd += ["--broker", broker] if broker else ["--jobs", "1"]
    env = {k: v for k, v in os.environ.items() if k != "WORKFLOW_BROKER"}
    cpu, started, wall = _children_cpu(), time.perf_counter(), time.time()
    done = subprocess.run(cmd, capture_output=True, text=True, env={**env, "PYTHONPATH": str(REPO)})
    took = time.perf_counter() - started
    LAST_BUILD.update(start=wall, end=wall + took)
    if done.returncode not in (0, 1):
        raise SystemExit(f"build failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return took, _children_cpu() - cpu


def redis_counts(client) -> dict:
    """Commands served and bytes in/out since the last CONFIG RESETSTAT; CPU seconds since start."""
    stats, commands, cpu = client.info("stats"), client.info("commandstats"), client.info("cpu")
    return {"commands": sum(v["calls"] for v in commands.values()),
            "in": stats["total_net_input_bytes"], "out": stats["total_net_output_bytes"],
            "redis_cpu": cpu["used_cpu_user"] + cpu["used_cpu_sys"],
            "top": sorted(((v["calls"], k.removeprefix("cmdstat_")) for k, v in commands.items()), reverse=True)[:6]}


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a live process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def worker_cpu(pid: int) -> tuple[float, float]:
    """(the worker's main process, its pool processes): CPU seconds so far."""
    children = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _parent(p) == pid]
    return process_cpu(pid), sum(process_cpu(c) for c in children)


def _parent(proc: Path) -> int | None:
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def task_times(log: Path) -> dict[str, list[float]]:
    """Seconds each task took, by task name, from the worker's "succeeded in X s" lines."""
    times: dict[str, list[float]] = {}
    for name, took in re.findall(r"Task workflow\.tasks\.(\w+)\[[^]]+\] succeeded in ([0-9.]+)s", log.read_text()):
        times.setdefault(name, []).append(float(took))
    return times


_LINE = re.compile(r"^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}): \w+/([\w-]+)\] Task workflow\.tasks\.(\w+)"
                   r"\[[^]]+\] succeeded in ([0-9.]+)s", re.M)


def timeline(log: Path, start: float, end: float) -> dict:
    """What predicts the ratio of N processes to one, whatever the machine's load: from the worker's
    "succeeded in" lines (end time stamp, duration), each pool process's busy seconds, its idle before its
    first task (the client's start, imports, ping, record, first keys) and after its last build task while
    another still builds (the tail), and the client's end after the last task (callbacks, reports)."""
    import datetime
    procs: dict[str, list[tuple[float, float, str]]] = {}
    for stamp, proc, name, took in _LINE.findall(log.read_text(errors="replace")):
        done = datetime.datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S,%f").timestamp()
        procs.setdefault(proc, []).append((done - float(took), done, name))
    if not procs:
        return {}
    builds = [t for spans in procs.values() for t in spans if t[2] == "build_guides" and t[1] >= start - 1]
    last_build = max(t[1] for t in builds)
    rows = {}
    for proc, spans in sorted(procs.items()):
        spans = [t for t in spans if t[1] >= start - 1]
        mine = [t for t in spans if t[2] == "build_guides"]
        if not mine:
            continue
        rows[proc] = {"tasks": len(mine), "busy": sum(b - a for a, b, _ in mine),
                      "start_idle": min(a for a, _, _ in mine) - start,
                      "gaps": sum(max(0.0, b[0] - a[1]) for a, b in zip(sorted(mine), sorted(mine)[1:])),
                      "end_idle": last_build - max(b for _, b, _ in mine),
                      "last_task": max(mine, key=lambda t: t[1])[1] - max(mine, key=lambda t: t[1])[0],
                      # the first task's excess over a usual one: what the process had to load (the warm-up)
                      "first_task": min(mine)[1] - min(mine)[0],
                      "median_task": statistics.median(b - a for a, b, _ in mine)}
    first = min(t[0] for t in builds)
    return {"procs": rows, "client_start": first - start, "client_end": end - last_build, "wall": end - start,
            "build_phase": last_build - first}


def print_timeline(name: str, tl: dict) -> None:
    if not tl:
        return
    print(f"  timeline ({name}): wall {tl['wall']:.2f} s = client start {tl['client_start']:.2f} + build tasks "
          f"{tl['build_phase']:.2f} + client end {tl['client_end']:.2f}")
    for proc, r in tl["procs"].items():
        print(f"    {proc}: {r['tasks']} tasks, busy {r['busy']:.2f} s, idle: start {r['start_idle']:.2f} "
              f"(after the client's start), between tasks {r['gaps']:.2f}, end {r['end_idle']:.2f} (its last "
              f"task took {r['last_task']:.2f}; its first {r['first_task']:.2f}, median {r['median_task']:.2f})")


def overhead(broker: str, rounds: int) -> float:
    """Median round trip of an empty task (send, run, result back), ms."""
    from workflow.distributed.app import make_app
    app = make_app(broker)
    noop = app.signature("workflow.tasks.noop")
    noop.clone(args=(0,)).apply_async().get(timeout=30)          # warm up connections
    times = []
    for i in range(rounds):
        started = time.perf_counter()
        noop.clone(args=(i,)).apply_async().get(timeout=30)
        times.append(time.perf_counter() - started)
    app.close()
    return statistics.median(times) * 1000


def redis_ops(port: int) -> float:
    """redis-benchmark's requests/s for the commands a build mostly sends (HSET, LPUSH, RPOP), one
    client connection per 50, no pipelining: the capacity of this Redis on this machine."""
    out = subprocess.run(["redis-benchmark", "-p", str(port), "-q", "-n", "50000", "-t", "hset,lpush,rpop"],
                         capture_output=True, text=True, check=True).stdout
    rates = [float(line.split(":")[1].split()[0]) for line in out.replace("\r", "\n").splitlines()
             if "requests per second" in line]
    return statistics.median(rates)


def celery_builds(project, langs, broker, client, work, editions) -> tuple[list, dict, float, float]:
    rows, counts, rtt, fixed = [], {}, 0.0, (0.0, 0.0)
    for concurrency in (1, 2):
        log = work / f"worker-{concurrency}.log"
        worker = start_worker(project, broker, concurrency, log)
        try:
            client.config_resetstat()
            main, pool = worker_cpu(worker.pid)
            redis_cpu = redis_counts(client)["redis_cpu"]
            took, cpu = timed_build(project, langs, broker)
            main_after, pool_after = worker_cpu(worker.pid)
            counts[concurrency] = {**redis_counts(client), "client_cpu": cpu, "main_cpu": main_after - main,
                                   "pool_cpu": pool_after - pool, "tasks": task_times(log),
                                   "timeline": timeline(log, LAST_BUILD["start"], LAST_BUILD["end"])}
            counts[concurrency]["redis_cpu"] -= redis_cpu
            rows.append((f"{concurrency} worker process{'es' if concurrency > 1 else ''}", took, cpu))
            if concurrency == 1:
                rtt = overhead(broker, 100)
                fixed = min(timed_build(project, langs[:1], broker, cold=False, guides=[first_guide(project)])
                            for _ in range(3))
        finally:
            stop(worker)
    for c in counts.values():     # the client's start (imports, ping, record) is a fixed cost, not per edition
        c["client_cpu"] = max(0.0, c["client_cpu"] - fixed[1])
    return rows, counts, rtt, fixed


def first_guide(project: Path) -> str:
    from workflow.project import Project
    return Project(project).guides[0]


def report(rows, counts, rtt, fixed, ops, editions, guides, langs) -> None:
    print(f"\n{editions} editions ({guides} guides x {len(langs)} languages: {', '.join(langs)}), "
          f"cold cache, `workflow build`, {os.cpu_count()} CPUs, wall time")
    print(f"{'setup':<22}{'seconds':>10}{'editions/s':>12}{'client CPU s':>14}")
    for name, took, cpu in rows:
        print(f"{name:<22}{took:>10.1f}{editions / took:>12.2f}{cpu:>14.2f}")
    print(f"2 processes / 1 process: {rows[1][1] / rows[2][1]:.2f}x (wall)")
    for n, c in counts.items():
        per = {k: c[k] / editions * 1000 for k in ("client_cpu", "redis_cpu", "main_cpu", "pool_cpu")}
        tasks = {name: f"{len(t)} x {statistics.median(t):.2f} s (max {max(t):.2f})" for name, t in c["tasks"].items()}
        print(f"\n{n} process{'es' if n > 1 else ''}: CPU ms per edition: pool {per['pool_cpu']:.1f}, worker main "
              f"{per['main_cpu']:.2f}, Redis {per['redis_cpu']:.3f}, client {per['client_cpu']:.2f}; tasks: {tasks}")
        print_timeline(f"{n} process{'es' if n > 1 else ''}", c.get("timeline"))
        print(f"  Redis: {c['commands']} commands = {c['commands'] / editions:.2f} per edition; {c['in'] / editions:.0f} B in "
              f"+ {c['out'] / editions:.0f} B out per edition; top: " + ", ".join(f"{k} {v}" for v, k in c["top"]))
    print(f"\nfixed cost of a build through the broker (1 cached edition, best of 3): {fixed[0]:.2f} s wall, "
          f"client {fixed[1]:.2f} s CPU (subtracted from the client's CPU above); "
          f"empty task round trip {rtt:.1f} ms (median of 100); redis-benchmark (HSET/LPUSH/RPOP, 50 "
          f"clients): {ops:,.0f} ops/s")
    project_ratio(counts)
    project_scaling(counts[2], editions, ops)


def project_ratio(counts: dict) -> None:
    """2 processes / 1 on a quiet machine, from the timelines rather than wall clocks: T1 = the client's fixed
    start and end + one process's busy seconds; T2 = the same fixed part + half of that busy time + the
    2-process build's idle (each process's idle at the start beyond the client's, between tasks and at the
    end, averaged over the two). Less load-bound than the wall ratio, not free of it: under heavy load the
    fixed part and the busy seconds inflate too (round 14, load ~10 on 2 cores: 1.89x for main and this
    branch alike); compare runs made side by side, or read the idle and first-task columns."""
    one, two = counts.get(1, {}).get("timeline"), counts.get(2, {}).get("timeline")
    if not one or not two or len(two["procs"]) < 2:
        return
    busy1 = sum(r["busy"] for r in one["procs"].values())
    fixed = one["client_start"] + one["client_end"]
    idle = sum(r["start_idle"] - two["client_start"] + r["gaps"] + r["end_idle"] for r in two["procs"].values()) / 2
    t1, t2 = fixed + busy1, fixed + busy1 / 2 + idle
    print(f"\nProjected ratio (timelines): T1 = fixed {fixed:.2f} + busy {busy1:.2f} = {t1:.2f} s; T2 = fixed + "
          f"busy / 2 + idle {idle:.2f} = {t2:.2f} s: {t1 / t2:.2f}x (the pool's CPU per edition as with one process)")


def project_scaling(c: dict, editions: int, ops: float) -> None:
    """N processes on paper: each part that one process (or one Redis) does for every edition of a build
    caps the build at 1 / (its CPU per edition); the pool's CPU per edition is what N processes share."""
    pool = c["pool_cpu"] / editions
    limits = {"Redis (its CPU)": c["redis_cpu"] / editions, "Redis (redis-benchmark ops/s)": c["commands"] / editions / ops,
              "the client (progress, dispatch)": c["client_cpu"] / editions,
              "one worker's main process (all its pool's messages)": c["main_cpu"] / editions}
    print(f"\nProjection: {pool * 1000:.1f} ms CPU per edition in the pool; N processes build up to N / that "
          f"= {1 / pool:.0f} editions/s per process. Serialized per edition:")
    for name, cost in limits.items():
        if cost > 0:
            print(f"  {name}: {cost * 1000:.3f} ms -> caps at {1 / cost:,.0f} editions/s = {pool / cost:,.0f} processes")
    callbacks = c["tasks"].get("report_language") or c["tasks"].get("publish_language") or []
    if callbacks:
        print(f"  callbacks: one per language, side by side; the slowest took {max(callbacks):.2f} s, a fixed tail "
              f"per build that equals the build phase at N = {editions * pool / max(callbacks):,.0f} processes")
def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--project", type=Path, help="an existing project (default: generate one with bench/corpus.py)")
    ap.add_argument("--guides", type=int, default=30, help="guides in the generated corpus")
    ap.add_argument("--langs", default="ja,zh_CN,es", help="languages to build (comma-separated)")
    ap.add_argument("--skip-in-process", action="store_true", help="leave out the in-process baseline")
    ap.add_argument("--keep", action="store_true", help="keep the generated corpus and logs")
    args = ap.parse_args(argv)
    if shutil.which("redis-server") is None:
        raise SystemExit("redis-server is not on PATH")
    langs = [l for l in args.langs.split(",") if l]
    work = Path(tempfile.mkdtemp(prefix="celery-bench-"))
    redis = None
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
        broker = f"redis://127.0.0.1:{port}/0"
        time.sleep(0.5)
        import redis as redis_py
        client = redis_py.Redis(port=port)
        rows = [] if args.skip_in_process else [("in-process -j 1", *timed_build(project, langs, None))]
        celery_rows, counts, rtt, fixed = celery_builds(project, langs, broker, client, work, editions)
        rows = (rows or [("in-process (skipped)", float("nan"), 0.0)]) + celery_rows
        report(rows, counts, rtt, fixed, redis_ops(port), editions, guides, langs)
    finally:
        if redis:
            stop(redis)
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
