"""The structure a guide's block tree gives every edition: headings, paragraphs, list items, tables, rows and
cells (the verification counts each edition's against it). Pure."""
from __future__ import annotations

from collections import Counter

from ..model import Heading, ListBlock, Paragraph, Quote, Table


def _count_list(block, counts):
    for item in block.items:
        counts["li"] += 1
        _count(item.blocks, counts)


def _count_table(block, counts):
    counts["table"] += 1
    counts["tr"] += 1 + len(block.rows)
    counts["cell"] += len(block.header) + sum(len(row) for row in block.rows)


_COUNTERS = {  # block type -> what it adds to the structure every edition must have
    Heading: lambda block, counts: counts.update(("heading",)),
    Paragraph: lambda block, counts: counts.update(("p",)),
    ListBlock: _count_list,
    Table: _count_table,
    Quote: lambda block, counts: _count(block.blocks, counts),
}


def _count(blocks, counts: Counter) -> None:
    for block in blocks:
        counter = _COUNTERS.get(type(block))
        if counter:
            counter(block, counts)


def structure(blocks) -> Counter:
    """Headings, paragraphs, list items, tables, rows and cells of a block tree."""
    counts: Counter = Counter()
    _count(blocks, counts)
    return counts
