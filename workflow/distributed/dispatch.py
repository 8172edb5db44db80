"""Distributed build: one Celery chord per language, a build record in Redis, a report at the end.

run_distributed() dispatches, for each language, a group of `build_edition` tasks (one per guide)
whose chord callback publishes the language (`publish_language`) or only reports it
(`report_language`, for `workflow build`). It waits with a timeout, showing per-language progress
read from the build record; a language whose chord failed (a task out of retries, a timeout) is
reported refused with the error while the others publish.

The build record (record.py) shows progress and outlives the client; the tasks are in tasks.py.
"""
from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
import uuid

from ..files import write_atomic
from ..model import ERROR, Problem, WorkflowError
from ..project import source_date_epoch
from ..publishing.builder import Builder
from ..publishing.run import LanguageReport, write_report
from . import tasks  # noqa: F401  (registers the tasks in this process, as the client always did)
from .app import QUEUE, make_app
from .record import RECORD_TTL, parse_record, record_failure, record_key, redis_client, snapshot_path

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 1800.0            # seconds the client waits for all chords (WORKFLOW_BUILD_TIMEOUT)
CHORD_GRACE = 15.0                  # seconds after its last edition before a chord counts as stuck
                                    # (WORKFLOW_CHORD_GRACE; must exceed Celery's ~6 s dispatch lease)


def _report_from_dict(data: dict):
    return LanguageReport(data["lang"], data["status"], data.get("release"), data.get("coverage") or {},
                          [Problem(**p) for p in data.get("problems", [])])


def _failed_report(project, lang: str, build_id: str, message: str):
    return LanguageReport(lang, "refused", problems=[Problem(
        f"{project.config.output}/{lang}", 1, ERROR,
        f"distributed build {build_id} failed, previous release kept: {message}", "distributed")])


def _safe_url(url: str) -> str:
    return re.sub(r"//[^@/]*@", "//***@", url)


def _progress(quiet: bool):
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    console = Console(stderr=True, highlight=False)
    return Progress(TextColumn("{task.description:>8}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[status]}"), TimeElapsedColumn(), console=console,
                    disable=quiet or not sys.stderr.isatty(), transient=True)


def run_distributed(project, broker_url: str, langs=None, guides=None, publish: bool = True, quiet: bool = False,
                    timeout: float | None = None) -> list:
    """Build (and publish) on Celery workers; returns one publishing.run.LanguageReport per language."""
    builder = Builder(project)
    guide_list = project.select_guides(guides)
    source_language = project.config.source_language
    chosen = builder.published_languages() if not langs else [
        l if l == source_language else project.select_languages([l])[0] for l in langs]
    if timeout is None:
        timeout = float(os.environ.get("WORKFLOW_BUILD_TIMEOUT") or DEFAULT_TIMEOUT)
    run = _Run(project, broker_url, chosen, guide_list, publish)
    client = run.start()
    app = make_app(broker_url)
    pending, reports = run.dispatch(app)
    if not quiet:
        print(f"build {run.build_id}: {len(chosen) * len(guide_list)} edition(s) in {len(chosen)} language(s) "
              f"on {_safe_url(broker_url)}; `workflow status {run.build_id}`", file=sys.stderr)
    with _progress(quiet) as bar:
        run.wait(app, client, pending, reports, bar, timeout)
    _close(app)
    ordered = [reports[l] for l in chosen]
    failed = any(r.status == "refused" and any(p.check == "distributed" for p in r.problems) for r in ordered)
    _finish(project, client, run.key, run.build_id, "failed" if failed else "done")
    write_report(project, ordered)
    return ordered


