"""Command line: `workflow extract|init|update|stats|check|todo|tm|pseudo|build|publish|rollback|releases|
pin|unpin|status|cancel`.

Only argument parsing (`arguments`) and printing (`commands`) live in this package; every command calls
the core and formats its result. `main` turns what goes wrong into an exit status and one line.
"""
from __future__ import annotations

import os
import sys

from ..model import WorkflowError, one_line
from ..parallel import tune_collector
from .arguments import parser


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    tune_collector()
    try:
        from ..project import Project
        project = Project(args.project)
        return args.func(args, project)
    except WorkflowError as exc:
        print(_redacted(str(exc), args), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; nothing half-published (the previous release stays current)", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return _reader_went_away()
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, not a traceback
        if args.debug:
            raise
        detail = one_line(_redacted(str(exc), args), 120)   # never a whole file's text
        print(f"workflow {args.command}: unexpected {type(exc).__name__}: {detail}\n"
              f"  (a bug; run again with --debug for the traceback)", file=sys.stderr)
        return 2


def _redacted(text: str, args) -> str:
    """Errors never show a broker password (of --broker or WORKFLOW_BROKER), whatever quoted it."""
    if "://" not in text and not getattr(args, "broker", None) and not os.environ.get("WORKFLOW_BROKER"):
        return text
    from ..distributed.app import redact
    return redact(text, getattr(args, "broker", None))


def _reader_went_away() -> int:
    """`workflow ... | head` closed the pipe: stop quietly, like cat; 141 is the shell's SIGPIPE status."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())   # so the interpreter's final flush does not fail again
    except (OSError, ValueError):
        pass
    return 141
