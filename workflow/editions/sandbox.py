"""Jinja's sandbox with size limits: templates arrive in pull requests, and the sandbox keeps them from
Python's internals and caps range() at 100,000 items, but not the size of what they build. Measured on
Jinja 3.1: `{{ 'a' * n }}`, `'a'|center(n)`, `'{:>999999999}'.format(1)` and `'%999999999d' % 1` each
build a 1 GB string, and `'a' * 10**10` is folded while the template compiles (MemoryError before
any page). Refused here with a SecurityError (render_page: `[template.sandbox]` at the template):
- `*`, `**` and `%` whose result would exceed MAX_SIZE (checked before computing it);
- an integer argument above MAX_SIZE to any call or filter (center, indent, lipsum, truncate...);
- a format width or precision above MAX_SIZE (str.format and `%`);
- a page over MAX_PAGE characters, counted while it renders (two nested range() loops).
- growth that is no single number operation (red team): `~` and `+` of strings and lists whose result
  would exceed MAX_VALUE (doubling in a loop), `*` of integers over MAX_SIZE bits, a list repeated by its
  printed size (`[s] * n` is n references but n * len(s) characters once joined), and the methods and
  filters whose result multiplies their inputs (replace, join, translate, indent, wordwrap, expandtabs,
  tojson's indent, format and `%` with repeated fields, `%*d`), estimated before they run; a printed
  value or a call's argument over MAX_VALUE as written (`[ns.x, ns.x]` doubled in a loop);
- MAX_BUILT characters and items built by a page's operations, calls and filters in all (100,000 strings
  each within MAX_VALUE: `range(100000)|map('center', 100000)|list`);
- recursion (a macro calling itself, an include loop): Python's RecursionError, refused as a SecurityError.
Not bounded: CPU of loops that print nothing (range(100000) nested three deep), so a template still
needs review like code; the limits keep one from exhausting the builder's memory.
"""
from __future__ import annotations

import re
from contextvars import ContextVar
from functools import wraps

from jinja2 import Template, nodes
from jinja2.compiler import CodeGenerator, optimizeconst
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import Namespace
from markupsafe import Markup, escape
from markupsafe import _escape_inner   # markupsafe.escape's own C routine (what escape() calls for a str)

MAX_SIZE = 100_000               # range()'s own cap in the sandbox; a page's own strings are ~100 characters
MAX_PAGE = 16 * 1024 * 1024      # the largest page rendered from the project's guides is ~200 kB
MAX_VALUE = MAX_PAGE             # one value built by a template, in characters and items
MAX_BUILT = 4 * MAX_PAGE         # all values a page's operations, calls and filters build (a page: ~1 MB)
_BUILT: ContextVar[list | None] = ContextVar("built", default=None)   # [characters built] of the render
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
        if _size(value) > MAX_VALUE:   # a list nesting references to itself doubles each loop: tojson of it
            raise SecurityError(f"argument of over {MAX_VALUE} characters and items once written")


def _size(value, limit: int = MAX_VALUE) -> int:
    """Characters and items that printing or joining `value` writes, counted until past `limit`: a list
    of references to one string is small in memory and len(list) * len(string) once joined."""
    total, stack = 0, [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, Namespace):   # printed as its attributes
            stack.append(item._Namespace__attrs)
        elif isinstance(item, (list, tuple, set, frozenset, dict)):
            total += len(item)
            if total <= limit:
                stack.extend(item.items() if isinstance(item, dict) else item)
        else:
            total += 1
    return total


def _printable(value):
    if not isinstance(value, str):
        _check_size(_size(value), "printed value")
    return value


def _built(value):
    """`value`, its length counted against the render's MAX_BUILT: 100,000 strings of 100,000 characters
    are each within MAX_VALUE (range|map('center', n)|list, d.update() in a loop)."""
    if isinstance(value, (str, list, tuple, dict, set)):
        _charge(len(value))
    return value


