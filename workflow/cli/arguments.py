"""The argument parser: every command, its help and its options. Commands are looked up in `commands`
when the parser is built, so a test can replace one."""
from __future__ import annotations

import argparse

from ..parallel import AUTO_MIN_UNITS
from . import commands


JOBS_HELP = ("{what} in N parallel processes (default auto: one per core when there are at least "
             f"{AUTO_MIN_UNITS} guides x languages to do (build, publish: editions not in the cache), else 1; "
             "each process holds the parsed guides)")
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
    from ..names import split_languages
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
            "rewritten.", commands.cmd_extract)
    s.add_argument("--jobs", "-j", type=_jobs, default=None, help=JOBS_HELP.format(what="segment guides"))
    s = add("init", "start catalogs for a new language",
            "Create locales/LANG/LC_MESSAGES/*.po for a new language, plural forms from CLDR.", commands.cmd_init)
    s.add_argument("lang", help="the new language's code (pt_BR, ko)")
    s = add("update", "merge catalogs with the source; prefill from the translation memory",
            "Bring each catalog up to date with the source: changed text becomes fuzzy (old source kept as "
            "#| msgid), removed translated text obsolete. New and changed entries are prefilled from the "
            "translation memory, the project's approved translations in the language: the same text as "
            "translated, a close one "
            "(memory.min_similarity in workflow.yaml) as fuzzy with a comment naming where it came from.",
            commands.cmd_update)
    _add_lang(s)
    s = add("stats", "translated / fuzzy / untranslated per guide and language",
            "Coverage of each catalog against the current source, with bars.", commands.cmd_stats)
    _add_lang(s)
    s.add_argument("--format", choices=["table", "json"], default="table")
    s = add("check", "QA the catalogs: prints path:line: severity: message [check-id]",
            "Check every catalog entry (placeholders, numbers, legal text, markup, injection, glossary...). "
            "Prints errors and warnings as path:line: severity: message [check-id]; exit 1 on any error.",
            commands.cmd_check)
    _add_lang(s)
    s.add_argument("--todo", action="store_true", help="also list every fuzzy and untranslated entry at its line")
    s.add_argument("--format", choices=["text", "json"], default="text")
    s.add_argument("--jobs", "-j", type=_jobs, default=None, help=JOBS_HELP.format(what="check catalogs"))
    s = add("todo", "list the fuzzy and untranslated entries, each at its own line",
            "The translator's to-do list: every fuzzy and untranslated entry as path:line: info: fuzzy: "
            "<start of the text>, grouped by catalog with counts.", commands.cmd_todo)
    _add_lang(s, guide=True)
    s.add_argument("--format", choices=["text", "json"], default="text")
    s = add("pseudo", "fill a pseudo-locale catalog (default en_XA) with accented, longer text",
            "Fill a pseudo-locale's catalogs with accented text ~35 % longer, placeholders and markup kept, "
            "to try layouts without translations.", commands.cmd_pseudo)
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
    e.set_defaults(func=commands.cmd_tm_export)
    i = tm.add_parser("import", parents=[add.common], help="prefill catalogs from a TMX file",
                      description="Prefill every catalog of the languages a TMX file holds (or --lang) as "
                                  "`update` does from the project's memory: the same text as translated "
                                  "(fuzzy if it fails a check), a close one as fuzzy; translated entries are "
                                  "never changed.")
    i.add_argument("file", help="a TMX 1.4 file")
    _add_lang(i)
    i.set_defaults(func=commands.cmd_tm_import)


def _build_commands(add) -> None:
    for name, func, text, description in (
            ("build", commands.cmd_build, "build and verify editions (no publish)",
             "Build every edition (guide x language), verify the rendered pages and report; nothing is published."),
            ("publish", commands.cmd_publish, "build and publish each language that passes its gates",
             "Build what changed and publish each language that passes its gates into output/; a refused "
             "language keeps its last release.")):
        s = add(name, text, description, func)
        _add_lang(s, guide=True)
        s.add_argument("--format", choices=["table", "json"], default="table")
        s.add_argument("--broker", help="Celery broker URL (or WORKFLOW_BROKER); default: in-process")
        s.add_argument("--jobs", "-j", type=_jobs, default=None,
                       help=JOBS_HELP.format(what="build languages") + "; in-process builds only")
    _release_commands(add)


def _release_commands(add) -> None:
    """releases, rollback, pin, unpin (dist/ on this machine); status, cancel (a distributed build)."""
    s = add("rollback", "switch a language back to its previous release (or --to ID)",
            "Point output/LANG/current back at the previous kept release, or at --to ID.", commands.cmd_rollback)
    s.add_argument("lang")
    s.add_argument("--to", help="a release id from `workflow releases LANG`")
    s = add("releases", "a language's kept releases: date, guides, coverage, current, pinned",
            "List the releases kept for LANG, newest first, with the current and pinned ones marked.", commands.cmd_releases)
    s.add_argument("lang")
    s.add_argument("--format", choices=["table", "json"], default="table")
    s = add("pin", "hold a language on a release (default: its current one); publish leaves it",
            "Pin LANG to RELEASE (default: the current one): publish builds but does not switch it.", commands.cmd_pin)
    s.add_argument("lang")
    s.add_argument("release", nargs="?")
    s = add("unpin", "let publish move a pinned language again", "Remove LANG's pin.", commands.cmd_unpin)
    s.add_argument("lang")
    s = add("status", "progress and failures of a distributed build (times in local time)",
            "Per-language and per-guide progress and failures of a build started with --broker.", commands.cmd_status)
    s.add_argument("build_id")
    s.add_argument("--format", choices=["table", "json"], default="table")
    s = add("cancel", "cancel a distributed build; every language stays on its current release",
            "Revoke a distributed build's tasks; no language is switched by it afterwards.", commands.cmd_cancel)
    s.add_argument("build_id")
    s.add_argument("--broker", help="Celery broker URL (or WORKFLOW_BROKER)")
    s.add_argument("--format", choices=["text", "json"], default="text")


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
