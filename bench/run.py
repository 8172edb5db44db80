#!/usr/bin/env python3
"""Benchmark `workflow` against mdpo, translate-toolkit and po4a on one scaled corpus.

    .venv/bin/python bench/run.py                    # 300 guides x 10 languages, every peer
    .venv/bin/python bench/run.py --guides 30 --skip-peers
    .venv/bin/python bench/run.py --peers mdpo,tt --po4a-guides 30   # po4a on 30 guides, scaled up
    .venv/bin/python bench/run.py --profile           # + pyinstrument profile of a cold build

Every measured step is one subprocess (or one shell loop) under /usr/bin/time: wall and CPU seconds,
peak RSS of the largest process, and the peak of the summed RSS of the step's whole process tree
(sampled every 50 ms; what parallel workers really hold). Steps run one after the other. workflow
runs with `--jobs auto` (its default: one process per core on big projects; `--jobs 1` for one
process); the peers are single-process tools. Peers are installed by --setup-peers into bench/.peers
(a throwaway venv, git-ignored) and po4a from Debian (apt-get install -y po4a).

Work compared:
  extract        ours: `workflow extract` (cold: locales/templates removed). peers: every guide -> POT
                 (mdpo Python API md2po; translate-toolkit md2po directory mode; po4a-gettextize per guide)
  build 1 / 10   ours: `workflow build --lang ...` with .cache cleared (render HTML+MD+JSON and verify).
                 peers: translated Markdown from their own POs (POT + msgen) for 1 / 10 languages
                 (mdpo po2md API; translate-toolkit po2md directory mode per language; po4a-translate)
  extract + build, one job
                 ours: `workflow extract && workflow build` from nothing cached (the coordinator's cold
                 job; build reuses the guides extract parsed). peers: their extract + build 10 summed
  incremental    ours only: rebuild of the 10 languages after one .po / one source paragraph changed
  check          ours: `workflow check` (all languages). peers: translate-toolkit pofilter on its 10
                 language folders; gettext `msgfmt -c` on every po4a catalog (po4a's own check)
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402

WORKFLOW = REPO / ".venv" / "bin" / "workflow"
PEERS = HERE / ".peers"
PEER_PY = PEERS / "bin" / "python"
OUT = HERE / "out"
TIME = "/usr/bin/time"
CLOCK = "wall"
LOAD = 0.0


def cpu_model() -> str:
    """The processor's name: the ratio against mdpo moved from 1.14-1.31x (round 13's machine) to 0.69-0.81x
    on an AMD EPYC where mdpo ran 1.8x faster and this build 1.2x (round 14): a ratio is of one machine."""
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


@dataclass
class Measure:
    seconds: float          # wall
    peak_mb: float
    note: str = ""
    ok: bool = True
    cpu: float = 0.0        # user + sys of the step's processes
    tree_mb: float = 0.0    # peak of the summed RSS of all the step's processes (parallel workers)

    @property
    def t(self) -> float:   # the time that ratios use (see --clock)
        return self.cpu if CLOCK == "cpu" else self.seconds


@dataclass
class Results:
    rows: dict = field(default_factory=dict)       # (tool, task) -> Measure

    def add(self, tool, task, m: Measure):
        self.rows[(tool, task)] = m
        status = "" if m.ok else "  FAILED"
        print(f"  {tool:<18} {task:<30} {m.seconds:8.2f} s wall {m.cpu:8.2f} s cpu {m.peak_mb:7.1f} MB {m.note}{status}",
              flush=True)

    def get(self, tool, task):
        return self.rows.get((tool, task))


def _tree_rss_mb(root: int) -> float:
    """Summed RSS of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total / (1024 * 1024)