def _charge(size: int) -> None:
    built = _BUILT.get()
    if built is not None:
        built[0] += size
        if built[0] > MAX_BUILT:
            raise SecurityError(f"page built over {MAX_BUILT} characters and items")


def _indented(value, width: int) -> int:
    """Upper bound of json.dumps(value, indent=width): each item and key on a line of depth * width spaces."""
    total, stack = 0, [(value, 1)]
    while stack and total <= MAX_VALUE:
        item, depth = stack.pop()
        size = _size(item, MAX_VALUE) if not isinstance(item, (list, tuple, dict)) else len(item) + 2
        total += size * (6 if isinstance(item, str) else 1) + depth * width   # \u003c: 6 characters for <
        if isinstance(item, (list, tuple, dict)):
            stack.extend((child, depth + 1) for pair in (item.items() if isinstance(item, dict) else
                                                        ((child,) for child in item)) for child in pair)
    return total


def _check_size(estimate: int, what: str) -> None:
    if estimate > MAX_VALUE:
        raise SecurityError(f"{what} of over {MAX_VALUE} characters")


def _fields(text: str, marker: str, values) -> int:
    """Upper bound of a format's result: each field of `text` written as the largest of `values`."""
    largest = max((_size(value) for value in values), default=0)
    return len(text) + text.count(marker) * largest


def _multiplied(name: str, args, kwargs) -> int:
    """Upper bound of the result of a method or filter that multiplies its inputs (0 for the others)."""
    strings = [a for a in args if isinstance(a, str)]   # a filter's context or eval_ctx comes first
    first = strings[0] if strings else ""
    if name == "replace" and len(strings) >= 3:
        old, new = strings[1], strings[2]
        return len(first) + (first.count(old) if old else len(first) + 1) * len(new)
    if name == "join":   # str.join(sep, items) and the filter's (eval_ctx, items, d)
        sep, items = args[:2] if isinstance(args[0], str) else ((*args[2:3], kwargs.get("d", ""))[0], args[1])
        if not hasattr(items, "__len__"):   # a generator (|map): as many items as range() gives at most
            return MAX_SIZE * len(str(sep))
        return _size(items) + len(items) * len(str(sep))
    if name == "indent":
        width = next((a for a in (*args[1:], *kwargs.values()) if isinstance(a, (int, str))), 4)
        return len(first) + (first.count("\n") + 1) * (width if isinstance(width, int) else len(width))
    if name == "wordwrap":
        return len(first) * (1 + len(str(kwargs.get("wrapstring") or "")))
    if name == "tojson":   # (eval_ctx, value, indent): each item on a line indented by its depth
        indent = kwargs.get("indent", args[2] if len(args) > 2 else None)
        return _indented(args[1], len(indent) if isinstance(indent, str) else indent or 0) if len(args) > 1 else 0
    if name == "format":   # the filter: value % (kwargs or args)
        return _fields(first, "%", (*args[1:], *kwargs.values()))
    if name == "translate" and args and isinstance(args[-1], dict):   # each character to at most the longest value
        return len(first) * max((_size(v) for v in args[-1].values()), default=1)
    if name == "expandtabs":
        tabs = next((a for a in args if isinstance(a, int)), kwargs.get("tabsize", 8))
        return len(first) + first.count("\t") * tabs
    return 0


def _escape(value) -> Markup:
    """markupsafe.escape, a str's Markup made by str's own constructor: Markup.__new__'s Python frame (looking
    for an __html__ a str has none of) cost ~1 % of an edition, called for every value a page prints."""
    return str.__new__(Markup, _escape_inner(value)) if type(value) is str else escape(value)


