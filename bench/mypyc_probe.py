"""Would compiling workflow/'s hot modules with mypyc pay? Measures it; changes nothing in the checkout.

    .venv/bin/pip install mypy       # the probe's only extra need (not in the lock: this is a probe)
    .venv/bin/python bench/corpus.py /tmp/c30 --guides 30
    .venv/bin/python bench/mypyc_probe.py /tmp/c30 --runs 3 --variant pure --variant hot \
        --variant visible=editions/visible --variant checks=checks/runner,checks/registry
    .venv/bin/python bench/mypyc_probe.py /tmp/c30 --callgrind --lang fr --editions 30 --runs 1 ...
    .venv/bin/python bench/mypyc_probe.py /tmp/c30 --variant hot --tests hot   # the suite, compiled

Each variant is a copy of this checkout's workflow/ package under --work/<variant>/ in which the listed
modules (paths under workflow/, no .py) are compiled in place by mypyc (one group: calls between them
native); "pure" compiles nothing, "hot" the HOT list below. The source tree is never touched, so no
stale extension can shadow an edited .py here. Runs put the variant first on PYTHONPATH (the editable
install's finder comes after it), remove the corpus copy's .cache and dist, and run a cold
`workflow --quiet build --jobs 1`: CPU = user + sys of the child (RUSAGE_CHILDREN), variants alternated
run by run; or, with --callgrind, the instructions valgrind counts (load-independent, ~100x slower).
Each run's output files (.cache, dist) are hashed: the copies hold the same .py files, so even the
edition keys (which hash the code) must match the pure run's.

mypyc refuses modules with type errors; the probe's mypy.ini sets ignore_errors so it compiles the code
as it is (49 mypy errors on this main). Compiled code enforces annotations and inferred local types at
run time, hence PATCHES. Not compilable as they are: publishing/builder.py (mypyc crashes on a property
without a return annotation), catalogs/parser.py (class constants read through the class).

Result (2026-12-06, main a4535dc, 30 guides x 10 languages, machine loaded): no gain worth having.
Cold `build --lang fr --jobs 1`, callgrind instructions (pure 12.99 G): hot 13.23 G (+1.8 %),
checks/{runner,registry,markup,text,policy,protected} 12.79 G (-1.5 %), editions/visible 12.84 G
(-1.1 %), editions/render 12.93 G (-0.5 %), catalogs/quick 12.95 G (-0.3 %), editions/verify_markdown
12.94 G (-0.4 %), codec 12.59 G (-3.1 %): the single modules add up to ~-7 %, the 21 together lose it
(not bisected: model's dataclasses as native classes read from pure code is a guess). 10 languages, CPU time alternated, best of 3: pure 8.40 s,
hot 8.52 s (28.0 / 28.4 ms per edition). Every run's output identical to the pure run's.
"""
from __future__ import annotations

import argparse
import glob
import hashlib
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable
MYPY_INI = "[mypy]\nignore_missing_imports = True\nignore_errors = True\n"
# The modules of the cold build's profile (workflow/'s own time). Left pure: catalogs/parser (refused),
# config (compiled, its YAML walk `value = data; value = value[part]` is a TypeError: value inferred
# dict), cli, distributed, publishing (not in the profile; builder.py does not compile).
HOT = ["editions/visible", "editions/render", "editions/verify_markdown", "editions/verify",
       "editions/edition", "editions/facts", "editions/accounting", "editions/segment",
       "editions/localeformat", "checks/runner", "checks/markup", "checks/registry", "checks/text",
       "checks/protected", "checks/policy", "checks/stats", "catalogs/quick", "catalogs/review",
       "codec", "model", "project"]

