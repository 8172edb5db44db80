#!/bin/bash
# Old against new code on the coordinator's cold job (extract + build of 10 languages, -j auto), run
# alternately so that the machine's drift falls on both. Each side has its own checkout (with its .venv)
# and its own copy of the corpus (a corpus carries the templates of the code that generated it):
#   OLD=/path/old-checkout OLD_CORPUS=... NEW=/path/new-checkout NEW_CORPUS=... PAIRS=2 bench/alternate.sh
# Prints one line per run: wall, user and sys seconds of the whole job (every process), peak RSS in kB.
set -euo pipefail
LANGS="--lang fr --lang de --lang it --lang pt_BR --lang ru --lang ko --lang nl --lang pl --lang tr --lang en_XA"
run() {  # name checkout corpus
  rm -rf "$3/locales/templates" "$3/.cache" "$3/dist"
  local wf="PYTHONPATH=$2 $2/.venv/bin/python -m workflow --project $3 --quiet"
  /usr/bin/time -f "$1 wall %e user %U sys %S maxrss %M" \
    bash -c "cd /tmp && $wf extract --jobs auto && $wf build $LANGS --jobs auto" 2>&1 | tail -1
}
for _ in $(seq "${PAIRS:-2}"); do
  run old "$OLD" "$OLD_CORPUS"
  run new "$NEW" "$NEW_CORPUS"
done
