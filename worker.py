"""Celery entry point: `celery -A worker worker -l info` (and `celery -A worker flower`).

Builds the app and registers the tasks (workflow/distributed/tasks.py); the settings are in
workflow.distributed.app.settings().
Environment:
  WORKFLOW_BROKER   Redis URL, broker and result backend (default redis://127.0.0.1:6379/0)
  WORKFLOW_PROJECT  project root as this worker sees it (default: the path sent with each task,
                    which is the client's --project; set it when the worker mounts the project
                    elsewhere, as in docker-compose.yml)
"""
import os

from workflow.distributed import tasks  # noqa: F401  (registers the tasks with Celery)
from workflow.distributed.app import DEFAULT_BROKER, make_app

app = make_app(os.environ.get("WORKFLOW_BROKER") or DEFAULT_BROKER)
