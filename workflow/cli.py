"""Command line: `workflow extract|init|update|stats|check|pseudo|build|publish|rollback`.

Only argument parsing and printing live here; every command calls the core and formats its result.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

from .model import ERROR, WorkflowError
from .parallel import AUTO_MIN_UNITS


def _console(args):
    from rich.console import Console
    console = Console(stderr=False, quiet=getattr(args, "quiet", False), highlight=False)
    if not console.is_terminal:
        console.width = 160   # logs and pipes: full guide names instead of rich's 80-column default
    return console


def cmd_extract(args, project):
    from .catalogs import commands
    changed = commands.extract(project, args.jobs)
    _console(args).print(f"{len(changed)} template(s) changed" + "".join(f"\n  {c}" for c in changed))
    return 0


def cmd_init(args, project):
    from .catalogs import commands
    for path in commands.init(project, args.lang):
        _console(args).print(f"created {path}")
    return 0


def cmd_update(args, project):
    from .catalogs import commands
    langs = project.select_languages(args.lang)
    changed = commands.update(project, langs)
    _console(args).print(f"{len(changed)} catalog(s) changed" + "".join(f"\n  {c}" for c in changed))
    return 0


def cmd_stats(args, project):
    from .catalogs.commands import domains
    from .catalogs.review import read_catalog, sources
    from .checks.stats import stat
    langs = project.select_languages(args.lang)   # names checked before anything is read or cached
    index = sources(project, eager=True)
    rows = []
    for lang in langs:
        for domain in domains(project):
            cat, _ = read_catalog(project, lang, domain)
            rows.append(stat(lang, domain, cat, index[domain]))
    if args.format == "json":
        print(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=1))
        return 0
    from rich.table import Table
    table = Table(title="Translation coverage")
    for name in ("language", "catalog", "translated", "fuzzy", "untranslated", "obsolete", "coverage"):
        table.add_column(name, justify="right" if name not in ("language", "catalog", "coverage") else "left")
    for r in rows:
        filled = round(r.coverage * 12)
        bar = f"[green]{'█' * filled}[/green][grey37]{'░' * (12 - filled)}[/grey37] {r.coverage:6.1%}"
        table.add_row(r.lang, r.domain, str(r.translated), str(r.fuzzy), str(r.untranslated), str(r.obsolete), bar)
    _console(args).print(table)
    return 0


def cmd_check(args, project):
    from .catalogs.review import check_all
    langs = project.select_languages(args.lang)   # names checked before anything is read or cached
    problems = check_all(project, langs, args.jobs)
    if not args.lang:   # locale folders that are no language: each one an error of its own
        problems = list(project.bad_languages.values()) + problems
    shown = [p for p in problems if getattr(args, "verbose", False) or p.severity != "info"]
    if args.format == "json":
        print(json.dumps([p.as_dict() for p in shown], ensure_ascii=False, indent=1))
    else:
        for p in shown:
            print(p)
        errors = sum(p.severity == ERROR for p in problems)
        warnings = sum(p.severity == "warning" for p in problems)
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return 1 if any(p.severity == ERROR for p in problems) else 0


def cmd_pseudo(args, project):
    from .catalogs.pseudo import pseudo_localize
    for path in pseudo_localize(project, args.lang):
        _console(args).print(f"wrote {path}")
    return 0


def _print_reports(args, reports):
    if args.format == "json":
        print(json.dumps([r.as_dict() for r in reports], ensure_ascii=False, indent=1))
        return
    console = _console(args)
    from rich.table import Table
    table = Table(title="Editions")
    for name in ("language", "status", "release", "coverage", "errors"):
        table.add_column(name)
    for r in reports:
        colour = {"published": "green", "unchanged": "cyan", "built": "green", "refused": "red"}[r.status]
        cover = " ".join(f"{v:.0%}" for v in r.coverage.values())
        table.add_row(r.lang, f"[{colour}]{r.status}[/{colour}]", r.release or "-", cover,
                      str(sum(p.severity == ERROR for p in r.problems)))
    console.print(table)
    for r in reports:
        for p in r.problems:
            if p.severity == ERROR or getattr(args, "verbose", False):
                print(p)  # plain print: diagnostics stay one `path:line:` line each, never wrapped


def _run(args, project, publish: bool):
    broker = args.broker or os.environ.get("WORKFLOW_BROKER")
    if broker:
        from .distributed.dispatch import run_distributed
        reports = run_distributed(project, broker, args.lang, args.guide, publish=publish, quiet=args.quiet)
    else:
        from rich.progress import Progress
        from .publishing.run import run
        with Progress(disable=args.quiet or args.format == "json" or not sys.stderr.isatty(), transient=True) as bar:
            langs = args.lang or None
            task = bar.add_task("building guides", total=None)
            reports = run(project, langs, args.guide, publish=publish, jobs=args.jobs,
                          on_progress=lambda done, total: bar.update(task, completed=done, total=total),
                          on_language=lambda r: bar.update(task, description=f"{r.lang}: {r.status}"))
    _print_reports(args, reports)
    refused = [r.lang for r in reports if r.status == "refused"]
    if refused and args.format != "json":
        print(f"refused: {', '.join(refused)}", file=sys.stderr)
    if publish and args.format != "json" and not args.quiet:
        _print_where(project, [r.lang for r in reports if r.status in ("published", "unchanged")])
    unreported = any(p.check == "report.write" for r in reports for p in r.problems)
    return 1 if refused or unreported else 0


def _print_where(project, langs) -> None:
    """Where a newcomer finds the result and how to look at it."""
    if not langs:
        return
    out = project.output_dir
    try:
        shown = out.resolve().relative_to(os.getcwd())
    except ValueError:
        shown = out
    print(f"\nPublished pages ({shown}/<language>/current/index.html):")
    for lang in langs:
        print(f"  {shown / lang / 'current' / 'index.html'}")
    print(f"Look at them: python3 -m http.server -d {shown} 8000, then open "
          f"http://127.0.0.1:8000/{langs[0]}/current/index.html")


def cmd_build(args, project):
    return _run(args, project, publish=False)


def cmd_publish(args, project):
    return _run(args, project, publish=True)


def cmd_rollback(args, project):
    from .publishing.store import rollback
    if args.lang != project.config.source_language:
        project.select_languages([args.lang])   # unknown codes: an error listing the known ones
    rid = rollback(project.output_dir, args.lang)
    _console(args).print(f"{args.lang}: current release is now {rid}")
    return 0


def cmd_status(args, project):
    from .distributed.record import build_status
    status = build_status(project, args.build_id)
    print(json.dumps(status, ensure_ascii=False, indent=1))
    return 0 if status.get("state") != "failed" else 1


JOBS_HELP = ("{what} in N parallel processes (default auto: one per core when there are at least "
             f"{AUTO_MIN_UNITS} guides x languages, else 1; each process holds the parsed guides)")


def _jobs(value: str) -> int | None:
    if value == "auto":
        return None
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a number of processes (1, 2, ...) or 'auto', not {value!r}")
    return int(value)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="workflow", description="Translate Markdown guides through gettext catalogs "
                                "and publish verified per-language bundles.")
    p.add_argument("--project", default=".", help="project root holding source/, locales/, templates/")
    p.add_argument("--quiet", "-q", action="store_true")
    p.add_argument("--verbose", "-v", action="store_true", help="also show warnings and notes")
    p.add_argument("--debug", action="store_true", help="show the full traceback of an unexpected error")
    sub = p.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)   # so `workflow publish --quiet` works too
    common.add_argument("--quiet", "-q", action="store_true", default=argparse.SUPPRESS)
    common.add_argument("--verbose", "-v", action="store_true", default=argparse.SUPPRESS)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS)
    _add = sub.add_parser
    sub.add_parser = lambda *a, **k: _add(*a, parents=[common], **k)  # noqa: E731
    s = sub.add_parser("extract", help="write locales/templates/*.pot from source/")
    s.add_argument("--jobs", "-j", type=_jobs, default=None, help=JOBS_HELP.format(what="segment guides"))
    s.set_defaults(func=cmd_extract)
    s = sub.add_parser("init", help="start catalogs for a new language")
    s.add_argument("lang")
    s.set_defaults(func=cmd_init)
    s = sub.add_parser("update", help="merge catalogs with the current source (fuzzy, obsolete)")
    s.add_argument("--lang", action="append")
    s.set_defaults(func=cmd_update)
    s = sub.add_parser("stats", help="translated / fuzzy / untranslated per guide and language")
    s.add_argument("--lang", action="append")
    s.add_argument("--format", choices=["table", "json"], default="table")
    s.set_defaults(func=cmd_stats)
    s = sub.add_parser("check", help="QA the catalogs: prints path:line: severity: message [check-id]")
    s.add_argument("--lang", action="append")
    s.add_argument("--format", choices=["text", "json"], default="text")
    s.add_argument("--jobs", "-j", type=_jobs, default=None, help=JOBS_HELP.format(what="check catalogs"))
    s.set_defaults(func=cmd_check)
    s = sub.add_parser("pseudo", help="fill a pseudo-locale catalog (default en_XA) with accented, longer text")
    s.add_argument("lang", nargs="?", default="en_XA")
    s.set_defaults(func=cmd_pseudo)
    for name, func, text in (("build", cmd_build, "build and verify editions (no publish)"),
                             ("publish", cmd_publish, "build and publish each language that passes its gates")):
        s = sub.add_parser(name, help=text)
        s.add_argument("--lang", action="append")
        s.add_argument("--guide", action="append")
        s.add_argument("--format", choices=["table", "json"], default="table")
        s.add_argument("--broker", help="Celery broker URL (or WORKFLOW_BROKER); default: in-process")
        s.add_argument("--jobs", "-j", type=_jobs, default=None,
                       help=JOBS_HELP.format(what="build languages") + "; in-process builds only")
        s.set_defaults(func=func)
    s = sub.add_parser("rollback", help="switch a language back to its previous release")
    s.add_argument("lang")
    s.set_defaults(func=cmd_rollback)
    s = sub.add_parser("status", help="progress and failures of a distributed build")
    s.add_argument("build_id")
    s.set_defaults(func=cmd_status)
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    try:
        from .project import Project
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
        detail = " ".join(_redacted(str(exc), args).split())
        detail = detail if len(detail) <= 120 else detail[:117] + "..."   # never a whole file's text
        print(f"workflow {args.command}: unexpected {type(exc).__name__}: {detail}\n"
              f"  (a bug; run again with --debug for the traceback)", file=sys.stderr)
        return 2


def _redacted(text: str, args) -> str:
    """Errors never show a broker password (of --broker or WORKFLOW_BROKER), whatever quoted it."""
    if "://" not in text and not getattr(args, "broker", None) and not os.environ.get("WORKFLOW_BROKER"):
        return text
    from .distributed.app import redact
    return redact(text, getattr(args, "broker", None))


def _reader_went_away() -> int:
    """`workflow ... | head` closed the pipe: stop quietly, like cat; 141 is the shell's SIGPIPE status."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())   # so the interpreter's final flush does not fail again
    except (OSError, ValueError):
        pass
    return 141


if __name__ == "__main__":
    sys.exit(main())
