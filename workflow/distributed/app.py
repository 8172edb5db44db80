"""The Celery app: broker, queue and the reliability settings every worker and client shares.

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
    the hard time limit of margin. The sweep's mutex expires after twice the sweep interval (kombu: 300 s),
    so a worker killed during its sweep delays the others' sweeps by that much, not five minutes.
retries (task_retry_on_worker_lost: a dead pool child counts as a try too)
    Only transient errors (OSError, Redis/kombu connection errors) are retried, at most
    MAX_RETRIES = 3 times (4 tries) with exponential backoff 1, 2, 4 s. A WorkflowError (a broken
    catalog, a bad config) is deterministic: it is not retried; the task returns it and the
    language is refused with the error.
worker_cancel_long_running_tasks_on_connection_loss = False
    With it on, a Redis restart cancelled the running tasks and their messages were lost when
    tried here; off, they finish, and any ack lost with the connection is recovered by redelivery
    (harmless: idempotent tasks).
"""
from __future__ import annotations

import logging
import os
import re
from urllib.parse import parse_qsl, urlsplit

from celery import Celery

from ..model import WorkflowError

DEFAULT_BROKER = "redis://127.0.0.1:6379/0"
QUEUE = "workflow"
MAX_RETRIES = 3


def env_number(name: str, default: float) -> float:
    value = os.environ.get(name)
    try:
        return float(value) if value else default
    except ValueError:
        raise WorkflowError(f"{name}={value!r}: expected a number of seconds") from None



_USERINFO = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^/@\s:]*:)[^@\s]+@", re.I)
_QUERY_SECRET = re.compile(r"((?:password|passwd|pass)=)[^&\s]+", re.I)


def _secrets(url: str | None) -> list[str]:
    """The password of a broker URL (user-info or ?password=), if it has one."""
    if not url:
        return []
    try:
        parts = urlsplit(url)
        found = [parts.password] if parts.password else []
    except ValueError:
        return []
    found += [v for k, v in parse_qsl(parts.query) if k.lower() in ("password", "passwd", "pass") and v]
    return [s for s in found if len(s) >= 3]


def redact(text: str, *urls: str | None) -> str:
    """`text` with every URL password masked: those of `urls` and WORKFLOW_BROKER wherever they
    appear (an error quoting them), and the user-info or ?password= of any URL in it."""
    for secret in _secrets(os.environ.get("WORKFLOW_BROKER")) + [s for u in urls for s in _secrets(u)]:
        text = text.replace(secret, "***")
    return _QUERY_SECRET.sub(r"\1***", _USERINFO.sub(r"\1***@", text))


class RedactingFilter(logging.Filter):
    """Masks broker passwords in every log record a worker writes (ours, Celery's, kombu's)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        return True


def settings(broker_url: str | None = None) -> dict:
    broker_url = broker_url or os.environ.get("WORKFLOW_BROKER") or DEFAULT_BROKER
    time_limit = env_number("WORKFLOW_TASK_TIME_LIMIT", 120)
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
            "visibility_timeout": env_number("WORKFLOW_VISIBILITY_TIMEOUT", 300),
            "unacked_restore_interval": env_number("WORKFLOW_RESTORE_INTERVAL", 30),
            "unacked_restore_throttle": 1,
            # the mutex every restore sweep takes (held for milliseconds): a worker SIGKILLed while it held
            # it left it for kombu's default 300 s, during which no worker restored the dead one's messages
            "unacked_mutex_expire": int(max(5, 2 * env_number("WORKFLOW_RESTORE_INTERVAL", 30))),
        },
        # a task finishing while Redis restarts retries storing its result instead of failing
        "result_backend_always_retry": True,
        "result_backend_max_retries": 30,
        "result_backend_max_sleep_between_retries_ms": 2000,
        "result_expires": 24 * 3600,        # the build record (record.py) outlives results: 30 days
        "task_time_limit": time_limit,
        "task_soft_time_limit": max(1.0, time_limit - 10),
        "worker_send_task_events": True,    # for Flower
        "task_send_sent_event": True,
    }


def make_app(broker_url: str | None = None) -> Celery:
    """The Celery app for workers (worker.py) and for the dispatching client (record.py)."""
    app = Celery("workflow")
    app.conf.update(settings(broker_url))
    return app