class _CappedTemplate(Template):
    @classmethod
    def from_code(cls, environment, code, globals, uptodate=None):
        template = super().from_code(environment, code, globals, uptodate)
        template.root_render_func.__globals__["escape"] = _escape   # the compiled module's namespace
        return template

    def render(self, *args, **kwargs) -> str:
        pieces, size = [], 0
        token = _BUILT.set([0])
        try:
            for piece in self.generate(*args, **kwargs):
                size += len(piece)
                if size > MAX_PAGE:
                    raise SecurityError(f"page over {MAX_PAGE} characters")
                pieces.append(piece)
        except RecursionError:   # a macro calling itself, an include loop
            raise SecurityError("recursion too deep (a macro calling itself, an include loop?)") from None
        finally:
            _BUILT.reset(token)
        return "".join(pieces)


class LimitedSandbox(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "%", "+"})
    template_class = _CappedTemplate

    def call_binop(self, context, operator, left, right):
        numbers = isinstance(left, int) and isinstance(right, int)
        if operator == "*" and numbers and abs(left).bit_length() + abs(right).bit_length() > MAX_SIZE:
            _refuse("product")
        elif operator == "*":
            for seq, times in ((left, right), (right, left)):
                if hasattr(seq, "__len__") and isinstance(times, int) and _size(seq, MAX_SIZE) * times > MAX_SIZE:
                    _refuse("repetition")
        elif operator == "**" and numbers:
            if right > 0 and abs(left) > 1 and abs(left).bit_length() * right > MAX_SIZE:
                _refuse("power")
        elif operator == "%" and isinstance(left, str):
            _check_widths(left)
            values = right.values() if isinstance(right, dict) else right if isinstance(right, tuple) else (right,)
            _check_arguments(values, {})   # `'%*d' % (n, 1)`: a width among the values
            _check_size(_fields(left, "%", values), "formatted string")
        elif operator == "+" and hasattr(left, "__len__") and hasattr(right, "__len__"):
            _check_size(_size(left) + _size(right), "sum")
        return _built(super().call_binop(context, operator, left, right))

    def concat_operands(self, values: tuple) -> tuple:
        """The operands of `~`, measured before they are joined (compiled in by _Generator)."""
        size = sum(_size(value) for value in values)
        _check_size(size, "concatenation")
        _charge(size)
        return values

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.finalize = _printable   # what `{{ x }}` writes, measured before str(x) is built
        # a filter is called directly by the compiled template, not through call()
        self.filters = {name: _checked(name, func) for name, func in self.filters.items()}

    def call(self, context, obj, *args, **kwargs):
        _check_arguments(args, kwargs)
        if isinstance(getattr(obj, "__self__", None), str):   # a string's method: the string comes first
            _check_size(_multiplied(obj.__name__, (obj.__self__, *args), kwargs), f"str.{obj.__name__}")
        return _built(super().call(context, obj, *args, **kwargs))

    def wrap_str_format(self, value):
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        text = value.__self__   # str.format reached as an attribute: its widths and fields are in the string
        _check_widths(text)

        @wraps(wrapped)
        def measured(*args, **kwargs):
            _check_size(_fields(text, "{", (*args, *kwargs.values())), f"str.{value.__name__}")
            return _built(wrapped(*args, **kwargs))
        return measured


def _checked(name: str, func):
    @wraps(func)   # keeps pass_context & co. (jinja_pass_arg)
    def checked(*args, **kwargs):
        _check_arguments(args[1:], kwargs)
        _check_size(_multiplied(name, args, kwargs), f"filter {name}")
        return _built(func(*args, **kwargs))
    return checked


class _Generator(CodeGenerator):
    @optimizeconst   # constant operands are folded at compile time, bounded by the template's own size
    def visit_Concat(self, node: nodes.Concat, frame) -> None:
        if frame.eval_ctx.volatile:
            func_name = "(markup_join if context.eval_ctx.volatile else str_join)"
        else:
            func_name = "markup_join" if frame.eval_ctx.autoescape else "str_join"
        self.write(f"{func_name}(environment.concat_operands((")   # Jinja 3.1's visit_Concat, its operands measured
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write(")))")


LimitedSandbox.code_generator_class = _Generator