# What compiled code needs changed (it enforces annotations and inferred local types at run time, Python
# does not): annotation or naming edits only, applied to every variant's copy (pure too, so that the code
# hash in the edition keys, and so every output file, stays comparable). accounting, the lambda
# properties and policy broke the compiled build; the others are mypy errors that would (a reused name
# given another type, slot attributes set to None then to a bool/str).
PATCHES = [
    ("editions/accounting.py", "optional: list[Number] = ()", "optional: list[Number] | tuple = ()"),
    ("checks/registry.py", '"_may_have_number")\n',
     '"_may_have_number")\n    _digits: str | None\n    _has_digits: bool\n    _may_have_number: bool | None\n'),
    ("checks/registry.py",  # a lambda property compiles to a plain class attribute: the property object
     "    lang = property(lambda self: self.run.lang)\n    registry = property(lambda self: self.run.registry)\n"
     "    glossary = property(lambda self: self.run.glossary)\n"
     "    protected_policy = property(lambda self: self.run.protected_policy)\n",
     "".join(f"    @property\n    def {name}(self) -> {kind}:\n        return self.run.{name}\n\n"
             for name, kind in (("lang", "str"), ("registry", "Registry"), ("glossary", "list[dict]"),
                                ("protected_policy", "str")))),
    ("checks/policy.py",  # en_XA's renderings fall back to the term's own "en" text: a str, not a list
     "def _terms(view: EntryView) -> list[tuple[str, list[str]]]:",
     "def _terms(view: EntryView) -> list[tuple[str, list[str] | str]]:"),
    ("checks/text.py", "hit = next((p for p in parts if Decimal(p) == value), None)\n            if hit is not None:\n"
     "                parts.remove(hit)",
     "part = next((p for p in parts if Decimal(p) == value), None)\n            if part is not None:\n"
     "                parts.remove(part)"),
    ("checks/markup.py", "added = sorted(set(links) - set(src_links))", "added_links = sorted(set(links) - set(src_links))"),
    ("checks/markup.py", 'f"added {added}" if added else ""', 'f"added {added_links}" if added_links else ""'),
]


def patch(tree: Path) -> None:
    for rel, old, new in PATCHES:
        path = tree / "workflow" / rel
        text = path.read_text()
        if text.count(old) != 1:
            sys.exit(f"patch no longer applies to {rel}: {old!r}")
        path.write_text(text.replace(old, new))


def build_variant(work: Path, name: str, modules: list[str]) -> Path:
    tree = work / name
    # rebuilt whenever this checkout's workflow/, the module list or PATCHES change: never a stale variant
    digest = hashlib.sha256(repr((modules, PATCHES)).encode())
    for path in sorted((REPO / "workflow").rglob("*.py")):
        digest.update(path.read_bytes())
    stamp = digest.hexdigest()
    if (tree / ".built").exists() and (tree / ".built").read_text() == stamp:
        return tree
    shutil.rmtree(tree, ignore_errors=True)
    tree.mkdir(parents=True)
    shutil.copytree(REPO / "workflow", tree / "workflow", ignore=shutil.ignore_patterns("__pycache__"))
    patch(tree)
    if modules:
        files = [f"workflow/{m}.py" for m in modules]
        (tree / "mypy.ini").write_text(MYPY_INI)
        setup = ("from setuptools import setup\nfrom mypyc.build import mypycify\n"
                 f"setup(name='probe', ext_modules=mypycify({files!r}, opt_level='3'),"
                 " script_args=['build_ext', '--inplace'])\n")
        (tree / "setup_probe.py").write_text(setup)
        t0 = time.monotonic()
        log = tree / "build.log"
        with open(log, "w") as out:
            rc = subprocess.call([PY, "setup_probe.py"], cwd=tree, stdout=out, stderr=subprocess.STDOUT)
        if rc:
            sys.exit(f"{name}: mypyc build failed, see {log}")
        print(f"# {name}: compiled {len(files)} modules in {time.monotonic() - t0:.0f} s", flush=True)
        compiled = [f for f in files if not glob.glob(str(tree / f[:-3]) + ".*.so")]
        if compiled:
            sys.exit(f"{name}: no extension for {compiled}")
    (tree / ".built").write_text(stamp)
    return tree