def measure(cmd, cwd=None, env=None, shell=False, log=None) -> Measure:
    """Run one command under /usr/bin/time: wall time, CPU time, the peak RSS of its largest process,
    and (sampled every 50 ms) the peak of the summed RSS of its process tree."""
    if not shell and str(cmd[0]).endswith("/.venv/bin/python") and cmd[1:3] == ["-m", "workflow"]:
        env, cwd = ours_env(), OUT
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        if shell:
            argv = [TIME, "-f", "%e %M %U %S", "-o", tf.name, "bash", "-c", cmd]
        else:
            argv = [TIME, "-f", "%e %M %U %S", "-o", tf.name, *map(str, cmd)]
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        tree_peak = 0.0
        stop = threading.Event()

        def sample():
            nonlocal tree_peak
            while not stop.wait(0.05):
                tree_peak = max(tree_peak, _tree_rss_mb(proc.pid))
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, stderr = proc.communicate()
        stop.set()
        sampler.join()
        wall = time.perf_counter() - start
        lines = [l for l in Path(tf.name).read_text().splitlines() if l.strip()]
    try:
        secs, kb, user, system = lines[-1].split()
        peak = int(kb) / 1024
        cpu = float(user) + float(system)
    except (IndexError, ValueError):
        secs, peak, cpu = wall, 0.0, 0.0
    ok = proc.returncode == 0
    if log is not None:
        log.write(f"$ {cmd if shell else ' '.join(map(str, cmd))}\nrc={proc.returncode}\n{stderr[-4000:]}\n")
    return Measure(float(secs), peak, ok=ok, cpu=cpu, tree_mb=max(tree_peak, peak))


# -- our project -------------------------------------------------------------------------------------

SNAPSHOT = OUT / "snapshot"


