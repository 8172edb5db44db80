"""Jinja's sandbox with size limits: templates arrive in pull requests, and the sandbox keeps them from
Python's internals and caps range() at 100,000 items, but not the size of what they build. Measured on
Jinja 3.1: `{{ 'a' * n }}`, `'a'|center(n)`, `'{:>999999999}'.format(1)` and `'%999999999d' % 1` each
build a 1 GB string, and `'a' * 10**10` is folded while the template compiles (MemoryError before
any page). Refused here with a SecurityError (render_page: `[template.sandbox]` at the template):
- `*`, `**` and `%` whose result would exceed MAX_SIZE (checked before computing it);
- an integer argument above MAX_SIZE to any call or filter (center, indent, lipsum, truncate...);
- a format width or precision above MAX_SIZE (str.format and `%`);
- a page over MAX_PAGE characters, counted while it renders (two nested range() loops).
Not bounded: CPU of loops that print nothing (range(100000) nested three deep), so a template still
needs review like code; the limits keep one from exhausting the builder's memory.
"""
from __future__ import annotations

import re
from functools import wraps

from jinja2 import Template
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

MAX_SIZE = 100_000               # range()'s own cap in the sandbox; a page's own strings are ~100 characters
MAX_PAGE = 16 * 1024 * 1024      # the largest page rendered from the project's guides is ~200 kB
_WIDTHS = re.compile(r"%[-#0 +]*(\d+)(?:\.(\d+))?|\{[^{}]*:[^{}\d]*(\d+)(?:\.(\d+))?")


def _refuse(what: str):
    raise SecurityError(f"{what} over the template limit of {MAX_SIZE}")


def _check_widths(text) -> None:
    if isinstance(text, str) and any(int(n) > MAX_SIZE for m in _WIDTHS.finditer(text) for n in m.groups() if n):
        _refuse("format width")


def _check_arguments(args, kwargs) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SIZE:
            _refuse(f"argument {str(value)[:12]}")


class _CappedTemplate(Template):
    def render(self, *args, **kwargs) -> str:
        pieces, size = [], 0
        for piece in self.generate(*args, **kwargs):
            size += len(piece)
            if size > MAX_PAGE:
                raise SecurityError(f"page over {MAX_PAGE} characters")
            pieces.append(piece)
        return "".join(pieces)


class LimitedSandbox(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "%"})
    template_class = _CappedTemplate

    def call_binop(self, context, operator, left, right):
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if hasattr(seq, "__len__") and isinstance(times, int) and len(seq) * times > MAX_SIZE:
                    _refuse("repetition")
        elif operator == "**" and isinstance(left, int) and isinstance(right, int):
            if right > 0 and abs(left) > 1 and abs(left).bit_length() * right > MAX_SIZE:
                _refuse("power")
        elif operator == "%":
            _check_widths(left)
        return super().call_binop(context, operator, left, right)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # a filter is called directly by the compiled template, not through call()
        self.filters = {name: _checked(func) for name, func in self.filters.items()}

    def call(self, context, obj, *args, **kwargs):
        _check_arguments(args, kwargs)
        return super().call(context, obj, *args, **kwargs)

    def wrap_str_format(self, value):
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:   # str.format reached as an attribute: its widths are in the string
            _check_widths(value.__self__)
        return wrapped


def _checked(func):
    @wraps(func)   # keeps pass_context & co. (jinja_pass_arg)
    def checked(*args, **kwargs):
        _check_arguments(args[1:], kwargs)
        return func(*args, **kwargs)
    return checked
