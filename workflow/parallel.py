"""Spread independent work (chunks of guides to extract, check and build) over processes.

Spawned, not forked: the caller may hold threads (rich's progress refresher) and open files, and a
spawned worker starts from a clean interpreter that reads what it needs through the same caches
(.cache/documents) as the parent.
"""
from __future__ import annotations

import gc
import os
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Starting a worker costs ~0.5 s (imports); a unit of work (an edition, a guide) ~10-30 ms. Below
# this many units "auto" stays in one process, where a small project is faster.
AUTO_MIN_UNITS = 64

# The cycle collector's youngest generation is examined every 5,000 allocations, not 700: a build makes
# millions of short-lived objects that reference counting frees, and each examination walks them all.
# Measured (callgrind, build of 90 editions): 20,000 took -1.2 % instructions for +8 MB a process (100,000:
# -1.45 %, +25 MB); 5,000 costs +0.09 % against 20,000 and 9 MB less in each worker of a 300-guide build (summed
# peak 303 -> 285 MB, round 13). The older generations keep their thresholds, so cycles are still collected.
YOUNG_COLLECTION = 5_000


def tune_collector() -> None:
    """In every process that builds: the CLI's and each worker's (the pool's initializer)."""
    gc.set_threshold(YOUNG_COLLECTION, *gc.get_threshold()[1:])


def resolve_jobs(jobs: int | None, tasks: int, units: int) -> int:
    """Processes to use: `jobs` if given (>= 1); for "auto" (None) one per core when the work is big."""
    if jobs is not None and jobs > 0:
        return max(1, min(jobs, tasks))
    if units < AUTO_MIN_UNITS:
        return 1
    return max(1, min(os.cpu_count() or 1, tasks))


# With several processes the last chunks shrink (guided scheduling): a chunk is at most 1/(TAIL * jobs) of the
# items still to hand out, so the work ends in chunks of one item and a process that runs out of work waits
# for the others' last small chunk, not a whole one (300 guides x 10 languages, 2 processes: one idled ~1.6 s
# of a 16-guide chunk at the end of each build). 300 guides: 27 chunks instead of 19.
TAIL = 2


def chunked(items: list[T], jobs: int, most: int = 16) -> list[list[T]]:
    """Chunks of guides: small enough to balance the processes and bound memory (a chunk's parsed guides
    are dropped when it is done), big enough to amortize per-chunk set-up; the last ones smaller (TAIL)."""
    top = chunk_size(len(items), jobs, most)
    chunks, start = [], 0
    while start < len(items):
        size = top if jobs <= 1 else max(1, min(top, -(-(len(items) - start) // (TAIL * jobs))))
        chunks.append(items[start:start + size])
        start += size
    return chunks


def chunk_size(count: int, jobs: int, most: int = 16) -> int:
    """Items per chunk for `chunked`: at least 4 chunks a process, at most `most` items each."""
    return max(1, min(most, -(-count // (4 * jobs)))) if jobs > 1 else most


def imap_unordered(func: Callable[..., R], args_list: Iterable[tuple], jobs: int) -> Iterator[R]:
    """func(*args) for each args, results as they finish; in this process when jobs == 1.
    `func` must be a module-level function (it is pickled by name)."""
    args_list = list(args_list)
    if jobs <= 1:
        for args in args_list:
            yield func(*args)
        return
    # imported here: a rebuild that stays in one process does not pay for multiprocessing (~15 ms)
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from multiprocessing import get_context
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn"),
                             initializer=tune_collector) as pool:
        futures = [pool.submit(func, *args) for args in args_list]
        for future in as_completed(futures):
            yield future.result()
