"""The cold job against mdpo's, alternated in one window: the ratio of issue 17 with the machine's drift on both.

    .venv/bin/python bench/job_ratio.py --tag r9-after [--pairs 3]

Uses what `bench/run.py --tag TAG` left in bench/out (its corpus, its code snapshot, mdpo's catalogs): each pair
runs workflow's extract + build of 10 languages (-j auto, nothing cached) and mdpo's extract + generate of the
same languages, one after the other, and prints each time and the median ratio (mdpo / workflow, on wall).
One bench run's ratio moved by 20 % with the machine's speed between its steps (bench/RESULTS.md, round 9)."""
from __future__ import annotations

import argparse
import shutil
import statistics

import run

LANGS = ["fr", "de", "it", "pt_BR", "ru", "ko", "nl", "pl", "tr", "en_XA"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tag", required=True)
    ap.add_argument("--guides", type=int, default=300)
    ap.add_argument("--pairs", type=int, default=3)
    args = ap.parse_args()
    tag = f"{args.guides}{args.tag}"
    run.SNAPSHOT = run.OUT / f"snapshot-{tag}"
    project, work = run.OUT / f"corpus-{args.guides}", run.OUT / f"peers-{tag}" / "mdpo"
    ours = " && ".join(" ".join(f"'{a}'" for a in run.wf(project, *step))
                       for step in (("extract",), ("build", *run.lang_args(LANGS))))
    src, pot, po, out = project / "source", work / "pot", work / "po", work / "out"
    theirs = (f"'{run.PEER_PY}' -c \"$MDPO_EXTRACT\" '{src}' '{pot}' && "
              f"'{run.PEER_PY}' -c \"$MDPO_GENERATE\" '{src}' '{po}' '{out}' {' '.join(LANGS)}")
    peer_env = {**run.peer_env(), "MDPO_EXTRACT": run.MDPO_EXTRACT, "MDPO_GENERATE": run.MDPO_GENERATE}
    print(f"code {run.SNAPSHOT.name}; {run.compiled_routes()}; {run.cpu_model()}", flush=True)
    ratios = []
    for n in range(args.pairs):
        shutil.rmtree(project / "locales" / "templates", ignore_errors=True)
        run.clear_cache(project)
        mine = run.measure(ours, shell=True, env=run.ours_env(), cwd=run.OUT)
        shutil.rmtree(out, ignore_errors=True)
        peer = run.measure(theirs, shell=True, env=peer_env, cwd=run.OUT)
        ratios.append(peer.seconds / mine.seconds)
        print(f"pair {n + 1}: workflow {mine.seconds:.2f} s wall / {mine.cpu:.2f} s cpu, "
              f"mdpo {peer.seconds:.2f} / {peer.cpu:.2f}: {ratios[-1]:.2f}x", flush=True)
    print(f"median mdpo / workflow (wall): {statistics.median(ratios):.2f}x (target >= 1.0x, issue 17)")


if __name__ == "__main__":
    main()