class _Run:
    """One distributed build: its id and record, the chords it dispatched, and waiting for them."""

    def __init__(self, project, broker_url: str, chosen: list[str], guide_list: list[str], publish: bool):
        self.project, self.broker_url, self.chosen, self.guide_list = project, broker_url, chosen, guide_list
        self.epoch = source_date_epoch() or int(time.time())
        self.build_id = str(uuid.uuid4())
        self.root = str(project.root)
        self.key = record_key(self.build_id)
        self.publish = publish
        self.callback = "workflow.tasks.publish_language" if publish else "workflow.tasks.report_language"

    def start(self):
        """Write the build record; returns the Redis client."""
        meta = {"id": self.build_id, "project": self.root, "languages": self.chosen, "guides": self.guide_list,
                "publish": self.publish, "created": time.time(), "epoch": self.epoch}
        try:
            client = redis_client(self.broker_url)
            client.pipeline().hset(self.key, mapping={"meta": json.dumps(meta), "state": "running",
                                                      **{f"lang:{l}:status": "queued" for l in self.chosen}}) \
                .expire(self.key, RECORD_TTL).execute()
        except Exception as exc:  # noqa: BLE001
            raise WorkflowError(f"broker {_safe_url(self.broker_url)}: cannot write the build record: {exc}") from None
        return client

    def dispatch(self, app) -> tuple[dict, dict]:
        """One chord per language: (pending results, reports of the languages that could not be sent)."""
        from celery import chord

        pending, reports = {}, {}
        for lang in self.chosen:
            header = [app.signature("workflow.tasks.build_edition", args=(self.root, g, lang, self.build_id))
                      for g in self.guide_list]
            body = app.signature(self.callback, args=(self.root, lang, self.build_id),
                                 kwargs={"epoch": self.epoch, "guides": self.guide_list})
            try:
                pending[lang] = chord(header, body, app=app).apply_async()
            except Exception as exc:  # noqa: BLE001 - broker down while dispatching: this language is refused
                reports[lang] = _failed_report(self.project, lang, self.build_id, f"could not dispatch: {exc}")
                record_failure(self.broker_url, self.build_id, lang, f"could not dispatch: {exc}")
        return pending, reports

    def wait(self, app, client, pending: dict, reports: dict, bar, timeout: float) -> None:
        """Collect each language's report as its chord ends; rescue stuck chords; time out the rest."""
        deadline = time.monotonic() + timeout
        built_since: dict[str, float] = {}     # language -> when its last edition was recorded
        rescued: set[str] = set()
        bars = {l: bar.add_task(l, total=len(self.guide_list) + 1, status="queued") for l in self.chosen}
        while pending and time.monotonic() < deadline:
            status = _read(client, self.key)
            if status:
                _rescue_stuck_chords(app, client, status, pending, built_since, rescued, self.root, self.build_id,
                                     self.callback, {"epoch": self.epoch, "guides": self.guide_list})
            for lang, result in list(pending.items()):
                if self._collect(client, lang, result, reports):
                    pending.pop(lang)
            _show(bar, bars, status, reports)
            if pending:
                time.sleep(0.2)
        for lang in pending:
            message = f"timed out after {timeout:.0f}s; see `workflow status {self.build_id}`"
            reports[lang] = _failed_report(self.project, lang, self.build_id, message)
            record_failure(self.broker_url, self.build_id, lang, message, guide="timeout")

    def _collect(self, client, lang: str, result, reports: dict) -> bool:
        """Whether the language's chord has ended (its report is then in `reports`)."""
        try:
            if not result.ready():
                return False
            if result.successful():
                reports[lang] = _report_from_dict(result.result)
            else:
                failures = _language_failures(client, self.key, lang)
                reports[lang] = _failed_report(self.project, lang, self.build_id,
                                               "; ".join(failures) or f"{type(result.result).__name__}: {result.result}")
                record_failure(self.broker_url, self.build_id, lang, f"chord failed: {result.result}", guide="chord")
        except Exception as exc:  # noqa: BLE001 - backend unreachable (Redis restarting): keep waiting
            log.debug("waiting for %s: %s", lang, exc)
            return False
        return True


def _close(app) -> None:
    """Drop the result subscriptions now: left to AsyncResult.__del__ at interpreter exit, the
    unsubscribes fail noisily ("sys.meta_path is None")."""
    try:
        consumer = app.backend.result_consumer
        consumer.subscribed_to.clear()
        consumer.stop()
    except Exception as exc:  # noqa: BLE001
        log.debug("closing the result consumer: %s", exc)


