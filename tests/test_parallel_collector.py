"""The collector setting measured for builds (parallel.YOUNG_COLLECTION) reaches the processes that do the work:
spawned workers start from a fresh interpreter, where Python's default (700) would apply again."""
from __future__ import annotations

import gc

from workflow import parallel


def test_every_worker_process_collects_young_objects_as_tuned():
    thresholds = list(parallel.imap_unordered(gc.get_threshold, [(), ()], 2))
    assert [t[0] for t in thresholds] == [parallel.YOUNG_COLLECTION] * 2


def test_the_command_line_process_is_tuned_too(tmp_path):
    from workflow.cli import main
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, *before[1:])
        main(["--project", str(tmp_path), "--quiet", "check"])
        assert gc.get_threshold()[0] == parallel.YOUNG_COLLECTION
    finally:
        gc.set_threshold(*before)


def test_a_celery_worker_process_is_tuned_too():
    # a fresh interpreter (Python's default, 700) that loads the tasks as `celery -A worker worker` does
    import subprocess
    import sys
    code = "import gc, workflow.distributed.tasks; print(gc.get_threshold()[0])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert int(out) == parallel.YOUNG_COLLECTION
