"""The commands: each calls the core and prints its result (tables, progress, problems, where pages are)."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from ..model import ERROR


def _console(args):
    from rich.console import Console
    console = Console(stderr=False, quiet=getattr(args, "quiet", False), highlight=False)
    if not console.is_terminal:
        console.width = 160   # logs and pipes: full guide names instead of rich's 80-column default
    return console


def cmd_extract(args, project):
    from ..catalogs import commands
    changed, problems = commands.extract(project, args.jobs)
    _console(args).print(f"{len(changed)} template(s) changed" + "".join(f"\n  {c}" for c in changed))
    for p in problems:
        print(p)
    return 1 if problems else 0


def cmd_init(args, project):
    from ..catalogs import commands
    from ..catalogs.sources import sources
    project.check_new_language(args.lang)   # names checked before any guide is parsed or cached
    index = sources(project)
    for path in commands.init(project, args.lang, index.readable(project.guides)):
        _console(args).print(f"created {path}")
    return _broken(index.problems)


def cmd_update(args, project):
    from ..catalogs import merge
    langs = project.select_languages(args.lang)
    changed, problems = merge.update(project, langs)
    _console(args).print(f"{len(changed)} catalog(s) changed" + "".join(f"\n  {c}" for c in changed))
    return _broken(problems)


def _broken(problems, file=None) -> int:
    """Print the problems of the guides that do not parse (the command went on without them); 1 if any.
    `file`: stderr for a command whose stdout is its data (a table, JSON)."""
    for p in problems:
        print(p, file=file)
    return 1 if problems else 0


def cmd_stats(args, project):
    from ..catalogs.review import read_catalog
    from ..catalogs.sources import domains, sources
    from ..checks.stats import stat
    langs = project.select_languages(args.lang)   # names checked before anything is read or cached
    index = sources(project)
    readable = index.readable(domains(project))
    rows = []
    for lang in langs:
        for domain in readable:
            cat, _ = read_catalog(project, lang, domain)
            rows.append(stat(lang, domain, cat, index[domain]))
    if args.format == "json":
        print(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=1))
        return _broken(index.problems, sys.stderr)
    from rich.table import Table
    table = Table(title="Translation coverage")
    for name in ("language", "catalog", "translated", "fuzzy", "untranslated", "obsolete", "coverage"):
        table.add_column(name, justify="right" if name not in ("language", "catalog", "coverage") else "left")
    for r in rows:
        filled = round(r.coverage * 12)
        bar = f"[green]{'█' * filled}[/green][grey37]{'░' * (12 - filled)}[/grey37] {r.coverage:6.1%}"
        table.add_row(r.lang, r.domain, str(r.translated), str(r.fuzzy), str(r.untranslated), str(r.obsolete), bar)
    _console(args).print(table)
    return _broken(index.problems, sys.stderr)


def cmd_check(args, project):
    from ..catalogs.review import check_all
    langs = project.select_languages(args.lang)   # names checked before anything is read or cached
    problems, todo = check_all(project, langs, args.jobs, with_todo=args.todo)
    if not args.lang:   # locale folders that are no language: each one an error of its own
        problems = list(project.bad_languages.values()) + problems
    shown = [p for p in problems if getattr(args, "verbose", False) or p.severity != "info"] + todo
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
    from ..catalogs.review import todo_lists
    from ..catalogs.sources import sources
    langs = project.select_languages(args.lang)
    guides = project.select_guides(args.guide) if args.guide else None
    index = sources(project)
    lists = todo_lists(project, langs, guides, index)
    if args.format == "json":
        print(json.dumps([t.as_dict() for t in lists], ensure_ascii=False, indent=1))
        return _broken(index.problems, sys.stderr)
    from ..checks.todo import text_report
    lines, totals = text_report(lists, langs)
    print("\n".join(lines), end="\n" if lines else "")
    print("\n".join(totals), file=sys.stderr)
    return _broken(index.problems, sys.stderr)


def cmd_tm_export(args, project):
    from ..catalogs.tm import export_tmx
    lang = project.select_languages([args.lang])[0]
    data, count, problems = export_tmx(project, lang, None if args.output == "-" else Path(args.output))
    if args.output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    if not args.quiet:
        print(f"{lang}: {count} unit(s) written to {args.output}", file=sys.stderr)
    return _broken(problems, sys.stderr)


def cmd_tm_import(args, project):
    from ..catalogs.tm import import_tmx
    langs = project.select_languages(args.lang) if args.lang else None
    changed, problems = import_tmx(project, Path(args.file), langs)
    for p in problems:
        print(p)
    _console(args).print(f"{len(changed)} catalog(s) changed" + "".join(f"\n  {c}" for c in changed))
    return 1 if any(p.severity == ERROR for p in problems) else 0


def cmd_pseudo(args, project):
    from ..catalogs.pseudo import pseudo_localize
    written, problems = pseudo_localize(project, args.lang)
    # as update and tm import say it: a run that changed nothing says so rather than nothing
    _console(args).print(f"{len(written)} catalog(s) changed" + "".join(f"\n  {c}" for c in written))
    return _broken(problems)


STATUS_COLOURS = {"published": "green", "unchanged": "cyan", "built": "green", "pinned": "yellow", "refused": "red"}
GUIDE_MARKS = {"built": "", "kept": " (kept)", "source": " (English)", "missing": " (missing)", "refused": " (refused)"}


def _print_reports(args, reports):
    if args.format == "json":
        print(json.dumps([r.as_dict() for r in reports], ensure_ascii=False, indent=1))
        return
    if getattr(args, "quiet", False):   # rich lays a table out even to print nothing (0.3 s for 300 guides x 10
        _print_problems(args, reports)  # languages), and importing it costs ~30 ms
        return
    console = _console(args)
    from rich.table import Table
    table = Table(title="Editions")
    for name in ("language", "status", "release", "guides", "refused", "errors"):
        table.add_column(name)
    for r in reports:
        colour = STATUS_COLOURS.get(r.status, "white")
        guides = "\n".join(f"{g}{GUIDE_MARKS.get(state, '')} {r.coverage.get(g, 0):.0%}" for g, state in r.guides.items())
        table.add_row(r.lang, f"[{colour}]{r.status}[/{colour}]", r.release or "-", guides,
                      ", ".join(r.refused_guides) or "-", str(sum(p.severity == ERROR for p in r.problems)))
    console.print(table)
    _print_problems(args, reports)


def _print_problems(args, reports) -> None:
    seen = set()   # a problem every language meets (a guide that does not parse, report.json not written): printed once
    for r in reports:
        for p in r.problems:
            if p not in seen and (p.severity == ERROR or p.check in ("publish.stand-in", "publish.pinned")
                                  or getattr(args, "verbose", False)):
                seen.add(p)
                print(p)  # plain print: diagnostics stay one `path:line:` line each, never wrapped


class _NoProgress:
    """What _run asks of rich's Progress, doing nothing: a quiet or piped build does not import rich."""
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def add_task(self, *args, **kwargs):
        return 0

    def update(self, *args, **kwargs):
        pass


