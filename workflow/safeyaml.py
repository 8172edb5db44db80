"""The one YAML loader of the product: guide front matter, workflow.yaml, facts.yaml and glossary.yaml all
arrive in pull requests, so every YAML text is read here, under limits that make its cost linear in its
size and bounded:
- anchors and aliases (`&a`, `*a`, and so `<<: *a`) are refused at their line: an alias costs nothing
  in the file and its whole anchor in memory, so 12 levels of 9 aliases (a few hundred bytes) build
  9**12 list items and exhaust memory; none of the project's files needs one;
- nesting deeper than MAX_DEPTH is refused at its line: PyYAML's composer recurses per level and a
  flow sequence opened ~1,000 times (`[[[[...`) is a RecursionError, not a message;
- an integer of MAX_INT or more is refused at its line: `0x` + 20,000 digits is built (only decimal digits
  are limited by Python) and then fails wherever it is printed;
- a text over MAX_CHARS is refused before parsing: PyYAML keeps ~600 bytes of nodes per scalar, so the size
  is what bounds memory once aliases are gone.
Errors are WorkflowError at the file and line (first_line: the file line of the text's first line).
"""
from __future__ import annotations

import yaml

from .model import WorkflowError

MAX_DEPTH = 32              # the project's files nest 4 levels at most
MAX_CHARS = 256 * 1024      # the project's largest YAML file is 2 kB, a guide's front matter < 1 kB
MAX_INT = 10 ** 1000        # hex, binary and base-60 integers escape Python's 4,300-digit limit on int(str)


class _Refused(yaml.MarkedYAMLError):
    pass


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader whose composer refuses anchors, aliases and deep nesting before building."""

    def __init__(self, text: str):
        super().__init__(text)
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(problem="anchors and aliases (&name, *name) are not accepted; write the value out",
                           problem_mark=event.start_mark)
        if self._depth >= MAX_DEPTH:
            raise _Refused(problem=f"nested deeper than {MAX_DEPTH} levels", problem_mark=event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_int(self, node):
        """An integer, refused at its line when too long to print (str() of it raised where it was shown)."""
        value = super().construct_yaml_int(node)
        if abs(value) >= MAX_INT:
            raise _Refused(problem="integer of over 1000 digits; write it in quotes", problem_mark=node.start_mark)
        return value


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)


def compose(text: str, shown: str, check: str, first_line: int = 1, what: str = "YAML"):
    """(node, data) of one YAML document: the node keeps every key's mark (None, None for an empty text)."""
    if len(text) > MAX_CHARS:
        raise WorkflowError.at(shown, first_line, f"{what} of {len(text)} characters, over the {MAX_CHARS} "
                                                  f"limit; not parsed", check)
    loader = None
    try:
        loader = _Loader(text)   # its reader refuses control characters of the whole text here
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    except yaml.YAMLError as exc:
        line = first_line + _mark_line(exc)
        raise WorkflowError.at(shown, line, f"malformed {what}: {getattr(exc, 'problem', None) or exc}",
                               check) from None
    except (ValueError, TypeError) as exc:  # YAML that parses but cannot be built, e.g. `date: 2026-13-45`
        line = first_line + _unbuildable_row(text)
        raise WorkflowError.at(shown, line, f"malformed {what}: {exc}", check) from None
    finally:
        if loader is not None:
            loader.dispose()


def load(text: str, shown: str, check: str, first_line: int = 1, what: str = "YAML"):
    return compose(text, shown, check, first_line, what)[1]


def _mark_line(exc: yaml.YAMLError) -> int:
    """0-based line of the error: where an unclosed token started when the scanner says so, else the problem."""
    scanning = isinstance(exc, yaml.scanner.ScannerError) and getattr(exc, "context_mark", None)
    mark = exc.context_mark if scanning else getattr(exc, "problem_mark", None)
    return mark.line if mark else 0


def _unbuildable_row(text: str) -> int:
    """0-based row whose value alone cannot be built (each row read by the same limited loader)."""
    for number, row in enumerate(text.split("\n")):
        try:
            loader = _Loader(row)
            loader.get_single_data()
            loader.dispose()
        except (ValueError, TypeError):
            return number
        except yaml.YAMLError:
            continue
    return 0