def snapshot_code() -> str:
    """Freeze workflow/ for the run: teammates edit it concurrently, and every edit changes the code hash
    in each edition's cache key (a 'warm' rebuild would silently be a cold one)."""
    shutil.rmtree(SNAPSHOT, ignore_errors=True)
    shutil.copytree(REPO / "workflow", SNAPSHOT / "workflow", ignore=shutil.ignore_patterns("__pycache__"))
    import compileall   # as `make setup` does: bytecode once, not in every process of the run
    compileall.compile_dir(SNAPSHOT / "workflow", quiet=1)
    import hashlib
    digest = hashlib.sha256()
    for path in sorted([*(SNAPSHOT / "workflow").rglob("*.py"), *(SNAPSHOT / "workflow").rglob("*.c")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def compiled_routes() -> str:
    """Which routes the snapshot takes: the compiled ones (setup.py) where they were built, else Python's."""
    probe = ("import importlib.util as u; print(' / '.join(f'{n} ' + ('compiled' if u.find_spec(m) else 'python') for n, m "
             "in (('PO reader', 'workflow.catalogs._poscan'), ('page text', 'workflow.editions._pagetext'), "
             "('numbers', 'workflow.editions._visible'), ('md reading', 'workflow.editions._mdhtml'))))")
    return subprocess.run([str(REPO / ".venv" / "bin" / "python"), "-c", probe], env=ours_env(), cwd=OUT,
                          capture_output=True, text=True, check=True).stdout.strip()


def ours_env():
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SNAPSHOT)
    return env


JOBS = "auto"   # --jobs for extract and build (the product's default: one process per core on big projects)


def wf(project: Path, *args) -> list[str]:
    if args and args[0] in ("extract", "build"):
        args = (*args, "--jobs", JOBS)
    return [str(REPO / ".venv" / "bin" / "python"), "-m", "workflow", "--project", str(project), "--quiet", *args]


def lang_args(langs):
    return [x for l in langs for x in ("--lang", l)]


def clear_cache(project: Path):
    shutil.rmtree(project / ".cache", ignore_errors=True)
    shutil.rmtree(project / "dist", ignore_errors=True)


def edit_file(path: Path, old: str, new: str) -> str:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text


def bench_ours(project: Path, langs: list[str], res: Results, log):
    tool = "workflow"
    shutil.rmtree(project / "locales" / "templates", ignore_errors=True)
    clear_cache(project)  # cold: no parsed guide cached either
    res.add(tool, "extract", measure(wf(project, "extract"), log=log))
    clear_cache(project)
    res.add(tool, "build 1 lang", measure(wf(project, "build", *lang_args(langs[:1])), log=log))
    clear_cache(project)
    res.add(tool, f"build {len(langs)} langs", measure(wf(project, "build", *lang_args(langs)), log=log))
    res.add(tool, "rebuild, nothing changed", measure(wf(project, "build", *lang_args(langs)), log=log))

    guides = sorted(p.stem for p in (project / "source").glob("*.md"))
    guide = guides[len(guides) // 2]
    po = project / "locales" / langs[-1] / "LC_MESSAGES" / f"{guide}.po"
    body = po.read_text(encoding="utf-8")
    # first real entry's msgstr (after the header entry)
    header_end = body.index("\n\n")
    at = body.index('msgstr "⟦', header_end) + len('msgstr "⟦')
    po.write_text(body[:at] + "~" + body[at:], encoding="utf-8")
    m = measure(wf(project, "build", *lang_args(langs)), log=log)
    m.note = f"({langs[-1]}/{guide}.po)"
    res.add(tool, "rebuild, 1 .po changed", m)
    po.write_text(body, encoding="utf-8")

    src = project / "source" / f"{guide}.md"
    original = src.read_text(encoding="utf-8")
    para = next(l for l in original.split("\n\n") if l[:1].isalpha() and len(l) > 120 and "\n" not in l)
    src.write_text(original.replace(para, para.replace(" ", " really ", 1), 1), encoding="utf-8")
    m = measure(wf(project, "build", *lang_args(langs)), log=log)
    m.note = f"({guide}.md, POs not updated)"
    res.add(tool, "rebuild, 1 paragraph changed", m)
    src.write_text(original, encoding="utf-8")
    # back to the cached state of the original sources/catalogs (cheap: all keys are cached)
    measure(wf(project, "build", *lang_args(langs)), log=log)

    clear_cache(project)  # cold: no check results, no parsed guides
    res.add(tool, "check", measure(wf(project, "check"), log=log))
    res.add(tool, "check again, nothing changed", measure(wf(project, "check"), log=log))
    po.write_text(body[:at] + "~" + body[at:], encoding="utf-8")
    res.add(tool, "check again, 1 .po changed", measure(wf(project, "check"), log=log))
    po.write_text(body, encoding="utf-8")

    # The coordinator's whole cold job in one go: extract, then build, nothing cached before.
    shutil.rmtree(project / "locales" / "templates", ignore_errors=True)
    clear_cache(project)
    job = " && ".join(" ".join(f"'{a}'" for a in wf(project, *step)) for step in (("extract",), ("build", *lang_args(langs))))
    res.add(tool, f"extract + build {len(langs)}, one job", measure(job, shell=True, env=ours_env(), cwd=OUT, log=log))


# -- peers ---------------------------------------------------------------------------------------------

MDPO_EXTRACT = """
import glob, os, sys
from mdpo.md2po import markdown_to_pofile
src, out = sys.argv[1], sys.argv[2]
for f in sorted(glob.glob(os.path.join(src, '*.md'))):
    name = os.path.basename(f)[:-3]
    markdown_to_pofile(f, po_filepath=os.path.join(out, name + '.pot'), save=True)
"""

MDPO_GENERATE = """
import glob, os, sys
from mdpo.po2md import pofile_to_markdown
src, po, out = sys.argv[1], sys.argv[2], sys.argv[3]
for lang in sys.argv[4:]:
    os.makedirs(os.path.join(out, lang), exist_ok=True)
    for f in sorted(glob.glob(os.path.join(src, '*.md'))):
        name = os.path.basename(f)[:-3]
        pofile_to_markdown(f, os.path.join(po, lang, name + '.po'), save=os.path.join(out, lang, name + '.md'))
"""


def peer_env():
    env = dict(os.environ)
    env["PATH"] = f"{PEERS / 'bin'}:{env['PATH']}"
    return env


def fill_pos(pot_dir: Path, po_root: Path, langs: list[str], suffix=".pot"):
    """Each peer's own POs: its POT with msgstr = msgid (gettext msgen), copied per language."""
    base = po_root / "_base"
    base.mkdir(parents=True, exist_ok=True)
    for pot in sorted(pot_dir.glob(f"*{suffix}")):
        # msguniq first: translate-toolkit's POTs can hold duplicate definitions that msgen refuses
        subprocess.run(f"msguniq --use-first '{pot}' | msgen --no-wrap - -o '{base / (pot.name[: -len(suffix)] + '.po')}'",
                       shell=True, check=True, stderr=subprocess.DEVNULL)
    for lang in langs:
        shutil.copytree(base, po_root / lang, dirs_exist_ok=True)


def bench_mdpo(src: Path, work: Path, langs, res: Results, log):
    tool = "mdpo"
    pot, po, out = work / "pot", work / "po", work / "out"
    for d in (pot, po, out):
        shutil.rmtree(d, ignore_errors=True)
    pot.mkdir(parents=True)
    res.add(tool, "extract", measure([PEER_PY, "-c", MDPO_EXTRACT, src, pot], env=peer_env(), log=log))
    fill_pos(pot, po, langs)
    res.add(tool, "build 1 lang", measure([PEER_PY, "-c", MDPO_GENERATE, src, po, out, *langs[:1]],
                                          env=peer_env(), log=log))
    shutil.rmtree(out, ignore_errors=True)
    res.add(tool, f"build {len(langs)} langs", measure([PEER_PY, "-c", MDPO_GENERATE, src, po, out, *langs],
                                                       env=peer_env(), log=log))


def bench_tt(src: Path, work: Path, langs, res: Results, log):
    tool = "translate-toolkit"
    pot, po, out = work / "pot", work / "po", work / "out"
    for d in (pot, po, out):
        shutil.rmtree(d, ignore_errors=True)
    for d in (pot, out):
        d.mkdir(parents=True)
    res.add(tool, "extract", measure([PEER_PY, "-m", "translate.convert.md2po", "--progress=none", "-P",
                                      "-i", src, "-o", pot], env=peer_env(), log=log))
    fill_pos(pot, po, langs)
    gen = " && ".join(f"{PEER_PY} -m translate.convert.po2md --progress=none -t {src} -i {po / l} -o {out / l}"
                      for l in langs[:1])
    res.add(tool, "build 1 lang", measure(gen, shell=True, env=peer_env(), log=log))
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    gen = " && ".join(f"{PEER_PY} -m translate.convert.po2md --progress=none -t {src} -i {po / l} -o {out / l}"
                      for l in langs)
    res.add(tool, f"build {len(langs)} langs", measure(gen, shell=True, env=peer_env(), log=log))
    res.add(tool, "check", measure([PEER_PY, "-m", "translate.filters.pofilter", "--progress=none",
                                    "-i", po, "-o", work / "pofilter", "-x", "_base"], env=peer_env(), log=log))
    shutil.rmtree(work / "pofilter", ignore_errors=True)


def bench_po4a(src: Path, work: Path, langs, res: Results, log, scale: float, subset: int):
    tool = "po4a"
    pot, po, out = work / "pot", work / "po", work / "out"
    for d in (pot, po, out):
        shutil.rmtree(d, ignore_errors=True)
    pot.mkdir(parents=True)
    note = f"(x{scale:g}: measured on {subset} guides)" if scale != 1 else ""

    def add(task, m):
        m.seconds *= scale
        m.cpu *= scale
        m.note = note
        res.add(tool, task, m)

    opts = "-f text -o markdown -M UTF-8"
    add("extract", measure(f'for f in {src}/*.md; do n=$(basename "$f" .md); '
                           f'po4a-updatepo {opts} -m "$f" -p {pot}/"$n".pot || exit 1; done', shell=True, log=log))
    fill_pos(pot, po, langs)

    def gen(ls):
        return (f'for l in {" ".join(ls)}; do mkdir -p {out}/$l; for f in {src}/*.md; do n=$(basename "$f" .md); '
                f'po4a-translate {opts} -L UTF-8 -k 0 -m "$f" -p {po}/$l/"$n".po -l {out}/$l/"$n".md || exit 1; '
                f'done; done')
    add("build 1 lang", measure(gen(langs[:1]), shell=True, log=log))
    shutil.rmtree(out, ignore_errors=True)
    add(f"build {len(langs)} langs", measure(gen(langs), shell=True, log=log))
    add("check", measure(f'for f in {po}/[!_]*/*.po; do msgfmt -c -o /dev/null "$f" || exit 1; done',
                         shell=True, log=log))


def peer_sources(project: Path, work: Path, limit: int | None = None) -> Path:
    """The corpus guides alone (peers' directory modes take every file of a folder)."""
    src = work / "src"
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir(parents=True)
    files = sorted((project / "source").glob("*.md"))
    for f in files[:limit] if limit else files:
        shutil.copy2(f, src / f.name)
    return src


def setup_peers():
    if not PEER_PY.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEERS)], check=True)
    subprocess.run([str(PEERS / "bin" / "pip"), "install", "-q", "mdpo", "translate-toolkit[markdown]", "pyinstrument"],
                   check=True)
    if not shutil.which("po4a-translate"):
        subprocess.run(["apt-get", "install", "-y", "po4a"], check=True)


