"""Celery tasks: thin wrappers over the build and publish core.

Tasks carry paths, names and ids (JSON only, never objects) and return small JSON dicts; the work
lives in `pipeline.Builder` and `release.publish_result`. A task may run twice (redelivery after a
lost worker or a broker restart): the edition cache is keyed by content hashes and written with an
atomic rename, and publishing takes a per-language lock and is a no-op for identical content, so a
second run is harmless.

Reliability settings (see `settings()`; the README explains them for users):

task_acks_late + task_reject_on_worker_lost
    A message is acknowledged after the task finished, and requeued if the process running it died
    (SIGKILL, OOM). Without both, a killed worker silently loses the editions it had taken.
worker_prefetch_multiplier = 1
    Each pool process reserves one message at a time: a dying worker holds few messages hostage and
    a slow edition does not keep others waiting behind it on the same worker.
visibility_timeout (WORKFLOW_VISIBILITY_TIMEOUT, default 300 s)
    Redis has no real acks: an unacknowledged message is redelivered once it is older than this.
    It must exceed the longest a message stays unacknowledged legitimately: the task time limit
    (120 s) plus a retry countdown (<= 8 s); otherwise a healthy long task runs twice. It is also
    the recovery time after a whole worker dies: its messages come back after it (plus the restore
    sweep interval, WORKFLOW_RESTORE_INTERVAL, default 30 s). 300 s: five minutes to recover, twice
    the hard time limit of margin.
retries (task_retry_on_worker_lost: a dead pool child counts as a try too)
    Only transient errors (OSError, Redis/kombu connection errors) are retried, at most
    MAX_RETRIES = 3 times (4 tries) with exponential backoff 1, 2, 4 s. A WorkflowError (a broken
    catalog, a bad config) is deterministic: it is not retried; the task returns it and the
    language is refused with the error.
worker_cancel_long_running_tasks_on_connection_loss = False
    With it on, a Redis restart cancelled the running tasks and their messages were lost when
    tried here; off, they finish, and any ack lost with the connection is recovered by redelivery
    (harmless: idempotent tasks).

Test hooks (read in the worker process, documented here, never set in production):
WORKFLOW_TASK_DELAY=SECONDS    sleep before building each edition (to kill workers mid-build)
WORKFLOW_FAIL_LANG=LANG        build_edition raises a transient OSError for LANG on every try
"""
from __future__ import annotations

import errno
import logging
import os
import time
from contextlib import nullcontext

from celery import Celery, Task, shared_task

from . import distributed
from .model import ERROR, Problem, WorkflowError

log = logging.getLogger(__name__)

DEFAULT_BROKER = "redis://127.0.0.1:6379/0"
QUEUE = "workflow"
MAX_RETRIES = 3
DELAY_ENV = "WORKFLOW_TASK_DELAY"
FAIL_ENV = "WORKFLOW_FAIL_LANG"


def _env_number(name: str, default: float) -> float:
    value = os.environ.get(name)
    try:
        return float(value) if value else default
    except ValueError:
        raise WorkflowError(f"{name}={value!r}: expected a number of seconds") from None


def _transient_errors() -> tuple[type[BaseException], ...]:
    from kombu.exceptions import OperationalError
    from redis.exceptions import ConnectionError as RedisConnectionError, TimeoutError as RedisTimeoutError
    return (OSError, RedisConnectionError, RedisTimeoutError, OperationalError)


