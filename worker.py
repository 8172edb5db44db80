"""Celery entry point: `celery -A worker worker -l info` (and `celery -A worker flower`).

Builds the app and registers the tasks (workflow/distributed/tasks.py); the settings are in
workflow.distributed.app.settings().
Environment:
  WORKFLOW_BROKER   Redis URL, broker and result backend (default redis://127.0.0.1:6379/0)
  WORKFLOW_PROJECT  the one project this worker builds (default: the folder it is started in),
                    fixed at start: task messages carry guide and language names and content
                    hashes, never a path (workflow/distributed/messages.py)
  WORKFLOW_CACHE_KEY  key authenticating .cache entries; the same for every worker and client
                    sharing the project folder (workflow/sealed.py)
"""
import os

from workflow.distributed import tasks  # noqa: F401  (registers the tasks with Celery)
from celery.signals import after_setup_logger, after_setup_task_logger

from workflow.distributed.app import DEFAULT_BROKER, RedactingFilter, make_app

app = make_app(os.environ.get("WORKFLOW_BROKER") or DEFAULT_BROKER)


@after_setup_logger.connect
@after_setup_task_logger.connect
def _redact_logs(logger=None, **_):
    """Broker passwords never reach a worker's log, whoever logs them."""
    for handler in (logger.handlers if logger else []):
        handler.addFilter(RedactingFilter())
