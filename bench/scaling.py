#!/usr/bin/env python3
"""Does the cost grow linearly with the input? One guide at 1x/2x/4x/8x, and N against 10N guides.

    .venv/bin/python bench/scaling.py                      # guide sizes 1,2,4,8 x base, 30 vs 300 guides
    .venv/bin/python bench/scaling.py --base 4 --sizes 1,4,16 --guides 0       # one-guide series only
    .venv/bin/python bench/scaling.py --sizes 0 --guides 30 --langs fr,de      # guide-count series only
    .venv/bin/python bench/scaling.py --profile 4          # cProfile each step of the 4x guide

One guide: the real guide `--guide` with its body repeated `--base` x size times. Every repetition
after the first has its prices and small numbers varied (bench/corpus.py's `vary`) and " (part N)"
appended to its headings and prose lines, so entries stay distinct and the catalog grows with the
guide (the disclaimer and table rows are kept verbatim: tables still vary by their prices). N guides:
bench/corpus.py's corpus. Each step is one `workflow --jobs 1` process, run cold (locales, .cache and
dist removed as the step needs); its CPU time (user + sys, from wait4) and peak RSS are reported, and
the ratio of each size's CPU time to the smallest one's against the ratio of the input sizes.
Targets (issue 17): 4x the guide costs at most 4.5x; 10x the guides at most 10.5x.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402

PYTHON = REPO / ".venv" / "bin" / "python"
OUT = HERE / "out-scaling"
STEPS = ("extract", "pseudo", "update", "check", "build", "publish")
_PLAIN_LINE = re.compile(r"^\s*(#{1,6} |[-*+] |\d{1,9}[.)] )?\s*[^\s|>`-]")


def scaled_guide(text: str, times: int, disclaimer: str) -> str:
    """The guide with its body repeated `times` times, every repetition's entries distinct."""
    meta_end = text.index("\n---", 3) + 4
    meta, body = text[:meta_end], text[meta_end:]
    parts = [body]
    for n in range(1, times):
        varied = corpus.vary(text, n, 0)[meta_end:]
        parts.append("\n".join(_mark(line, n, disclaimer) for line in varied.split("\n")))
    return meta + "\n".join(parts)


def _mark(line: str, n: int, disclaimer: str) -> str:
    if not _PLAIN_LINE.match(line) or line.strip() in disclaimer:
        return line
    return f"{line} (part {n})"


def guide_project(out: Path, guide: Path, times: int, langs: list[str]) -> Path:
    project = out / f"guide-{times}x"
    if project.exists():
        shutil.rmtree(project)
    (project / "source").mkdir(parents=True)
    for name in ("facts.yaml", "glossary.yaml"):
        shutil.copy2(REPO / "source" / name, project / "source" / name)
    shutil.copytree(REPO / "templates", project / "templates")
    corpus.write_config(project, langs)
    with (project / "workflow.yaml").open("a", encoding="utf-8") as config:   # the 8x guide is over 256 KiB
        config.write("limits:\n  guide_kib: 16384\n")
    disclaimer = " ".join((REPO / "source" / "facts.yaml").read_text(encoding="utf-8").split())
    text = scaled_guide(guide.read_text(encoding="utf-8"), times, disclaimer)
    (project / "source" / guide.name).write_text(text, encoding="utf-8")
    return project


def run_step(project: Path, step: str, langs: list[str], profile: Path | None = None) -> tuple[float, float]:
    """One cold step in one process: (CPU seconds, peak RSS MB)."""
    if step == "extract":
        shutil.rmtree(project / "locales", ignore_errors=True)
    if step in ("check", "build", "publish"):
        shutil.rmtree(project / ".cache", ignore_errors=True)
    if step == "publish":
        shutil.rmtree(project / "dist", ignore_errors=True)
    args = {"extract": ["extract", "--jobs", "1"], "check": ["check", "--jobs", "1"], "pseudo": ["pseudo", langs[0]],
            "update": ["update", "--lang", langs[0]],
            "build": ["build", "--jobs", "1"], "publish": ["publish", "--jobs", "1"]}[step]
    prefix = [str(PYTHON)] + (["-m", "cProfile", "-o", str(profile)] if profile else []) + ["-m", "workflow"]
    cmd = prefix + ["--project", str(project), "--quiet", *args]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    # check exits 1 when it finds problems; anything else is a failed step
    if proc.returncode not in (0, 1) or (proc.returncode and step != "check"):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-2000:]}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def pseudo_all(project: Path, langs: list[str]) -> None:
    for lang in langs:
        subprocess.run([str(PYTHON), "-m", "workflow", "--project", str(project), "--quiet", "pseudo", lang],
                       check=True, stdout=subprocess.DEVNULL)