def _progress(hidden: bool):
    if hidden:
        return _NoProgress()
    from rich.progress import Progress
    return Progress(transient=True)


def _run(args, project, publish: bool):
    from ..publishing.plan import make_plan
    plan = make_plan(project, args.lang, args.guide, publish)
    broker = args.broker or os.environ.get("WORKFLOW_BROKER")
    with _progress(args.quiet or args.format == "json" or not sys.stderr.isatty()) as bar:
        task = bar.add_task("building guides", total=None)
        progress = lambda done, total: bar.update(task, completed=done, total=total)  # noqa: E731
        on_language = lambda r: bar.update(task, description=f"{r.lang}: {r.status}")  # noqa: E731
        if broker:
            from ..distributed.dispatch import run_distributed
            on_dispatch = None if args.quiet else lambda build_id, where: print(   # stderr: stdout may be JSON
                f"build {build_id}: {len(plan.editions)} edition(s) in {len(plan.languages)} language(s) on "
                f"{where}; `workflow status {build_id}`, `workflow cancel {build_id}`", file=sys.stderr)
            reports = run_distributed(project, broker, plan, on_dispatch=on_dispatch, on_progress=progress,
                                      on_language=on_language)
        else:
            from ..publishing.run import run
            reports = run(project, plan, jobs=args.jobs, on_progress=progress, on_language=on_language)
    _print_reports(args, reports)
    failed = [f"{r.lang}" + (f" ({', '.join(r.refused_guides + r.occupied)})" if r.refused_guides or r.occupied else "")
              for r in reports if r.failed]
    if failed and args.format != "json":
        print(f"refused: {'; '.join(failed)}", file=sys.stderr)
    if publish and args.format != "json" and not args.quiet:
        _print_where(project, [r.lang for r in reports if r.status in ("published", "unchanged", "pinned")])
    unreported = any(p.check == "report.write" for r in reports for p in r.problems)
    return 1 if failed or unreported else 0


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
    print(f"Look at them: python3 -m http.server -d {shown} 8000, then open http://127.0.0.1:8000/ "
          "(the language chooser)")


def cmd_build(args, project):
    return _run(args, project, publish=False)


