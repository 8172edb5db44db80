"""Command line: `workflow extract|init|update|stats|check|pseudo|build|publish|rollback`.

Only argument parsing and printing live here; every command calls the core and formats its result.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

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
    from .catalogs import merge
    langs = project.select_languages(args.lang)
    changed = merge.update(project, langs)
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
    from .catalogs.review import check_all, todo_lists
    langs = project.select_languages(args.lang)   # names checked before anything is read or cached
    problems = check_all(project, langs, args.jobs)
    shown = [p for p in problems if getattr(args, "verbose", False) or p.severity != "info"]
    if args.todo:
        shown += [p for t in todo_lists(project, langs) for p in t.items]
    if args.format == "json":
        print(json.dumps([p.as_dict() for p in shown], ensure_ascii=False, indent=1))
    else:
        for p in shown:
            print(p)
        errors = sum(p.severity == ERROR for p in problems)
        warnings = sum(p.severity == "warning" for p in problems)
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return 1 if any(p.severity == ERROR for p in problems) else 0


def cmd_todo(args, project):
    from .catalogs.review import todo_lists
    langs = project.select_languages(args.lang)
    guides = project.select_guides(args.guide) if args.guide else None
    lists = todo_lists(project, langs, guides)
    if args.format == "json":
        print(json.dumps([t.as_dict() for t in lists], ensure_ascii=False, indent=1))
        return 0
    from .checks.todo import text_report
    lines, totals = text_report(lists, langs)
    print("\n".join(lines), end="\n" if lines else "")
    print("\n".join(totals), file=sys.stderr)
    return 0


def cmd_tm_export(args, project):
    from .catalogs.tm import export_tmx
    lang = project.select_languages([args.lang])[0]
    data, count = export_tmx(project, lang, None if args.output == "-" else Path(args.output))
    if args.output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    if not args.quiet:
        print(f"{lang}: {count} unit(s) written to {args.output}", file=sys.stderr)
    return 0


def cmd_tm_import(args, project):
    from .catalogs.tm import import_tmx
    langs = project.select_languages(args.lang) if args.lang else None
    changed, problems = import_tmx(project, Path(args.file), langs)
    for p in problems:
        print(p)
    _console(args).print(f"{len(changed)} catalog(s) changed" + "".join(f"\n  {c}" for c in changed))
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
    return 1 if refused else 0


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
LANG_HELP = ("language code as in locales/ (ja, zh_CN); repeat or separate with commas (--lang ja,es); "
             "default: every language")
GUIDE_HELP = "guide name (source/NAME.md); repeat or separate with commas; default: every guide"
QUIET_HELP = "print only problems and errors: no progress bar, tables or summaries"
VERBOSE_HELP = ("also print notes: check adds fuzzy/obsolete counts (info), build and publish add warnings "
                "and notes (without -v they print errors only; check always prints warnings)")


def _jobs(value: str) -> int | None:
    if value == "auto":
        return None
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a number of processes (1, 2, ...) or 'auto', not {value!r}")
    return int(value)


def _names(value: str) -> list[str]:
    from .names import split_languages
    names = split_languages(value)
    if not names:   # `--lang ,` must not quietly mean every language
        raise argparse.ArgumentTypeError(f"expected one or more names separated by commas, not {value[:40]!r}")
    return names


def _add_lang(s, guide: bool = False) -> None:
    s.add_argument("--lang", type=_names, action="extend", metavar="L", help=LANG_HELP)
    if guide:
        s.add_argument("--guide", type=_names, action="extend", metavar="G", help=GUIDE_HELP)


def _subparsers(p: argparse.ArgumentParser):
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)   # so `workflow publish --quiet` works too
    common.add_argument("--quiet", "-q", action="store_true", default=argparse.SUPPRESS, help=QUIET_HELP)
    common.add_argument("--verbose", "-v", action="store_true", default=argparse.SUPPRESS, help=VERBOSE_HELP)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show the full traceback of an unexpected error")

    def add(name: str, summary: str, description: str, func):
        s = sub.add_parser(name, parents=[common], help=summary, description=description)
        s.set_defaults(func=func)
        return s
    add.common = common   # for nested subcommands (tm export|import)
    return add


def _catalog_commands(add) -> None:
    s = add("extract", "write locales/templates/*.pot from source/",
            "Segment every guide of source/ and write its template (locales/templates/GUIDE.pot), plus ui.pot "
            "for the page templates and the facts registry. A template whose only change is a date is not "
            "rewritten.", cmd_extract)
    s.add_argument("--jobs", "-j", type=_jobs, default=None, help=JOBS_HELP.format(what="segment guides"))
    s = add("init", "start catalogs for a new language",
            "Create locales/LANG/LC_MESSAGES/*.po for a new language, plural forms from CLDR.", cmd_init)
    s.add_argument("lang", help="the new language's code (pt_BR, ko)")
    s = add("update", "merge catalogs with the source; prefill from the translation memory",
            "Bring each catalog up to date with the source: changed text becomes fuzzy (old source kept as "
            "#| msgid), removed translated text obsolete. New and changed entries are prefilled from the "
            "translation memory, the project's approved translations in the language: the same text as "
            "translated, a close one "
            "(memory.min_similarity in workflow.yaml) as fuzzy with a comment naming where it came from.",
            cmd_update)
    _add_lang(s)
    s = add("stats", "translated / fuzzy / untranslated per guide and language",
            "Coverage of each catalog against the current source, with bars.", cmd_stats)
    _add_lang(s)
    s.add_argument("--format", choices=["table", "json"], default="table")
    s = add("check", "QA the catalogs: prints path:line: severity: message [check-id]",
            "Check every catalog entry (placeholders, numbers, legal text, markup, injection, glossary...). "
            "Prints errors and warnings as path:line: severity: message [check-id]; exit 1 on any error.",
            cmd_check)
    _add_lang(s)
    s.add_argument("--todo", action="store_true", help="also list every fuzzy and untranslated entry at its line")
    s.add_argument("--format", choices=["text", "json"], default="text")
    s.add_argument("--jobs", "-j", type=_jobs, default=None, help=JOBS_HELP.format(what="check catalogs"))
    s = add("todo", "list the fuzzy and untranslated entries, each at its own line",
            "The translator's to-do list: every fuzzy and untranslated entry as path:line: info: fuzzy: "
            "<start of the text>, grouped by catalog with counts.", cmd_todo)
    _add_lang(s, guide=True)
    s.add_argument("--format", choices=["text", "json"], default="text")
    s = add("pseudo", "fill a pseudo-locale catalog (default en_XA) with accented, longer text",
            "Fill a pseudo-locale's catalogs with accented text ~35 % longer, placeholders and markup kept, "
            "to try layouts without translations.", cmd_pseudo)
    s.add_argument("lang", nargs="?", default="en_XA")


def _tm_commands(add) -> None:
    s = add("tm", "export or import the translation memory (TMX 1.4)",
            "Exchange the translation memory with OmegaT, Trados or Weblate as TMX 1.4.", None)
    tm = s.add_subparsers(dest="tm_command", required=True, metavar="ACTION")
    e = tm.add_parser("export", parents=[add.common], help="write a language's approved translations as TMX 1.4",
                      description="Write every approved translation of one language (all guides and ui.po; "
                                  "translated, not fuzzy, no check error) as a TMX 1.4 file.")
    e.add_argument("--lang", required=True, metavar="L", help="the language to export (ja, zh_CN)")
    e.add_argument("-o", "--output", required=True, metavar="FILE", help="the TMX file to write ('-': stdout)")
    e.set_defaults(func=cmd_tm_export)
    i = tm.add_parser("import", parents=[add.common], help="prefill catalogs from a TMX file",
                      description="Prefill every catalog of the languages a TMX file holds (or --lang) as "
                                  "`update` does from the project's memory: the same text as translated "
                                  "(fuzzy if it fails a check), a close one as fuzzy; translated entries are "
                                  "never changed.")
    i.add_argument("file", help="a TMX 1.4 file")
    _add_lang(i)
    i.set_defaults(func=cmd_tm_import)


def _build_commands(add) -> None:
    for name, func, text, description in (
            ("build", cmd_build, "build and verify editions (no publish)",
             "Build every edition (guide x language), verify the rendered pages and report; nothing is published."),
            ("publish", cmd_publish, "build and publish each language that passes its gates",
             "Build what changed and publish each language that passes its gates into output/; a refused "
             "language keeps its last release.")):
        s = add(name, text, description, func)
        _add_lang(s, guide=True)
        s.add_argument("--format", choices=["table", "json"], default="table")
        s.add_argument("--broker", help="Celery broker URL (or WORKFLOW_BROKER); default: in-process")
        s.add_argument("--jobs", "-j", type=_jobs, default=None,
                       help=JOBS_HELP.format(what="build languages") + "; in-process builds only")
    s = add("rollback", "switch a language back to its previous release",
            "Point output/LANG/current back at the previous release.", cmd_rollback)
    s.add_argument("lang")
    s = add("status", "progress and failures of a distributed build",
            "Per-language progress and failures of a build started with --broker.", cmd_status)
    s.add_argument("build_id")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="workflow", description="Translate Markdown guides through gettext catalogs "
                                "and publish verified per-language bundles.")
    p.add_argument("--project", default=".", help="project root holding source/, locales/, templates/")
    p.add_argument("--quiet", "-q", action="store_true", help=QUIET_HELP)
    p.add_argument("--verbose", "-v", action="store_true", help=VERBOSE_HELP)
    p.add_argument("--debug", action="store_true", help="show the full traceback of an unexpected error")
    add = _subparsers(p)
    _catalog_commands(add)
    _tm_commands(add)
    _build_commands(add)
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    try:
        from .project import Project
        project = Project(args.project)
        return args.func(args, project)
    except WorkflowError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; nothing half-published (the previous release stays current)", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return _reader_went_away()
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, not a traceback
        if args.debug:
            raise
        detail = " ".join(str(exc).split())
        detail = detail if len(detail) <= 120 else detail[:117] + "..."   # never a whole file's text
        print(f"workflow {args.command}: unexpected {type(exc).__name__}: {detail}\n"
              f"  (a bug; run again with --debug for the traceback)", file=sys.stderr)
        return 2


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