def settings(broker_url: str | None = None) -> dict:
    broker_url = broker_url or os.environ.get("WORKFLOW_BROKER") or DEFAULT_BROKER
    time_limit = _env_number("WORKFLOW_TASK_TIME_LIMIT", 120)
    return {
        "broker_url": broker_url,
        "result_backend": broker_url,
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "result_accept_content": ["json"],
        "task_default_queue": QUEUE,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        # a dead pool child counts as a try: an edition that always kills its process (OOM) stops
        # after MAX_RETRIES instead of being redelivered forever
        "task_retry_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "worker_cancel_long_running_tasks_on_connection_loss": False,
        "broker_connection_retry_on_startup": True,
        "broker_transport_options": {
            "visibility_timeout": _env_number("WORKFLOW_VISIBILITY_TIMEOUT", 300),
            "unacked_restore_interval": _env_number("WORKFLOW_RESTORE_INTERVAL", 30),
            "unacked_restore_throttle": 1,
        },
        # a task finishing while Redis restarts retries storing its result instead of failing
        "result_backend_always_retry": True,
        "result_backend_max_retries": 30,
        "result_backend_max_sleep_between_retries_ms": 2000,
        "result_expires": 24 * 3600,        # the build record (distributed.py) outlives results: 30 days
        "task_time_limit": time_limit,
        "task_soft_time_limit": max(1.0, time_limit - 10),
        "worker_send_task_events": True,    # for Flower
        "task_send_sent_event": True,
    }


def make_app(broker_url: str | None = None) -> Celery:
    """The Celery app for workers (worker.py) and for the dispatching client (distributed.py)."""
    app = Celery("workflow")
    app.conf.update(settings(broker_url))
    return app


def _project_root(project_root: str) -> str:
    """The path sent with the task, or the worker's WORKFLOW_PROJECT when the client's path does
    not exist here (the project is mounted elsewhere, as in a container). A worker set up for one
    project refuses tasks for another project it can also see, instead of building the wrong one."""
    mine = os.environ.get("WORKFLOW_PROJECT")
    if not mine:
        return project_root
    if os.path.isdir(project_root) and os.path.realpath(project_root) != os.path.realpath(mine):
        raise WorkflowError(f"this worker serves WORKFLOW_PROJECT={mine}, not {project_root}")
    return mine


_builders: dict[str, tuple[tuple, object]] = {}


def _fingerprint(root: str) -> tuple:
    """What a Builder caches (config, sources, documents, templates, the language list) by stat:
    a worker process reuses its parsed sources across tasks until one of these files changes."""
    out = []
    for folder in ("source", "templates"):
        path = os.path.join(root, folder)
        with os.scandir(path) if os.path.isdir(path) else nullcontext([]) as entries:
            for entry in entries:
                st = entry.stat()
                out.append((folder, entry.name, st.st_mtime_ns, st.st_size, st.st_ino))
    try:
        st = os.stat(os.path.join(root, "workflow.yaml"))
        out.append(("workflow.yaml", st.st_mtime_ns, st.st_size, st.st_ino))
    except FileNotFoundError:
        pass
    locales = os.path.join(root, "locales")
    out.append(tuple(sorted(os.listdir(locales))) if os.path.isdir(locales) else ())
    return tuple(sorted(out, key=repr))


def _builder(project_root: str):
    """A Builder per process and project, rebuilt when the project's sources change (parsing every
    guide again for each task cost ~0.5 s; catalogs are read by every build anyway)."""
    from .publishing.builder import Builder
    from .project import Project
    root = os.path.realpath(_project_root(project_root))
    stamp = _fingerprint(root)
    cached = _builders.get(root)
    if cached and cached[0] == stamp:
        return cached[1]
    builder = Builder(Project(root))
    if len(_builders) >= 4:
        _builders.clear()
    _builders[root] = (stamp, builder)
    return builder


class WorkflowTask(Task):
    """Retries transient errors a bounded number of times; records retries and failures."""
    autoretry_for = ()                    # set below: imports kept lazy
    max_retries = MAX_RETRIES
    retry_backoff = 1                     # 1, 2, 4 s (with jitter)
    retry_backoff_max = 8
    retry_jitter = True
    default_retry_delay = 1               # countdown of a retry after a pool child died

    def on_retry(self, exc, task_id, args, kwargs, einfo):
        build_id, lang = _ids(self.name, args, kwargs)
        distributed.record_retry(self.app.conf.broker_url, build_id, lang)

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        build_id, lang = _ids(self.name, args, kwargs)
        guide = args[1] if self.name.endswith("build_edition") and len(args) > 1 else None
        what = f"{guide}: " if guide else ""
        distributed.record_failure(self.app.conf.broker_url, build_id, lang,
                                   f"{what}{type(exc).__name__}: {exc} (task {task_id}, "
                                   f"{self.request.retries + 1} tr{'y' if not self.request.retries else 'ies'})",
                                   guide=guide)