# -- profile -------------------------------------------------------------------------------------------

PROFILE = """
import sys
sys.path.append(sys.argv[1])             # pyinstrument from the throwaway venv, after the project's deps
from pyinstrument import Profiler
from workflow.cli import main
p = Profiler(interval=0.002)
p.start()
try:
    main(sys.argv[3:])
finally:
    p.stop()
    open(sys.argv[2], 'w').write(p.output_text(unicode=True, color=False, show_all=False))
"""


def profile(project: Path, langs: list[str], out_file: Path):
    site = next((PEERS / "lib").glob("python3*/site-packages"))
    clear_cache(project)
    py = REPO / ".venv" / "bin" / "python"
    subprocess.run([str(py), "-c", PROFILE, str(site), str(out_file), "--project", str(project), "--quiet",
                    "build", *lang_args(langs)], check=True, stdout=subprocess.DEVNULL, env=ours_env(), cwd=OUT)
    print(f"profile written to {out_file}")


# -- report --------------------------------------------------------------------------------------------

def report(res: Results, langs: list[str], guides: int, as_json: Path):
    n = len(langs)
    tasks = ["extract", "build 1 lang", f"build {n} langs", "extract + build 10", "rebuild, nothing changed",
             "rebuild, 1 .po changed", "rebuild, 1 paragraph changed", "check",
             "check again, nothing changed", "check again, 1 .po changed"]
    tools = [t for t in ("workflow", "mdpo", "translate-toolkit", "po4a") if any(k[0] == t for k in res.rows)]
    for t in tools:  # combined row: ours measured as one job when available, else the sum
        job = res.get(t, f"extract + build {n}, one job")
        if job:
            res.rows[(t, "extract + build 10")] = job
            continue
        e, b = res.get(t, "extract"), res.get(t, f"build {n} langs")
        if e and b:
            res.rows[(t, "extract + build 10")] = Measure(e.seconds + b.seconds, max(e.peak_mb, b.peak_mb),
                                                         e.note or b.note, e.ok and b.ok, e.cpu + b.cpu,
                                                         max(e.tree_mb, b.tree_mb))
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        Console = None
    title = (f"{guides} guides x {n} languages, steps one after the other, workflow --jobs {JOBS}, "
             f"{os.cpu_count()} cores ({cpu_model()}), "
             f"load average at start {LOAD:.1f}; ratios on {CLOCK} time")
    header = ["task"] + [f"{t}\nwall s / cpu s / MB (all processes)" for t in tools] + [f"{t} / workflow" for t in tools if t != "workflow"]
    rows = []
    for task in tasks:
        if not any(res.get(t, task) for t in tools):
            continue
        row = [task]
        ours = res.get("workflow", task)
        for t in tools:
            m = res.get(t, task)
            row.append("-" if not m else f"{m.seconds:.2f} / {m.cpu:.2f} / {m.tree_mb:.0f}" + ("" if m.ok else " FAIL"))
        for t in tools:
            if t == "workflow":
                continue
            m = res.get(t, task)
            row.append(f"{m.t / ours.t:.1f}x" if m and ours and ours.t else "-")
        rows.append(row)
    cold = res.get("workflow", f"build {n} langs")
    extra = []
    for task in ("rebuild, 1 .po changed", "rebuild, 1 paragraph changed", "rebuild, nothing changed"):
        m = res.get("workflow", task)
        if m and cold:
            extra.append(f"{task}: {m.t / cold.t:.1%} of the cold {n}-language build")
    if Console:
        table = Table(title=title)
        for h in header:
            table.add_column(h, justify="left" if h == "task" else "right")
        for r in rows:
            table.add_row(*r)
        Console(width=200).print(table)
    else:
        print(title)
        for r in [header] + rows:
            print(" | ".join(c.replace("\n", " ") for c in r))
    for line in extra:
        print(line)
    peers = [t for t in tools if t != "workflow"]
    ours = res.get("workflow", "extract + build 10")
    if ours and peers:
        best = min(peers, key=lambda t: res.get(t, "extract + build 10").t
                   if res.get(t, "extract + build 10") else float("inf"))
        bm = res.get(best, "extract + build 10")
        if bm:
            print(f"cold extract + build {n} ({CLOCK}): workflow {ours.t:.2f} s vs fastest peer {best} "
                  f"{bm.t:.2f} s = {bm.t / ours.t:.2f}x (target >= 1.0x, issue 17)")
    if cold:
        print(f"peak memory, cold {guides} x {n} build: {cold.tree_mb:.0f} MB summed over its processes, "
              f"{cold.peak_mb:.0f} MB in the largest (target < 300 MB)")
    as_json.write_text(json.dumps({"guides": guides, "languages": langs, "load_average_at_start": LOAD, "cpu": cpu_model(),
                                   "jobs": JOBS, "rows": [{"tool": t, "task": k, "seconds": m.seconds, "cpu": m.cpu, "peak_mb": m.peak_mb,
                                             "tree_mb": m.tree_mb,
                                             "note": m.note, "ok": m.ok} for (t, k), m in res.rows.items()]},
                                  indent=1))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--guides", type=int, default=300)
    ap.add_argument("--langs", default=",".join(corpus.DEFAULT_LANGS))
    ap.add_argument("--skip-peers", action="store_true")
    ap.add_argument("--skip-ours", action="store_true")
    ap.add_argument("--peers", default="mdpo,tt,po4a", help="subset of mdpo,tt,po4a")
    ap.add_argument("--po4a-guides", type=int, help="run po4a on this many guides and scale linearly")
    ap.add_argument("--tag", default="", help="suffix for the log/results/profile file names")
    ap.add_argument("--regen", action="store_true", help="regenerate the corpus even if it exists")
    ap.add_argument("--setup-peers", action="store_true", help="install the peers first")
    ap.add_argument("--profile", action="store_true", help="pyinstrument profile of a cold build")
    ap.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                    help="time used for ratios; cpu (user+sys) is steadier on a shared, loaded machine")
    ap.add_argument("--profile-langs", type=int, default=10, help="languages in the profiled build")
    ap.add_argument("--jobs", default="auto", help="workflow's --jobs for extract and build (auto, 1, 2, ...)")
    ap.add_argument("--corpus", type=Path, help="use this generated corpus (bench/corpus.py OUT) instead of bench/out")
    args = ap.parse_args(argv)
    langs = [l for l in args.langs.split(",") if l]
    tag = f"{args.guides}{args.tag}"
    global CLOCK, LOAD, JOBS
    CLOCK, LOAD, JOBS = args.clock, os.getloadavg()[0], args.jobs

    project = args.corpus.resolve() if args.corpus else OUT / f"corpus-{args.guides}"
    if args.regen or not (project / "locales" / langs[-1]).is_dir():
        print(f"generating corpus {project} ...", flush=True)
        corpus.generate(project, args.guides, langs)
    if args.setup_peers:
        setup_peers()
    global SNAPSHOT
    SNAPSHOT = OUT / f"snapshot-{tag}"
    if not args.skip_ours or args.profile:
        code = snapshot_code()
        print(f"workflow code snapshot {code} in {SNAPSHOT}; {compiled_routes()}", flush=True)
    res = Results()
    log_path = OUT / f"run-{tag}.log"
    with open(log_path, "w") as log:
        if not args.skip_ours:
            bench_ours(project, langs, res, log)
        if not args.skip_peers:
            chosen = set(args.peers.split(","))
            work = OUT / f"peers-{tag}"
            src = peer_sources(project, work)
            if "mdpo" in chosen:
                bench_mdpo(src, work / "mdpo", langs, res, log)
            if "tt" in chosen:
                bench_tt(src, work / "tt", langs, res, log)
            if "po4a" in chosen:
                subset = min(args.po4a_guides or args.guides, args.guides)
                psrc = peer_sources(project, work / "po4a-src", subset) if subset < args.guides else src
                bench_po4a(psrc, work / "po4a", langs, res, log, args.guides / subset, subset)
    report(res, langs, args.guides, OUT / f"results-{tag}.json")
    if args.profile:
        profile(project, langs[: args.profile_langs], OUT / f"profile-{tag}.txt")
    print(f"log: {log_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
