"""facts.fill: the split route for a template without escaped braces reads as the slot pattern's substitution."""
from __future__ import annotations

import random

from workflow.editions import facts


def _reference(template: str, values: dict, brace_format: bool) -> str:
    """fill as one substitution of facts._SLOT (the route for every template)."""
    if not brace_format:
        return template

    def slot(m):
        if m.group(0) in ("{{", "}}"):
            return m.group(0)[0]
        return values[m.group(1)] if m.group(1) in values else m.group(0)
    return facts._SLOT.sub(slot, template)


def test_fill_reads_as_the_slot_substitution_on_generated_templates():
    rnd = random.Random(5)
    pieces = ["{", "}", "{{", "}}", "a", "b1", "_x", "{a}", "{b}", "{price_1}", " ", "é", "1", "{9}", "{a b}", "{a}}",
              "{{a}", "{_x}"]
    values = [{}, {"a": "X"}, {"a": "{b}", "b": "}{"}, {"price_1": "$5", "a": "", "_x": "{a}"}]
    for _ in range(50_000):
        template = "".join(rnd.choice(pieces) for _ in range(rnd.randrange(12)))
        chosen, brace_format = rnd.choice(values), rnd.random() < 0.9
        assert facts.fill(template, chosen, brace_format) == _reference(template, chosen, brace_format), template
