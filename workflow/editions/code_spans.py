"""Where the code spans of inline Markdown are, in linear time (raw HTML outside them becomes text)."""
from __future__ import annotations

import re

BACKTICKS = re.compile(r"`+")


def code_spans(text: str) -> list[tuple[int, int]]:
    """The spans re.finditer(r"(`+)(?:(?!\\1).)*?\\1", text) gives (tests/test_linear_text.py holds them
    equal), in linear time: that pattern retried every shorter opening run of a line of backticks against
    the rest of the line (8,000 backticks took 9 s). What it finds: from an opening run of K backticks, the
    longest k <= K that closes, k backticks from the first later run at least k long on the same line, or,
    at the latest, k = K // 2 closing inside the opening run itself; a lone ` that nothing closes opens nothing."""
    spans: list[tuple[int, int]] = []
    line_start = 0
    for line in text.split("\n"):
        runs = [(m.start() + line_start, m.end() - m.start()) for m in BACKTICKS.finditer(line)]
        longest_after, longest = [0] * len(runs), 0   # the longest run after each run, on this line
        for i in range(len(runs) - 1, -1, -1):
            longest_after[i], longest = longest, max(longest, runs[i][1])
        pos, i = line_start, 0
        while i < len(runs):
            start, length = runs[i]
            p = max(start, pos)          # a span may end inside a run: the rest of the run opens the next
            k_open = start + length - p
            if k_open <= 0:
                i += 1
                continue
            k = max(k_open // 2, min(k_open, longest_after[i]))
            if k == 0:                   # a lone ` and no backtick after it on the line
                break
            if k > k_open // 2:          # closed by the first later run that is long enough
                i += 1
                while runs[i][1] < k:
                    i += 1
                pos = runs[i][0] + k
            else:                        # closed inside its own run
                pos = p + 2 * k
            spans.append((p, pos))
        line_start += len(line) + 1
    return spans