def series(label: str, sizes: list[int], projects: dict[int, Path], langs: list[str], steps, repeat: int,
           unit: str = "x") -> None:
    """Run every step on every size (alternating sizes on each repetition, best CPU kept) and print
    CPU seconds, MB and the growth ratio against the smallest size."""
    best: dict[tuple[str, int], tuple[float, float]] = {}
    for _ in range(repeat):
        for size in sizes:
            project = projects[size]
            for step in steps:
                cpu, mb = run_step(project, step, langs)
                if step == "pseudo":
                    pseudo_all(project, langs[1:])
                key = (step, size)
                if key not in best or cpu < best[key][0]:
                    best[key] = (cpu, mb)
    base = sizes[0]
    print(f"\n{label}: CPU s (user+sys, best of {repeat}) / peak MB; ratio to {base}{unit} "
          f"[input ratio]")
    print(f"{'step':<10}" + "".join(f"{str(s) + unit:>24}" for s in sizes))
    for step in steps:
        cells = []
        for size in sizes:
            cpu, mb = best[(step, size)]
            ratio = cpu / best[(step, base)][0]
            cells.append(f"{cpu:7.2f} {mb:5.0f}MB {ratio:5.2f} [{size // base}]")
        print(f"{step:<10}" + "".join(f"{c:>24}" for c in cells))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--guide", type=Path, default=REPO / "source" / "korean-stem-cell-therapy-2026.md")
    ap.add_argument("--base", type=int, default=4, help="repetitions of the guide's body at size 1x")
    ap.add_argument("--sizes", default="1,2,4,8", help="guide sizes in multiples of the base; 0: none")
    ap.add_argument("--guides", type=int, default=30, help="N of the N vs 10N series; 0: none")
    ap.add_argument("--langs", default="fr", help="languages (the first one is measured by `pseudo`)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each series; the best CPU time is kept")
    ap.add_argument("--profile", type=int, default=0, help="only cProfile each step of this guide size")
    ap.add_argument("--steps", default=",".join(STEPS), help="steps to measure, in this order: " + ",".join(STEPS))
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    langs = [lang for lang in args.langs.split(",") if lang]
    steps = [step for step in STEPS if step in args.steps.split(",")]
    sizes = [int(s) for s in args.sizes.split(",") if int(s)]
    start = time.perf_counter()
    if args.profile:
        project = guide_project(args.out, args.guide, args.base * args.profile, langs)
        for step in steps:
            path = args.out / f"profile-{args.profile}x-{step}.prof"
            run_step(project, step, langs, profile=path)
            print(path)
        return 0
    if sizes:
        projects = {s: guide_project(args.out, args.guide, args.base * s, langs) for s in sizes}
        kb = ", ".join(f"{s}x {(p / 'source' / args.guide.name).stat().st_size / 1024:.0f} kB"
                       for s, p in projects.items())
        series(f"one guide ({kb}), {len(langs)} language(s), --jobs 1", sizes, projects, langs, steps,
               args.repeat)
    if args.guides:
        projects = {}
        for n in (args.guides, 10 * args.guides):
            projects[n] = args.out / f"corpus-{n}"
            corpus.generate(projects[n], n, langs, catalogs=False)
        series(f"{args.guides} vs {10 * args.guides} guides, {len(langs)} language(s), --jobs 1",
               [args.guides, 10 * args.guides], projects, langs, steps, args.repeat, " guides")
    print(f"\n({time.perf_counter() - start:.0f} s wall in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
