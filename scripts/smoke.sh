#!/bin/sh
# A newcomer's first run on one Python, in an installed venv: ingest two short handbooks from
# corpus/ into a scratch data folder with the real embedding model, ask one question, and check
# that the answer cites them. Prints the interpreter, the torch build, the venv's size and the
# timings; exits non-zero on any failure.   scripts/smoke.sh VENV_BIN
set -eu
bin=$1
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export HAVEN_DATA_DIR="$scratch/data"

"$bin/python" - <<'PY'
import sys, sysconfig
from pathlib import Path
import torch
build = f"CUDA {torch.version.cuda}" if torch.version.cuda else "CPU"
site = Path(sysconfig.get_paths()["purelib"])
mb = sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1e6
torch_mb = sum(p.stat().st_size for p in (site / "torch").rglob("*") if p.is_file()) / 1e6
print(f"smoke: Python {sys.version.split()[0]}, torch {torch.__version__} ({build} build)")
print(f"smoke: site-packages {mb:,.0f} MB, of which torch/ {torch_mb:,.0f} MB")
PY

start=$(date +%s)
"$bin/haven" ingest --quiet corpus/iom-ilo-migration-officers-leaflet.md \
	corpus/rso-child-victims-first-responders.txt
echo "smoke: ingest took $(($(date +%s) - start)) s"

start=$(date +%s)
"$bin/haven" ask --json "What should a first responder do when a child may be a victim?" \
	>"$scratch/answer.json"
echo "smoke: ask took $(($(date +%s) - start)) s"
# Counts only: answers are never printed or logged.
"$bin/python" - "$scratch/answer.json" <<'PY'
import json, sys
answer = json.load(open(sys.argv[1]))
docs = sorted({c["doc_id"] for c in answer["citations"]})
print(f"smoke: the answer has {len(answer['citations'])} citations, from {', '.join(docs)}")
sys.exit(0 if answer["citations"] else "smoke: FAILED, the answer cites nothing")
PY
echo "smoke: passed"