def cmd_publish(args, project):
    return _run(args, project, publish=True)


def _language_arg(project, lang: str) -> str:
    if lang != project.config.source_language:
        project.select_languages([lang])   # unknown codes: an error listing the known ones
    return lang


def cmd_rollback(args, project):
    from ..publishing.releases import rollback
    from ..publishing.site import Site
    site = Site.of(project)
    rid = rollback(project.output_dir, _language_arg(project, args.lang), args.to, site)
    _console(args).print(f"{args.lang}: current release is now {rid}")
    return _site_problems(site)


def _site_problems(site) -> int:
    """What a switch could not write (a page whose path something else holds): printed, exit 1."""
    for problem in site.problems:
        print(problem, file=sys.stderr)
    return 1 if any(p.severity == ERROR for p in site.problems) else 0


def cmd_releases(args, project):
    from datetime import datetime
    from ..publishing.releases import list_releases
    rows = list_releases(project.output_dir, _language_arg(project, args.lang))
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    from rich.table import Table
    table = Table(title=f"Releases of {args.lang} (oldest first)")
    for name in ("release", "built", "guides", "coverage", "stand-ins", ""):
        table.add_column(name)
    for r in rows:
        built = datetime.fromtimestamp(r["build_time"]).astimezone().strftime("%Y-%m-%d %H:%M %Z") \
            if isinstance(r["build_time"], (int, float)) else "-"
        marks = " ".join(m for m, on in (("current", r["current"]), ("pinned", r["pinned"])) if on)
        cover = f"{r['coverage']:.0%}" if r["coverage"] is not None else "-"
        table.add_row(r["release"], built, str(r["guides"]), cover, ", ".join(r["stand_ins"]) or "-", marks)
    _console(args).print(table)
    return 0


def cmd_pin(args, project):
    from ..publishing.releases import pin
    from ..publishing.site import Site
    site = Site.of(project)
    rid = pin(project.output_dir, _language_arg(project, args.lang), args.release, site)
    _console(args).print(f"{args.lang}: pinned to {rid}; `workflow publish` leaves it there until `workflow unpin "
                         f"{args.lang}`")
    return _site_problems(site)


def cmd_unpin(args, project):
    from ..publishing.releases import unpin
    was = unpin(project.output_dir, _language_arg(project, args.lang))
    _console(args).print(f"{args.lang}: " + (f"unpinned (was {was})" if was else "was not pinned"))
    return 0


def _local_time(stamp) -> str:
    from datetime import datetime
    if not isinstance(stamp, (int, float)):
        return "-"
    return datetime.fromtimestamp(stamp).astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")


def _print_status(args, status: dict) -> None:
    from rich.table import Table
    console = _console(args)
    console.print(f"build {status['id']}: [bold]{status['state']}[/bold]  started {_local_time(status['created'])}"
                  f"  finished {_local_time(status.get('finished'))}"
                  + (f"  cancelled {_local_time(status['cancelled'])}" if status.get("cancelled") else ""))
    table = Table()
    for name in ("language", "state", "editions", "release", "guides", "retries"):
        table.add_column(name)
    for lang, info in status["languages"].items():
        colour = STATUS_COLOURS.get(info["status"], "white")
        guides = "\n".join(f"{g}{GUIDE_MARKS.get(v, '')}" for g, v in (info.get("guides") or {}).items()) or "-"
        table.add_row(lang, f"[{colour}]{info['status']}[/{colour}]",
                      f"{info['editions_done']} / {info['editions_total']}", info.get("release") or "-", guides,
                      str(info.get("retries", 0)))
    console.print(table)
    for lang, info in status["languages"].items():
        for line in (info.get("problems") or []) + (info.get("failures") or []):
            print(line if line.split(":", 1)[0].strip() else f"{lang}: {line}")


def cmd_status(args, project):
    from ..distributed.record import build_status
    status = build_status(project, args.build_id)
    if args.format == "json":
        print(json.dumps(status, ensure_ascii=False, indent=1))
    else:
        _print_status(args, status)
    return 0 if status.get("state") not in ("failed", "cancelled") else 1


def cmd_cancel(args, project):
    from ..distributed.app import DEFAULT_BROKER
    from ..distributed.dispatch import cancel_build
    broker = args.broker or os.environ.get("WORKFLOW_BROKER") or DEFAULT_BROKER
    status = cancel_build(project, args.build_id, broker)
    _console(args).print(f"build {args.build_id}: cancelled; languages not yet published stay on their current "
                         "release")
    if args.format == "json":
        print(json.dumps(status, ensure_ascii=False, indent=1))
    return 0
