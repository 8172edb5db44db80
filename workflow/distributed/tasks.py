"""Celery tasks: thin wrappers over the build and publish core.

Tasks carry paths, names and ids (JSON only, never objects) and return small JSON dicts; the work
lives in `publishing.builder.Builder` and `publishing.run.publish_result`. A task may run twice
(redelivery after a lost worker or a broker restart): the edition cache is keyed by content hashes and
written with an atomic rename, and publishing takes a per-language lock and is a no-op for identical
content, so a second run is harmless. The reliability settings (acks late, bounded retries, visibility
timeout) are in app.py. Task names stay `workflow.tasks.*`, whatever module holds them: queued
messages and other clients name them so.

Test hooks (read in the worker process, documented here, never set in production):
WORKFLOW_TASK_DELAY=SECONDS    sleep before building each edition (to kill workers mid-build)
WORKFLOW_FAIL_LANG=LANG        build_edition raises a transient OSError for LANG on every try
"""
from __future__ import annotations

import errno
import logging
import os
import time

from celery import Task, shared_task

from ..model import ERROR, Problem, WorkflowError
from ..project import Project
from ..publishing.builder import Builder
from ..publishing.plan import Plan
from ..publishing.run import LanguageReport, publish_result, report_for
from ..publishing.store import current_release
from . import record
from .app import MAX_RETRIES, env_number

log = logging.getLogger(__name__)

DELAY_ENV = "WORKFLOW_TASK_DELAY"
FAIL_ENV = "WORKFLOW_FAIL_LANG"


def _transient_errors() -> tuple[type[BaseException], ...]:
    from kombu.exceptions import OperationalError
    from redis.exceptions import ConnectionError as RedisConnectionError, TimeoutError as RedisTimeoutError
    return (OSError, RedisConnectionError, RedisTimeoutError, OperationalError)



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


def _builder(project_root: str):
    """A Builder per process and project, rebuilt when Project.worker_inputs change (by stat: parsing
    every guide again for each task cost ~0.5 s; catalogs are read by every build anyway)."""
    root = os.path.realpath(_project_root(project_root))
    cached = _builders.get(root)
    if cached:
        project = cached[1].project
        if cached[0] == project.inputs_stamp(project.worker_inputs()):
            return cached[1]
    project = Project(root)
    stamp = project.inputs_stamp(project.worker_inputs())
    builder = Builder(project)
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
        record.record_retry(self.app.conf.broker_url, build_id, lang)

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        build_id, lang = _ids(self.name, args, kwargs)
        guide = args[1] if self.name.endswith("build_edition") and len(args) > 1 else None
        what = f"{guide}: " if guide else ""
        record.record_failure(self.app.conf.broker_url, build_id, lang,
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
    delay = env_number(DELAY_ENV, 0)
    if delay:
        time.sleep(delay)
    if os.environ.get(FAIL_ENV) == lang:
        raise OSError(errno.EIO, f"injected transient fault for {lang} ({FAIL_ENV})")
    if record.is_cancelled(self.app.conf.broker_url, build_id):
        return {"guide": guide, "lang": lang, "ok": False, "cancelled": True}
    try:
        result = _builder(project_root).build_language(lang, [guide])
    except WorkflowError as exc:     # deterministic: not retried, the language is refused
        problems = exc.as_problems(f"source/{guide}.md", "build")
        record.record_edition(self.app.conf.broker_url, build_id, lang, guide, f"error: {exc}")
        return {"guide": guide, "lang": lang, "ok": False, "error": str(exc),
                "problems": [p.as_dict() for p in problems]}
    edition = result.editions[0]
    errors = sum(p.severity == ERROR for p in edition.problems)
    record.record_edition(self.app.conf.broker_url, build_id, lang, guide, "ok" if edition.ok else "refused")
    return {"guide": guide, "lang": lang, "key": edition.key, "ok": edition.ok, "cached": edition.cached,
            "errors": errors, "problems": [p.as_dict() for p in edition.problems if p.severity == ERROR]}


def _language(project_root: str, lang: str, results: list[dict], build_id: str | None, plan: Plan,
              broker_url: str) -> dict:
    before, failed = None, [r for r in results or [] if isinstance(r, dict) and r.get("error")]
    if record.is_cancelled(broker_url, build_id):   # `workflow cancel`: nothing built further, nothing switched
        report = LanguageReport(lang, "cancelled")
    else:
        builder = _builder(project_root)
        # reads the header's result.json files; builds any edition missing from the cache itself, except
        # those whose task gave up: they are refused, and the policy stands in for them like any refusal
        refused = {r["guide"] for r in failed}
        result = builder.build_language(lang, [g for g in plan.guides if g not in refused])
        result.problems.extend(Problem(**p) for r in failed for p in r["problems"])
        if plan.publish:
            current = current_release(builder.project.output_dir / lang)
            before = record.record_before(broker_url, build_id, lang, current) or ""
            report = publish_result(builder.project, builder, result, plan)
        else:
            report = report_for(result, "built" if result.ok else "refused")
        for guide in sorted(refused - set(report.refused_guides)):
            report.refused_guides.append(guide)
            report.guides.setdefault(guide, "refused")
    report = record.record_language(broker_url, build_id, report, before)
    return report.as_dict()


def _plan(project_root: str, lang: str, publish: bool, epoch, guides, release_guides) -> Plan:
    """The client's plan for this language, from the callback's arguments (names checked again here)."""
    project = _builder(project_root).project
    built = project.select_guides(guides)
    release = project.select_guides(release_guides) if release_guides else project.guides
    return Plan((lang,), tuple(built), tuple(release), int(epoch or time.time()), publish)


@shared_task(bind=True, base=WorkflowTask, name="workflow.tasks.publish_language")
def publish_language(self, results: list[dict], project_root: str, lang: str, build_id: str | None = None,
                     epoch: int | None = None, guides: list[str] | None = None,
                     release_guides: list[str] | None = None) -> dict:
    """Chord callback: publish a language whose editions are all built (or refuse it).

    `epoch` (the client's SOURCE_DATE_EPOCH or dispatch time) makes a redelivered callback write
    the same manifest; `guides` are the guides built (default: every guide), `release_guides` those the
    release holds (the others are stood in for, see publishing/assemble.py)."""
    plan = _plan(project_root, lang, True, epoch, guides, release_guides)
    return _language(project_root, lang, results, build_id, plan, self.app.conf.broker_url)


@shared_task(bind=True, base=WorkflowTask, name="workflow.tasks.report_language")
def report_language(self, results: list[dict], project_root: str, lang: str, build_id: str | None = None,
                    epoch: int | None = None, guides: list[str] | None = None,
                    release_guides: list[str] | None = None) -> dict:
    """Chord callback for `workflow build`: report the language, publish nothing."""
    plan = _plan(project_root, lang, False, epoch, guides, release_guides)
    return _language(project_root, lang, results, build_id, plan, self.app.conf.broker_url)


@shared_task(name="workflow.tasks.noop")
def noop(value=None):
    """An empty task: measures the per-task round trip (bench/celery_bench.py)."""
    return value