def _language_failures(client, key: str, lang: str) -> list[str]:
    try:
        fields = client.hgetall(key)
    except Exception:  # noqa: BLE001
        return []
    prefix = f"lang:{lang}:failure:"
    return [v for k, v in sorted(fields.items()) if k.startswith(prefix)]


def _read(client, key: str) -> dict | None:
    try:
        return parse_record(client.hgetall(key))
    except Exception as exc:  # noqa: BLE001 - Redis restarting: try again on the next round
        log.debug("reading the build record: %s", exc)
        return None


def _broker_idle(client) -> bool:
    """Nothing queued and nothing delivered-but-unacknowledged (kombu's Redis keys; retries waiting
    for their countdown are delivered messages, so they count as busy)."""
    return client.llen(QUEUE) == 0 and client.hlen("unacked") == 0


def _rescue_stuck_chords(app, client, status, pending, since, rescued, root, build_id, callback, kwargs) -> None:
    """Dispatch a language's callback again when its chord is stuck. Two ways were seen here:

    - Celery's Redis chord join claims the callback dispatch (a key with a ~6 s lease) when the
      last header result arrives. If that worker dies between the claim and the dispatch, the
      redelivered header task finds the claim taken and nobody dispatches the callback (SIGKILL of
      a worker). Detected: every edition recorded for CHORD_GRACE s, chord not marked dispatched.
    - kombu's Redis transport pops a message (BRPOP) before it records it as unacknowledged; a
      Redis crash between the two loses the message (Redis SIGKILL). Detected: the broker has been
      idle (nothing queued or unacknowledged) for CHORD_GRACE s while the language is unfinished.

    The client then sends the callback itself, with the chord's callback task id so whichever copy
    runs resolves the client's result. The callback builds any edition missing from the cache, and
    a duplicate publish is a no-op (same content, under the lock).
    """
    now = time.monotonic()
    grace = float(os.environ.get("WORKFLOW_CHORD_GRACE") or CHORD_GRACE)
    try:
        idle = _broker_idle(client)
    except Exception:  # noqa: BLE001
        idle = False
    since["broker-idle"] = (since.get("broker-idle") or now) if idle else None
    idle_long = idle and now - since["broker-idle"] >= grace
    for lang, result in pending.items():
        info = status["languages"].get(lang)
        if lang in rescued or not info or result.parent is None:
            continue
        built = info["editions_done"] >= info["editions_total"]
        if not idle_long and not (built and now - since.setdefault(lang, now) >= grace):
            continue
        try:
            if not idle_long and client.get(app.backend.get_key_for_group(result.parent.id, ".c")) == "done":
                continue                            # dispatched: the callback message is in the queue
            app.signature(callback, args=([], root, lang, build_id), kwargs=kwargs).apply_async(task_id=result.id)
            client.hset(record_key(build_id), f"lang:{lang}:redispatched", time.time())
            rescued.add(lang)
            log.warning("build %s: %s chord callback was not dispatched; sent it again", build_id, lang)
        except Exception as exc:  # noqa: BLE001 - Redis restarting: try again on the next round
            log.debug("rescuing %s: %s", lang, exc)


def _show(bar, bars, status, reports) -> None:
    if bar.disable or not status:
        return
    for lang, info in status["languages"].items():
        final = lang in reports
        bar.update(bars[lang], completed=info["editions_done"] + (1 if final else 0),
                   status=reports[lang].status if final else info["status"])


def _finish(project, client, key: str, build_id: str, state: str) -> None:
    try:
        client.pipeline().hset(key, mapping={"state": state, "finished": time.time()}).expire(key, RECORD_TTL).execute()
        snapshot = parse_record(client.hgetall(key))
    except Exception as exc:  # noqa: BLE001
        log.warning("build %s: could not finish the build record: %s", build_id, exc)
        return
    path = snapshot_path(project, build_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(snapshot, ensure_ascii=False, indent=1))