WorkflowTask.autoretry_for = _transient_errors()


def _ids(name: str, args, kwargs) -> tuple[str | None, str | None]:
    """(build id, lang): every task here takes (x, y, lang, build_id, ...)."""
    args = list(args or ())
    return kwargs.get("build_id") or (args[3] if len(args) > 3 else None), args[2] if len(args) > 2 else None


@shared_task(bind=True, base=WorkflowTask, name="workflow.tasks.build_edition")
def build_edition(self, project_root: str, guide: str, lang: str, build_id: str | None = None) -> dict:
    """Build (or read from the cache) one guide x language edition; returns a small summary."""
    delay = _env_number(DELAY_ENV, 0)
    if delay:
        time.sleep(delay)
    if os.environ.get(FAIL_ENV) == lang:
        raise OSError(errno.EIO, f"injected transient fault for {lang} ({FAIL_ENV})")
    try:
        result = _builder(project_root).build_language(lang, [guide])
    except WorkflowError as exc:     # deterministic: not retried, the language is refused
        problems = exc.problems or [Problem(f"source/{guide}.md", 1, ERROR, str(exc), "build")]
        distributed.record_edition(self.app.conf.broker_url, build_id, lang, guide, f"error: {exc}")
        return {"guide": guide, "lang": lang, "ok": False, "error": str(exc),
                "problems": [p.as_dict() for p in problems]}
    edition = result.editions[0]
    errors = sum(p.severity == ERROR for p in edition.problems)
    distributed.record_edition(self.app.conf.broker_url, build_id, lang, guide, "ok" if edition.ok else "refused")
    return {"guide": guide, "lang": lang, "key": edition.key, "ok": edition.ok, "cached": edition.cached,
            "errors": errors, "problems": len(edition.problems)}


def _language(project_root: str, lang: str, results: list[dict], build_id: str | None, guides: list[str] | None,
              publish: bool, epoch: int | None, broker_url: str) -> dict:
    from .publishing.store import current_release
    from .publishing.run import LanguageReport, publish_result, report_for
    before, failed = None, [r for r in results or [] if isinstance(r, dict) and r.get("error")]
    if failed:
        problems = [Problem(**p) for r in failed for p in r["problems"]]
        report = LanguageReport(lang, "refused", problems=problems)
    else:
        builder = _builder(project_root)
        # reads the header's result.json files; builds any edition missing from the cache itself
        result = builder.build_language(lang, builder.project.select_guides(guides))
        if publish:
            current = current_release(builder.project.output_dir / lang)
            before = distributed.record_before(broker_url, build_id, lang, current) or ""
            report = publish_result(builder.project, builder, result, epoch or int(time.time()))
        else:
            report = report_for(result, "built" if result.ok else "refused")
    report = distributed.record_language(broker_url, build_id, report, before)
    return report.as_dict()


@shared_task(bind=True, base=WorkflowTask, name="workflow.tasks.publish_language")
def publish_language(self, results: list[dict], project_root: str, lang: str, build_id: str | None = None,
                     epoch: int | None = None, guides: list[str] | None = None) -> dict:
    """Chord callback: publish a language whose editions are all built (or refuse it).

    `epoch` (the client's SOURCE_DATE_EPOCH or dispatch time) makes a redelivered callback write
    the same manifest; `guides` fixes the bundle's guide order (default: every guide)."""
    return _language(project_root, lang, results, build_id, guides, True, epoch, self.app.conf.broker_url)


@shared_task(bind=True, base=WorkflowTask, name="workflow.tasks.report_language")
def report_language(self, results: list[dict], project_root: str, lang: str, build_id: str | None = None,
                    epoch: int | None = None, guides: list[str] | None = None) -> dict:
    """Chord callback for `workflow build`: report the language, publish nothing."""
    return _language(project_root, lang, results, build_id, guides, False, epoch, self.app.conf.broker_url)


@shared_task(name="workflow.tasks.noop")
def noop(value=None):
    """An empty task: measures the per-task round trip (bench/celery_bench.py)."""
    return value
