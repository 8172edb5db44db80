"""parallel.chunked: every item once and in order; with several processes the last chunks shrink to one item
(a process that runs out of work waits for a small chunk, not a whole one); one process keeps whole chunks."""
import pytest

from workflow import parallel


@pytest.mark.parametrize("count", [0, 1, 5, 30, 64, 300, 1000])
@pytest.mark.parametrize("jobs", [1, 2, 4])
def test_chunks_hold_every_item_once_in_order(count, jobs):
    items = [f"guide-{n}" for n in range(count)]
    chunks = parallel.chunked(items, jobs)
    assert [item for chunk in chunks for item in chunk] == items
    assert all(chunks)


@pytest.mark.parametrize("count", [30, 300, 1000])
@pytest.mark.parametrize("jobs", [2, 4])
def test_with_several_processes_the_last_chunks_shrink_to_one_item(count, jobs):
    sizes = [len(c) for c in parallel.chunked(list(range(count)), jobs)]
    assert sizes[0] == parallel.chunk_size(count, jobs)
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[-jobs:] == [1] * jobs
    # what is left when a chunk is handed out is at least TAIL x jobs times that chunk (or the chunk is one item)
    left = count
    for size in sizes:
        assert size == 1 or size * parallel.TAIL * jobs <= left + parallel.TAIL * jobs - 1
        left -= size


def test_one_process_keeps_whole_chunks():
    sizes = [len(c) for c in parallel.chunked(list(range(300)), 1)]
    assert sizes == [16] * 18 + [12]