def tree_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for sub in (".cache", "dist"):
        for path in sorted((root / sub).rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def run_build(tree: Path, corpus: Path, args: list[str], callgrind: bool) -> tuple[float, float, str]:
    """(CPU s, wall s, output hash) of one cold build; with callgrind, (instructions, wall s, hash)."""
    for sub in (".cache", "dist"):
        shutil.rmtree(corpus / sub, ignore_errors=True)
    env = dict(os.environ, PYTHONPATH=str(tree))
    command = [PY, "-m", "workflow", "--project", str(corpus), "--quiet", "build", "--jobs", "1", *args]
    if callgrind:
        command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    done = subprocess.run(command, cwd="/tmp", env=env, check=True, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if callgrind:  # "==pid== Collected : N" (instructions executed)
        cpu = float(next(line for line in done.stderr.splitlines() if "Collected :" in line).split(":")[-1])
    elif done.stderr:
        sys.stderr.write(done.stderr)
    return cpu, wall, tree_hash(corpus)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--work", type=Path, default=Path("/tmp/mypyc-probe"))
    ap.add_argument("--variant", action="append", default=[],
                    help="NAME=mod1,mod2 (paths under workflow/ without .py), or pure, or hot")
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--editions", type=int, default=300, help="editions of one build (guides x languages)")
    ap.add_argument("--callgrind", action="store_true",
                    help="count instructions under valgrind instead of CPU time (load-independent; ~50x slower)")
    ap.add_argument("--tests", metavar="VARIANT", help="run pytest against this variant instead")
    ap.add_argument("--scratch", help="name of the corpus copy under --work (parallel probes need their own)")
    ap.add_argument("--lang", help="build only these languages (workflow build --lang)")
    ap.add_argument("--pytest-args", default="", help="with --tests: pytest's arguments (split on spaces)")
    opts = ap.parse_args()
    variants: dict[str, list[str]] = {}
    for spec in opts.variant or ["pure", "hot"]:
        name, _, mods = spec.partition("=")
        variants[name] = [] if name == "pure" else HOT if name == "hot" else mods.split(",")
    trees = {name: build_variant(opts.work, name, mods) for name, mods in variants.items()}
    if opts.tests:
        env = dict(os.environ, PYTHONPATH=str(trees[opts.tests]))
        sys.exit(subprocess.call([PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", *opts.pytest_args.split()],
                                 cwd=REPO, env=env))
    corpus = opts.work / (opts.scratch or "corpus")
    if not corpus.exists():
        shutil.copytree(opts.corpus, corpus, ignore=shutil.ignore_patterns(".cache", "dist"))
    build_args = ["--lang", opts.lang] if opts.lang else []
    results: dict[str, list[tuple[float, float, str]]] = {name: [] for name in trees}
    for i in range(opts.runs):
        for name, tree in trees.items():
            cpu, wall, digest = run_build(tree, corpus, build_args, opts.callgrind)
            results[name].append((cpu, wall, digest))
            if opts.callgrind:
                print(f"run {i + 1} {name:>14}: {cpu / 1e9:7.3f} G instructions  {wall:6.1f} s wall  "
                      f"{cpu / opts.editions / 1e6:6.2f} M/edition  out {digest}", flush=True)
            else:
                print(f"run {i + 1} {name:>14}: {cpu:6.2f} s CPU {wall:6.2f} s wall "
                      f"{cpu / opts.editions * 1000:5.1f} ms/edition  out {digest}", flush=True)
    if not opts.runs:
        return
    base = min(r[0] for r in results.get("pure", [])) if "pure" in results else None
    ref = results["pure"][0][2] if "pure" in results else None
    unit, scale = ("G instr", 1e-9) if opts.callgrind else ("CPU s", 1.0)
    per, per_scale = ("M/edition", 1e-6) if opts.callgrind else ("ms/edition", 1e3)
    print(f"\nvariant         best {unit}  {per}  vs pure  output")
    for name, rows in results.items():
        best = min(r[0] for r in rows)
        same = "same" if ref is None or all(r[2] == ref for r in rows) else "DIFFERS"
        gain = f"{(best - base) / base * 100:+6.1f} %" if base else "   -   "
        print(f"{name:>14}  {best * scale:11.3f}  {best / opts.editions * per_scale:10.2f}  {gain}  {same}")


if __name__ == "__main__":
    main()
